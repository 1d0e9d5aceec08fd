"""Feed dates feedparser misreads: zone abbreviations and slashed dates.

feedparser knows the zone abbreviations of RFC 822 (``GMT``, ``EST``,
``PDT``…) and reads any other, ``JST`` or ``IST``, as UTC without a word, so
a Tokyo paper's 18:30 became 18:30 UTC, nine hours late. It reads
``2026/11/24 21:00 +0900`` as the first of the month. :func:`entry_time`
reads such dates itself: the common abbreviations by their offset
(``IST`` by the outlet's country: India, Ireland or Israel), slashed dates
in full. An abbreviation it does not know either is a problem, and the
entry is dated when seen rather than hours off.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from feedparser.datetimes.rfc822 import timezone_names as RFC822_ZONES

#: Zone abbreviations feeds use that feedparser does not know: hours from UTC.
ZONES: dict[str, float] = {
    "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
    "msk": 3, "trt": 3, "gst": 4, "pkt": 5, "npt": 5.75, "bdt": 6,
    "ict": 7, "wib": 7, "hkt": 8, "sgt": 8, "pht": 8, "myt": 8, "awst": 8,
    "wita": 8, "jst": 9, "kst": 9, "wit": 9, "acst": 9.5, "acdt": 10.5,
    "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13, "hst": -10, "akst": -9,
    "akdt": -8, "sast": 2, "cat": 2, "eat": 3, "wat": 1, "art": -3, "brt": -3,
    "clt": -4, "nst": -3.5, "ndt": -2.5,
}  # fmt: skip
#: ``IST`` by the outlet's country.
IST = {"IN": 5.5, "IE": 1, "IL": 2}
#: A date ending in a zone abbreviation (letters only).
_ABBREVIATED = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*([A-Za-z]{2,5})\s*$")
#: ``2026/11/24``, a time, and an offset, each but the date optional.
_SLASHED = re.compile(
    r"\s*(\d{4})/(\d{1,2})/(\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(?:([+-])(\d{2}):?(\d{2})|(Z|GMT|UTC))?\s*$",
    re.IGNORECASE,
)


def entry_time(
    raw: str | None, parsed: time.struct_time | None, country: str | None = None
) -> tuple[datetime | None, str | None]:
    """The time a feed's date ``raw`` names, and a problem if it cannot be read.

    ``parsed`` is feedparser's reading of ``raw`` (UTC), kept unless
    ``raw`` is one of the forms it misreads; ``country`` is the outlet's.
    A date that is none (month 13) or that its offset moves past the
    calendar's ends (year 1 less an hour) is a problem.
    """
    text = raw or ""
    try:
        return _mended_time(text, parsed, country)
    except (ValueError, OverflowError):
        return None, f"{text.strip()!r} is not a date"


def _mended_time(
    text: str, parsed: time.struct_time | None, country: str | None
) -> tuple[datetime | None, str | None]:
    """:func:`entry_time`, raising what the date's arithmetic raises."""
    if slashed := _SLASHED.match(text):
        return _slashed_time(slashed), None
    if parsed is None:
        return None, None
    read = datetime(*parsed[:6], tzinfo=UTC)
    abbreviated = _ABBREVIATED.search(text)
    if abbreviated is None or abbreviated[1].lower() in RFC822_ZONES:
        return read, None
    zone = abbreviated[1].lower()
    hours = IST.get((country or "").upper()) if zone == "ist" else ZONES.get(zone)
    if hours is None:
        return None, f"time zone {abbreviated[1]!r} not known"
    return read - timedelta(hours=hours), None


def _slashed_time(match: re.Match[str]) -> datetime:
    """The UTC time of a :data:`_SLASHED` match (no offset: UTC)."""
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups()[:6])
    moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    sign, hours, minutes = match[7], match[8], match[9]
    if sign:
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        moment -= offset if sign == "+" else -offset
    return moment
