"""The commands behind `clusterdir`: each turns library results into lines and an exit code.

cli.py reads the command line and calls one of these with its arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build import signals
from generator.build.progress import Progress
from generator.build.project import Project
from generator.build.writer import (
    append_text_file,
    locked_record,
    replace_record,
    write_text_file,
    write_tree,
)
from generator.core.errors import (
    AlreadyExists,
    BuildInterrupted,
    ClusterdirError,
    Diagnostic,
    Severity,
    ValidationFailed,
    shown,
)
from generator.core.github import SUMMARY_BYTES, annotate, step_summary
from generator.core.months import as_of_or_today, parse_month
from generator.core.terminal import say, write_data
from generator.core.words import import_summary, info_summary
from generator.editing.awarding import add_award, normalised, with_future_award
from generator.editing.csvimport import plan_import
from generator.editing.drafts import Draft, Planned, existing, plan_new
from generator.editing.report import DEFAULT_WIDTH, as_csv, as_table, report_rows
from generator.editing.schema import SCHEMA_PATH, schema_text
from generator.labels.rules import load_rules, load_sectors
from generator.labels.status import describe, status
from generator.records.catalog import Catalog, load_catalog, load_record
from generator.records.checks import check_rules, without_eccp
from generator.records.places import unplaced_records
from generator.records.reader import MAX_LIST_BYTES, UnreadableFile, not_utf8, read_bytes
from generator.records.records import Vocabulary
from generator.site.directory import build_directory

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def _print_problems(catalog: Catalog, quiet: bool = False) -> None:
    for problem in catalog.diagnostics:
        if not (quiet and problem.severity is not Severity.ERROR):
            say(problem.format())


def _check_folder(folder: str | None, data: str | None) -> Path:
    """The records folder `check` reads: DIR or --data, which must agree when both are given."""
    if folder is not None and data is not None and Path(folder).resolve() != Path(data).resolve():
        raise ClusterdirError(
            f"'{folder}' and --data '{data}' are two folders: give the records folder once"
        )
    given = folder if folder is not None else data
    return Path(given if given is not None else "clusters")


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every record in a folder and print each problem, then a summary."""
    folder = _check_folder(args.folder, args.data)
    rules = load_rules()
    catalog = load_catalog(folder, rules, load_sectors(), as_of_or_today(args.as_of), args.strict)
    summary = catalog.summary()
    information: list[Diagnostic] = []
    if args.info:
        unplaced = unplaced_records(catalog.clusters)
        no_profile = without_eccp(catalog.clusters, rules)
        summary += info_summary(len(unplaced), len(no_profile))
        information = sorted(unplaced + no_profile, key=Diagnostic.sort_key)
    if args.format == "github":
        _annotate([*catalog.diagnostics, *information], summary)
    else:
        _print_problems(catalog)
        for problem in information:
            say(problem.format())
    say(summary)
    return EXIT_FAILED if catalog.failed(args.strict) else EXIT_OK


def _annotate(problems: list[Diagnostic], summary: str) -> None:
    """`check --format github`: an annotation per problem, and all of them in the step summary."""
    # The runner gives the checkout as GITHUB_WORKSPACE; elsewhere the working folder stands in.
    workspace = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    annotate(problems, workspace)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        path = Path(summary_file)
        # GitHub's size limit counts what earlier commands of the step wrote to the file.
        used = path.stat().st_size if path.is_file() else 0
        append_text_file(path, step_summary(problems, summary, workspace, SUMMARY_BYTES - used))


def _record_file(name: str) -> Path:
    path = Path(name)
    if not path.exists():
        raise ClusterdirError(f"no record file at {shown(path, None)}")
    return path


def cmd_status(args: argparse.Namespace) -> int:
    """Print one record's label status as of a date."""
    path = _record_file(args.file)
    rules = load_rules()
    as_of = as_of_or_today(args.as_of)
    # A link given here must stay in the working folder: a planted link to a secret must not be
    # quoted back in an error message.
    vocab = Vocabulary(rules.level_ids, load_sectors(), rules.body_ids)
    cluster, problems = load_record(path, vocab, Path.cwd(), "the working folder")
    if cluster is None:
        for problem in problems:
            say(problem.format(), sys.stderr)
        return EXIT_FAILED
    st = status(cluster.awards, rules, as_of)
    if args.json:
        data = {"id": cluster.id, "name": cluster.name, **st.as_json()}
        write_data(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        say(describe(st, rules))
    return EXIT_OK


def _project() -> Project:
    # The site's configuration and templates: the working folder when it has them (a checkout),
    # else the folder the package was installed from in editable mode.
    here = Path.cwd()
    # lexists: a checkout's mkdocs.yml is this project's whatever it is (a link, a FIFO), and the
    # build refuses it with its path (project.check_project) rather than use another project's.
    if os.path.lexists(here / "mkdocs.yml") and os.path.lexists(here / "site_templates"):
        return Project(here)
    return Project(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """What `build` and `generate` take from the shared site options."""

    project: Project
    data_dir: Path
    as_of: dt.date
    strict: bool
    site_url: str | None


def _site(args: argparse.Namespace) -> SiteOptions:
    """The shared site options of `build` and `generate`, read from their arguments."""
    return SiteOptions(
        project=_project(),
        data_dir=Path(args.data),
        as_of=as_of_or_today(args.as_of),
        strict=args.strict,
        site_url=args.site_url,
    )


def _report_failure(exc: ValidationFailed, outcome: str = "nothing was built") -> int:
    for problem in exc.diagnostics:
        say(problem.format())
    say(f"clusterdir: error: {exc}; {outcome}", sys.stderr)
    return EXIT_FAILED


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site into the output folder, replacing it only when everything succeeded."""
    from generator.build.build import build  # MkDocs, Jinja and folium: loaded only to build

    progress = Progress(quiet=args.quiet)
    try:
        site = _site(args)
        summary = build(
            site.project,
            site.data_dir,
            Path(args.out),
            site.as_of,
            site.strict,
            progress,
            site.site_url,
        )
    except ValidationFailed as exc:
        return _report_failure(exc)
    except BuildInterrupted as exc:
        # The exit status says whether the new site is in place: 0 if it is, 130 if not.
        say(f"clusterdir: {exc}", sys.stderr)
        return EXIT_OK if exc.replaced else EXIT_INTERRUPTED
    progress.done(summary)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    """Write the Markdown build tree (mkdocs.yml, content/, overrides/) without running MkDocs."""
    from generator.build.build import check_output_place, generate

    progress = Progress(quiet=args.quiet)
    out = Path(args.out)
    check_output_place(_project(), Path(args.data), out)
    if out.exists() and not out.is_dir():
        raise ClusterdirError(
            f"{shown(out, None)} is not a folder: generate writes into a new or empty folder"
        )
    if out.exists() and any(out.iterdir()):
        raise ClusterdirError(
            f"{shown(out, None)} is not empty: generate writes into a new or empty folder"
        )
    try:
        site = _site(args)
        generated = generate(
            site.project, site.data_dir, site.as_of, site.strict, progress, site.site_url
        )
    except ValidationFailed as exc:
        return _report_failure(exc)
    named = shown(out, None, quoted=False)
    try:
        write_tree(out, generated.files)
    except ClusterdirError as exc:
        raise ClusterdirError(f"{exc}; the tree in {named}/ is incomplete") from None
    except KeyboardInterrupt:
        # What was written stays (generate removes nothing): say so, or the next run's "is not
        # empty" is the first the user hears of it.
        say(f"clusterdir: interrupted: the tree in {named}/ is incomplete", sys.stderr)
        return EXIT_INTERRUPTED
    progress.done(f"Wrote the build tree to {named}/: {generated.directory.headline}")
    return EXIT_OK


def cmd_finish(args: argparse.Namespace) -> int:
    """Complete a site that another engine built from a generated tree."""
    from generator.build.finish import finish

    tree, site = Path(args.tree), Path(args.site)
    for folder, what in ((tree, "--tree"), (site, "--site")):
        if not folder.is_dir():
            raise ClusterdirError(f"{what} {shown(folder, None)} is not a folder")
    named = shown(site, None, quoted=False)
    try:
        finish(tree, site)
    except ValidationFailed as exc:  # links, FIFOs, bad lines: each named, nothing written
        return _report_failure(exc, f"{named} is not finished")
    except KeyboardInterrupt:
        # Some cluster pages may be written: a second finish would refuse to replace them.
        say(
            f"clusterdir: interrupted: {named} is not finished and may hold some of its cluster"
            " pages: build it again with the engine, then run finish",
            sys.stderr,
        )
        return EXIT_INTERRUPTED
    say(f"Finished {named}/: cluster pages, sitemap and search index", sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Preview the site with live reload, regenerating it when a record or template changes."""
    from generator.build.serve import serve

    return serve(_project(), Path(args.data), args.as_of, args.strict, args.dev_addr, args.site_url)


def _vocabulary() -> Vocabulary:
    rules = load_rules()
    return Vocabulary(rules.level_ids, load_sectors(), rules.body_ids)


def _print_warnings(problems: Sequence[Diagnostic]) -> None:
    for problem in problems:
        say(problem.format(), sys.stderr)


def _month_option(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(parse_month(value))
    except ValueError as exc:
        raise ClusterdirError(f"{name}: {exc}") from None


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new record with a file name made from the cluster's name; never overwrite."""
    if bool(args.level) != bool(args.assessed):
        raise ClusterdirError("give --level and --assessed together, or neither")
    vocab = _vocabulary()
    data = Path(args.data)
    if data.exists() and not data.is_dir():
        raise ClusterdirError(
            f"{shown(data, None)} is not a folder: give the records folder with --data"
        )
    draft = Draft(
        name=args.name,
        country=args.country,
        website=args.website,
        city=args.city,
        level=args.level,
        assessed=_month_option("--assessed", args.assessed),
    )
    planned = plan_new(draft, data, _project().root / SCHEMA_PATH, vocab, existing(data, vocab))
    write_text_file(planned.path, planned.text, placed=signals.decided, inside=data)
    named = shown(planned.path, None, quoted=False)
    say(named)
    _print_warnings(planned.warnings)
    todo = [k for k, given in (("website", args.website), ("labels", args.level)) if not given]
    if todo:
        say(f"Now fill in {' and '.join(todo)} in {named}, then run: clusterdir check", sys.stderr)
    return EXIT_OK


def cmd_award(args: argparse.Namespace) -> int:
    """Append an award to a record, keeping every other byte, and print the new status."""
    path = _record_file(args.file)
    rules = load_rules()
    award = normalised(args.level, args.assessed, args.valid_until)
    as_of = as_of_or_today(args.as_of)
    with locked_record(path, inside=Path.cwd()) as record:
        text, cluster = add_award(path, record.data, award, _vocabulary())
        replace_record(record, text, placed=signals.decided)
    warnings = [p for p in check_rules(cluster, rules, as_of) if p.severity is Severity.WARNING]
    _print_warnings(with_future_award(warnings, cluster, award, as_of))
    say(
        f"{shown(path, None, quoted=False)}: {describe(status(cluster.awards, rules, as_of), rules)}"
    )
    return EXIT_OK


def cmd_import_csv(args: argparse.Namespace) -> int:
    """Turn a CSV list into records; report every row that cannot be mapped; never overwrite."""
    source = Path(args.file)
    try:
        raw = read_bytes(source, Path.cwd(), MAX_LIST_BYTES, "the working folder")
    except UnreadableFile as exc:
        raise ClusterdirError(f"{shown(source, None, quoted=False)}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClusterdirError(not_utf8(source, raw, exc)) from None
    rules, vocab, data = load_rules(), _vocabulary(), Path(args.data)
    if data.exists() and not data.is_dir():
        raise ClusterdirError(
            f"{shown(data, None)} is not a folder: give the records folder with --data"
        )
    first = min(level.first_validity_months for level in rules.levels)
    plan = plan_import(
        text, str(source), data, _project().root / SCHEMA_PATH, vocab, first, existing(data, vocab)
    )
    skipped = list(plan.skipped)
    written, interrupted = _write_planned(plan.planned, skipped, args.dry_run, data)
    named = shown(source, None, quoted=False)
    for line, reason in sorted(skipped):
        say(f"skipped {named}:{line}: {reason}", sys.stderr)
    count = len(plan.planned) if args.dry_run else written
    say(import_summary(plan.rows, count, len(skipped), args.dry_run))
    if interrupted:
        say(
            "clusterdir: interrupted: the rows above that were not written can be imported again",
            sys.stderr,
        )
        return EXIT_INTERRUPTED
    return EXIT_FAILED if skipped else EXIT_OK


def _write_planned(
    planned: Sequence[tuple[int, Planned]],
    skipped: list[tuple[int, str]],
    dry_run: bool,
    data_dir: Path,
) -> tuple[int, bool]:
    """Write the planned records, adding every row not written to `skipped`; return how many
    were written and whether Ctrl-C stopped it (the rest are then reported, not lost)."""
    written = 0
    failure: str | None = None
    for position, (line, record) in enumerate(planned):
        if dry_run:
            say(f"would write {shown(record.path, None, quoted=False)}")
            continue
        if failure is not None:
            skipped.append((line, f"not written: {failure}"))
            continue
        try:
            # A Ctrl-C that came while the row before was put in place stops the import here:
            # that row counts as written, as it was.
            signals.reopen()
            write_text_file(record.path, record.text, placed=signals.decided, inside=data_dir)
        except ClusterdirError as exc:
            if not isinstance(exc, AlreadyExists):  # another's new file: only this row is lost
                failure = str(exc)  # a disk or permission error: the rest would fail too
            skipped.append((line, str(exc).removesuffix(": nothing was written")))
            continue
        except KeyboardInterrupt:
            skipped.extend((n, "not written: interrupted") for n, _ in planned[position:])
            return written, True
        say(f"wrote {shown(record.path, None, quoted=False)}")
        written += 1
    return written, False


def cmd_report(args: argparse.Namespace) -> int:
    """List labels that end in the coming months and labels in their renewal period."""
    rules = load_rules()
    as_of = as_of_or_today(args.as_of)
    catalog = load_catalog(Path(args.data), rules, load_sectors(), as_of)
    for problem in catalog.diagnostics:
        if problem.severity is Severity.ERROR:
            say(problem.format(), sys.stderr)
    rows = report_rows(build_directory(catalog.clusters, rules, as_of), args.months)
    if args.format == "csv":
        write_data(as_csv(rows))
    else:
        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
        for line in as_table(rows, as_of, args.months, width).removesuffix("\n").split("\n"):
            say(line)
    return EXIT_FAILED if catalog.failed(False) else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the records' JSON Schema, write it to a file, or check that the file is current."""
    text = schema_text(_vocabulary())
    if args.check:
        path = Path(args.check)
        try:
            current = read_bytes(path).decode("utf-8")
        except (UnreadableFile, UnicodeDecodeError):
            current = None
        if current != text:
            named = shown(path, None, quoted=False)
            say(f"{named} is out of date: run `clusterdir schema --out {named}`", sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    if args.out:
        write_text_file(Path(args.out), text, replace=True, placed=signals.decided)
        return EXIT_OK
    write_data(text)
    return EXIT_OK
