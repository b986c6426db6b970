"""A local news site on 127.0.0.1 for the intake tests: the pages in ``pages/`` and the bad cases.

Served by :mod:`http.server` in a thread, so both async tests and the
``articlebot`` command (which runs its own event loop) can fetch from it.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"
HTML = "text/html; charset=utf-8"
SLOW_SECONDS = 2.0
HUGE_BYTES = 6 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


def _page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def _bomb() -> bytes:
    """About 30 KB of gzip that opens into 30 MB of HTML."""
    return gzip.compress(b"<html><body><p>" + b" " * (30 * 1024 * 1024) + b"</p></body></html>")


class NewsSite(BaseHTTPRequestHandler):
    """Routes: ``/harbour`` and friends; see :meth:`do_GET`."""

    port = 0
    bomb = b""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/harbour":
            self._send(200, _page("harbour.html"), HTML)
        elif path == "/observatory-gzip":
            self._send(200, gzip.compress(_page("observatory.html")), "text/html", gzip=True)
        elif path == "/section":
            self._send(200, _page("section-front.html"), HTML)
        elif path == "/old-harbour":
            self._redirect("/harbour")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/to-localhost":
            self._redirect(f"http://localhost:{self.port}/harbour")
        elif path == "/to-loopback-ip":
            self._redirect(f"http://127.0.0.1:{self.port}/harbour")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, _page("harbour.html"), HTML)
        elif path == "/huge":
            self._send(200, b"<html><body>" + b"<p>word </p>" * (HUGE_BYTES // 12), HTML)
        elif path == "/huge-unsized":
            self._send(200, b"<p>word </p>" * (HUGE_BYTES // 12), HTML, sized=False)
        elif path == "/bomb":
            self._send(200, self.bomb, HTML, gzip=True)
        elif path == "/logo.png":
            self._send(200, PNG, "image/png")
        elif path == "/empty":
            self._send(200, b"", HTML)
        elif path == "/gone":
            self._send(410, b"<html><body>Gone</body></html>", HTML)
        elif path == "/broken":
            self._send(503, b"<html><body>Try later</body></html>", HTML)
        else:
            self._send(404, b"<html><body><h1>Not found</h1></body></html>", HTML)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(
        self, status: int, body: bytes, content_type: str, *, gzip: bool = False, sized: bool = True
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        if sized:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # fails when the client stops reading at its cap, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def news_site() -> Iterator[str]:
    """The site's base URL, ``http://127.0.0.1:PORT``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), NewsSite)
    server.daemon_threads = True
    NewsSite.port = server.server_address[1]
    NewsSite.bomb = _bomb()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{NewsSite.port}"
    server.shutdown()
    server.server_close()
