"""Tests for the feed fetcher, against real files and a real loopback HTTP server."""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsdigest.ingest import fetch as fetching
from newsdigest.ingest.fetch import FetchResult, fetch_feed
from newsdigest.records import Validators

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<rss version="2.0"><channel><title>Test</title>'
    b"<item><title>One</title><link>https://example.org/1</link></item>"
    b"</channel></rss>\n"
)
ETAG = '"feed-v1"'
LAST_MODIFIED = "Tue, 03 Mar 2026 10:00:00 GMT"
MIB = 2**20
BOMB_SIZE = 50 * MIB


@functools.cache
def _gzip_bomb() -> bytes:
    """50 MiB of zeros, gzip-compressed chunk by chunk (about 50 KiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MIB)
    parts = [packer.compress(zeros) for _ in range(BOMB_SIZE // MIB)]
    return b"".join([*parts, packer.flush()])


@dataclass
class Server:
    """A running loopback server and what it saw."""

    base: str
    stop: threading.Event
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


class FeedHandler(BaseHTTPRequestHandler):
    """Paths that play the parts of good and bad feed servers."""

    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""

    @property
    def state(self) -> Server:
        return self.server.state  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self.state.requests.append((self.path, dict(self.headers.items())))
        hops = "/hop/"
        if self.path.startswith(hops):
            number = int(self.path.removeprefix(hops))
            self._redirect(302, f"{hops}{number + 1}")
            return
        away = "/redirect-to/"  # then any URL: a redirect to it
        if self.path.startswith(away):
            self._redirect(302, self.path.removeprefix(away))
            return
        route = {
            "/feed": self._feed,
            "/missing": lambda: self._status(404),
            "/removed": lambda: self._status(410),
            "/broken": lambda: self._status(500),
            "/loop-a": lambda: self._redirect(302, "/loop-b"),
            "/loop-b": lambda: self._redirect(301, "/loop-a"),
            "/moved": lambda: self._redirect(301, "/feed"),
            "/to-file": lambda: self._redirect(302, "file:///etc/passwd"),
            "/to-slow-headers": lambda: self._redirect(302, "/slow-headers"),
            "/slow": self._slow,
            "/slow-headers": self._slow_headers,
            "/stall": self._stall,
            "/big": self._big,
            "/big-declared": self._big_declared,
            "/bomb": self._bomb,
            "/gzip": lambda: self._encoded("gzip", gzip.compress(FEED)),
            "/deflate-zlib": lambda: self._encoded("deflate", zlib.compress(FEED)),
            "/deflate-raw": lambda: self._encoded("deflate", _raw_deflate(FEED)),
            "/brotli": lambda: self._encoded("br", b"not really brotli"),
        }.get(self.path, lambda: self._status(404))
        with contextlib.suppress(OSError):  # the client gave up, as it should
            route()

    def _feed(self) -> None:
        if (
            self.headers.get("If-None-Match") == ETAG
            or self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(FEED)))
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(FEED)

    def _status(self, code: int) -> None:
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _redirect(self, code: int, target: str) -> None:
        self.send_response(code)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _slow(self) -> None:
        """Send a byte every half second until the client or the test gives up."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.flush()
        while not self.state.stop.wait(0.5):
            self.wfile.write(b" ")
            self.wfile.flush()

    def _slow_headers(self) -> None:
        """Trickle a header line, a byte every half second for 10 s."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(20):
            if self.state.stop.wait(0.5):
                return
            self.wfile.write(b"x")
            self.wfile.flush()

    def _stall(self) -> None:
        """Accept the request and say nothing."""
        self.state.stop.wait(10)

    def _big(self) -> None:
        self.send_response(200)
        self.end_headers()
        for _ in range(3):
            self.wfile.write(bytes(MIB))

    def _big_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(3 * MIB))
        self.end_headers()
        self.wfile.write(bytes(MIB))

    def _bomb(self) -> None:
        self._encoded("gzip", _gzip_bomb())

    def _encoded(self, encoding: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep loopback requests away from any proxy the environment names."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with _serving("127.0.0.1") as state:
        yield state


@pytest.fixture(scope="module")
def intranet() -> Iterator[Server]:
    """A server on another loopback address, standing for one on the intranet."""
    with _serving("127.0.0.2") as state:
        yield state


@contextlib.contextmanager
def _serving(address: str) -> Iterator[Server]:
    httpd = ThreadingHTTPServer((address, 0), FeedHandler)
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    state = Server(base=f"http://{host}:{port}", stop=threading.Event())
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def fetch(location: str, tmp_path: Path, **kwargs: object) -> FetchResult:
    kwargs.setdefault("timeout", 3.0)
    return fetch_feed(location, base_dir=tmp_path, **kwargs)  # type: ignore[arg-type]


# -- HTTP -----------------------------------------------------------------


def test_feed_is_fetched_with_its_validators(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/feed"), tmp_path)
    assert result.status == "ok"
    assert result.body == FEED
    assert result.validators == Validators(etag=ETAG, last_modified=LAST_MODIFIED)
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.http_status == 200
    assert result.error is None
    assert result.location == server.url("/feed")


def test_request_carries_user_agent_encodings_and_validators(
    server: Server, tmp_path: Path
) -> None:
    previous = Validators(etag='"old"', last_modified="Mon, 02 Mar 2026 00:00:00 GMT")
    fetch(server.url("/feed"), tmp_path, previous=previous, user_agent="probe/1")
    _path, headers = next(r for r in reversed(server.requests) if r[0] == "/feed")
    assert headers["User-Agent"] == "probe/1"
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert "application/feed+json" in headers["Accept"]  # JSON Feed, read too
    assert headers["If-None-Match"] == '"old"'
    assert headers["If-Modified-Since"] == "Mon, 02 Mar 2026 00:00:00 GMT"


def test_matching_etag_is_not_modified(server: Server, tmp_path: Path) -> None:
    first = fetch(server.url("/feed"), tmp_path)
    second = fetch(server.url("/feed"), tmp_path, previous=first.validators)
    assert second.status == "not-modified"
    assert second.body is None
    assert second.http_status == 304
    assert second.validators == first.validators


def test_matching_last_modified_is_not_modified(server: Server, tmp_path: Path) -> None:
    previous = Validators(last_modified=LAST_MODIFIED)
    result = fetch(server.url("/feed"), tmp_path, previous=previous)
    assert result.status == "not-modified"
    assert result.validators == Validators(etag=ETAG, last_modified=LAST_MODIFIED)


@pytest.mark.parametrize(("path", "code"), [("/missing", 404), ("/removed", 410)])
def test_not_found_and_gone_are_gone(
    server: Server, tmp_path: Path, path: str, code: int
) -> None:
    result = fetch(server.url(path), tmp_path)
    assert result.status == "gone"
    assert result.http_status == code
    assert result.body is None
    assert result.error is not None
    assert result.error.startswith(f"HTTP {code} ")


def test_server_error_fails_with_status_line(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/broken"), tmp_path)
    assert result.status == "failed"
    assert result.http_status == 500
    assert result.error == "HTTP 500 Internal Server Error"


def test_redirect_to_feed_is_followed(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/moved"), tmp_path)
    assert result.status == "ok"
    assert result.body == FEED
    assert result.location == server.url("/moved")
    assert result.url == server.url("/feed")
    assert result.validators.etag == ETAG


def test_redirect_loop_fails(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/loop-a"), tmp_path)
    assert result.status == "failed"
    assert result.error is not None
    assert "redirect loop" in result.error


def test_more_than_five_redirects_fail(server: Server, tmp_path: Path) -> None:
    before = len(server.requests)
    result = fetch(server.url("/hop/0"), tmp_path)
    assert result.status == "failed"
    assert result.error == "too many redirects (more than 5)"
    assert len(server.requests) - before == 6


def test_redirect_to_non_http_scheme_fails(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/to-file"), tmp_path)
    assert result.status == "failed"
    assert result.error == "redirected to a non-HTTP location: file:///etc/passwd"


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 127.0.0.1 stand for a public address, a hostile outlet's server;
    127.0.0.2 stays what it is, internal."""
    internal = fetching._internal
    monkeypatch.setattr(
        fetching,
        "_internal",
        lambda address: address != "127.0.0.1" and internal(address),
    )


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Host names of the tests' own, each with the addresses it answers in turn
    (the last again and again); the lookups made are counted in ``"looked up"``."""
    answers: dict[str, list[str]] = {"looked up": []}
    lookup = socket.getaddrinfo

    def getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> object:
        if host not in answers:
            return lookup(host, port, *args, **kwargs)  # type: ignore[arg-type]
        answers["looked up"].append(host)
        turn = answers[host]
        address = turn.pop(0) if len(turn) > 1 else turn[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.usefixtures("public_loopback")
def test_redirect_from_a_public_feed_to_an_internal_address_is_refused(
    server: Server, intranet: Server, tmp_path: Path
) -> None:
    before = len(intranet.requests)
    target = intranet.url("/feed")
    result = fetch(server.url(f"/redirect-to/{target}"), tmp_path)
    assert result.status == "failed"
    assert result.body is None
    assert result.http_status == 302
    assert result.error == f"redirected to an internal address: {target}"
    assert len(intranet.requests) == before


@pytest.mark.usefixtures("public_loopback")
def test_redirect_to_a_name_of_an_internal_address_is_refused(
    server: Server, intranet: Server, tmp_path: Path, names: dict[str, list[str]]
) -> None:
    names["intake.newsroom.test"] = ["127.0.0.2"]
    target = intranet.url("/feed").replace("127.0.0.2", "intake.newsroom.test")
    result = fetch(server.url(f"/redirect-to/{target}"), tmp_path)
    assert result.error == (
        f"redirected to an internal address: {target}"
        " (intake.newsroom.test is 127.0.0.2)"
    )


@pytest.mark.usefixtures("public_loopback")
def test_a_public_redirect_is_followed_to_the_address_it_was_checked_at(
    server: Server, intranet: Server, tmp_path: Path, names: dict[str, list[str]]
) -> None:
    """A name that answers with a public address when checked and an internal
    one after (DNS rebinding) is connected to at the public one."""
    names["rebind.test"] = ["127.0.0.1", "127.0.0.2"]
    target = server.url("/feed").replace("127.0.0.1", "rebind.test")
    result = fetch(server.url(f"/redirect-to/{target}"), tmp_path)
    assert (result.status, result.url, result.body) == ("ok", target, FEED)
    assert names["looked up"] == ["rebind.test"]


def test_a_feed_listed_on_an_internal_network_may_redirect_within_it(
    server: Server, intranet: Server, tmp_path: Path
) -> None:
    """The registry's own URL is internal (127.0.0.1 here), so the newsroom
    means to read its own network."""
    target = intranet.url("/feed")
    result = fetch(server.url(f"/redirect-to/{target}"), tmp_path)
    assert (result.status, result.url, result.body) == ("ok", target, FEED)


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # link-local: cloud metadata services
        ("100.64.0.1", True),  # shared (carrier-grade NAT)
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("fc00::1", True),  # unique-local
        ("fe80::1%eth0", True),
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),
        ("93.184.215.14", False),
        ("2606:4700::1", False),
    ],
)
def test_internal_addresses(address: str, internal: bool) -> None:
    assert fetching._internal(address) is internal


@pytest.mark.parametrize(
    "path",
    [
        "/slow",  # the body trickles
        "/slow-headers",  # the headers trickle: each byte reset the socket timeout
        "/to-slow-headers",  # the same, behind a redirect
    ],
)
def test_a_trickling_server_fails_at_the_deadline(
    server: Server, tmp_path: Path, path: str
) -> None:
    started = time.monotonic()
    result = fetch(server.url(path), tmp_path, timeout=1.0)
    elapsed = time.monotonic() - started
    assert result.status == "failed"
    assert result.error == "timed out after 1 s"
    assert elapsed < 3.0


def test_no_timer_outlives_the_fetch(server: Server, tmp_path: Path) -> None:
    assert fetch(server.url("/moved"), tmp_path, timeout=30.0).status == "ok"
    assert fetch(server.url("/slow"), tmp_path, timeout=0.5).status == "failed"
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_silent_server_times_out(server: Server, tmp_path: Path) -> None:
    started = time.monotonic()
    result = fetch(server.url("/stall"), tmp_path, timeout=0.5)
    assert result.status == "failed"
    assert result.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 2.0


def test_oversized_body_fails(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/big"), tmp_path, max_bytes=MIB)
    assert result.status == "failed"
    assert result.body is None
    assert result.error == "body larger than 1 MiB"


def test_oversized_content_length_fails_before_reading(
    server: Server, tmp_path: Path
) -> None:
    result = fetch(server.url("/big-declared"), tmp_path, max_bytes=MIB)
    assert result.status == "failed"
    assert result.error == f"body larger than 1 MiB (Content-Length {3 * MIB})"


def test_gzip_bomb_fails_fast_in_little_memory(server: Server, tmp_path: Path) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = fetch(server.url("/bomb"), tmp_path, max_bytes=MIB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "failed"
    assert result.error == "decompressed body larger than 1 MiB"
    assert time.monotonic() - started < 3.0
    assert peak < 8 * MIB


def test_gzip_body_is_decoded(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/gzip"), tmp_path)
    assert result.status == "ok"
    assert result.body == FEED


@pytest.mark.parametrize("path", ["/deflate-zlib", "/deflate-raw"])
def test_deflate_body_is_decoded_wrapped_or_raw(
    server: Server, tmp_path: Path, path: str
) -> None:
    result = fetch(server.url(path), tmp_path)
    assert result.status == "ok"
    assert result.body == FEED


def test_unknown_content_encoding_fails(server: Server, tmp_path: Path) -> None:
    result = fetch(server.url("/brotli"), tmp_path)
    assert result.status == "failed"
    assert result.error == "unsupported Content-Encoding 'br'"


def test_refused_connection_fails(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/feed", tmp_path, timeout=1.0)
    assert result.status == "failed"
    assert result.error == "connection refused"


@pytest.mark.parametrize(
    "location",
    [
        "http://",
        "http://127.0.0.1:99999/feed",
        "http://[::1/feed",
        "http://127.0.0.1:1/\r\nX-Injected: yes",
    ],
)
def test_bad_url_fails_with_one_line(tmp_path: Path, location: str) -> None:
    result = fetch(location, tmp_path, timeout=1.0)
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith("bad URL")
    assert "\n" not in result.error


# -- local files and other schemes ---------------------------------------


def test_relative_path_is_read_from_base_dir(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "local.xml").write_bytes(FEED)
    result = fetch("feeds/local.xml", tmp_path)
    assert result.status == "ok"
    assert result.body == FEED
    assert result.location == "feeds/local.xml"
    assert result.url == "feeds/local.xml"
    assert result.validators.etag == hashlib.sha256(FEED).hexdigest()


def test_absolute_path_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "abs.xml"
    path.write_bytes(FEED)
    result = fetch(str(path), tmp_path / "elsewhere")
    assert result.status == "ok"
    assert result.body == FEED


def test_unchanged_file_is_not_modified(tmp_path: Path) -> None:
    (tmp_path / "local.xml").write_bytes(FEED)
    previous = Validators(etag=hashlib.sha256(FEED).hexdigest())
    result = fetch("local.xml", tmp_path, previous=previous)
    assert result.status == "not-modified"
    assert result.body is None
    assert result.validators == previous


def test_changed_file_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "local.xml").write_bytes(FEED)
    result = fetch("local.xml", tmp_path, previous=Validators(etag="stale"))
    assert result.status == "ok"
    assert result.body == FEED


def test_missing_file_fails_naming_the_path(tmp_path: Path) -> None:
    result = fetch("feeds/nowhere.xml", tmp_path)
    assert result.status == "failed"
    assert result.error == f"file not found: {tmp_path / 'feeds' / 'nowhere.xml'}"


def test_directory_is_not_a_feed_file(tmp_path: Path) -> None:
    result = fetch(".", tmp_path)
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.startswith("not a regular file: ")


def test_oversized_file_fails(tmp_path: Path) -> None:
    (tmp_path / "big.xml").write_bytes(bytes(MIB + 1))
    result = fetch("big.xml", tmp_path, max_bytes=MIB)
    assert result.status == "failed"
    assert result.error == f"file larger than 1 MiB: {tmp_path / 'big.xml'}"


@pytest.mark.parametrize(
    "location",
    ["javascript:alert(1)", "file:///etc/passwd", "ftp://127.0.0.1/feed.xml"],
)
def test_other_schemes_fail(tmp_path: Path, location: str) -> None:
    result = fetch(location, tmp_path)
    assert result.status == "failed"
    assert result.body is None
    assert result.error is not None
    assert result.error.startswith("unsupported location scheme")
