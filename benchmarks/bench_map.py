"""What /map/ costs a visitor at 1,300 and 10,000 clusters: bytes on a first visit and the
largest contentful paint on a phone, and the time to make the map's data.

    python benchmarks/bench_map.py [--sizes 1300 10000] [--runs 5]

Per size it writes synthetic records (`benchmarks/synth.py`), builds the site with `clusterdir
build`, serves it from a server that counts the bytes it sends (`tests/browser.py`'s Tally) and
opens /map/ in chromium with an empty cache:

- first visit: the bytes of every response body (before compression) until the map's first
  view is drawn (`data-ready`) and the network is idle, on a desktop (1280×720) and on a phone
  (390×844);
- LCP: the largest contentful paint (PerformanceObserver 'largest-contentful-paint') on a phone
  profile: 390×844 at 3× pixels, touch, the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate),
  the median of `--runs` cold loads;
- making the map: map_data and map_files, without the rest of the build.

Budgets: the first visit at the largest size at most 1.5 times the first (1,300), on both
screens; its LCP no worse than at the first size, within noise (the larger of 10 % and 100 ms).
The benchmark exits non-zero when one is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_records  # noqa: E402
from tests.browser import Tally, browser, serve_folder  # noqa: E402

AS_OF = "2026-11-25"
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
WEIGHT_BUDGET = 1.5  # the largest size's first visit, against the first size's
LCP_NOISE = (0.10, 100.0)  # relative, and absolute in ms: the larger is allowed
# Kept from the first load to the end of the visit: the latest candidate, and its element.
LCP_OBSERVER = (
    "window.__lcp = null; new PerformanceObserver((list) => { for (const e of list.getEntries())"
    " { const el = e.element; window.__lcp = {ms: e.startTime, size: e.size, element: el ?"
    " el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' +"
    " el.className.trim().split(/\\s+/).join('.') : '') : ''}; } })"
    ".observe({type: 'largest-contentful-paint', buffered: true});"
)
READY = ".folium-map[data-ready=true]"


def build(data: Path, out: Path) -> float:
    """Build a site with `clusterdir build`; return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--data",
            str(data),
            "--out",
            str(out),
            "--as-of",
            AS_OF,
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - start


def making_the_map(data: Path) -> float:
    """Seconds to make the map's data and files from checked records."""
    from generator.build.project import load_boundary_files
    from generator.build.settings import MapSettings
    from generator.labels.rules import load_rules, load_sectors
    from generator.records.catalog import load_catalog
    from generator.records.places import positions
    from generator.site.directory import build_directory
    from generator.site.mapview import map_data, map_files

    rules = load_rules()
    as_of = dt.date.fromisoformat(AS_OF)
    directory = build_directory(
        load_catalog(data, rules, load_sectors(), as_of).clusters, rules, as_of
    )
    boundaries, boundary_files = load_boundary_files(ROOT / "site_templates" / "data")
    start = time.perf_counter()
    where = positions(e.cluster for e in directory.labelled)
    map_files(map_data(directory, boundaries, where), MapSettings(), boundary_files)
    return time.perf_counter() - start


def first_visit(chromium, url: str, tally: Tally, viewport: dict[str, int]) -> dict[str, int]:
    """Bytes by path that /map/ fetches on a first visit until its first view is drawn."""
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    tally.take()
    page.goto(url)
    page.locator(READY).wait_for()
    page.wait_for_load_state("networkidle")
    context.close()
    return tally.take()


def phone_lcp(chromium, url: str) -> dict:
    """The largest contentful paint of a cold load of `url` on a slow phone."""
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.add_init_script(LCP_OBSERVER)
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url)
    page.locator(READY).wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    lcp = page.evaluate("window.__lcp")
    ready_ms = page.evaluate("performance.now()")
    context.close()
    return {**lcp, "ready": ready_ms}


def measure(label: str, data: Path, work: Path, chromium, runs: int) -> dict:
    """Build one size and measure /map/ on it."""
    site = work / f"site-{label}"
    seconds = build(data, site)
    tally = Tally()
    with serve_folder(site, tally) as base:
        url = base + "map/"
        desktop = first_visit(chromium, url, tally, DESKTOP)
        phone = first_visit(chromium, url, tally, PHONE)
        paints = [phone_lcp(chromium, url) for _ in range(runs)]
    return {
        "label": label,
        "build_s": seconds,
        "map_s": making_the_map(data),
        "desktop_kb": sum(desktop.values()) / 1000,
        "phone_kb": sum(phone.values()) / 1000,
        "desktop_files": desktop,
        "lcp_ms": statistics.median(p["ms"] for p in paints),
        "lcp_all": [round(p["ms"]) for p in paints],
        "lcp_element": paints[-1]["element"],
        "ready_ms": statistics.median(p["ready"] for p in paints),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure each size; print a table and the ratios; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1300, 10_000])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per LCP median")
    parser.add_argument("--files", action="store_true", help="list each size's largest files")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, browser() as chromium:
        work = Path(tmp)
        for size in args.sizes:
            data = work / f"records-{size}"
            write_records(data, size)
            rows.append(measure(f"{size:,}", data, work, chromium, args.runs))
    first = rows[0]
    print(
        "| clusters | /map/ first visit, desktop | phone | phone LCP (median) | LCP runs"
        " | map drawn (phone) | LCP element | making the map | build |"
    )
    print("|---|---:|---:|---:|---|---:|---|---:|---:|")
    for r in rows:
        ratio = "" if r is first else f" ({r['desktop_kb'] / first['desktop_kb']:.2f}×)"
        phone_ratio = "" if r is first else f" ({r['phone_kb'] / first['phone_kb']:.2f}×)"
        lcp_ratio = "" if r is first else f" ({r['lcp_ms'] / first['lcp_ms']:.2f}×)"
        print(
            f"| {r['label']} | {r['desktop_kb']:.0f} KB{ratio} | {r['phone_kb']:.0f} KB{phone_ratio}"
            f" | {r['lcp_ms']:.0f} ms{lcp_ratio} | {', '.join(map(str, r['lcp_all']))}"
            f" | {r['ready_ms']:.0f} ms | `{r['lcp_element']}` | {r['map_s']:.2f} s"
            f" | {r['build_s']:.0f} s |"
        )
    if args.files:
        for r in rows:
            print(f"\n{r['label']}, desktop, largest files:")
            ranked = sorted(r["desktop_files"].items(), key=lambda kv: -kv[1])[:10]
            for name, size in ranked:
                print(f"  {size / 1000:7.1f} KB  {name}")
    failures = []
    for r in rows[1:]:
        for screen in ("desktop", "phone"):
            if r[f"{screen}_kb"] > WEIGHT_BUDGET * first[f"{screen}_kb"]:
                failures.append(
                    f"{r['label']}: /map/ on a {screen} {r[f'{screen}_kb']:.0f} KB, over"
                    f" {WEIGHT_BUDGET}× {first[f'{screen}_kb']:.0f} KB"
                )
        allowed = first["lcp_ms"] + max(LCP_NOISE[0] * first["lcp_ms"], LCP_NOISE[1])
        if r["lcp_ms"] > allowed:
            failures.append(
                f"{r['label']}: LCP {r['lcp_ms']:.0f} ms, over {first['lcp_ms']:.0f} ms"
            )
    for failure in failures:
        print(f"OVER BUDGET: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
