"""Hostile and broken feeds through the whole ingest, served on 127.0.0.1.

One ingest meets every kind of trouble at once: each feed gets a clear
message in the summary, and the good feed still becomes a story. Later runs
skip gone feeds until their registry entry changes (or ``retry_gone``) and
wait ever longer before retrying failing ones. Titles built to escape
content/ (path traversal, reserved names, very long names, Unicode) end up
as safe file names inside it.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sitekit import NOW, Item, Project, rss

from newsdigest.cli import main
from newsdigest.content import frontmatter
from newsdigest.ingest.run import FeedOutcome, IngestOptions, IngestSummary, run_ingest
from newsdigest.registry import load_registry

KIB = 2**10
MAX_BYTES = 256 * KIB
TIMEOUT = 3.0
WHEN = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def channel(items: str, declaration: str = '<?xml version="1.0"?>') -> str:
    return (
        f'{declaration}<rss version="2.0"><channel><title>T</title>'
        f"<link>https://feed.example/</link>{items}</channel></rss>"
    )


def item(title: str, link: str, extra: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link>{extra}</item>"


DATED = "<pubDate>Sun, 22 Nov 2026 09:00:00 GMT</pubDate>"
LOLS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
BILLION_LAUGHS = (
    f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{LOLS}]>'
    + channel(item("Laughs &lol9;", "https://laughs.example/1", DATED), "")
).encode()
ONE_BIG_ENTITY = (
    f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{"x" * 100_000}">]>'
    + channel(
        item(
            "Big",
            "https://big.example/1",
            f"{DATED}<description>{'&big;' * 95}</description>",
        ),
        "",
    )
).encode()


@functools.cache
def gzip_bomb() -> bytes:
    """20 MiB of zeros, gzip-compressed to about 20 KiB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join(
        [*(packer.compress(bytes(2**20)) for _ in range(20)), packer.flush()]
    )


@dataclass
class Server:
    """A loopback server playing good and bad feeds, and what it was asked."""

    base: str
    stop: threading.Event
    requests: list[str] = field(default_factory=list)
    healthy: bool = False

    def url(self, path: str) -> str:
        return self.base + path

    def asked(self, path: str) -> int:
        return self.requests.count(path)


class Handler(BaseHTTPRequestHandler):
    """Each path is one kind of trouble."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    @property
    def state(self) -> Server:
        return self.server.state  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self.state.requests.append(self.path)
        route = ROUTES.get(self.path, lambda h: h.reply(404, b""))
        with contextlib.suppress(OSError):  # the client gave up, as it should
            route(self)

    def reply(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/rss+xml",
        **headers: str,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, target: str) -> None:
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def trickle(self) -> None:
        """Send a byte every 0.2 s until the client or the test gives up."""
        self.send_response(200)
        self.end_headers()
        while not self.state.stop.wait(0.2):
            self.wfile.write(b" ")
            self.wfile.flush()

    def flaky(self) -> None:
        if self.state.healthy:
            self.reply(200, GOOD)
        else:
            self.reply(500, b"")


GOOD = rss(
    [
        Item(
            "Harbor bridge closed after cracks",
            "https://good.example/1",
            WHEN,
            "Cracks.",
        ),
        Item("Ferry timetable changes", "https://good.example/2", WHEN, "Winter."),
    ]
).encode()
ROUTES: dict[str, Callable[[Handler], None]] = {
    "/good": lambda h: h.reply(200, GOOD),
    "/flaky": Handler.flaky,
    "/missing": lambda h: h.reply(404, b"not here"),
    "/removed": lambda h: h.reply(410, b"gone"),
    "/error": lambda h: h.reply(500, b"oops"),
    "/loop-a": lambda h: h.redirect("/loop-b"),
    "/loop-b": lambda h: h.redirect("/loop-a"),
    "/slow": Handler.trickle,
    "/stall": lambda h: h.state.stop.wait(10),
    "/big": lambda h: h.reply(200, b" " * (4 * MAX_BYTES)),
    "/gzip-bomb": lambda h: h.reply(200, gzip_bomb(), Content_Encoding="gzip"),
    "/billion-laughs": lambda h: h.reply(200, BILLION_LAUGHS),
    "/one-big-entity": lambda h: h.reply(200, ONE_BIG_ENTITY),
    "/html": lambda h: h.reply(
        200, b"<html><body><h1>502 Bad Gateway</h1>", "text/html"
    ),
    "/empty-body": lambda h: h.reply(200, b""),
    "/empty-feed": lambda h: h.reply(200, channel("").encode()),
    "/koi8-r": lambda h: h.reply(
        200,
        channel(
            item("Мост закрыт после проверки", "https://koi8.example/1", DATED)
        ).encode("koi8-r"),
        "text/xml; charset=koi8-r",
    ),
    "/latin-1": lambda h: h.reply(
        200,
        channel(item("Café crème à Zürich", "https://latin.example/1", DATED)).encode(
            "latin-1"
        ),
        "application/rss+xml",
    ),
    "/no-fields": lambda h: h.reply(
        200,
        channel(
            item("Undated but fine", "https://fields.example/1")
            + f"<item><title>No link</title>{DATED}</item>"
            + f"<item><link>https://fields.example/3</link>{DATED}</item>"
        ).encode(),
    ),
    "/future": lambda h: h.reply(
        200,
        channel(
            item(
                "From the future",
                "https://future.example/1",
                "<pubDate>Mon, 01 Jan 2035 00:00:00 GMT</pubDate>",
            )
        ).encode(),
    ),
    "/duplicate-guids": lambda h: h.reply(
        200,
        channel(
            item("First take", "https://dup.example/1", f"{DATED}<guid>same</guid>")
            + item("Second take", "https://dup.example/2", f"{DATED}<guid>same</guid>")
        ).encode(),
    ),
}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    state = Server(base=f"http://{host}:{port}", stop=threading.Event())
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("http_proxy", "https_proxy", "all_proxy"):
            patch.delenv(name, raising=False)
            patch.delenv(name.upper(), raising=False)
        yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def register(project: Project, server: Server, paths: list[str]) -> None:
    """One outlet per path, named after it."""
    project.outlets = [
        {"id": path.strip("/"), "name": path.strip("/"), "feeds": [server.url(path)]}
        for path in paths
    ]
    project._write_registry()


def ingest(project: Project, now: datetime = NOW, **options: object) -> IngestSummary:
    return run_ingest(
        load_registry(project.sources),
        project.content,
        project.state,
        options=IngestOptions(timeout=TIMEOUT, max_bytes=MAX_BYTES, **options),  # type: ignore[arg-type]
        now=now,
    )


@pytest.fixture(scope="module")
def everything(
    server: Server, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Project, dict[str, FeedOutcome], float]:
    """One ingest over every route; how each feed went and how long it took."""
    project = Project(tmp_path_factory.mktemp("hostile"))
    register(project, server, [path for path in ROUTES if path != "/flaky"])
    started = time.monotonic()
    summary = ingest(project)
    elapsed = time.monotonic() - started
    return project, {feed.outlet: feed for feed in summary.feeds}, elapsed


@pytest.mark.parametrize(
    ("outlet", "status", "message"),
    [
        ("missing", "gone", "HTTP 404 Not Found"),
        ("removed", "gone", "HTTP 410 Gone"),
        ("error", "failed", "HTTP 500 Internal Server Error"),
        ("loop-a", "failed", "redirect loop"),
        ("slow", "failed", "timed out after 3 s"),
        ("stall", "failed", "timed out after 3 s"),
        ("big", "failed", "body larger than 256 KiB"),
        ("gzip-bomb", "failed", "decompressed body larger than 256 KiB"),
        ("billion-laughs", "failed", "refused: the feed declares XML entities"),
        ("one-big-entity", "failed", "refused: the feed declares XML entities"),
        ("html", "failed", "not a feed: the server sent a web page (text/html)"),
        ("empty-body", "failed", "not a feed"),
    ],
)
def test_each_broken_feed_fails_with_a_clear_message(
    everything: tuple[Project, dict[str, FeedOutcome], float],
    outlet: str,
    status: str,
    message: str,
) -> None:
    _project, feeds, _elapsed = everything
    assert (feeds[outlet].status, feeds[outlet].reports) == (status, 0)
    assert message in (feeds[outlet].error or "")


@pytest.mark.parametrize(
    ("outlet", "reports", "problem"),
    [
        ("empty-feed", 0, "the feed has no entries"),
        ("latin-1", 1, "declared as utf-8, but parsed as windows-1252"),
        (
            "no-fields",
            1,
            "entry 1 ('Undated but fine'): no date; dated when first seen",
        ),
        ("no-fields", 1, "entry 2 ('No link'): no http(s) link; skipped"),
        ("no-fields", 1, "entry 3: no title or text; skipped"),
        ("future", 1, "dated in the future (2035-01-01); dated when seen"),
        (
            "duplicate-guids",
            2,
            (
                "https://dup.example/2: same GUID, link, or headline and time as "
                "https://dup.example/1; kept the first"
            ),
        ),
    ],
)
def test_each_odd_feed_is_read_with_a_clear_warning(
    everything: tuple[Project, dict[str, FeedOutcome], float],
    outlet: str,
    reports: int,
    problem: str,
) -> None:
    _project, feeds, _elapsed = everything
    assert (feeds[outlet].status, feeds[outlet].reports) == ("ok", reports)
    assert any(problem in line for line in feeds[outlet].problems), feeds[
        outlet
    ].problems


def test_good_feeds_proceed_and_text_is_decoded_by_the_servers_charset(
    everything: tuple[Project, dict[str, FeedOutcome], float],
) -> None:
    project, feeds, elapsed = everything
    assert feeds["good"].status == "ok"
    titles = {frontmatter.read(path).meta["title"] for path in project.story_files()}
    assert {
        "Harbor bridge closed after cracks",
        "Ferry timetable changes",
        "Мост закрыт после проверки",
        "Café crème à Zürich",
        "Undated but fine",
        "From the future",
        "First take",
    } <= titles
    assert not any("lol" in title or "xxxx" in title for title in titles)
    assert elapsed < 10


def test_gone_feed_is_skipped_until_its_entry_changes_or_retry_gone(
    server: Server, project: Project
) -> None:
    register(project, server, ["/good", "/removed"])
    assert ingest(project).feeds[1].status == "gone"
    asked = server.asked("/removed")
    skipped = ingest(project).feeds[1]
    assert server.asked("/removed") == asked
    assert (skipped.status, skipped.error) == (
        "gone",
        (
            "HTTP 410 Gone on 2026-11-22; not fetched until its registry entry "
            "changes (or ingest --retry-gone)"
        ),
    )
    assert ingest(project, retry_gone=True).feeds[1].status == "gone"
    assert server.asked("/removed") == asked + 1
    project.outlets[1]["name"] = "Removed, renamed by the desk"
    project._write_registry()
    ingest(project)
    assert server.asked("/removed") == asked + 2


def test_failing_feed_waits_twice_as_long_after_each_failure(
    server: Server, project: Project
) -> None:
    server.healthy = False
    register(project, server, ["/flaky"])
    asked = server.asked("/flaky")
    schedule = [  # minutes after NOW, and whether the feed is fetched then
        (0, True),
        (29, False),
        (30, True),  # first wait: 30 minutes
        (89, False),
        (90, True),  # second wait: an hour
    ]
    for minutes, fetched in schedule:
        feed = ingest(project, now=NOW + timedelta(minutes=minutes)).feeds[0]
        assert feed.status == ("failed" if fetched else "waiting")
    assert server.asked("/flaky") == asked + 3
    assert feed.error == "HTTP 500 Internal Server Error"
    waiting = ingest(project, now=NOW + timedelta(minutes=91)).feeds[0]
    assert waiting.error == (
        "failed 3 time(s) in a row, last: HTTP 500 Internal Server Error; "
        "next try after 2026-11-22T15:30:00Z"
    )
    server.healthy = True
    assert ingest(project, now=NOW + timedelta(hours=5)).feeds[0].status == "ok"
    server.healthy = False
    assert ingest(project, now=NOW + timedelta(hours=6)).feeds[0].status == "failed"
    later = ingest(project, now=NOW + timedelta(hours=6, minutes=30)).feeds[0]
    assert later.status == "failed"  # the count started again after the success


def test_summary_lists_waiting_and_gone_feeds(
    server: Server, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    register(project, server, ["/good", "/missing", "/error"])
    args = [
        "ingest",
        "--sources",
        str(project.sources),
        "--content",
        str(project.content),
        "--state",
        str(project.state),
    ]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1 ok, 0 not modified, 1 gone, 0 failed, 1 waiting to retry" in out
    assert f"gone missing {server.url('/missing')}: HTTP 404 Not Found on " in out
    assert f"waiting error {server.url('/error')}: failed 1 time(s) in a row" in out


HOSTILE_TITLES = [
    "../../../../etc/passwd",
    "..\\..\\windows\\system32\\drivers",
    "/var/www/index",
    "CON",
    "nul",
    "com1",
    "LPT9",
    ".",
    "..",
    ".hidden",
    "%2e%2e%2fetc%2fpasswd",
    "A" * 300,
    "Ünïcödé façade — 東京 🚀",
    "日本語のみ",
    "🚀🚀🚀",
    "\u202eevil\u202d.md",
]


def test_file_names_from_feed_titles_stay_inside_content(project: Project) -> None:
    words = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "garnet", "heath"]
    project.add_outlet(
        "hostile",
        [
            Item(
                title,
                f"https://hostile.example/{number}",
                NOW - timedelta(days=number * 4),
                " ".join(f"{word}{number}" for word in words),
            )
            for number, title in enumerate(HOSTILE_TITLES)
        ],
    )
    project.ingest()
    stories = (project.content / "stories").resolve()
    files = [path for path in project.root.rglob("*") if path.is_file()]
    written = [path for path in files if path.suffix == ".md"]
    assert len(written) == len(HOSTILE_TITLES)
    reserved = {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"{d}{n}" for d in ("com", "lpt") for n in range(10)),
    }
    for path in written:
        assert path.resolve().is_relative_to(stories)
        year, month, name = path.resolve().relative_to(stories).parts
        assert len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.md", name)
        assert len(name) <= 80 + len(".md")
        assert path.stem not in reserved
        assert frontmatter.read(path).meta["slug"] == path.stem
    titles = {frontmatter.read(path).meta["title"] for path in written}
    assert "../../../../etc/passwd" in titles
    assert {p.relative_to(project.root).parts[0] for p in files} == {
        ".newsdigest",
        "content",
        "feeds",
        "sources.yaml",
    }


@pytest.mark.parametrize("field", ["summary", "title"])
def test_feed_text_that_wraps_to_a_fence_line_stays_in_the_front_matter(
    project: Project, field: str
) -> None:
    """YAML wraps a long value onto indented lines; a text ending " ---" once
    wrapped to a line "    ---", which closed the front matter: the GUID below
    became Markdown (a phishing link on the page) or the story lost its fields."""
    lure = "[Read the official statement](https://phish.example/login)"
    text = "Harbor bridge closed after inspectors find cracks in girders"
    padding = {"summary": 9, "title": 11}[field]  # where it wraps to "  ---"
    fenced = text + " x" * padding + " ---"
    title, summary = (text, fenced) if field == "summary" else (fenced, text)
    project.add_outlet(
        "hostile",
        [Item(title, "https://evil.example/a1", NOW, summary, guid=f"tag:x {lure}")],
    )
    project.ingest()
    [path] = project.story_files()
    assert re.search(r"\n +---\n", path.read_text(encoding="utf-8"))  # wrapped
    meta = frontmatter.read(path).meta
    assert meta["reports"][0]["guid"] == f"tag:x {lure}"
    project.build()
    page = project.page(f"stories/{meta['slug']}/index.html")
    assert "phish.example" not in page.split('<div class="summary"', 1)[1][:2000]
