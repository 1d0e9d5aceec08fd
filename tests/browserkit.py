"""Serve a built site on loopback and drive Debian's Chromium at it."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from playwright.sync_api import Browser, Playwright
from sitekit import served

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: No sandbox (root in CI), and nothing that reaches for the network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
#: Collects Content-Security-Policy violations before any page script runs.
WATCH_CSP = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e =>"
    " window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


class StaticHost(SimpleHTTPRequestHandler):
    """Serves files, and 404.html with status 404 for anything missing."""

    def send_error(self, code: int, message: str | None = None, *args: str) -> None:
        """Answer a missing path with the site's own 404 page, as static hosts do."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, *args)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 and yield its base URL."""
    with served(functools.partial(StaticHost, directory=str(directory))) as url:
        yield url


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, as the tests run it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
