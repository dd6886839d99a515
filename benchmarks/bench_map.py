"""Times making the map and weighs the map page with its data and scripts.

    python benchmarks/bench_map.py

Budgets: the map page with its data is at most 500 KB for the sample records and 1.5 MB for
10,000 clusters; making it takes under 1 s for 10,000. "With its data" is what /map/ loads:
the page, its scripts and styles, the detailed shapes and the markers. The home page's
overview loads less (the light shapes, no markercluster, no markers): `make bench-weight`.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_records  # noqa: E402
from generator.build.project import load_boundary_files, vendor_files  # noqa: E402
from generator.build.settings import MapSettings  # noqa: E402
from generator.labels.rules import load_rules, load_sectors  # noqa: E402
from generator.records.catalog import load_catalog  # noqa: E402
from generator.records.places import positions  # noqa: E402
from generator.site.directory import build_directory  # noqa: E402
from generator.site.mapview import map_data, map_files  # noqa: E402

AS_OF = dt.date(2026, 11, 25)
SCRIPTS = (
    "assets/vendor/leaflet/leaflet.js",
    "assets/vendor/leaflet/leaflet.css",
    "assets/vendor/leaflet.markercluster/leaflet.markercluster.js",
    "assets/vendor/leaflet.markercluster/MarkerCluster.css",
)


def measure(folder: Path, label: str, budget_kb: float) -> bool:
    """Print the time to make the map and its weight; return whether both are in budget."""
    rules = load_rules()
    catalog = load_catalog(folder, rules, load_sectors(), AS_OF)
    directory = build_directory(catalog.clusters, rules, AS_OF)
    boundaries, boundary_files = load_boundary_files(ROOT / "site_templates" / "data")
    start = time.perf_counter()
    where = positions(e.cluster for e in directory.labelled)
    made = {
        f.path: f.data
        for f in map_files(map_data(directory, boundaries, where), MapSettings(), boundary_files)
    }
    seconds = time.perf_counter() - start
    # The framed document carries the same data block and loads the same files as /map/ (a
    # page of the site, whose theme every page shares).
    document = made["map/frame.html"] + made["map/markers.json"] + made["map/countries.topo.json"]
    vendor = {f.path: len(f.data) for f in vendor_files()}
    own = sum(
        (ROOT / "site_templates" / p).stat().st_size for p in ("assets/map.js", "assets/map.css")
    )
    total_kb = (len(document) + sum(vendor[p] for p in SCRIPTS) + own) / 1000
    ok = total_kb <= budget_kb and seconds < 1.0
    print(
        f"| {label} | {len(directory.labelled):,} | {seconds:.2f} | {len(document) / 1000:.0f} | "
        f"{total_kb:.0f} | {budget_kb:.0f} | {'ok' if ok else 'OVER'} |"
    )
    return ok


def main() -> int:
    """Measure the sample records and 10,000 synthetic clusters."""
    print(
        "| records | labelled clusters | making the map (s) | page, shapes and markers (KB) | with scripts and styles (KB) | budget (KB) | |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    ok = measure(ROOT / "clusters", "sample", 500)
    with tempfile.TemporaryDirectory() as tmp:
        write_records(Path(tmp), 10_000)
        ok = measure(Path(tmp), "synthetic", 1500) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
