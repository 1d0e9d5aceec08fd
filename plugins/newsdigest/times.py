"""The one place times are parsed and written: always timezone-aware UTC."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from dateutil import parser as dateutil_parser


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
        try:
            parsed = dateutil_parser.isoparse(value.strip())
        except ValueError:
            try:
                parsed = dateutil_parser.parse(value.strip())
            except (ValueError, OverflowError) as error:
                msg = f"not a date and time: {value!r}"
                raise ValueError(msg) from error
    else:
        msg = f"not a date and time: {value!r}"
        raise ValueError(msg)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_time(moment: datetime) -> str:
    """Write a time as ISO 8601 in UTC with a ``Z``, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> datetime:
    """Return the current time, aware and in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)
