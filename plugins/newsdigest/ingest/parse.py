"""feedparser entries to sanitized :class:`Report` records.

One bad entry is reported and skipped; it never takes the feed down. One bad
feed is reported and never takes the ingest down.
"""

from __future__ import annotations

import email.message
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import feedparser
from feedparser.encodings import convert_to_utf8
from feedparser.sanitizer import replace_doctype

from newsdigest.ingest.charsets import read_as
from newsdigest.ingest.feeddates import entry_time
from newsdigest.ingest.jsonfeed import (
    NotAJsonFeed,
    is_json,
    json_entry,
    read_json_feed,
)
from newsdigest.normalize import canonical_url
from newsdigest.records import Outlet, Report
from newsdigest.registry import is_http_url, language_tag
from newsdigest.sanitize import safe_url, to_text
from newsdigest.times import format_time, placeholder_time
from newsdigest.untrusted_xml import prolog_declares_entities

logger = logging.getLogger(__name__)

HEADLINE_MAX = 300
SUMMARY_MAX = 600
GUID_MAX = 500
#: How far ahead of the fetch time a date may be before it is called future.
FUTURE_TOLERANCE = timedelta(hours=1)
#: The most entries read from one feed in one run: the first, which are the
#: newest in the usual order. A hostile feed of 20,000 made as many stories;
#: the bench's 10,000-story newsroom has feeds of up to 1,091 entries.
MAX_ENTRIES = 2000


@dataclass
class ParsedFeed:
    """What one feed body yielded: reports, per-entry problems, or a failure."""

    reports: list[Report] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failure: str | None = None


def parse_feed(
    body: bytes,
    outlet: Outlet,
    *,
    location: str,
    fetched_at: datetime,
    content_type: str | None = None,
) -> ParsedFeed:
    """Parse one feed body into reports for ``outlet``.

    RSS, Atom, or a JSON Feed (:mod:`~newsdigest.ingest.jsonfeed`). Of the
    server's ``content_type`` only the charset counts: a feed served as
    text/html, or with no type, is still read as XML, in the charset
    :func:`~newsdigest.ingest.charsets.read_as` picks; a body that starts
    with ``{`` as JSON.
    """
    if is_json(body):
        return _json_feed(body, outlet, location=location, fetched_at=fetched_at)
    # No content-location: feedparser would resolve every element's URIs
    # against it (a third of its time); only links and GUIDs need it.
    headers = {"content-type": _xml_type(read_as(body, _charset(content_type)))}
    if declares_entities(convert_to_utf8(headers, body, {})):
        return ParsedFeed(
            failure="refused: the feed declares XML entities (<!ENTITY>), "
            "which can expand to gigabytes"
        )
    parsed = feedparser.parse(
        body,
        sanitize_html=False,
        resolve_relative_uris=False,
        response_headers=headers,
    )
    result = ParsedFeed()
    if not parsed.entries:
        if not parsed.get("version") and "html" in (content_type or "").lower():
            result.failure = f"not a feed: the server sent a web page ({content_type})"
        elif parsed.bozo:
            reason = str(parsed.get("bozo_exception", "unreadable")).splitlines()[0]
            result.failure = f"not a readable feed: {reason}"
        elif not parsed.get("version"):
            result.failure = "not a feed (no RSS or Atom found; an HTML page?)"
        return result
    if parsed.bozo:
        reason = str(parsed.get("bozo_exception", "")).splitlines()[0]
        result.problems.append(
            f"feed is not well-formed ({reason}); read what could be read"
        )
    _add_entries(
        result,
        parsed.entries,
        outlet,
        feed_lang=parsed.feed.get("language"),
        location=location,
        fetched_at=fetched_at,
    )
    return result


def _json_feed(
    body: bytes, outlet: Outlet, *, location: str, fetched_at: datetime
) -> ParsedFeed:
    """:func:`parse_feed` for a JSON Feed."""
    try:
        language, items = read_json_feed(body)
    except NotAJsonFeed as error:
        return ParsedFeed(failure=str(error))
    result = ParsedFeed()
    _add_entries(
        result,
        items,
        outlet,
        feed_lang=language,
        location=location,
        fetched_at=fetched_at,
        read=json_entry,
    )
    return result


def _add_entries(
    result: ParsedFeed,
    entries: Sequence[Any],
    outlet: Outlet,
    *,
    feed_lang: object,
    location: str,
    fetched_at: datetime,
    read: Callable[[Any], feedparser.FeedParserDict] = lambda entry: entry,
) -> None:
    """Add the reports of ``entries`` (each a feedparser entry once ``read``).

    Only the first :data:`MAX_ENTRIES`; a problem says how many were left out.
    """
    lang = _channel_language(_language(feed_lang), outlet)
    base = location if is_http_url(location) else ""
    if len(entries) > MAX_ENTRIES:
        result.problems.append(
            f"read the first {MAX_ENTRIES} of {len(entries)} entries; "
            f"{len(entries) - MAX_ENTRIES} left out"
        )
    for number, entry in enumerate(entries[:MAX_ENTRIES], start=1):
        try:
            report = _entry_report(
                read(entry),
                outlet,
                base=base,
                lang=lang,
                fetched_at=fetched_at,
                problems=result.problems,
                number=number,
            )
        except (
            AttributeError,
            KeyError,
            TypeError,
            ValueError,
            ArithmeticError,
        ) as error:
            result.problems.append(f"entry {number}: unreadable ({error}); skipped")
            continue
        if report is not None:
            result.reports.append(report)


def _entry_report(
    entry: feedparser.FeedParserDict,
    outlet: Outlet,
    *,
    base: str,
    lang: str | None,
    fetched_at: datetime,
    problems: list[str],
    number: int,
) -> Report | None:
    guid = to_text(entry.get("id"), GUID_MAX) or None
    link = safe_url(_absolute(base, entry.get("link"))) or safe_url(guid)
    summary = to_text(_summary_html(entry), SUMMARY_MAX)
    headline = to_text(entry.get("title"), HEADLINE_MAX) or to_text(summary, 120)
    label = f"entry {number} ({headline[:60]!r})" if headline else f"entry {number}"
    if not link:
        problems.append(f"{label}: no http(s) link; skipped")
        return None
    if not headline:
        problems.append(f"{label}: no title or text; skipped")
        return None
    stamp, problem = _entry_date(entry, outlet.country)
    undated = stamp is None
    if undated:
        published = fetched_at
        problems.append(f"{label}: {problem or 'no date'}; dated when first seen")
    else:
        published = stamp
        if placeholder_time(published):
            day = format_time(published)[:10]
            problems.append(
                f"{label}: dated {day}, a stand-in for no date; dated when seen"
            )
            published, undated = fetched_at, True
        elif published > fetched_at + FUTURE_TOLERANCE:
            problems.append(
                f"{label}: dated in the future ({published:%Y-%m-%d}); dated when seen"
            )
            published, undated = fetched_at, True
    return Report(
        outlet=outlet.id,
        url=canonical_url(link),
        headline=headline,
        published=published,
        summary="" if summary == headline else summary,
        guid=guid,
        lang=_language(entry.get("language")) or lang,
        tags=tuple(
            to_text(tag.get("term"))
            for tag in entry.get("tags") or ()
            if tag.get("term")
        ),
        undated=undated,
    )


def _entry_date(
    entry: feedparser.FeedParserDict, country: str | None
) -> tuple[datetime | None, str | None]:
    """The entry's published (else updated) time, and why there is none.

    Read by :func:`~newsdigest.ingest.feeddates.entry_time`, which mends what
    feedparser misreads.
    """
    found: tuple[datetime | None, str | None] = (None, None)
    # Ask for updated only when present: feedparser warns otherwise.
    for key in ("published", "updated"):
        if key in entry.keys():  # noqa: SIM118
            found = entry_time(entry[key], entry.get(f"{key}_parsed"), country)
            if found[0] is not None:
                return found
    return found


def declares_entities(data: bytes) -> bool:
    """Whether parsing ``data`` would define XML entities of the feed's own.

    feedparser keeps DTD entities whose value has no other entity in it, and
    expat stops only a 100-fold blow-up: one 5 MB entity used 95 times still
    became 475 MB. Feeds never need their own entities, so any is refused.
    ``data`` is UTF-8, as feedparser converts it (so UTF-16 or EBCDIC cannot
    hide a declaration). The check follows feedparser's own steps: the
    entities it lifts out of the prolog for its loose parser, then
    :func:`prolog_declares_entities` on the text its strict parser reads; so
    text about ``<!ENTITY`` in an item's CDATA is no declaration.
    """
    _version, data, lifted = replace_doctype(data)
    return bool(lifted) or prolog_declares_entities(data)


def _charset(content_type: str | None) -> str | None:
    """The charset a ``Content-Type`` names, if it names one."""
    header = email.message.Message()
    header["content-type"] = content_type or ""
    return header.get_content_charset()


def _xml_type(charset: str | None) -> str:
    """``application/xml``, with ``charset`` if there is one."""
    return f"application/xml; charset={charset}" if charset else "application/xml"


def _absolute(base: str, url: str | None) -> str | None:
    """``url`` resolved against the feed's own URL ``base`` (if any)."""
    return urljoin(base, url.strip()) if base and url else url


def _summary_html(entry: feedparser.FeedParserDict) -> str:
    if entry.get("summary"):
        return str(entry["summary"])
    contents = entry.get("content") or []
    return str(contents[0].get("value", "")) if contents else ""


def _language(code: object) -> str | None:
    """A feed's language tag in BCP 47 case (``zh-TW``, ``fil``), else its language.

    Of a tag that is not one (``en-UK``) the language alone is kept, if known.
    """
    if not isinstance(code, str):
        return None
    return language_tag(code) or language_tag(re.split(r"[-_]", code.strip())[0])


def _channel_language(feed: str | None, outlet: Outlet) -> str | None:
    """The language of a feed's entries: the registry's, else the feed's.

    The registry's is checked by hand; a feed's own is often its CMS's
    default (``en-US`` on an Arabic paper's feed). A feed's tag that narrows
    the registry's (``zh-TW`` for ``zh``) is kept. An entry's own language,
    if it gives one, outranks both.
    """
    registry = outlet.language
    if feed and (registry is None or feed.lower().startswith(f"{registry.lower()}-")):
        return feed
    return registry
