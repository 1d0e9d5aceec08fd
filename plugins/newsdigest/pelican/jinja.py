"""Each generator's Jinja environment: dates formatted once, templates compiled once.

Pelican's ``strftime`` filter switches the process locale twice for every call;
a story page formats a dozen dates and the same report dates come back on
related stories, outlet and country pages, tens of thousands of calls in all.
:func:`remember_formatted_dates` wraps the filter a generator has (Pelican's
or one set in ``JINJA_FILTERS``) so each (date, format) is formatted once.

Templates get :func:`when`, the ``<time>`` tag every date on a page is
shown in, as a global.

Every generator has an environment of its own, so each compiled the same
templates again, on every build. With ``CACHE_CONTENT`` on, compiled
templates are kept in ``<CACHE_PATH>/jinja/`` (Jinja's own bytecode cache,
keyed by each template's source, so an edited template is compiled anew).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape

#: Where compiled templates are kept, in ``CACHE_PATH``.
BYTECODE_DIR = "jinja"


def prepare_environment(generator: Any) -> None:
    """Remember formatted dates, give templates ``when``, keep compiled templates.

    Connected to ``generator_init``; compiled templates are kept only if
    caching is on.
    """
    remember_formatted_dates(generator)
    date_format = generator.settings["DEFAULT_DATE_FORMAT"]
    strftime = generator.env.filters["strftime"]
    generator.env.globals["when"] = partial(when, strftime, date_format)
    if generator.settings.get("CACHE_CONTENT"):
        folder = Path(generator.settings["CACHE_PATH"]) / BYTECODE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def when(
    strftime: Callable[[datetime, str], str],
    date_format: str,
    moment: datetime,
    cls: str = "",
) -> Markup:
    """``<time>`` for ``moment``: machine-readable, and as ``date_format`` shows it.

    A template global (``{{ when(report.published) }}``) rather than a macro:
    pages call it a dozen times each, and a Python call costs a fraction of a
    macro call.
    """
    kind = f' class="{escape(cls)}"' if cls else ""
    shown = escape(strftime(moment, date_format))
    return Markup(f'<time datetime="{escape(moment.isoformat())}"{kind}>{shown}</time>')


def remember_formatted_dates(generator: Any) -> None:
    """Make a generator's ``strftime`` filter remember results."""
    formatter: Callable[[datetime, str], str] = generator.env.filters["strftime"]
    generator.env.filters["strftime"] = lru_cache(maxsize=None)(formatter)
