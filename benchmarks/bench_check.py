"""Times `clusterdir check` on 10,000 synthetic records (budget: under 3 s on the 2-core machine)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synth import write_records

BUDGET_S = 3.0


def main(count: int = 10_000, runs: int = 3) -> int:
    """Generate the records, run check `runs` times, print the times; exit 1 over budget."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "clusters"
        write_records(folder, count)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "generator", "check", str(folder), "--as-of", "2026-11-25"],
                capture_output=True,
                text=True,
                check=False,
            )
            times.append(time.perf_counter() - start)
            if result.returncode != 0:
                print(result.stdout[-2000:], result.stderr[-2000:])
                return 1
        summary = result.stdout.strip().splitlines()[-1]
    best, median = min(times), statistics.median(times)
    verdict = "within" if median < BUDGET_S else "OVER"
    print(
        f"check, {count:,} records: best {best:.2f} s, median {median:.2f} s of {runs} runs "
        f"({summary}); {verdict} the {BUDGET_S:.0f} s budget"
    )
    return 0 if median < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
