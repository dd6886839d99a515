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
  the median of `--runs` cold loads, the sizes taking turns (with `--slow-network`, on
  Lighthouse's slow mobile network too); and the time until the map's first view is drawn;
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
from contextlib import ExitStack
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
# --slow-network: Lighthouse's mobile profile (150 ms, 1.6 Mbit/s down, 750 kbit/s up).
SLOW_NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_638_400 / 8,
    "uploadThroughput": 768_000 / 8,
}


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


def phone_lcp(chromium, url: str, network: bool = False) -> dict:
    """The largest contentful paint of a cold load of `url` on a slow phone (and network)."""
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.add_init_script(LCP_OBSERVER)
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    if network:
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    page.goto(url)
    page.locator(READY).wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    lcp = page.evaluate("window.__lcp")
    ready_ms = page.evaluate("performance.now()")
    context.close()
    return {**lcp, "ready": ready_ms}


def first_visits(chromium, url: str, tally: Tally) -> dict:
    """The bytes /map/ fetches on a first visit, on a desktop and on a phone."""
    desktop = first_visit(chromium, url, tally, DESKTOP)
    phone = first_visit(chromium, url, tally, PHONE)
    return {
        "desktop_kb": sum(desktop.values()) / 1000,
        "phone_kb": sum(phone.values()) / 1000,
        "desktop_files": desktop,
    }


def paints(chromium, urls: dict[str, str], runs: int, network: bool) -> dict[str, dict]:
    """The median LCP and time to the map's first view of each site on a slow phone. The sites
    take turns, so that what else the machine does weighs on each alike."""
    taken: dict[str, list[dict]] = {label: [] for label in urls}
    for _ in range(runs):
        for label, url in urls.items():
            taken[label].append(phone_lcp(chromium, url, network))
    return {
        label: {
            "lcp_ms": statistics.median(p["ms"] for p in runs_of_site),
            "lcp_all": [round(p["ms"]) for p in runs_of_site],
            "lcp_element": runs_of_site[-1]["element"],
            "ready_ms": statistics.median(p["ready"] for p in runs_of_site),
        }
        for label, runs_of_site in taken.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Measure each size; print a table and the ratios; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1300, 10_000])
    parser.add_argument("--runs", type=int, default=7, help="cold loads per LCP median")
    parser.add_argument("--files", action="store_true", help="list each size's largest files")
    parser.add_argument(
        "--slow-network", action="store_true", help="also slow the phone's network (Lighthouse's)"
    )
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, browser() as chromium, ExitStack() as servers:
        work = Path(tmp)
        urls = {}
        tally = Tally()
        for size in args.sizes:
            label = f"{size:,}"
            data = work / f"records-{size}"
            write_records(data, size)
            site = work / f"site-{size}"
            row = {"label": label, "build_s": build(data, site), "map_s": making_the_map(data)}
            urls[label] = servers.enter_context(serve_folder(site, tally)) + "map/"
            rows.append(row | first_visits(chromium, urls[label], tally))
        painted = paints(chromium, urls, args.runs, args.slow_network)
        for row in rows:
            row |= painted[row["label"]]
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
