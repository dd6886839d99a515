"""Weighs what key pages transfer in chromium, before compression: a first visit (empty cache)
and a visit that arrives from the home page (warm cache).

    python benchmarks/bench_weight.py

Budgets asked for the sample records: the home page with its map under 600 KB, a country page
under 150 KB.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser import Tally, browser, build_sample_site, serve_folder, transferred  # noqa: E402

PAGES = [
    ("home, with its map", "", 600),
    ("country page (Germany)", "countries/de/", 150),
    ("all clusters", "clusters/", None),
    ("a cluster page", "clusters/innovationsverbund-biotechnologie-rheinhessen/", None),
    ("the full map", "map/", None),
]


def main() -> int:
    """Build the sample site, serve it, weigh each key page cold and warm, print a table."""
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample_site(Path(tmp) / "site")
        print("| page | first visit (KB) | from the home page (KB) | budget (KB) |")
        print("|---|---:|---:|---:|")
        largest: dict[str, int] = {}
        tally = Tally()
        with serve_folder(site, tally) as base, browser() as chromium:
            for label, path, budget in PAGES:
                cold_context = chromium.new_context()
                cold, sizes = transferred(cold_context, base + path, tally)
                cold_context.close()
                for name, size in sizes.items():
                    largest[name] = max(size, largest.get(name, 0))
                warm_context = chromium.new_context()
                transferred(warm_context, base, tally)
                warm, _ = transferred(warm_context, base + path, tally)
                warm_context.close()
                print(f"| {label} | {cold / 1000:.0f} | {warm / 1000:.0f} | {budget or ''} |")
        print("\nlargest files:")
        for name, size in sorted(largest.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {size / 1000:7.0f} KB  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
