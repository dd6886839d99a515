"""The `clusterdir` command line: the parser, one helper per shared option, and `main`, which
runs a command (commands.py) and turns every error into one line and an exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
from collections.abc import Callable, Sequence

from generator import __version__, commands
from generator.commands import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
from generator.errors import ClusterdirError
from generator.months import parse_date
from generator.rules import load_rules
from generator.schema import SCHEMA_PATH

MAX_REPORT_MONTHS = 120  # ten years ahead covers any validity the rules give


def _months_ahead(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > MAX_REPORT_MONTHS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of months from 0 to {MAX_REPORT_MONTHS}"
        )
    return int(text)


def _as_of(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _data_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--data", default="clusters", metavar="DIR", help="records folder (default: clusters)"
    )


def _as_of_option(command: argparse.ArgumentParser, what: str = "the date") -> None:
    command.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help=f"{what} (default: today)"
    )


def _strict_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action="store_true", help="treat record warnings as errors")


def _quiet_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _level_option(command: argparse.ArgumentParser, required: bool, help: str) -> None:
    # The levels come from the rules file, as everywhere else.
    levels = load_rules().level_ids
    command.add_argument(
        "--level",
        required=required,
        choices=levels,
        metavar="LEVEL",
        help=f"{help}: {', '.join(levels)}",
    )


def _site_options(command: argparse.ArgumentParser) -> None:
    """The options every command that makes the site shares."""
    _data_option(command)
    _as_of_option(command, "the date the data is valid for")
    _strict_option(command)
    command.add_argument(
        "--site-url",
        default=os.environ.get("SITE_URL") or None,
        metavar="URL",
        help="where the site is published (default: $SITE_URL, else mkdocs.yml's site_url)",
    )


def _add_check(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check",
        help="validate every record and report each problem",
        description="Validates every record under DIR (default clusters/) and the set as a whole; prints each problem as `path:line:col: error: message` (or `warning:`), then a summary such as `188 records, 0 errors, 0 warnings`; exits 1 on any error, and under `--strict` on any warning.",
    )
    check.add_argument(
        "data",
        nargs="?",
        default="clusters",
        metavar="DIR",
        help="records folder (default: clusters)",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--info", action="store_true", help="also list records that the map cannot place"
    )
    _as_of_option(check, "the build date")
    check.set_defaults(func=commands.cmd_check)


def _add_status(sub: argparse._SubParsersAction) -> None:
    stat = sub.add_parser(
        "status",
        help="print a record's label status",
        description="Prints a record's label as of a date (default today), e.g. `SILVER, valid until 31 May 2028`; `--json` prints `label`, `state` (`valid`, `renewal`, `expired`, `none`), `valid_until`, `valid_since`, `renewable_until`, `level` and `as_of`.",
    )
    stat.add_argument("file", metavar="FILE", help="a record file")
    _as_of_option(stat)
    stat.add_argument("--json", action="store_true", help="print a JSON object")
    stat.set_defaults(func=commands.cmd_status)


def _add_site_commands(sub: argparse._SubParsersAction) -> None:
    bld = sub.add_parser(
        "build",
        help="check the records and build the site with MkDocs",
        description="Checks the records exactly as `check` does, works out every label as of the date, writes the Markdown tree into a locked scratch folder beside the output and runs `mkdocs build --strict` on it. The output folder (default `site/`) is replaced only when all of that succeeded, and only if an earlier build made it (it carries a `.clusterdir-site` marker; a folder holding `.git` is never replaced). `--site-url` (or `$SITE_URL`) gives the published address, for absolute links in the feed and the sitemap.",
    )
    _site_options(bld)
    bld.add_argument("--out", default="site", metavar="DIR", help="output folder (default: site)")
    _quiet_option(bld)
    bld.set_defaults(func=commands.cmd_build)

    gen = sub.add_parser(
        "generate",
        help="write the Markdown tree for MkDocs without building it",
        description="Writes the build tree only (`mkdocs.yml`, `content/`, `overrides/`), for inspection or another engine (Zensical, ProperDocs).",
    )
    _site_options(gen)
    gen.add_argument(
        "--out", required=True, metavar="DIR", help="a new or empty folder for the tree"
    )
    _quiet_option(gen)
    gen.set_defaults(func=commands.cmd_generate)

    srv = sub.add_parser(
        "serve",
        help="preview the site with live reload",
        description="Live preview; regenerates the tree when a record, a template or `mkdocs.yml` changes, and keeps the last good version while one of them has an error.",
    )
    _site_options(srv)
    srv.add_argument(
        "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on"
    )
    srv.set_defaults(func=commands.cmd_serve)


def _add_editing_commands(sub: argparse._SubParsersAction) -> None:
    new = sub.add_parser(
        "new",
        help="write a new record",
        description="Writes a new record named after the cluster (transliterated to ASCII), checked as `check` would; never overwrites.",
    )
    new.add_argument("--name", required=True, help="the cluster organisation's name")
    new.add_argument(
        "--country", required=True, metavar="XX", help="ISO 3166-1 alpha-2 code, e.g. DE"
    )
    new.add_argument("--website", metavar="URL", help="http or https address")
    new.add_argument("--city", metavar="CITY", help="the city of the cluster management")
    _level_option(new, required=False, help="the first award's level")
    new.add_argument("--assessed", metavar="YYYY-MM", help="the first award's assessment month")
    _data_option(new)
    new.set_defaults(func=commands.cmd_new)

    awd = sub.add_parser(
        "award",
        help="add an award to a record and print its new status",
        description="Adds an award at the end of `labels` in the file's own style, changing no other byte (or refusing, with what to do), with the record locked so that two runs at once both land; prints the new status.",
    )
    awd.add_argument("file", metavar="FILE", help="the record file")
    _level_option(awd, required=True, help="the award's level")
    awd.add_argument(
        "--assessed", required=True, metavar="YYYY-MM", help="the month of the assessment"
    )
    awd.add_argument("--valid-until", metavar="YYYY-MM", help="override the computed end month")
    _as_of_option(awd, "date of the printed status")
    awd.set_defaults(func=commands.cmd_award)

    imp = sub.add_parser(
        "import-csv",
        help="turn a CSV list of clusters into records",
        description="Turns a CSV list into records; every data row is written or named with its line, and the summary adds them up (`11 rows: wrote 3 records, skipped 8 rows`); never overwrites.",
    )
    imp.add_argument(
        "file", metavar="FILE", help="CSV with a header row (name, country, website, label, ...)"
    )
    _data_option(imp)
    imp.add_argument(
        "--dry-run", action="store_true", help="say what would be written, write nothing"
    )
    imp.set_defaults(func=commands.cmd_import_csv)


def _add_report(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser(
        "report",
        help="labels ending soon and labels in renewal, for the secretariat",
        description="Lists the labels ending in the coming months, and those in renewal, soonest first.",
    )
    _data_option(rep)
    _as_of_option(rep)
    rep.add_argument(
        "--months",
        type=_months_ahead,
        default=3,
        metavar="N",
        help=f"how many months ahead to look, 0 to {MAX_REPORT_MONTHS} (default: 3)",
    )
    rep.add_argument(
        "--format", choices=("table", "csv"), default="table", help="table (default) or csv"
    )
    rep.set_defaults(func=commands.cmd_report)


def _add_schema(sub: argparse._SubParsersAction) -> None:
    sch = sub.add_parser(
        "schema",
        help="print or write the JSON Schema of a record",
        description="Prints the records' JSON Schema, generated from the record model (committed as `schema/cluster.schema.json`), writes it, or checks that a file is current.",
    )
    group = sch.add_mutually_exclusive_group()
    group.add_argument(
        "--out", metavar="FILE", help=f"write it to FILE (the committed copy is {SCHEMA_PATH})"
    )
    group.add_argument(
        "--check", metavar="FILE", help="exit 1 when FILE differs from the generated schema"
    )
    sch.set_defaults(func=commands.cmd_schema)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="clusterdir",
        description="Check the cluster records and build the directory of ECEI-labelled clusters.",
    )
    parser.add_argument("--version", action="version", version=f"clusterdir {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _add_check,
        _add_status,
        _add_site_commands,
        _add_editing_commands,
        _add_report,
        _add_schema,
    ):
        add(sub)
    return parser


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def command_table(long: bool = True) -> str:
    """A Markdown table of every command: its synopsis and what it does (the description, or the
    one-line help with `long=False`). The README and the editors' guide hold it, made by cog."""
    parser = build_parser()
    helps = {
        action.dest: action.help
        for group in parser._subparsers._group_actions  # type: ignore[union-attr]
        for action in group._choices_actions
    }
    rows = ["| command | what it does |", "|---|---|"]
    for name, command in _commands(parser).items():
        usage = " ".join(
            command.format_usage().removeprefix("usage: ").replace(" [-h]", "").split()
        )
        text = command.description if long else helps[name]
        usage = usage.replace("|", "\\|")  # a pipe would end the table's cell
        rows.append(f"| `{usage}` | {text} |")
    return "\n".join(rows) + "\n"


def _interrupt(signum: int, frame: object) -> None:
    # A termination signal stops a command the way Ctrl-C does, so that it cleans up after itself.
    raise KeyboardInterrupt


def _readable_output() -> None:
    """Let any terminal show every message: characters its encoding lacks become escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors become one line on stderr and exit code 1."""
    _readable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return func(args)
    except ClusterdirError as exc:
        print(f"clusterdir: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("clusterdir: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`clusterdir report | head`): stop quietly, also at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # the machine said no: a full disk, a missing permission
        where = f"'{exc.filename}': " if exc.filename else ""
        print(f"clusterdir: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug of ours: one line for the user, the traceback on request
        if os.environ.get("CLUSTERDIR_DEBUG"):
            raise
        print(
            f"clusterdir: internal error: {type(exc).__name__}: {exc} "
            "(set CLUSTERDIR_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
