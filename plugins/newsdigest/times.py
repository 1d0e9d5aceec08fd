"""The one place times are parsed and written: always timezone-aware UTC."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

#: Before the web: no feed item was published earlier.
EARLIEST_FEED_TIME = datetime(1991, 1, 1, tzinfo=UTC)


def parse_time(value: object) -> datetime:
    """Turn a front-matter or feed value into an aware UTC datetime.

    YAML hands back ``datetime`` (naive for ``Z`` times) or ``date`` for
    unquoted values and ``str`` for quoted ones; feedparser hands back
    ``time.struct_time`` in UTC. Naive values are taken as UTC.
    Raises ``ValueError`` with a readable message for anything else.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)  # noqa: DTZ001
    elif isinstance(value, time.struct_time):
        parsed = datetime(*value[:6], tzinfo=UTC)
    elif isinstance(value, str) and value.strip():
        parsed = _parse_text(value.strip())
    else:
        msg = f"not a date and time: {value!r}"
        raise ValueError(msg)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_text(text: str) -> datetime:
    """ISO 8601 (YAML, Atom) or RFC 822 (RSS, with zone names like EST).

    Python's own ISO parser reads the forms files and feeds use, in a
    fiftieth of the time; dateutil's reads the rarer ones (ordinal dates,
    24:00, a year and month alone) the same way.
    """
    for parse in (datetime.fromisoformat, dateutil_parser.isoparse):
        try:
            return parse(text)
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError) as error:
        msg = f"not a date and time: {text!r}"
        raise ValueError(msg) from error


def format_time(moment: datetime) -> str:
    """Write a time as ISO 8601 in UTC with a ``Z``, to the second.

    Years have four digits, as the parser reads them (``strftime("%Y")``
    writes year 4 as ``4``).
    """
    utc = moment.astimezone(UTC).replace(microsecond=0, tzinfo=None)
    return f"{utc.isoformat()}Z"


def placeholder_time(moment: datetime) -> bool:
    """Whether a feed's time is a stand-in for "no date", not when it happened.

    Feeds write year 1 (a zero time in Go or .NET) or 1970 (a zero Unix
    timestamp) when they have none; nothing on the web is dated before
    :data:`EARLIEST_FEED_TIME`.
    """
    return moment < EARLIEST_FEED_TIME


def utc_now() -> datetime:
    """Return the current time, aware and in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)
