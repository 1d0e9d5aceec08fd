"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) as feedparser entries.

Each item becomes the entry an RSS item would, so
:mod:`newsdigest.ingest.parse` sanitizes, links and dates it the same way.
Its ``title``, ``summary`` and ``content_text`` are to be plain text, but
are read as RSS text is, as HTML, so the entities publishers put in them
anyway (``&#8217;``) come out right. This is an outlet's feed; the desk's
JSON Lines intake is :mod:`newsdigest.wire.ingest`.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime

from feedparser import FeedParserDict

#: How the ``version`` of every JSON Feed starts.
VERSION_PREFIX = "https://jsonfeed.org/version/"
#: JSON Feed's item dates and the feedparser keys they become.
DATES = (("date_published", "published"), ("date_modified", "updated"))
#: How a JSON object starts: a byte order mark and white space may come first.
_JSON_OBJECT = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*\{")


class NotAJsonFeed(ValueError):
    """A JSON body that is no JSON Feed, or no readable one; says which."""


def is_json(body: bytes) -> bool:
    """Whether ``body`` is JSON rather than XML: an object, ``{`` first."""
    return _JSON_OBJECT.match(body) is not None


def read_json_feed(body: bytes) -> tuple[str | None, list[object]]:
    """A JSON Feed's language and its items, each for :func:`json_entry`.

    Raise :class:`NotAJsonFeed` for JSON that cannot be read or is not one.
    """
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise NotAJsonFeed(f"not a readable JSON Feed: {error}") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(VERSION_PREFIX):
        msg = f"not a feed: JSON, but no JSON Feed (no {VERSION_PREFIX} version)"
        raise NotAJsonFeed(msg)
    items = document.get("items")
    if not isinstance(items, list):
        raise NotAJsonFeed("not a readable JSON Feed: its items are not a list")
    return _string(document, "language"), items


def json_entry(item: object) -> FeedParserDict:
    """The feedparser entry of one JSON Feed item; TypeError if no object."""
    if not isinstance(item, dict):
        msg = f"not a JSON object: {json.dumps(item)[:40]}"
        raise TypeError(msg)
    entry = FeedParserDict()
    identifier = item.get("id")
    if isinstance(identifier, int | float) and not isinstance(identifier, bool):
        identifier = str(identifier)  # JSON Feed wants a string; many give numbers
    plain = {
        "id": identifier if isinstance(identifier, str) else None,
        "link": _string(item, "url"),
        "title": _string(item, "title"),
        "summary": _string(item, "summary"),
        "language": _string(item, "language"),
    }
    entry.update({key: value for key, value in plain.items() if value})
    content = _string(item, "content_html") or _string(item, "content_text")
    if content:
        entry["content"] = [FeedParserDict(value=content)]
    for field, key in DATES:
        if written := _string(item, field):
            entry[key] = written
            entry[f"{key}_parsed"] = _utc(written)
    tags = item.get("tags")
    if isinstance(tags, list):
        entry["tags"] = [FeedParserDict(term=t) for t in tags if isinstance(t, str)]
    return entry


def _string(document: dict, key: str) -> str | None:
    """``document[key]`` if it is a string."""
    value = document.get(key)
    return value if isinstance(value, str) else None


def _utc(written: str) -> time.struct_time | None:
    """An RFC 3339 date as feedparser gives one: UTC, as a ``struct_time``.

    None if it is no date. A date without an offset is read as UTC, as
    feedparser reads one in RSS.
    """
    try:
        moment = datetime.fromisoformat(written.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).timetuple()
    except (ValueError, OverflowError):
        return None
