"""The `clusterdir` command line: a thin shell that turns library results into lines and exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__
from generator.catalog import Catalog, load_catalog, load_record
from generator.errors import ClusterdirError, Severity
from generator.months import long_date, parse_date
from generator.records import Vocabulary
from generator.rules import Rules, load_rules, load_sectors
from generator.status import State, Status, status

EXIT_OK, EXIT_FAILED = 0, 1


def _as_of(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _today() -> dt.date:
    # The one place the clock is read: the default as-of date is today's, in UTC.
    return dt.datetime.now(dt.UTC).date()


def describe(st: Status, rules: Rules) -> str:
    """A status in one sentence, e.g. 'SILVER, valid until 31 May 2028'."""
    if st.state is State.VALID:
        assert st.label and st.valid_until
        return f"{rules.level(st.label).name}, valid until {long_date(st.valid_until)}"
    if st.state is State.NONE:
        return "No label yet"
    assert st.level_of_record and st.valid_until and st.renewable_until
    name = rules.level(st.level_of_record).name
    if st.state is State.RENEWAL:
        return (
            f"No valid label: {name} ended {long_date(st.valid_until)}, "
            f"renewable until {long_date(st.renewable_until)}"
        )
    return f"No valid label: {name} ended {long_date(st.valid_until)}, expired"


def _print_problems(catalog: Catalog, quiet: bool = False) -> None:
    for problem in catalog.diagnostics:
        if not (quiet and problem.severity is not Severity.ERROR):
            print(problem.format())


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every record in a folder and print each problem, then a summary."""
    rules = load_rules()
    catalog = load_catalog(
        Path(args.data), rules, load_sectors(), args.as_of or _today(), args.strict
    )
    _print_problems(catalog)
    print(catalog.summary())
    return EXIT_FAILED if catalog.failed(args.strict) else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Print one record's label status as of a date."""
    path = Path(args.file)
    if not path.is_file():
        raise ClusterdirError(f"no record file at '{path}'")
    rules = load_rules()
    as_of = args.as_of or _today()
    cluster, problems = load_record(path, Vocabulary(rules.level_ids, load_sectors()))
    if cluster is None:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_FAILED
    st = status(cluster.awards, rules, as_of)
    if args.json:
        print(
            json.dumps(
                {"id": cluster.id, "name": cluster.name, **st.as_json()},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(describe(st, rules))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="clusterdir",
        description="Check the cluster records and build the directory of ECEI-labelled clusters.",
    )
    parser.add_argument("--version", action="version", version=f"clusterdir {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate every record and report each problem")
    check.add_argument(
        "data",
        nargs="?",
        default="clusters",
        metavar="DIR",
        help="records folder (default: clusters)",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="the build date (default: today)"
    )
    check.set_defaults(func=cmd_check)

    stat = sub.add_parser("status", help="print a record's label status")
    stat.add_argument("file", metavar="FILE", help="a record file")
    stat.add_argument(
        "--as-of", type=_as_of, metavar="YYYY-MM-DD", help="the date (default: today)"
    )
    stat.add_argument("--json", action="store_true", help="print a JSON object")
    stat.set_defaults(func=cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors become one line on stderr and exit code 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ClusterdirError as exc:
        print(f"clusterdir: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("clusterdir: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug of ours: one line for the user, the traceback on request
        if os.environ.get("CLUSTERDIR_DEBUG"):
            raise
        print(
            f"clusterdir: internal error: {type(exc).__name__}: {exc} "
            "(set CLUSTERDIR_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 2
