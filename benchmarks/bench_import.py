"""Times `clusterdir import-csv` of 10,000 rows into an empty records folder and into one that
holds 10,000 records already (the time must grow with the rows, not with their square)."""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synth import COUNTRIES, write_records

BUDGET_S = 30.0  # "seconds, not minutes", for 10,000 rows on the 2-core machine


def write_list(path: Path, count: int) -> None:
    """A CSV list of `count` new clusters, with the quotes and separators lists have."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(["Name", "Country", "City", "www", "Label", "Label valid until"])
        for i in range(count):
            writer.writerow(
                [
                    f'Imported Cluster {i:05d} "Nord"; l\'Ouest',
                    COUNTRIES[i % len(COUNTRIES)],
                    f"Town {i % 97}",
                    f"https://imported-{i:05d}.example.org/",
                    ("BRONZE", "SILVER", "GOLD")[i % 3],
                    f"31.{(i % 12) + 1:02d}.2027" if i % 12 + 1 != 2 else "28.02.2027",
                ]
            )


def run(rows: int, existing: int) -> tuple[float, str]:
    """Import `rows` rows into a folder holding `existing` records; return seconds and summary."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "clusters"
        folder.mkdir()
        if existing:
            write_records(folder, existing)
        source = Path(tmp) / "list.csv"
        write_list(source, rows)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "generator", "import-csv", str(source), "--data", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            print(result.stderr[-2000:])
            raise SystemExit(1)
        return elapsed, result.stdout.strip().splitlines()[-1]


def main() -> int:
    """Import 1,000 and 10,000 rows; print the times and whether they grow linearly."""
    figures = {}
    for rows, existing in ((1_000, 0), (10_000, 0), (10_000, 10_000)):
        seconds, summary = run(rows, existing)
        figures[(rows, existing)] = seconds
        print(f"import-csv, {rows:,} rows into {existing:,} records: {seconds:.1f} s ({summary})")
    ratio = figures[(10_000, 0)] / figures[(1_000, 0)]
    within = figures[(10_000, 10_000)] < BUDGET_S
    print(
        f"10,000 rows take {ratio:.1f} times as long as 1,000 (linear: about 10); "
        f"{'within' if within else 'OVER'} the {BUDGET_S:.0f} s budget"
    )
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
