"""The site in six languages beside the site in English alone: the same records, the same
project but for `extra.languages`, built turn about; prints a Markdown table of the medians and
exits 1 when a budget is missed.

    python benchmarks/bench_languages.py [--sizes sample 1300] [--runs 5]
    python benchmarks/bench_languages.py --sizes 10000 --english-only

Budgets (issue 22): at the sample and at 1,300 records the six languages build in less than
four times the English-only build; at 10,000 records English alone within 60 s. Each build is
`clusterdir build` in a process of its own, into an empty output folder, with a site address
(so the sitemap is made too); the two take turns (the one that goes first alternates), so that
a change in the machine's load falls on both. Besides the wall time, the table gives the CPU
time of the build and every process it started (user and system), which other work on the
machine changes less.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_records  # noqa: E402

RATIO_BELOW = 4.0  # the six languages' build over English alone's, at the sample and 1,300
ENGLISH_BUDGET_S = {10000: 60.0}
SIX = ["en", "de", "fr", "es", "it", "pl"]
AS_OF = "2026-11-25"
SITE_URL = "https://example.org/"
# Runs a build and prints its wall time and the CPU time of every process it started.
_TIMED = (
    "import json, os, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "wall = time.perf_counter() - t\n"
    "if r.returncode: print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr); sys.exit(1)\n"
    "c = os.times()\n"
    "print(json.dumps({'wall': wall, 'cpu': c.children_user + c.children_system}))\n"
)


def project(folder: Path, languages: list[str]) -> Path:
    """A copy of the project (mkdocs.yml and site_templates/) building `languages`."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config.setdefault("extra", {})["languages"] = languages
    folder.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    return folder


def timed_build(project: Path, data: Path, out: Path) -> dict[str, float]:
    """One `clusterdir build` into an empty `out`; its wall and CPU seconds and its pages."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "generator", "build", "--data", str(data), "--out", str(out)]
    command += ["--as-of", AS_OF, "--site-url", SITE_URL, "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", _TIMED, *command],
        capture_output=True,
        text=True,
        cwd=project,
        env=env,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"the build failed: {result.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(result.stdout)
    figures["pages"] = sum(1 for _ in out.rglob("*.html"))
    return figures


def records(scratch: Path, size: str) -> Path:
    """The sample records, or `size` synthetic ones written into the scratch folder."""
    if size == "sample":
        return ROOT / "clusters"
    data = scratch / f"records-{size}"
    write_records(data, int(size))
    return data


def main() -> int:
    """Build each size both ways, turn about, and print the table; exit 1 when over budget."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["sample", "1300"], help="'sample' or N")
    parser.add_argument("--runs", type=int, default=5, help="runs of each; the medians count")
    parser.add_argument("--english-only", action="store_true", help="build English alone")
    args = parser.parse_args()
    for size in args.sizes:
        if size != "sample" and not size.isdigit():
            parser.error(f"a size is 'sample' or a number of records, not {size!r}")
    kinds = {"English": ["en"]} if args.english_only else {"English": ["en"], "six": SIX}
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if args.english_only:
        print("| records | pages | English alone (s) | CPU (s) | budget |")
        print("|---|---:|---:|---:|---:|")
    else:
        print(
            "| records | pages (English, six) | English alone (s) | six languages (s) | ratio"
            " | budget | CPU, English (s) | CPU, six (s) | CPU ratio |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        projects = {kind: project(scratch / kind, codes) for kind, codes in kinds.items()}
        for size in args.sizes:
            data = records(scratch, size)
            runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
            for number in range(args.runs):
                order = list(kinds) if number % 2 == 0 else list(reversed(kinds))
                for kind in order:
                    runs[kind].append(timed_build(projects[kind], data, scratch / "site"))
            wall = {k: statistics.median(r["wall"] for r in runs[k]) for k in kinds}
            cpu = {k: statistics.median(r["cpu"] for r in runs[k]) for k in kinds}
            pages = {k: int(runs[k][0]["pages"]) for k in kinds}
            shown = "sample" if size == "sample" else f"{int(size):,}"
            if args.english_only:
                budget = ENGLISH_BUDGET_S.get(int(size)) if size.isdigit() else None
                print(
                    f"| {shown} | {pages['English']:,} | {wall['English']:.1f} | "
                    f"{cpu['English']:.1f} | {f'< {budget:.0f}' if budget else '-'} |",
                    flush=True,
                )
                if budget is not None and wall["English"] >= budget:
                    print(f"OVER BUDGET: at {shown} English alone takes {wall['English']:.1f} s")
                    ok = False
                continue
            ratio = wall["six"] / wall["English"]
            print(
                f"| {shown} | {pages['English']:,}, {pages['six']:,} | {wall['English']:.1f} | "
                f"{wall['six']:.1f} | {ratio:.2f} | < {RATIO_BELOW:.0f} | {cpu['English']:.1f} | "
                f"{cpu['six']:.1f} | {cpu['six'] / cpu['English']:.2f} |",
                flush=True,
            )
            if ratio >= RATIO_BELOW:
                print(f"OVER BUDGET: at {shown} six languages take {ratio:.2f}x English alone")
                ok = False
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
