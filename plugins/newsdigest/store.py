"""The ingest state store: SQLite, transactional, disposable.

It remembers what makes the next ingest cheap and correct: conditional-GET
validators per feed, every key a seen report is known by, which story each
report joined, and the hash of each file ingest wrote. Everything but the
validators can be rebuilt from ``content/``; a run that did not finish marks
the store dirty, and the next run rebuilds it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsdigest.errors import NewsdigestError
from newsdigest.ingest.fetch import Validators
from newsdigest.times import format_time, parse_time

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    location TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
    status TEXT, error TEXT, checked_at TEXT);
CREATE TABLE IF NOT EXISTS report_keys (key TEXT PRIMARY KEY, story TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    url TEXT PRIMARY KEY, story TEXT NOT NULL, outlet TEXT NOT NULL,
    published TEXT NOT NULL, lang TEXT, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reports_published ON reports (published);
CREATE TABLE IF NOT EXISTS stories (slug TEXT PRIMARY KEY, path TEXT NOT NULL);
"""


@dataclass(frozen=True)
class StoredReport:
    """A report already in a story, as clustering needs it."""

    url: str
    story: str
    outlet: str
    published: datetime
    lang: str | None
    text: str


class StateStore:
    """Ingest state in one SQLite file; use as a context manager per run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- run bookkeeping -------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def needs_rebuild(self) -> bool:
        """True when the store is new, from another schema, or a run died."""
        return self._meta("schema") != SCHEMA_VERSION or self._meta("clean") != "1"

    def clear_content_state(self) -> None:
        """Forget everything that is rebuilt from content (keep feed validators)."""
        with self.transaction():
            for table in ("report_keys", "reports", "stories"):
                self.db.execute(f"DELETE FROM {table}")
            self._set_meta("schema", SCHEMA_VERSION)

    def mark_running(self) -> None:
        """Record that a run has started changing content."""
        self._set_meta("clean", "0")

    def mark_clean(self) -> None:
        """Record that content and store agree again."""
        self._set_meta("clean", "1")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- feeds -----------------------------------------------------------
    def validators(self, location: str) -> Validators | None:
        """What the server said last time about this feed."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM feeds WHERE location = ?", (location,)
        ).fetchone()
        return Validators(etag=row[0], last_modified=row[1]) if row else None

    def record_feed(
        self,
        location: str,
        validators: Validators | None,
        status: str,
        error: str | None,
        checked_at: datetime,
    ) -> None:
        """Remember a feed's outcome; keep old validators when none came back."""
        previous = self.validators(location)
        keep = (
            validators
            if validators and (validators.etag or validators.last_modified)
            else previous
        )
        self.db.execute(
            "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?)",
            (
                location,
                keep.etag if keep else None,
                keep.last_modified if keep else None,
                status,
                error,
                format_time(checked_at),
            ),
        )

    # -- reports and stories --------------------------------------------
    def story_for_keys(self, keys: list[str]) -> str | None:
        """The story a report with any of these keys already belongs to."""
        marks = ",".join("?" * len(keys))
        row = self.db.execute(
            f"SELECT story FROM report_keys WHERE key IN ({marks}) LIMIT 1",
            keys,
        ).fetchone()
        return row[0] if row else None

    def add_keys(self, keys: list[str], story: str) -> None:
        """Remember that these keys belong to ``story``."""
        self.db.executemany(
            "INSERT OR IGNORE INTO report_keys VALUES (?, ?)",
            [(k, story) for k in keys],
        )

    def add_report(self, report: StoredReport) -> None:
        """Remember a report's clustering text."""
        self.db.execute(
            "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?)",
            (
                report.url,
                report.story,
                report.outlet,
                format_time(report.published),
                report.lang,
                report.text,
            ),
        )

    def reports_since(self, since: datetime) -> list[StoredReport]:
        """Reports published at or after ``since``: the clustering window."""
        rows = self.db.execute(
            "SELECT url, story, outlet, published, lang, text FROM reports "
            "WHERE published >= ? ORDER BY published, url",
            (format_time(since),),
        )
        return [
            StoredReport(url, story, outlet, parse_time(published), lang, text)
            for url, story, outlet, published, lang, text in rows
        ]

    def add_story(self, slug: str, path: str) -> None:
        """Remember a story's slug and file (relative to content/)."""
        self.db.execute("INSERT OR REPLACE INTO stories VALUES (?, ?)", (slug, path))

    def story_path(self, slug: str) -> str | None:
        """The file of a known story, relative to content/."""
        row = self.db.execute(
            "SELECT path FROM stories WHERE slug = ?", (slug,)
        ).fetchone()
        return row[0] if row else None

    def slugs(self) -> set[str]:
        """Every story slug in use."""
        return {row[0] for row in self.db.execute("SELECT slug FROM stories")}


@contextmanager
def exclusive_lock(state_path: Path) -> Iterator[None]:
    """Hold the ingest lock beside the store; a second ingest exits clearly."""
    lock_path = state_path.with_suffix(".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            msg = f"another ingest is running ({holder}); try again when it ends"
            raise NewsdigestError(msg) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
