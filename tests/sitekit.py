"""Build tiny real sites for tests: registry, feeds, ingest, Pelican build."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from newsdigest.ingest.run import IngestSummary, run_ingest
from newsdigest.registry import load_registry

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
#: An mtime no build can produce, given to every file after the first build.
OLD_NS = 1_000_000_000 * 10**9


@dataclass
class Item:
    """One feed item, written into RSS 2.0 by :func:`rss`."""

    title: str
    link: str
    published: datetime | None
    description: str = ""
    guid: str | None = None
    categories: tuple[str, ...] = ()


def rss(items: list[Item], title: str = "Test feed") -> str:
    """An RSS 2.0 document holding ``items`` (text is XML-escaped)."""
    entries = []
    for item in items:
        parts = [
            f"<title>{escape(item.title)}</title>",
            f"<link>{escape(item.link)}</link>",
        ]
        if item.published is not None:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        if item.description:
            parts.append(f"<description>{escape(item.description)}</description>")
        parts.append(f"<guid>{escape(item.guid or item.link)}</guid>")
        parts.extend(f"<category>{escape(c)}</category>" for c in item.categories)
        entries.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://feed.example/</link>"
        f"<description>test</description>{''.join(entries)}</channel></rss>"
    )


@dataclass
class Project:
    """A throwaway newsdigest project in a temporary folder."""

    root: Path
    outlets: list[dict] = field(default_factory=list)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def state(self) -> Path:
        return self.root / ".newsdigest" / "state.sqlite"

    @property
    def sources(self) -> Path:
        return self.root / "sources.yaml"

    def add_outlet(self, outlet_id: str, items: list[Item], **fields: str) -> None:
        """Register an outlet whose one feed holds ``items``."""
        feed = self.root / "feeds" / f"{outlet_id}.xml"
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_text(rss(items), encoding="utf-8")
        self.outlets = [o for o in self.outlets if o["id"] != outlet_id]
        entry = {
            "id": outlet_id,
            "name": fields.pop("name", outlet_id.replace("-", " ").title()),
            "feeds": [f"feeds/{outlet_id}.xml"],
            "country": "US",
            "language": "en",
            **fields,
        }
        self.outlets.append(entry)
        self._write_registry()

    def _write_registry(self) -> None:
        lines = ["outlets:"]
        for outlet in self.outlets:
            lines.append(f"  - id: {outlet['id']}")
            for key, value in outlet.items():
                if key == "id":
                    continue
                if isinstance(value, list):
                    lines.append(f"    {key}:")
                    lines.extend(f"      - {v}" for v in value)
                else:
                    lines.append(f'    {key}: "{value}"')
        self.sources.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def ingest(self, now: datetime = NOW) -> IngestSummary:
        """Run the real ingest over the registry."""
        return run_ingest(
            load_registry(self.sources), self.content, self.state, now=now
        )

    def site_settings(self, **overrides: object) -> dict[str, object]:
        """The repository's settings, theme and plugin, pointed at this project."""
        return {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "THEME": str(REPO / "theme"),
            "PLUGIN_PATHS": [str(REPO / "plugins")],
            "NEWSDIGEST_SOURCES": str(self.sources),
            "CACHE_PATH": str(self.root / "cache"),
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            **overrides,
        }

    def build(self, **overrides: object) -> Path:
        """Run a real Pelican build with the repository's settings and theme."""
        settings = read_settings(
            str(REPO / "pelicanconf.py"), override=self.site_settings(**overrides)
        )
        self.content.mkdir(parents=True, exist_ok=True)
        Pelican(settings).run()
        return self.output

    def settings_file(self, **overrides: object) -> Path:
        """A settings file with :meth:`site_settings`, for command-line builds."""
        lines = [
            f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom pelicanconf import *"
        ]
        lines += [f"{k} = {v!r}" for k, v in self.site_settings(**overrides).items()]
        path = self.root / "siteconf.py"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.content.mkdir(parents=True, exist_ok=True)
        return path

    def page(self, relative: str) -> str:
        """The text of a built page."""
        return (self.output / relative).read_text(encoding="utf-8")

    def add_sample(self) -> IngestSummary:
        """What `make site` puts in content/: the sample feeds ingested, offline,
        and the committed dispatches, pages and logos (a clean checkout has no stories).
        """
        self.sources.write_bytes((REPO / "sources.yaml").read_bytes())
        summary = run_ingest(
            load_registry(REPO / "sources.yaml"), self.content, self.state
        )
        for source in (REPO / "content").glob("[!s]*/**/*.*"):
            target = self.content / source.relative_to(REPO / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
        return summary

    def story_files(self) -> list[Path]:
        """Every story file ingest wrote, sorted."""
        return sorted((self.content / "stories").rglob("*.md"))

    def add_dispatch(self, text: str, slug: str, month: str = "2026/11") -> Path:
        """Write a hand-made dispatch file ``dispatches/<month>/<slug>.md``."""
        path = self.content / "dispatches" / month / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def stamps(output: Path) -> dict[str, tuple[int, int, int]]:
    """Each output file's (mtime, ctime, inode), by path relative to ``output``."""
    return {
        path.relative_to(output).as_posix(): (
            path.stat().st_mtime_ns,
            path.stat().st_ctime_ns,
            path.stat().st_ino,
        )
        for path in output.rglob("*")
        if path.is_file()
    }


def contents(output: Path) -> dict[str, bytes]:
    """Each output file's bytes, by path relative to ``output``."""
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in output.rglob("*")
        if path.is_file()
    }


def age(output: Path) -> dict[str, tuple[int, int, int]]:
    """Give every output file an old mtime, then return the stamps."""
    for path in output.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD_NS, OLD_NS))
    return stamps(output)


@contextmanager
def served(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local HTTP server answering with ``handler``; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
