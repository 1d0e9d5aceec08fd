"""Fetch one feed location, over HTTP(S) or from a local file, with conditional GET.

Network trouble never raises: every problem (DNS, refused connection, TLS,
timeouts, bad status, oversized or undecodable body, redirect loops) comes
back as a :class:`FetchResult` whose ``error`` is one short sentence.

A redirect may lead to an internal address (loopback, private, link-local…)
only if the feed's own URL is on one: a hostile outlet must not make ingest
read, and publish, a feed on the newsroom's network. Each host is looked up
once and connected to at the addresses checked, so a name that changes its
answer in between (DNS rebinding) cannot get round the check.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsdigest.records import Validators

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "newsdigest/0.1 (+https://github.com/newsdigest)"
MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
#: The feeds ingest reads (:mod:`~newsdigest.ingest.parse`): RSS, Atom, JSON Feed.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.8"
)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
GONE_CODES = frozenset({404, 410})
#: A URL scheme; one letter is a Windows drive, so that is read as a path.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


@dataclass
class FetchResult:
    """The outcome of fetching one feed location."""

    location: str
    status: str  # "ok" | "not-modified" | "gone" | "failed"
    body: bytes | None = None
    validators: Validators = Validators()  # noqa: RUF009 (frozen: safely shared)
    content_type: str | None = None
    http_status: int | None = None
    error: str | None = None
    #: Where the body came from after redirects, the base for relative links;
    #: ``location`` (the key for validators and state) unless set.
    url: str = ""

    def __post_init__(self) -> None:
        self.url = self.url or self.location


class _FetchFailed(Exception):
    """A fetch went wrong in a way the user should read about."""

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


def fetch_feed(
    location: str,
    *,
    base_dir: Path,
    previous: Validators | None = None,
    timeout: float = 20.0,
    max_bytes: int = 10 * 2**20,
    user_agent: str = DEFAULT_USER_AGENT,
) -> FetchResult:
    """Fetch one feed: an http(s) URL, or a file path relative to ``base_dir``."""
    previous = previous or Validators()
    scheme = _SCHEME.match(location)
    try:
        if scheme and scheme.group(1).lower() in {"http", "https"}:
            result = _fetch_http(
                location,
                previous,
                timeout=timeout,
                max_bytes=max_bytes,
                user_agent=user_agent,
            )
        elif scheme:
            msg = (
                f"unsupported location scheme {scheme.group(1)!r}"
                " (use an http(s) URL or a file path)"
            )
            raise _FetchFailed(msg)
        else:
            result = _read_file(location, base_dir, previous, max_bytes=max_bytes)
    except _FetchFailed as exc:
        result = FetchResult(
            location, "failed", http_status=exc.http_status, error=_one_line(str(exc))
        )
    logger.debug("fetched %s: %s %s", location, result.status, result.error or "")
    return result


# -- local files ----------------------------------------------------------


def _read_file(
    location: str, base_dir: Path, previous: Validators, *, max_bytes: int
) -> FetchResult:
    """Read a local feed file; its sha256 hex digest stands in for an ETag."""
    path = base_dir / location
    if not path.exists():
        msg = f"file not found: {path}"
        raise _FetchFailed(msg)
    if not path.is_file():
        msg = f"not a regular file: {path}"
        raise _FetchFailed(msg)
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}"
        raise _FetchFailed(msg) from exc
    if len(body) > max_bytes:
        msg = f"file larger than {_size(max_bytes)}: {path}"
        raise _FetchFailed(msg)
    validators = Validators(etag=hashlib.sha256(body).hexdigest())
    if previous.etag == validators.etag:
        return FetchResult(location, "not-modified", validators=validators)
    return FetchResult(location, "ok", body=body, validators=validators)


# -- HTTP -----------------------------------------------------------------


class _Deadline:
    """The time a whole fetch must end by, enforced on every socket it opens.

    A socket timeout bounds each wait, not their sum: a server sending a byte
    a second never trips it. So a timer shuts each connection down when the
    time is up, which ends any read in progress, headers or body.
    """

    def __init__(
        self,
        timeout: float,
        dial: Callable[..., socket.socket] = socket.create_connection,
    ) -> None:
        self.timeout = timeout
        self.dial = dial
        self.end = time.monotonic() + timeout
        self.fired = False
        self._watches: list[tuple[threading.Timer, socket.socket]] = []

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.fired or self.remaining() <= 0

    def connect(self, *args: Any, **kwargs: Any) -> socket.socket:
        """Connect as ``dial`` does, with the socket shut down in time."""
        sock = self.dial(*args, **kwargs)
        # A duplicate: urllib closes its socket early, and TLS detaches it.
        guard = sock.dup()
        timer = threading.Timer(max(self.remaining(), 0), self._shut, (guard,))
        timer.daemon = True
        self._watches.append((timer, guard))
        timer.start()
        return sock

    def _shut(self, guard: socket.socket) -> None:
        self.fired = True
        with contextlib.suppress(OSError):  # the connection is already gone
            guard.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Stop every timer and close the duplicates."""
        for timer, guard in self._watches:
            timer.cancel()
            timer.join()
            guard.close()
        self._watches.clear()


class _Pins:
    """The addresses each host was looked up at, the only ones it is connected to.

    A connection through a proxy is to the proxy, which is not pinned: the
    proxy looks the feed's host up again itself.
    """

    def __init__(self) -> None:
        self.addresses: dict[str, tuple[str, ...]] = {}

    def resolve(self, host: str) -> tuple[str, ...]:
        """Look ``host`` up; pin it to the addresses found and return them."""
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        addresses = tuple(dict.fromkeys(str(info[4][0]) for info in found))
        self.addresses[host.lower()] = addresses
        return addresses

    def connect(
        self, address: tuple[str, int], *args: Any, **kwargs: Any
    ) -> socket.socket:
        """:func:`socket.create_connection`, to a pinned host's addresses in turn."""
        host, port = address
        pinned = self.addresses.get(host.lower())
        if not pinned:
            return socket.create_connection(address, *args, **kwargs)
        for ip in pinned[:-1]:
            with contextlib.suppress(OSError):
                return socket.create_connection((ip, port), *args, **kwargs)
        return socket.create_connection((pinned[-1], port), *args, **kwargs)


class _Watched:
    """Mixed into an http.client connection: connect through a :class:`_Deadline`."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = deadline.connect


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


_WATCHED = {
    http.client.HTTPConnection: _HTTPConnection,
    http.client.HTTPSConnection: _HTTPSConnection,
}


class _DeadlineHandler(urllib.request.AbstractHTTPHandler):
    """Mixed into urllib's http(s) handlers: open watched connections."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(
        self, http_class: type, req: urllib.request.Request, **kwargs: Any
    ) -> http.client.HTTPResponse:
        watched = partial(_WATCHED[http_class], deadline=self.deadline)
        return super().do_open(watched, req, **kwargs)


class _HTTPHandler(_DeadlineHandler, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_DeadlineHandler, urllib.request.HTTPSHandler):
    pass


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """Build an opener for http(s) only, one that leaves redirects to the caller."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _fetch_http(
    location: str,
    previous: Validators,
    *,
    timeout: float,
    max_bytes: int,
    user_agent: str,
) -> FetchResult:
    """Fetch over HTTP(S), following at most MAX_REDIRECTS http(s) redirects."""
    pins = _Pins()
    with contextlib.closing(_Deadline(timeout, dial=pins.connect)) as deadline:
        return _follow(
            location,
            previous,
            opener=_opener(deadline),
            deadline=deadline,
            pins=pins,
            max_bytes=max_bytes,
            user_agent=user_agent,
        )


def _follow(
    location: str,
    previous: Validators,
    *,
    opener: urllib.request.OpenerDirector,
    deadline: _Deadline,
    pins: _Pins,
    max_bytes: int,
    user_agent: str,
) -> FetchResult:
    """Request ``location`` and the redirects it leads to, within ``deadline``.

    A redirect to an internal address is refused unless ``location`` is on
    an internal network itself.
    """
    timeout = deadline.timeout
    url = _checked_url(location)
    seen = {url}
    internal_allowed = _listed_internal(url, pins)
    for _hop in range(MAX_REDIRECTS + 1):
        remaining = deadline.remaining()
        if remaining <= 0:
            raise _FetchFailed(_timed_out(timeout))
        try:
            request = _request(url, previous, user_agent)
            with opener.open(request, timeout=min(timeout, remaining)) as response:
                body = _read_body(response, deadline=deadline, max_bytes=max_bytes)
                return FetchResult(
                    location,
                    "ok",
                    body=body,
                    validators=_validators(response.headers),
                    content_type=response.headers.get("Content-Type"),
                    http_status=response.status,
                    url=url,
                )
        except urllib.error.HTTPError as exc:
            code, reason, headers = exc.code, exc.reason, exc.headers
            exc.close()
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if deadline.expired():  # the connection was shut down at the deadline
                raise _FetchFailed(_timed_out(timeout)) from exc
            raise _FetchFailed(_describe(exc, timeout)) from exc
        if code == 304:
            fresh = _validators(headers)
            return FetchResult(
                location,
                "not-modified",
                validators=Validators(
                    etag=fresh.etag or previous.etag,
                    last_modified=fresh.last_modified or previous.last_modified,
                ),
                content_type=headers.get("Content-Type"),
                http_status=code,
            )
        message = f"HTTP {code} {reason or _phrase(code)}".strip()
        if code in GONE_CODES:
            return FetchResult(location, "gone", http_status=code, error=message)
        if code not in REDIRECT_CODES or not headers.get("Location"):
            raise _FetchFailed(message, http_status=code)
        try:
            target = urljoin(url, headers["Location"].strip())
        except ValueError as exc:
            msg = f"redirected to a bad URL: {headers['Location']} ({exc})"
            raise _FetchFailed(msg, http_status=code) from exc
        if urlsplit(target).scheme.lower() not in {"http", "https"}:
            msg = f"redirected to a non-HTTP location: {target}"
            raise _FetchFailed(msg, http_status=code)
        target = _checked_url(target)
        if target in seen:
            msg = f"redirect loop: {url} redirects back to {target}"
            raise _FetchFailed(msg, http_status=code)
        if not internal_allowed:
            _refuse_internal(target, pins, code=code, timeout=timeout)
        logger.debug("%s: HTTP %d redirect to %s", location, code, target)
        seen.add(target)
        url = target
    msg = f"too many redirects (more than {MAX_REDIRECTS})"
    raise _FetchFailed(msg, http_status=code)


def _checked_url(url: str) -> str:
    """Return ``url`` if it is a usable http(s) URL; fail saying why if not."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        msg = f"bad URL {url}: {exc}"
        raise _FetchFailed(msg) from exc
    if parts.scheme.lower() not in {"http", "https"}:
        msg = f"not an http(s) URL: {url}"
        raise _FetchFailed(msg)
    if not parts.hostname:
        msg = f"bad URL {url}: no host"
        raise _FetchFailed(msg)
    return url


def _internal(address: str) -> bool:
    """Whether ``address`` is internal, not a public unicast one.

    That is loopback, private, link-local, unique-local, shared (CGNAT),
    reserved, unspecified or multicast.
    """
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def _listed_internal(url: str, pins: _Pins) -> bool:
    """Whether the registry's own feed URL is on an internal network.

    A host that cannot be looked up here is not: the request says why it
    fails, or a proxy looks it up.
    """
    try:
        return any(map(_internal, pins.resolve(str(urlsplit(url).hostname))))
    except (OSError, UnicodeError):
        return False


def _refuse_internal(target: str, pins: _Pins, *, code: int, timeout: float) -> None:
    """Fail if the redirect ``target``'s host has an internal address."""
    host = str(urlsplit(target).hostname)
    try:
        addresses = pins.resolve(host)
    except (OSError, UnicodeError) as exc:
        raise _FetchFailed(_describe(exc, timeout), http_status=code) from exc
    address = next(filter(_internal, addresses), None)
    if address is not None:
        where = "" if address == host else f" ({host} is {address})"
        msg = f"redirected to an internal address: {target}{where}"
        raise _FetchFailed(msg, http_status=code)


def _request(url: str, previous: Validators, user_agent: str) -> urllib.request.Request:
    """Build a GET with the conditional and content-negotiation headers."""
    headers = {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate",
    }
    if previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    return urllib.request.Request(url, headers=headers, method="GET")


def _validators(headers: Message) -> Validators:
    """Return the ETag and Last-Modified a response carries, if any."""
    return Validators(
        etag=headers.get("ETag") or None,
        last_modified=headers.get("Last-Modified") or None,
    )


def _read_body(
    response: http.client.HTTPResponse,
    *,
    deadline: _Deadline,
    max_bytes: int,
) -> bytes:
    """Read and decode a body in chunks, within the deadline and the size cap."""
    decoder = _Decoder(response.headers.get("Content-Encoding"), max_bytes)
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        msg = f"body larger than {_size(max_bytes)} (Content-Length {declared})"
        raise _FetchFailed(msg, http_status=response.status)
    received = 0
    while chunk := response.read1(CHUNK_SIZE):
        received += len(chunk)
        if received > max_bytes:
            msg = f"body larger than {_size(max_bytes)}"
            raise _FetchFailed(msg, http_status=response.status)
        decoder.feed(chunk)
    if deadline.expired():  # the end was the deadline shutting the connection
        msg = _timed_out(deadline.timeout)
        raise _FetchFailed(msg, http_status=response.status)
    return decoder.finish()


class _Decoder:
    """Undo a gzip or deflate Content-Encoding incrementally, capping the output."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        self.encoding = (encoding or "identity").strip().lower()
        if self.encoding not in {"identity", "gzip", "x-gzip", "deflate"}:
            msg = f"unsupported Content-Encoding {self.encoding!r}"
            raise _FetchFailed(msg)
        self.limit = limit
        self.output = bytearray()
        self._pending = b""
        self._zlib = None
        if self.encoding in {"gzip", "x-gzip"}:
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib

    def feed(self, data: bytes) -> None:
        """Decode one chunk of the body."""
        if self.encoding == "identity":
            self._append(data)
            return
        if self._zlib is None:  # deflate: zlib-wrapped per the RFC, raw in practice
            self._pending += data
            if len(self._pending) < 2:
                return
            data, self._pending = self._pending, b""
            wrapped = data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            self._zlib = zlib.decompressobj(
                zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
            )
        while data and not self._zlib.eof:
            room = self.limit - len(self.output) + 1
            try:
                self._append(self._zlib.decompress(data, room))
            except zlib.error as exc:
                msg = f"cannot decode {self.encoding} body: {exc}"
                raise _FetchFailed(msg) from exc
            data = self._zlib.unconsumed_tail

    def finish(self) -> bytes:
        """Return the decoded body; fail if a compressed stream was cut short."""
        if self._zlib is not None:
            try:
                self._append(self._zlib.flush())
            except zlib.error as exc:
                msg = f"cannot decode {self.encoding} body: {exc}"
                raise _FetchFailed(msg) from exc
            if not self._zlib.eof:
                msg = f"{self.encoding} body is truncated"
                raise _FetchFailed(msg)
        elif self.encoding != "identity":
            msg = f"{self.encoding} body is too short to decode"
            raise _FetchFailed(msg)
        return bytes(self.output)

    def _append(self, data: bytes) -> None:
        self.output += data
        if len(self.output) > self.limit:
            what = "body" if self.encoding == "identity" else "decompressed body"
            msg = f"{what} larger than {_size(self.limit)}"
            raise _FetchFailed(msg)


# -- messages -------------------------------------------------------------


def _describe(exc: BaseException, timeout: float) -> str:
    """Say what a network or URL problem was, in one short sentence."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        message = _timed_out(timeout)
    elif isinstance(exc, ssl.SSLCertVerificationError):
        message = f"TLS certificate not accepted: {exc.verify_message}"
    elif isinstance(exc, ssl.SSLError):
        message = f"TLS error: {exc.reason or exc}"
    elif isinstance(exc, socket.gaierror):
        message = f"cannot resolve host: {exc.strerror or exc}"
    elif isinstance(exc, ConnectionRefusedError):
        message = "connection refused"
    elif isinstance(exc, http.client.RemoteDisconnected):
        message = "server closed the connection without a response"
    elif isinstance(exc, http.client.IncompleteRead):
        message = "connection closed before the whole body arrived"
    elif isinstance(exc, urllib.error.URLError):
        message = f"cannot fetch: {exc.reason}"
    elif isinstance(exc, ValueError | http.client.InvalidURL):
        message = f"bad URL: {exc}"
    elif isinstance(exc, OSError) and exc.strerror:
        message = exc.strerror
    else:
        message = f"{exc.__class__.__name__}: {exc}" if str(exc) else repr(exc)
    return message


def _timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} s"


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def _size(count: int) -> str:
    """Say a byte count the way people do: 10 MiB, 512 KiB, 1000 bytes."""
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"


def _one_line(text: str) -> str:
    return " ".join(text.split())
