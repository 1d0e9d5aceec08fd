"""Each generator's Jinja environment: dates formatted once, templates compiled once.

Pelican's ``strftime`` filter switches the process locale twice for every call;
a story page formats a dozen dates and the same report dates come back on
related stories, outlet and country pages, tens of thousands of calls in all.
:func:`remember_formatted_dates` wraps the filter a generator has (Pelican's
or one set in ``JINJA_FILTERS``) so each (date, format) is formatted once.

Every generator has an environment of its own, so each compiled the same
templates again, on every build. With ``CACHE_CONTENT`` on, compiled
templates are kept in ``<CACHE_PATH>/jinja/`` (Jinja's own bytecode cache,
keyed by each template's source, so an edited template is compiled anew).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache

#: Where compiled templates are kept, in ``CACHE_PATH``.
BYTECODE_DIR = "jinja"


def prepare_environment(generator: Any) -> None:
    """Remember formatted dates; keep compiled templates if caching is on.

    Connected to ``generator_init``.
    """
    remember_formatted_dates(generator)
    if generator.settings.get("CACHE_CONTENT"):
        folder = Path(generator.settings["CACHE_PATH"]) / BYTECODE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def remember_formatted_dates(generator: Any) -> None:
    """Make a generator's ``strftime`` filter remember results."""
    formatter: Callable[[datetime, str], str] = generator.env.filters["strftime"]
    generator.env.filters["strftime"] = lru_cache(maxsize=None)(formatter)
