"""The `clusterdir` command line: the parser, one helper per shared option, and `main`, which
runs a command (commands.py) and turns every error into one line and an exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from generator import __version__, commands
from generator.build import signals
from generator.commands import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
from generator.core.errors import ClusterdirError, ConfigError, shown
from generator.core.months import parse_date
from generator.core.terminal import say
from generator.editing.schema import SCHEMA_PATH
from generator.labels.rules import load_rules

MAX_REPORT_MONTHS = 120  # ten years ahead covers any validity the rules give


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistyped option told in one line, as every other error is."""

    def error(self, message: str) -> NoReturn:
        # argparse quotes what was typed (an unknown option, its value) as it is.
        say(f"clusterdir: error: {message} (see {self.prog} --help)", sys.stderr)
        self.exit(2)


# Where an option's help lists the label levels. The parser is built without the rules file, so
# that a broken one leaves `--version` and `--help` working: the levels are read when a --level
# is given (`_level`) or its help is shown (`_HelpFormatter`).
LEVELS = "{levels}"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, with the label levels read from the rules file when it is shown."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        if text is not None and LEVELS in text:
            try:
                levels = ", ".join(load_rules().level_ids)
            except ConfigError as exc:
                levels = f"(the levels cannot be listed: {exc})"
            text = text.replace(LEVELS, levels.replace("%", "%%"))  # argparse expands % next
        return text


def _months_ahead(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 3 or int(text) > MAX_REPORT_MONTHS:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a number of months from 0 to {MAX_REPORT_MONTHS}"
        )
    return int(text)


def _as_of(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _data_option(command: argparse.ArgumentParser, default: str | None = "clusters") -> None:
    command.add_argument(
        "--data", default=default, metavar="DIR", help="records folder (default: clusters)"
    )


def _as_of_option(command: argparse.ArgumentParser, what: str = "the date") -> None:
    command.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help=f"{what} (default: today)"
    )


def _strict_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action="store_true", help="treat record warnings as errors")


def _quiet_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--quiet", action="store_true", help="print nothing but errors")


def _level(text: str) -> str:
    """A label level: one of the rules file's ids (the file is read here, not on import)."""
    levels = load_rules().level_ids  # a broken rules file: ConfigError, one line from main
    if text not in levels:
        # The words argparse uses for `choices`, which this option had before.
        choose = ", ".join(repr(level) for level in levels)
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {choose})")
    return text


def _level_option(command: argparse.ArgumentParser, required: bool, help: str) -> None:
    # The levels come from the rules file, as everywhere else.
    command.add_argument(
        "--level", required=required, type=_level, metavar="LEVEL", help=f"{help}: {LEVELS}"
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


def _check_options(command: argparse.ArgumentParser) -> None:
    # The folder as every command takes it (--data), or as check always has (DIR); both
    # default to None here, so that check can tell two different folders from one given twice.
    _data_option(command, default=None)
    command.add_argument(
        "folder",
        nargs="?",
        metavar="DIR",
        help="records folder, the same as --data (default: clusters)",
    )
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument(
        "--info",
        action="store_true",
        help="also list records that the map cannot place, and records with an award since"
        " ECCP listing became a condition but no ECCP profile",
    )
    command.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text (default), or github: each problem as a GitHub Actions annotation, and a"
        " table of them all in $GITHUB_STEP_SUMMARY when it is set",
    )
    _as_of_option(command, "the build date")


def _status_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", metavar="FILE", help="a record file")
    _as_of_option(command)
    command.add_argument("--json", action="store_true", help="print a JSON object")


def _build_options(command: argparse.ArgumentParser) -> None:
    _site_options(command)
    command.add_argument(
        "--out", default="site", metavar="DIR", help="output folder (default: site)"
    )
    _quiet_option(command)


def _generate_options(command: argparse.ArgumentParser) -> None:
    _site_options(command)
    command.add_argument(
        "--out", required=True, metavar="DIR", help="a new or empty folder for the tree"
    )
    _quiet_option(command)


def _finish_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--tree", required=True, metavar="DIR", help="the tree that `generate` wrote"
    )
    command.add_argument(
        "--site", required=True, metavar="DIR", help="the site an engine built from it"
    )


def _serve_options(command: argparse.ArgumentParser) -> None:
    _site_options(command)
    command.add_argument(
        "--dev-addr",
        default="127.0.0.1:8000",
        metavar="HOST:PORT",
        help="address to serve on; an IPv6 address in brackets ([::1]:8000); port 0 takes a free one",
    )


def _new_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--name", required=True, help="the cluster organisation's name")
    command.add_argument(
        "--country", required=True, metavar="XX", help="ISO 3166-1 alpha-2 code, e.g. DE"
    )
    command.add_argument("--website", metavar="URL", help="http or https address")
    command.add_argument("--city", metavar="CITY", help="the city of the cluster management")
    _level_option(command, required=False, help="the first award's level")
    command.add_argument("--assessed", metavar="YYYY-MM", help="the first award's assessment month")
    _data_option(command)


def _award_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", metavar="FILE", help="the record file")
    _level_option(command, required=True, help="the award's level")
    command.add_argument(
        "--assessed", required=True, metavar="YYYY-MM", help="the month of the assessment"
    )
    command.add_argument("--valid-until", metavar="YYYY-MM", help="override the computed end month")
    _as_of_option(command, "date of the printed status")


def _import_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "file", metavar="FILE", help="CSV with a header row (name, country, website, label, ...)"
    )
    _data_option(command)
    command.add_argument(
        "--dry-run", action="store_true", help="say what would be written, write nothing"
    )


def _report_options(command: argparse.ArgumentParser) -> None:
    _data_option(command)
    _as_of_option(command)
    command.add_argument(
        "--months",
        type=_months_ahead,
        default=3,
        metavar="N",
        help=f"how many months ahead to look, 0 to {MAX_REPORT_MONTHS} (default: 3)",
    )
    command.add_argument(
        "--format", choices=("table", "csv"), default="table", help="table (default) or csv"
    )


def _schema_options(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "--out", metavar="FILE", help=f"write it to FILE (the committed copy is {SCHEMA_PATH})"
    )
    group.add_argument(
        "--check", metavar="FILE", help="exit 1 when FILE differs from the generated schema"
    )


@dataclass(frozen=True, slots=True)
class _Command:
    """A sub-command: its name, one-line help, description, options and what runs it."""

    name: str
    help: str
    description: str
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS = (
    _Command(
        "check",
        "validate every record and report each problem",
        "Validates every record under DIR or `--data DIR` (default clusters/) and the set as a"
        " whole; prints each problem as `path:line:col: error: message` (or `warning:`), then a"
        " summary such as `188 records, 0 errors, 0 warnings`; exits 1 on any error, and under"
        " `--strict` on any warning. `--format github` prints each problem as a GitHub Actions"
        " annotation instead (`::error file=…,line=…,col=…,title=…::message`, `::warning`, and"
        " `::notice` for `--info`), which a pull request shows on the line it is about, and"
        " appends a table of every problem to the file `$GITHUB_STEP_SUMMARY` names; the exit"
        " status is the same.",
        _check_options,
        commands.cmd_check,
    ),
    _Command(
        "status",
        "print a record's label status",
        "Prints a record's label as of a date (default today), e.g. `SILVER, valid until 31 May"
        " 2028`; `--json` prints `label`, `state` (`valid`, `renewal`, `expired`, `none`),"
        " `valid_until`, `valid_since`, `renewable_until`, `level` and `as_of`.",
        _status_options,
        commands.cmd_status,
    ),
    _Command(
        "build",
        "check the records and build the site with MkDocs",
        "Checks the records exactly as `check` does, works out every label as of the date,"
        " writes the Markdown tree into a locked scratch folder beside the output and runs"
        " `mkdocs build --strict` on it. The output folder (default `site/`) is replaced only"
        " when all of that succeeded, and only if an earlier build made it (it carries a"
        " `.clusterdir-site` marker; a folder holding `.git` is never replaced). `--site-url`"
        " (or `$SITE_URL`) gives the published address, for absolute links in the feed and the"
        " sitemap.",
        _build_options,
        commands.cmd_build,
    ),
    _Command(
        "generate",
        "write the Markdown tree for MkDocs without building it",
        "Writes the build tree only (`mkdocs.yml`, `content/`, `overrides/`, and the cluster"
        " pages for the shell), for inspection or another engine (Zensical, ProperDocs; then"
        " `finish`).",
        _generate_options,
        commands.cmd_generate,
    ),
    _Command(
        "finish",
        "complete a site that another engine built from a generated tree",
        "After `zensical build` or `properdocs build` in a tree that `generate` wrote (and in each"
        " of its language folders, each built into the same folder of the site: see Languages),"
        " makes the cluster pages (with their status files and badges) from the rendered page"
        " shell, puts"
        " the sitemap and robots.txt in place of the engine's and indexes the site for search,"
        " as `build` does after MkDocs.",
        _finish_options,
        commands.cmd_finish,
    ),
    _Command(
        "serve",
        "preview the site with live reload",
        "Live preview of the site as `build` makes it, kept up to date when a record, a template"
        " or `mkdocs.yml` changes (pages reload themselves; a record's change rewrites only the"
        " files it changes, and search follows a few seconds later); keeps the last good version"
        " while one of them has an error.",
        _serve_options,
        commands.cmd_serve,
    ),
    _Command(
        "new",
        "write a new record",
        "Writes a new record named after the cluster (transliterated to ASCII), checked as"
        " `check` would; never overwrites.",
        _new_options,
        commands.cmd_new,
    ),
    _Command(
        "award",
        "add an award to a record and print its new status",
        "Adds an award at the end of `labels` in the file's own style, changing no other byte"
        " (or refusing, with what to do), with the record locked so that two runs at once both"
        " land; prints the new status.",
        _award_options,
        commands.cmd_award,
    ),
    _Command(
        "import-csv",
        "turn a CSV list of clusters into records",
        "Turns a CSV list into records; every data row is written or named with its line, and"
        " the summary adds them up (`11 rows: wrote 3 records, skipped 8 rows`); never"
        " overwrites.",
        _import_options,
        commands.cmd_import_csv,
    ),
    _Command(
        "report",
        "labels ending soon and labels in renewal, for the secretariat",
        "Lists the labels ending in the coming months, and those in renewal, soonest first.",
        _report_options,
        commands.cmd_report,
    ),
    _Command(
        "schema",
        "print or write the JSON Schema of a record",
        "Prints the records' JSON Schema, generated from the record model (committed as"
        " `schema/cluster.schema.json`), writes it, or checks that a file is current.",
        _schema_options,
        commands.cmd_schema,
    ),
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = _Parser(
        prog="clusterdir",
        description="Check the cluster records and build the directory of ECEI-labelled clusters.",
    )
    parser.add_argument("--version", action="version", version=f"clusterdir {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        options = sub.add_parser(
            command.name,
            help=command.help,
            description=command.description,
            formatter_class=_HelpFormatter,
        )
        command.options(options)
        options.set_defaults(func=command.run)
    return parser


def command_table(long: bool = True) -> str:
    """A Markdown table of every command: its synopsis and what it does (the description, or the
    one-line help with `long=False`). The README and the editors' guide hold it, made by cog."""
    parsers = _commands(build_parser())
    rows = ["| command | what it does |", "|---|---|"]
    for command in COMMANDS:
        usage = parsers[command.name].format_usage().removeprefix("usage: ").replace(" [-h]", "")
        usage = " ".join(usage.split()).replace("|", "\\|")  # a pipe would end the table's cell
        rows.append(f"| `{usage}` | {command.description if long else command.help} |")
    return "\n".join(rows) + "\n"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


# Options that hold text for a record or a page (not paths): they must be valid UTF-8.
_TEXT_OPTIONS = ("name", "country", "website", "city", "assessed", "valid_until", "site_url")


def _check_text_options(args: argparse.Namespace) -> None:
    """Refuse text that a non-UTF-8 terminal turned into undecodable bytes (surrogates)."""
    for key in _TEXT_OPTIONS:
        value = getattr(args, key, None)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                option = "--" + key.replace("_", "-")
                raise ClusterdirError(
                    f"{option} is not UTF-8 text: set the terminal to UTF-8; nothing was done"
                ) from None


def _readable_output() -> None:
    """Let any terminal show every message: characters its encoding lacks become escapes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None, restore_signals: bool = True) -> int:
    """Run the command line; errors become one line on stderr and exit code 1.

    Ctrl-C and SIGTERM stop a command cleanly until its result is in place, and change nothing
    after that (signals.py). As the program's entry point it keeps that to the end
    (`restore_signals=False`); called from Python, it puts the previous handlers back.
    """
    _readable_output()
    parser = build_parser()
    restore = signals.catch()
    try:
        args = parser.parse_args(argv)  # a --level reads the rules file: errors are one line
        func: Callable[[argparse.Namespace], int] = args.func
        _check_text_options(args)
        return func(args)
    except ClusterdirError as exc:
        say(f"clusterdir: error: {exc}", sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        say("clusterdir: interrupted", sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`clusterdir report | head`): stop quietly, also at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # the machine said no: a full disk, a missing permission
        named = f"{shown(exc.filename, None)}: " if exc.filename else ""
        say(f"clusterdir: error: {named}{exc.strerror or exc}", sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug of ours: one line for the user, the traceback on request
        if os.environ.get("CLUSTERDIR_DEBUG"):
            raise
        say(
            f"clusterdir: internal error: {type(exc).__name__}: {exc} "
            "(set CLUSTERDIR_DEBUG=1 to see the traceback, and please report it)",
            sys.stderr,
        )
        return 2
    finally:
        signals.decided()  # the outcome is decided, and printed: a late signal changes nothing
        if restore_signals:
            restore()
