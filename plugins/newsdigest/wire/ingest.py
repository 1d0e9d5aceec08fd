"""Dispatches by ingest: the desk's own Atom/RSS feed or JSON Lines intake export.

Each item of a ``kind: dispatch`` outlet has an id. The first item with an id
becomes a dispatch file that keeps the id as ``ingest_id``; a later item with
the same id adds a development and moves ``modified`` (and ``status``, unless
a person changed it) instead of making a new page. Ingest owns nothing else:
like a story, a dispatch file keeps every hand edit, a development a person
deleted does not come back, a file a person deleted is not recreated, and a
file with ``locked: true`` is left alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser

from newsdigest.content import frontmatter
from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.errors import InputError
from newsdigest.records import Outlet
from newsdigest.sanitize import escape_markdown, to_text
from newsdigest.slugs import unique_slug
from newsdigest.store import StateStore
from newsdigest.times import format_time, parse_time, placeholder_time
from newsdigest.wire.dispatchfile import add_development
from newsdigest.wire.records import DISPATCHES_DIR, STATUSES

logger = logging.getLogger(__name__)

TITLE_MAX = 300
TEXT_MAX = 5000


@dataclass(frozen=True)
class DeskItem:
    """One item of the desk's feed or export: a dispatch or a development of one."""

    id: str
    title: str
    time: datetime
    text: str = ""
    desk: str | None = None
    section: str | None = None
    status: str | None = None
    tldr: str = ""


@dataclass
class DeskWrites:
    """The slugs of the dispatch files one run created and added to."""

    new: list[str]
    updated: list[str]


def parse_desk_items(
    body: bytes, location: str, content_type: str | None
) -> tuple[list[DeskItem], list[str]]:
    """Items of a JSON Lines export (``.jsonl`` or a JSON type) or an Atom/RSS feed."""
    if location.endswith(".jsonl") or "json" in (content_type or ""):
        return parse_jsonl(body.decode("utf-8-sig", errors="replace"))
    return parse_desk_feed(body)


def parse_jsonl(text: str) -> tuple[list[DeskItem], list[str]]:
    """Items of a JSON Lines export, one object a line; problems name the line."""
    items, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not JSON ({error.msg}); skipped")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {number}: expected an object; skipped")
            continue
        item = _item(record, f"line {number}", problems)
        if item is not None:
            items.append(item)
    return items, problems


def parse_desk_feed(body: bytes) -> tuple[list[DeskItem], list[str]]:
    """Items of the desk's Atom/RSS feed; a category naming a status sets it."""
    parsed = feedparser.parse(body)
    items, problems = [], []
    if parsed.bozo and not parsed.entries:
        return [], [f"not a feed ({parsed.get('bozo_exception')})"]
    for number, entry in enumerate(parsed.entries, start=1):
        # The time an item changed: the desk's feed updates entries in place.
        # Ask for updated_parsed only when present: feedparser warns otherwise.
        keys = entry.keys()
        stamp = (entry["updated_parsed"] if "updated_parsed" in keys else None) or (
            entry.get("published_parsed")
        )
        terms = [tag.get("term") for tag in entry.get("tags", [])]
        moment = parse_time(stamp) if stamp else None
        record = {
            "id": entry.get("id") or entry.get("link"),
            "title": entry.get("title"),
            "time": None
            if moment is None or placeholder_time(moment)
            else format_time(moment),
            "text": entry.get("summary"),
            "status": next((t for t in terms if t in STATUSES), None),
            "section": next((t for t in terms if t and t not in STATUSES), None),
        }
        item = _item(record, f"entry {number}", problems)
        if item is not None:
            items.append(item)
    return items, problems


def _item(record: dict[str, Any], label: str, problems: list[str]) -> DeskItem | None:
    """A desk item from its fields, or None with a problem noted."""
    fields = {
        key: to_text(str(value), TEXT_MAX) if value is not None else ""
        for key, value in record.items()
    }
    for required in ("id", "title", "time"):
        if not fields.get(required):
            problems.append(f"{label}: no {required}; skipped")
            return None
    try:
        time = parse_time(fields["time"])
    except ValueError:
        problems.append(f"{label}: time: {fields['time']!r} is not a date; skipped")
        return None
    status = fields.get("status") or None
    if status and status not in STATUSES:
        problems.append(f"{label}: status: {status!r} is not one of {STATUSES}")
        status = None
    return DeskItem(
        id=fields["id"],
        title=fields["title"][:TITLE_MAX],
        time=time,
        text=fields.get("text", ""),
        desk=fields.get("desk") or None,
        section=fields.get("section") or None,
        status=status,
        tldr=fields.get("tldr", ""),
    )


def write_dispatches(
    content_dir: Path, store: StateStore, outlet: Outlet, items: list[DeskItem]
) -> DeskWrites:
    """Create a dispatch per new id; add a development for a known id's new item."""
    writes = DeskWrites([], [])
    files = ingested_files(content_dir)
    taken = {
        p.stem
        for folder in (DISPATCHES_DIR, STORIES_DIR)
        for p in (content_dir / folder).rglob("*.md")
    }
    # Ids the store knows; of the others, a file there was written before the
    # store was rebuilt, and tells which of their items it took.
    remembered = {i.id for i in items if store.seen([f"dispatch:{i.id}"])}
    for item in sorted(items, key=lambda i: (i.time, i.id)):
        development = f"dispatch:{item.id}:{format_time(item.time)}:{_digest(item)}"
        if store.seen([development]):
            continue
        path = files.get(item.id)
        if path and item.id not in remembered and _took(path, item):
            # The store was rebuilt: the file took this item before (and an
            # editor may have removed it since).
            store.add_keys([f"dispatch:{item.id}", development])
            continue
        if path is None and store.seen([f"dispatch:{item.id}"]):
            logger.info("dispatch %s has no file any more; not recreated", item.id)
        elif path is None:
            path = _create(content_dir, outlet, item, taken)
            taken.add(path.stem)
            files[item.id] = path
            remembered.add(item.id)
            writes.new.append(path.stem)
            store.add_keys([_status_key(item.id, item.status or STATUSES[0])])
        elif _develop(path, store, item):
            writes.updated.append(path.stem)
        store.add_keys([f"dispatch:{item.id}", development])
    return writes


def ingested_files(content_dir: Path) -> dict[str, Path]:
    """Dispatch files made by ingest, by the ``ingest_id`` they keep."""
    found = {}
    for path in sorted((content_dir / DISPATCHES_DIR).rglob("*.md")):
        if path.name.startswith(frontmatter.TEMP_PREFIX):
            continue
        try:
            ingest_id = frontmatter.read(path).meta.get("ingest_id")
        except (InputError, UnicodeDecodeError):
            continue
        if ingest_id is not None:
            found.setdefault(str(ingest_id), path)
    return found


def _create(content_dir: Path, outlet: Outlet, item: DeskItem, taken: set[str]) -> Path:
    """Write a new dispatch file for the first item with an id; slugs ``taken``."""
    slug = unique_slug(item.title, taken)
    stamp = format_time(item.time)
    meta: dict[str, Any] = {
        "title": item.title,
        "slug": slug,
        "date": stamp,
        "modified": stamp,
        "desk": item.desk or outlet.name,
        "section": item.section or outlet.category,
        "status": item.status or STATUSES[0],
        "tldr": escape_markdown(item.tldr),
        "ingest_id": item.id,
        "developments": [{"time": stamp, "text": item.text or item.title}],
    }
    meta = {key: value for key, value in meta.items() if value}
    folder = content_dir / DISPATCHES_DIR / f"{item.time:%Y}" / f"{item.time:%m}"
    path = folder / f"{slug}.md"
    frontmatter.write_atomic(path, frontmatter.dump(meta, escape_markdown(item.text)))
    return path


def _develop(path: Path, store: StateStore, item: DeskItem) -> bool:
    """Add the item as a development unless locked or already there.

    Through :func:`~newsdigest.content.frontmatter.update`: an editor's save
    made meanwhile is kept, and so are the file's line ends and mark.
    """
    entry = {"time": format_time(item.time), "text": item.text or item.title}
    followed: list[str] = []  # the desk's status, if the file takes it

    def change(text: str) -> str:
        meta = frontmatter.parse(text, path).meta
        developments = meta.get("developments") or []
        if meta.get("locked") is True or entry in developments:
            return text
        status = meta.get("status")
        followed.clear()
        # A status a person set stays; one ingest wrote follows the desk's item.
        if item.status and store.seen([_status_key(item.id, str(status))]):
            status = item.status
            followed.append(status)
        return add_development(text, path, entry["text"], now=item.time, status=status)

    try:
        written = frontmatter.update(path, change)
    except (InputError, frontmatter.ChangedMeanwhile) as error:
        logger.warning("%s; development %s not added", error, item.id)
        return False
    if written is not None and followed:
        store.add_keys([_status_key(item.id, followed[0])])
    return written is not None


def _took(path: Path, item: DeskItem) -> bool:
    """Whether a dispatch file was last written by ingest at or after ``item``.

    Ingest takes a desk's items oldest first and sets ``modified`` to each, so
    an item no newer than ``modified`` was taken already: this is what the
    file tells when the store that remembered it is gone.
    """
    try:
        meta = frontmatter.read(path).meta
        return item.time <= parse_time(meta.get("modified") or meta.get("date"))
    except (InputError, UnicodeDecodeError, ValueError):
        return False


def _status_key(ingest_id: str, status: str) -> str:
    """The store's note that ingest wrote ``status`` into a dispatch."""
    return f"dispatch-status:{ingest_id}:{status}"


def _digest(item: DeskItem) -> str:
    """A short hash of what an item says, to know it when it comes again."""
    text = "\n".join((item.title, item.text, item.status or ""))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
