"""Our full build beside the floor, in the same run: MkDocs with Material on as many trivial pages
as our site has, plus Pagefind on them. Prints a Markdown table; exits 1 when a budget is missed.

    python benchmarks/bench_floor.py [--sizes 1300 10000] [--runs 1] [--english-only]

Budgets (on disk, on an idle machine): at 1,300 records our build is no slower than the floor;
at 10,000 at most 1.2 times the floor; our build's peak memory at 10,000 below 400 MB (the
largest of the build and every process it starts). The floor's pages have a title and a
sentence, a navigation as small as ours (the rest not in it, as ours are), our mkdocs.yml's
theme and features, and no plugin.
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
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_build import measure  # noqa: E402
from benchmarks.bench_languages import project  # noqa: E402
from benchmarks.synth import write_records  # noqa: E402

RATIO_AT = {1300: 1.0, 10000: 1.2}  # our build's time over the floor's, at most
PEAK_MB_AT = {10000: 400.0}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def floor_tree(folder: Path, pages: int) -> Path:
    """A MkDocs tree of `pages` trivial pages with our theme settings and a small navigation."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("extra_css", None)
    config.pop("extra_javascript", None)
    config["theme"].pop("custom_dir", None)
    config["theme"].pop("favicon", None)
    config["nav"] = [{"Home": "index.md"}]
    config["not_in_nav"] = "/p/\n"
    config["site_url"] = None
    content = folder / "content"
    (content / "p").mkdir(parents=True)
    (content / "index.md").write_text("# Home\n\nThe floor's home page.\n")
    for number in range(pages - 1):
        (content / "p" / f"{number}.md").write_text(
            f"---\ntitle: Page {number}\n---\n\n# Page {number}\n\nA trivial page, number {number}.\n"
        )
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def floor_seconds(tree: Path) -> float:
    """Wall seconds of `mkdocs build` and Pagefind on the floor's tree."""
    site = tree / "site"
    shutil.rmtree(site, ignore_errors=True)
    started = time.perf_counter()
    for command in (
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(tree / "mkdocs.yml")],
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)
        if result.returncode:
            raise SystemExit(f"the floor failed: {result.stdout[-2000:]} {result.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    """Run both builds at each size and print the table; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1300, 10000])
    parser.add_argument("--runs", type=int, default=1, help="runs of each; the median counts")
    parser.add_argument(
        "--english-only",
        action="store_true",
        help="build English alone (a copy of the project with extra.languages: [en])",
    )
    args = parser.parse_args()
    print("| clusters | pages | our build (s) | floor (s) | ratio | budget | peak memory (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        root = project(scratch / "english", ["en"]) if args.english_only else ROOT
        for size in args.sizes:
            data = scratch / f"records-{size}"
            write_records(data, size)
            ours: list[float] = []
            floor: list[float] = []
            peak = 0.0
            pages = 0
            tree: Path | None = None
            for _ in range(args.runs):
                out = scratch / f"site-{size}"
                figures = measure(data, out, root)
                ours.append(figures["wall"])
                peak = max(peak, figures["peak_mb"])
                pages = int(figures["pages"])
                shutil.rmtree(out, ignore_errors=True)
                if tree is None:
                    tree = floor_tree(scratch / f"floor-{size}", pages)
                floor.append(floor_seconds(tree))
            mine, base = statistics.median(ours), statistics.median(floor)
            ratio = mine / base
            budget = RATIO_AT.get(size)
            print(
                f"| {size:,} | {pages:,} | {mine:.1f} | {base:.1f} | {ratio:.2f} | "
                f"{'≤ ' + format(budget, '.1f') if budget else '-'} | {peak:.0f} |",
                flush=True,
            )
            if budget is not None and ratio > budget:
                print(f"OVER BUDGET: at {size:,} our build takes {ratio:.2f}x the floor")
                ok = False
            if size in PEAK_MB_AT and peak >= PEAK_MB_AT[size]:
                print(f"OVER BUDGET: at {size:,} the peak memory is {peak:.0f} MB")
                ok = False
            if tree is not None:
                shutil.rmtree(tree, ignore_errors=True)
    print(json.dumps({"machine load (1 min)": os.getloadavg()[0]}))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
