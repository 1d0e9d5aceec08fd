"""The ingest state store: SQLite, transactional, disposable.

It remembers what makes the next ingest cheap and correct: per feed, the
conditional-GET validators and when a gone or failing feed may be fetched
again; every key a report has ever been known by (only ever added to, so a
report an editor deleted stays deleted); and per story file, the hash of the
bytes last indexed, its slug, its ``merged_into`` and its reports' clustering
text. A file whose bytes no longer match (edited by hand, or written by a run
that was killed before it committed) is indexed again at the start of the
next run. Deleting the store loses only the validators and the retry times:
a report an editor deletes is listed under ``removed:`` in its story file by
the next run, so the run after a deletion of the store rebuilds the rest, that
memory included, from ``content/``.
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
from newsdigest.records import Validators
from newsdigest.times import format_time, parse_time

SCHEMA_VERSION = "2"
_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    location TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
    status TEXT, error TEXT, checked_at TEXT,
    entry TEXT, failures INTEGER NOT NULL DEFAULT 0, retry_after TEXT);
CREATE TABLE IF NOT EXISTS report_keys (key TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, slug TEXT NOT NULL,
    merged_into TEXT);
CREATE TABLE IF NOT EXISTS reports (
    url TEXT NOT NULL, file TEXT NOT NULL, outlet TEXT NOT NULL,
    published TEXT NOT NULL, lang TEXT, text TEXT NOT NULL,
    PRIMARY KEY (url, file));
CREATE INDEX IF NOT EXISTS reports_published ON reports (published);
"""
#: Created on every open, so stores made before an index was added get it too.
_INDEXES = "CREATE INDEX IF NOT EXISTS reports_file ON reports (file)"


@dataclass(frozen=True)
class StoredReport:
    """A report in a story file, as clustering needs it."""

    url: str
    #: The story file it is in, relative to content/.
    file: str
    outlet: str
    published: datetime
    lang: str | None
    text: str


@dataclass(frozen=True)
class FeedState:
    """How a feed's last fetch went, and whether it may be fetched again."""

    status: str
    error: str | None
    checked_at: datetime
    #: Fingerprint of the outlet's registry entry when this was recorded.
    entry: str
    #: Failed fetches in a row, and when the next try is due.
    failures: int = 0
    retry_after: datetime | None = None


class StateStore:
    """Ingest state in one SQLite file; open one per run and close it after."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(_META)
        #: True when the store is new, from another schema, or was never
        #: rebuilt from content (see :meth:`mark_rebuilt`), so started empty.
        self.created = self._meta("schema") != SCHEMA_VERSION
        if self.created:
            old = self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta'"
            ).fetchall()
            self.db.executescript(
                "".join(f"DROP TABLE {name};" for (name,) in old) + _SCHEMA
            )
        self.db.execute(_INDEXES)

    def mark_rebuilt(self) -> None:
        """Record that the store holds all of content/: later opens keep it.

        Call it in the transaction that indexed content/; until it commits,
        every open starts the store empty again.
        """
        self._set_meta("schema", SCHEMA_VERSION)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

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

    def feed_state(self, location: str) -> FeedState | None:
        """How the feed's last fetch went, if it was ever fetched."""
        row = self.db.execute(
            "SELECT status, error, checked_at, entry, failures, retry_after "
            "FROM feeds WHERE location = ?",
            (location,),
        ).fetchone()
        if row is None:
            return None
        status, error, checked_at, entry, failures, retry_after = row
        return FeedState(
            status,
            error,
            parse_time(checked_at),
            entry or "",
            failures,
            parse_time(retry_after) if retry_after else None,
        )

    def record_feed(
        self, location: str, validators: Validators | None, state: FeedState
    ) -> None:
        """Remember a feed's outcome; keep old validators when none came back."""
        previous = self.validators(location)
        keep = (
            validators
            if validators and (validators.etag or validators.last_modified)
            else previous
        )
        self.db.execute(
            "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                location,
                keep.etag if keep else None,
                keep.last_modified if keep else None,
                state.status,
                state.error,
                format_time(state.checked_at),
                state.entry,
                state.failures,
                format_time(state.retry_after) if state.retry_after else None,
            ),
        )

    # -- reports and story files -----------------------------------------
    def seen(self, keys: list[str]) -> bool:
        """True if a report was ever known by any of these keys."""
        marks = ",".join("?" * len(keys))
        row = self.db.execute(
            f"SELECT 1 FROM report_keys WHERE key IN ({marks}) LIMIT 1", keys
        ).fetchone()
        return row is not None

    def add_keys(self, keys: list[str]) -> None:
        """Remember these keys for good."""
        self.db.executemany(
            "INSERT OR IGNORE INTO report_keys VALUES (?)", [(k,) for k in keys]
        )

    def add_reports(self, reports: list[StoredReport]) -> None:
        """Remember reports' clustering texts and the files they are in."""
        self.db.executemany(
            "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?)",
            [
                (r.url, r.file, r.outlet, format_time(r.published), r.lang, r.text)
                for r in reports
            ],
        )

    def reports_since(self, since: datetime) -> list[StoredReport]:
        """Reports published at or after ``since``: the clustering window."""
        rows = self.db.execute(
            "SELECT url, file, outlet, published, lang, text FROM reports "
            "WHERE published >= ? ORDER BY published, url, file",
            (format_time(since),),
        )
        return [
            StoredReport(url, file, outlet, parse_time(published), lang, text)
            for url, file, outlet, published, lang, text in rows
        ]

    def file_urls(self, path: str) -> set[str]:
        """The URLs of the reports last indexed in a story file."""
        rows = self.db.execute("SELECT url FROM reports WHERE file = ?", (path,))
        return {url for (url,) in rows}

    def held(self, urls: set[str]) -> set[str]:
        """Those of ``urls`` that some indexed story file holds."""
        marks = ",".join("?" * len(urls))
        rows = self.db.execute(
            f"SELECT DISTINCT url FROM reports WHERE url IN ({marks})", sorted(urls)
        )
        return {url for (url,) in rows}

    def file_hashes(self) -> dict[str, str]:
        """The sha256 of every indexed story file, by path relative to content/."""
        return dict(self.db.execute("SELECT path, sha256 FROM files"))

    def add_file(
        self, path: str, sha256: str, slug: str, merged_into: str | None
    ) -> None:
        """Remember a story file as indexed (its reports are added separately)."""
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            (path, sha256, slug, merged_into),
        )

    def forget_file(self, path: str) -> None:
        """Forget a story file and its reports' texts (their keys stay)."""
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))
        self.db.execute("DELETE FROM reports WHERE file = ?", (path,))

    def routes(self) -> dict[str, str]:
        """For each story file, the slug its new reports go to.

        That is its own slug, or, when an editor wrote ``merged_into: <slug>``,
        the story it was merged into (followed along chains, never round loops).
        """
        rows = self.db.execute(
            "SELECT path, slug, merged_into FROM files ORDER BY path"
        ).fetchall()
        target: dict[str, str | None] = {}
        for _path, slug, merged_into in rows:
            target.setdefault(slug, merged_into)
        routes = {}
        for path, slug, _merged_into in rows:
            route, visited = slug, {slug}
            while (step := target.get(route)) in target and step not in visited:
                route = step
                visited.add(route)
            routes[path] = route
        return routes

    def story_path(self, slug: str) -> str | None:
        """The file of a known story, relative to content/."""
        row = self.db.execute(
            "SELECT path FROM files WHERE slug = ? ORDER BY path LIMIT 1", (slug,)
        ).fetchone()
        return row[0] if row else None

    def slugs(self) -> set[str]:
        """Every story slug in use."""
        return {row[0] for row in self.db.execute("SELECT slug FROM files")}


@contextmanager
def exclusive_lock(state_path: Path, content_dir: Path) -> Iterator[None]:
    """Hold the ingest lock; a second ingest on ``content_dir`` exits clearly.

    The lock is held on the content folder itself, which ingest writes, so
    deleting the store's folder mid-run does not let a second ingest in. Who
    holds it is noted in a file beside the store, for the second one's message.
    """
    content_dir.mkdir(parents=True, exist_ok=True)
    folder = os.open(content_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(state_path)
            msg = f"another ingest is running ({holder}); try again when it ends"
            raise NewsdigestError(msg) from None
        holder = state_path.with_suffix(".lock")
        holder.parent.mkdir(parents=True, exist_ok=True)
        holder.write_text(f"pid {os.getpid()}", encoding="utf-8")
        yield
    finally:
        os.close(folder)  # which releases the lock


def _holder(state_path: Path) -> str:
    """Who holds the ingest lock, as its holder noted it."""
    try:
        noted = state_path.with_suffix(".lock").read_text(encoding="utf-8").strip()
    except OSError:
        noted = ""
    return noted or "another process"
