"""Helpers for browser tests: a local server for a built site, and Debian's chromium via Playwright."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's own background traffic is switched off: this machine reaches no other host.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def build_sample_site(out: Path) -> Path:
    """Build the sample records as of 2026-11-25 into out, as the browser tests see them."""
    from generator.build.build import Project, build
    from generator.build.progress import Progress

    root = Path(__file__).resolve().parent.parent
    build(
        Project(root),
        root / "clusters",
        out,
        dt.date(2026, 11, 25),
        strict=True,
        progress=Progress(quiet=True),
    )
    return out


class Tally:
    """Bytes of the response bodies a local server sends, by path: what a visit transfers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sizes: dict[str, int] = {}

    def add(self, path: str, size: int) -> None:
        """Count a body sent for a path."""
        with self._lock:
            self._sizes[path] = self._sizes.get(path, 0) + size

    def take(self) -> dict[str, int]:
        """The bytes counted since the last take, by path; starts counting afresh."""
        with self._lock:
            sizes, self._sizes = self._sizes, {}
        return sizes


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    tally: Tally | None = None

    def log_message(self, *args: object) -> None:
        pass

    def copyfile(self, source: object, outputfile: object) -> None:
        # Counted on the server, so that every request is weighed, the search worker's script
        # included (Chromium reports no body size for a worker's script).
        if self.tally is None:
            super().copyfile(source, outputfile)
            return
        size = 0
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            size += len(chunk)
        self.tally.add(self.path.split("?")[0], size)


@contextmanager
def serve_folder(folder: Path, tally: Tally | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 on a free port; yield its base URL. A tally counts the bytes."""
    handler_class = type("Handler", (_QuietHandler,), {"tally": tally})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser() -> Iterator[object]:
    """A headless Debian chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("browser tests need Debian's chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


class Visitor:
    """A browser tab that fails the test on any request to another host or any script error."""

    def __init__(self, chromium: object, base: str, width: int = 1280, height: int = 900) -> None:
        self.base = base
        self.context = chromium.new_context(viewport={"width": width, "height": height})
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.bytes: dict[str, int] = {}
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", self._weigh)

    def _guard(self, route: object) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _weigh(self, response: object) -> None:
        try:
            self.bytes[response.url] = len(response.body())
        except Exception:  # a redirect or an aborted request has no body
            self.bytes.setdefault(response.url, 0)

    def close(self) -> None:
        """Close the tab; then the test fails if anything left the site or a script failed."""
        self.context.close()
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.errors == [], f"script errors: {self.errors}"


def transferred(context: object, url: str, tally: Tally) -> tuple[int, dict[str, int]]:
    """Bytes of every response body (before compression) that loading a page and its frames fetch.

    The tally belongs to the server that serves `url`; the page is left open until the network
    has been idle (nothing of the search loads before it is opened).
    """
    page = context.new_page()
    tally.take()
    page.goto(url, wait_until="networkidle")
    page.close()
    sizes = tally.take()
    return sum(sizes.values()), sizes


def css_rgba(css: str) -> tuple[float, float, float, float]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' as numbers, the alpha 1 when not given."""
    import re

    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def contrast(colour: str, background: str) -> float:
    """The WCAG contrast ratio of a computed CSS colour (blended over the background, which is
    opaque) with the background."""
    *fg, alpha = css_rgba(colour)
    bg = css_rgba(background)[:3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]

    def luminance(rgb: list[float] | tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((luminance(blended), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)
