"""What a visitor gets at 188, 1,000 and 10,000 clusters, in chromium on this machine.

    python benchmarks/bench_visitor.py [--sizes 188 1000 10000]

Per size it builds the site (the sample records for 188, synthetic ones otherwise), serves it
from a server that counts the bytes it sends, and prints:

- the bytes of the home page's first visit (budget: under 600 KB), and of /clusters/ (its HTML
  under 200 KB with under 4,000 elements), and the largest HTML page of the site (under 250 KB);
- the bytes of a first search (opening the dialog and one query), as sent and as gzip would send
  them (budget: under 300 KB; Pagefind's index files are compressed already);
- the time until /clusters/?q=<a cluster's name> shows that cluster, against the same permalink
  on a one-country site of 240 records built in the same run (budget: at most 2.5 times);
- the median time for one keystroke in the filter to update the table and the count (budget:
  under 150 ms), and the layout shift of /clusters/ (budget: at most 0.05 at 1,000);
- the build time, search index included (budget: under 60 s at 10,000, and 10,000 no more than
  12 times 1,000).
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_records  # noqa: E402
from tests.browser import Tally, browser, serve_folder, transferred  # noqa: E402

AS_OF = "2026-11-25"
COMPRESSED_ALREADY = re.compile(r"\.(pf_\w+|pagefind)$")
CLS_OBSERVER = (
    "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
    " { if (!e.hadRecentInput) window.__shift += e.value; } }).observe({type: 'layout-shift',"
    " buffered: true});"
)


def build(data: Path, out: Path) -> float:
    """Build a site with `clusterdir build`; return its wall time in seconds."""
    import subprocess

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


def one_country(folder: Path, count: int = 240) -> Path:
    """Synthetic records all in one country, for the permalink comparison."""
    write_records(folder, count)
    for path in folder.rglob("*.yaml"):
        text = re.sub(r"(?m)^country: \w\w$", "country: DE", path.read_text())
        path.write_text(text)
    return folder


def gzipped(site: Path, sizes: dict[str, int]) -> int:
    """The bytes of the files in `sizes` as a server compressing text with gzip would send them."""
    total = 0
    for path in sizes:
        file = site / path.lstrip("/")
        if not file.is_file():
            total += sizes[path]
        elif COMPRESSED_ALREADY.search(file.name):
            total += file.stat().st_size
        else:
            total += len(gzip.compress(file.read_bytes(), 6))
    return total


def first_search(chromium, base: str, tally: Tally, query: str) -> dict[str, int]:
    """Bytes a visitor fetches to open the search and see the results of one query."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base + "countries/", wait_until="networkidle")
    tally.take()
    page.locator("[data-cd-search]").click()
    page.locator("pagefind-input input").wait_for(state="visible")
    page.keyboard.type(query)
    page.locator("pagefind-results a").first.wait_for()
    page.wait_for_load_state("networkidle")
    context.close()
    return tally.take()


def permalink_ms(chromium, base: str, name: str) -> float:
    """Milliseconds from navigation until /clusters/?q=<name> shows the cluster (best of 3)."""
    times = []
    for _ in range(3):
        context = chromium.new_context()
        page = context.new_page()
        page.goto(base + "clusters/?q=" + name.replace(" ", "%20"))
        page.wait_for_function(
            "(name) => { const l = document.querySelector('.cd-list');"
            " return l && l.dataset.shown === '1' &&"
            " l.querySelector('tbody tr td a').textContent === name; }",
            arg=name,
        )
        times.append(page.evaluate("performance.now()"))
        context.close()
    return min(times)


def keystroke_ms(chromium, base: str) -> float:
    """Median milliseconds from a key press in the filter to the table and count updated."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base + "clusters/", wait_until="networkidle")
    field = page.locator("input[name=q]")
    field.fill("c")  # the first change fetches the index
    page.locator(".cd-list[data-shown]:not([aria-busy])").wait_for()
    page.evaluate(
        "window.__times = []; const list = document.querySelector('.cd-list');"
        " new MutationObserver(() => { if (window.__t0) { window.__times.push(performance.now()"
        " - window.__t0); window.__t0 = 0; } }).observe(list, {attributes: true,"
        " attributeFilter: ['data-shown']}); document.querySelector('input[name=q]')"
        ".addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);"
    )
    field.fill("")
    for text in ("cluster 0", "synthetic", "town 4", "a"):
        for key in text:
            page.keyboard.press(key if key != " " else "Space")
        for _ in text:
            page.keyboard.press("Backspace")
    times = page.evaluate("window.__times")
    context.close()
    return statistics.median(times) if times else float("nan")


def page_facts(chromium, base: str) -> tuple[int, float]:
    """Elements on /clusters/ and its layout shift while it loads."""
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(CLS_OBSERVER)
    page.goto(base + "clusters/", wait_until="networkidle")
    elements = page.evaluate("document.getElementsByTagName('*').length")
    shift = page.evaluate("window.__shift")
    context.close()
    return elements, shift


def largest_html(site: Path) -> tuple[str, int]:
    pages = ((p, p.stat().st_size) for p in site.rglob("*.html"))
    path, size = max(pages, key=lambda item: item[1])
    return path.relative_to(site).as_posix(), size


def measure(label: str, data: Path, work: Path, chromium, reference_ms: float | None) -> dict:
    site = work / f"site-{label}"
    seconds = build(data, site)
    tally = Tally()
    with serve_folder(site, tally) as base:
        context = chromium.new_context()
        home, _ = transferred(context, base, tally)
        context.close()
        context = chromium.new_context()
        clusters, _ = transferred(context, base + "clusters/", tally)
        context.close()
        name = re.search(
            r"<tbody>\s*<tr><td><a [^>]*>([^<]+)</a>",
            (site / "clusters" / "index.html").read_text(),
        ).group(1)
        search = first_search(chromium, base, tally, name.split()[0].lower())
        permalink = permalink_ms(chromium, base, name)
        keystroke = keystroke_ms(chromium, base)
        elements, shift = page_facts(chromium, base)
    html_path, html_size = largest_html(site)
    return {
        "label": label,
        "build_s": seconds,
        "home_kb": home / 1000,
        "clusters_kb": clusters / 1000,
        "clusters_html_kb": (site / "clusters" / "index.html").stat().st_size / 1000,
        "elements": elements,
        "largest_html": f"{html_path} {html_size / 1000:.0f} KB",
        "largest_html_kb": html_size / 1000,
        "search_kb": sum(search.values()) / 1000,
        "search_gzip_kb": gzipped(site, search) / 1000,
        "permalink_ms": permalink,
        "permalink_ratio": permalink / reference_ms if reference_ms else float("nan"),
        "keystroke_ms": keystroke,
        "shift": shift,
        "files": sum(1 for p in site.rglob("*") if p.is_file()),
        "search_files": sum(1 for p in (site / "pagefind").rglob("*") if p.is_file()),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure each size; print a table; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[188, 1000, 10_000])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, browser() as chromium:
        work = Path(tmp)
        reference = measure("one country, 240", one_country(work / "de-240"), work, chromium, None)
        for size in args.sizes:
            if size == 188:
                data = ROOT / "clusters"
            else:
                data = work / f"records-{size}"
                write_records(data, size)
            rows.append(measure(f"{size:,}", data, work, chromium, reference["permalink_ms"]))
    print(
        "| clusters | build | home, first visit | /clusters/ (HTML, elements) | largest HTML page"
        " | first search (gzip) | permalink (× one country) | keystroke | layout shift | files"
        " (search) |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in [reference, *rows]:
        # The reference row is what the others are compared with: no ratio of its own.
        ratio = "reference" if r is reference else f"{r['permalink_ratio']:.2f}"
        print(
            f"| {r['label']} | {r['build_s']:.1f} s | {r['home_kb']:.0f} KB |"
            f" {r['clusters_kb']:.0f} KB ({r['clusters_html_kb']:.0f} KB, {r['elements']:,}) |"
            f" {r['largest_html']} | {r['search_kb']:.0f} KB ({r['search_gzip_kb']:.0f} KB) |"
            f" {r['permalink_ms']:.0f} ms ({ratio}) |"
            f" {r['keystroke_ms']:.1f} ms | {r['shift']:.3f} | {r['files']:,} ({r['search_files']:,}) |"
        )
    failures = []
    for r in rows:
        if r["home_kb"] >= 600:
            failures.append(f"{r['label']}: home {r['home_kb']:.0f} KB")
        if r["largest_html_kb"] >= 250:
            failures.append(f"{r['label']}: {r['largest_html']}")
        if r["clusters_html_kb"] >= 200 or r["elements"] >= 4000:
            failures.append(
                f"{r['label']}: /clusters/ {r['clusters_html_kb']:.0f} KB, {r['elements']}"
            )
        if r["search_gzip_kb"] >= 300:
            failures.append(f"{r['label']}: first search {r['search_gzip_kb']:.0f} KB")
        if r["permalink_ratio"] > 2.5:
            failures.append(f"{r['label']}: permalink {r['permalink_ratio']:.2f} times")
        if r["keystroke_ms"] >= 150:
            failures.append(f"{r['label']}: keystroke {r['keystroke_ms']:.0f} ms")
        if r["label"] == "1,000" and r["shift"] > 0.05:
            failures.append(f"{r['label']}: layout shift {r['shift']:.3f}")
    by_label = {r["label"]: r for r in rows}
    if "10,000" in by_label:
        if by_label["10,000"]["build_s"] >= 60:
            failures.append(f"10,000: build {by_label['10,000']['build_s']:.0f} s")
        if (
            "1,000" in by_label
            and by_label["10,000"]["build_s"] > 12 * by_label["1,000"]["build_s"]
        ):
            failures.append("build grows faster than linearly")
    for failure in failures:
        print(f"OVER BUDGET: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
