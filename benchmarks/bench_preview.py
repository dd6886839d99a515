"""How long the preview takes from saving a record to serving the change, on the cluster's page
and on its country's page. Prints a Markdown table; exits 1 when a budget is missed.

    python benchmarks/bench_preview.py [--sizes 1300 10000] [--edits 7]

A `clusterdir serve` runs on synthetic records; each edit renames the city of a cluster on the
first page of its country's list (saved as editors save: a new file renamed over the old), and
both pages are asked for until the new city shows. Between edits the preview is left to finish
(its search index included). Budgets: the median at most 1 s at 1,300 records and 2 s at 10,000,
for each page.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_records  # noqa: E402

BUDGET_S = {1300: 1.0, 10000: 2.0}
CLUSTER = "synthetic-cluster-00000"  # in AT, the first by name: on page 1 of countries/at/
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


class Preview:
    """A `clusterdir serve` child process and the lines it prints."""

    def __init__(self, data: Path, temp: Path) -> None:
        command = [sys.executable, "-m", "generator", "serve", "--data", str(data)]
        command += ["--as-of", "2026-11-25", "--dev-addr", "127.0.0.1:0"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**ENV, "TMPDIR": str(temp)}, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, start: str, seconds: float = 1200) -> str:
        """The next line that starts with `start`."""
        deadline = time.monotonic() + seconds
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith(start):
                return line
            if "error" in line:
                raise SystemExit(f"the preview failed: {line}")

    def stop(self) -> None:
        """Stop it as Ctrl-C does."""
        self.process.send_signal(2)
        self.process.wait(timeout=900)  # it removes its folder: 40,000 files at 10,000


def _page(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    finally:
        connection.close()


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def measure(size: int, edits: int, scratch: Path) -> tuple[list[float], list[float]]:
    """Seconds from each save to the new city on the cluster's page and on its country's."""
    data = scratch / f"records-{size}"
    write_records(data, size)
    temp = scratch / f"tmp-{size}"
    temp.mkdir()
    record = data / "at" / f"{CLUSTER}.yaml"
    original = record.read_text(encoding="utf-8")
    preview = Preview(data, temp)
    cluster_times: list[float] = []
    country_times: list[float] = []
    try:
        port = int(preview.wait_for("Previewing at").split()[2].rstrip("/").rpartition(":")[2])
        for number in range(edits):
            city = f"Edited Town {size} {number}".encode()
            _save(record, original.replace("city: Town 0\n", f"city: {city.decode()}\n"))
            saved = time.perf_counter()
            seen: dict[str, float] = {}
            while len(seen) < 2:
                for name, path in (
                    ("cluster", f"/clusters/{CLUSTER}/"),
                    ("country", "/countries/at/"),
                ):
                    if name not in seen and city in _page(port, path):
                        seen[name] = time.perf_counter() - saved
                time.sleep(0.01)
            cluster_times.append(seen["cluster"])
            country_times.append(seen["country"])
            preview.wait_for("Search is up to date")  # the next edit does not share the machine
    finally:
        preview.stop()
    return cluster_times, country_times


def main() -> int:
    """Measure at each size, print the table; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1300, 10000])
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    print(
        "| clusters | cluster page: median (s) | max (s) | country page: median (s) | max (s) | budget (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            cluster, country = measure(size, args.edits, Path(tmp))
            budget = BUDGET_S.get(size)
            print(
                f"| {size:,} | {statistics.median(cluster):.2f} | {max(cluster):.2f} | "
                f"{statistics.median(country):.2f} | {max(country):.2f} | "
                f"{format(budget, '.1f') if budget else '-'} |",
                flush=True,
            )
            if (
                budget is not None
                and max(statistics.median(cluster), statistics.median(country)) > budget
            ):
                print(f"OVER BUDGET at {size:,} records")
                ok = False
    print(f"machine load (1 min): {os.getloadavg()[0]:.1f}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
