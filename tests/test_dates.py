"""Dates on pages read exactly as Pelican's ``strftime`` filter writes them."""

from __future__ import annotations

import locale
import random
from datetime import UTC, datetime

import pytest
from pelican.utils import DateFormatter, SafeDatetime

from newsdigest.pelican.jinja import format_date

FORMATS = [
    "%d %b %Y, %H:%M UTC",  # the site's
    "%Y-%m-%dT%H:%M:%SZ",
    "%a %d %B %y, %I:%M %p %j %U %W %w %z %Z %G %V %u %f",
    "%c / %x / %X",
    "100%% on %Y",
    "%%-d stays written",
    "%-d %B %Y",  # Pelican strips the zero
    "%A, %B %-d",
    "%e %b",  # not C89: Pelican leaves it as written
]


def moments(count: int) -> list[datetime]:
    rng = random.Random(8)
    found: list[datetime] = []
    for _ in range(count):
        moment = datetime(
            rng.randint(1990, 2035),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
            rng.randint(0, 999_999),
            tzinfo=UTC if rng.random() < 0.5 else None,
        )
        found += [moment, SafeDatetime.fromisoformat(moment.isoformat())]
    return found


@pytest.mark.parametrize("date_format", FORMATS)
def test_each_format_gives_pelicans_text(date_format: str) -> None:
    pelicans = DateFormatter()
    for moment in moments(100):
        assert format_date(pelicans, moment, date_format) == pelicans(
            moment, date_format
        ), moment


def test_the_locale_is_as_it_was_after_formatting() -> None:
    before = locale.setlocale(locale.LC_TIME), locale.setlocale(locale.LC_CTYPE)
    pelicans = DateFormatter()
    for date_format in FORMATS:
        format_date(pelicans, moments(1)[0], date_format)
    assert (locale.setlocale(locale.LC_TIME), locale.setlocale(locale.LC_CTYPE)) == (
        before
    )
