"""Builds synthetic sets of clusters and prints wall time, peak memory and site size for each.

    python benchmarks/bench_build.py [--sizes 188 1000 10000] [--naive-up-to 1000]

Budgets on the 2-core machine: 10,000 clusters build in under 60 s, and 10,000 take no more than
12 times as long as 1,000. For comparison, the same pages are also built the naive way (every
page in the navigation, no pruning) up to --naive-up-to clusters: that way grows with the
square of the page count.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_records  # noqa: E402

BUDGET_10K_S = 60.0
MAX_GROWTH = 12.0


def naive_project(folder: Path) -> Path:
    """A copy of the project whose mkdocs.yml puts every page into the navigation."""
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    lines = (ROOT / "mkdocs.yml").read_text().splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith(("nav:", "not_in_nav:")):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        if "navigation.prune" not in line:
            kept.append(line)
    (folder / "mkdocs.yml").write_text("".join(kept))
    return folder


def measure(data: Path, out: Path, project: Path) -> dict[str, float]:
    """Run one build in a child process; return wall seconds, peak MB of any process, site MB."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "if r.returncode: print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr); sys.exit(1)\n"
        "print(json.dumps({'wall': wall, 'peak': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--data",
        str(data),
        "--out",
        str(out),
        "--as-of",
        "2026-11-25",
        "--quiet",
    ]
    result = subprocess.run(
        [sys.executable, "-c", code, *command],
        capture_output=True,
        text=True,
        cwd=project,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"build failed: {result.stderr[-2000:]}")
    figures = json.loads(result.stdout)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "wall": figures["wall"],
        "peak_mb": figures["peak"] / 1024,
        "site_mb": size / 1e6,
        "pages": sum(1 for _ in out.rglob("index.html")),
    }


def main() -> int:
    """Run the benchmark and print a Markdown table; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[188, 1000, 10000])
    parser.add_argument(
        "--naive-up-to", type=int, default=1000, help="largest set also built the naive way"
    )
    args = parser.parse_args()
    print("| clusters | pages | build (s) | peak memory (MB) | site size (MB) | naive build (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    walls: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        naive = naive_project(scratch / "naive")
        for size in args.sizes:
            data = scratch / f"records-{size}"
            write_records(data, size)
            figures = measure(data, scratch / f"site-{size}", ROOT)
            walls[size] = figures["wall"]
            naive_wall = "not run"
            if size <= args.naive_up_to:
                naive_wall = f"{measure(data, scratch / f'naive-{size}', naive)['wall']:.1f}"
            print(
                f"| {size:,} | {figures['pages']:,} | {figures['wall']:.1f} | {figures['peak_mb']:.0f} | "
                f"{figures['site_mb']:.1f} | {naive_wall} |",
                flush=True,
            )
            shutil.rmtree(scratch / f"site-{size}", ignore_errors=True)
    ok = True
    if 10000 in walls and walls[10000] >= BUDGET_10K_S:
        print(
            f"OVER BUDGET: 10,000 clusters took {walls[10000]:.1f} s (budget {BUDGET_10K_S:.0f} s)"
        )
        ok = False
    if 1000 in walls and 10000 in walls:
        growth = walls[10000] / walls[1000]
        print(f"growth 1,000 -> 10,000: {growth:.1f}x (budget {MAX_GROWTH:.0f}x)")
        ok = ok and growth <= MAX_GROWTH
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
