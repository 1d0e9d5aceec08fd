"""Format each date once per build.

Pelican's ``strftime`` filter switches the process locale twice for every call;
a story page formats a dozen dates and the same report dates come back on
related stories, outlet and country pages, tens of thousands of calls in all.
:func:`remember_formatted_dates` wraps the filter a generator has (Pelican's
or one set in ``JINJA_FILTERS``) so each (date, format) is formatted once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any


def remember_formatted_dates(generator: Any) -> None:
    """Make a generator's ``strftime`` filter remember results (``generator_init``)."""
    formatter: Callable[[datetime, str], str] = generator.env.filters["strftime"]
    generator.env.filters["strftime"] = lru_cache(maxsize=None)(formatter)
