"""Helpers for browser tests: a local server for a built site, and Debian's chromium via Playwright."""

from __future__ import annotations

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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 on a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
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


def transferred(context: object, url: str) -> tuple[int, dict[str, int]]:
    """Bytes of every response body (before compression) that loading a page and its frames fetch."""
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on(
        "requestfinished",
        lambda request: sizes.__setitem__(request.url, request.sizes()["responseBodySize"]),
    )
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)
    page.close()
    return sum(sizes.values()), sizes
