"""Each generator's Jinja environment: dates formatted once, templates compiled once.

Pelican's ``strftime`` filter switches the process locale twice for every call;
a story page formats a dozen dates and the same report dates come back on
related stories, outlet and country pages, tens of thousands of calls in all.
:func:`remember_formatted_dates` wraps the filter a generator has (Pelican's
or one set in ``JINJA_FILTERS``) so each (date, format) is formatted once.

Templates get :func:`when`, the ``<time>`` tag every date on a page is
shown in, :func:`report_lang`, :func:`story_lang`, :func:`body_lang` and
:func:`text_lang`, the ``lang`` (and ``dir``) attributes of text in another
language than the site's, :func:`direction`, ``rtl`` or ``ltr``,
:func:`article_language`, the language a story's page declares it is in, and
``outlet_logo`` (:mod:`newsdigest.pelican.logos`) and ``once`` (a story's
card as the last build rendered it, :mod:`newsdigest.pelican.reuse`), as
globals, and the ``shorten`` filter (:func:`newsdigest.sanitize.shorten`),
which unlike Jinja's ``truncate`` keeps text without spaces.

Every generator has an environment of its own, so each compiled the same
templates again, on every build. With ``CACHE_CONTENT`` on, compiled
templates are kept in ``<CACHE_PATH>/jinja/`` (Jinja's own bytecode cache,
keyed by each template's source, so an edited template is compiled anew).
"""

from __future__ import annotations

import locale
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from pelican.utils import DateFormatter, temporary_locale

from newsdigest.pelican.logos import find_logos, outlet_logo
from newsdigest.pelican.reuse import once
from newsdigest.pelican.settings import plugin_settings
from newsdigest.sanitize import shorten

#: Languages written right to left (ISO 639 codes): Arabic, Aramaic, Sorani,
#: Dhivehi, Persian, Hebrew, Pashto, Sindhi, Uyghur, Urdu, Yiddish.
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi"}
)
#: Where compiled templates are kept, in ``CACHE_PATH``.
BYTECODE_DIR = "jinja"
#: The directives Pelican's ``strftime`` formats (others it leaves as written).
_C89_DIRECTIVES = frozenset("aAbBcdfGHIjmMpSUuVwWxXyYzZ%")


def prepare_environment(generator: Any) -> None:
    """Remember formatted dates, give templates ``when``, keep compiled templates.

    Connected to ``generator_init``; compiled templates are kept only if
    caching is on.
    """
    remember_formatted_dates(generator)
    date_format = generator.settings["DEFAULT_DATE_FORMAT"]
    strftime = generator.env.filters["strftime"]
    generator.env.globals["when"] = partial(when, strftime, date_format)
    logos = find_logos(
        Path(generator.settings["PATH"]),
        plugin_settings(generator.settings)["NEWSDIGEST_LOGOS"],
    )
    generator.env.globals["outlet_logo"] = partial(outlet_logo, logos)
    site_lang = generator.settings["DEFAULT_LANG"]
    for language in (report_lang, story_lang, body_lang, text_lang, article_language):
        generator.env.globals[language.__name__] = partial(language, site_lang)
    generator.env.globals["direction"] = direction
    generator.env.filters["shorten"] = shorten
    generator.env.globals["once"] = once
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


def report_lang(site_lang: str, view: Any) -> Markup:
    """`` lang="xx"`` for a report's text: its language, else its outlet's."""
    return text_lang(site_lang, view.report.lang or view.outlet.language)


def story_lang(site_lang: str, story: Any) -> Markup:
    """:func:`report_lang` for a story's title, if it is a report's headline.

    The language is :func:`title_language`'s. A title an editor wrote gets
    nothing.
    """
    return text_lang(site_lang, title_language(story))


def title_language(story: Any) -> str | None:
    """The language of a story's title, if it is a report's headline.

    Ingest takes one report's (see ``newsdigest.ingest.run._new_story``);
    reports with that headline must agree on a language. None for a title an
    editor wrote, and for a dispatch (the desk writes in the site's language).
    """
    views = story.coverage.reports if hasattr(story, "coverage") else []
    return _agreed(
        v.report.lang or v.outlet.language
        for v in views
        if v.report.headline == story.title
    )


def article_language(site_lang: str, article: Any) -> str:
    """The language a story or dispatch is in, as its page and sitemaps declare it.

    Its title's (:func:`title_language`, the ``lang`` of its ``<h1>``), else
    the site's. The page around it stays in the site's language.
    """
    return title_language(article) or site_lang


def body_lang(site_lang: str, story: Any) -> Markup:
    """:func:`story_lang` for a story's body, when it is a report's summary."""
    body = Markup(story.content).striptags()
    return text_lang(
        site_lang,
        _agreed(
            v.report.lang or v.outlet.language
            for v in story.coverage.reports
            if v.report.summary and Markup(v.report.summary).striptags() == body
        ),
    )


def _agreed(codes: Iterable[str | None]) -> str | None:
    """The one language ``codes`` agree on, if they do."""
    found = set(codes)
    return found.pop() if len(found) == 1 else None


@cache
def text_lang(site_lang: str, code: str | None) -> Markup:
    """`` lang="xx"`` for text in ``code``; nothing when that is the site's.

    With `` dir="rtl"`` (or ``ltr``) when the text runs the other way than
    the site's, so Arabic or Hebrew on an English page reads right to left,
    its punctuation at the right end.
    """
    if not code or code.lower() == site_lang.lower():
        return Markup("")
    flow = direction(code)
    turned = f' dir="{flow}"' if flow != direction(site_lang) else ""
    return Markup(f' lang="{escape(code)}"{turned}')


def direction(code: str | None) -> str:
    """``rtl`` for a language written right to left (by primary subtag)."""
    primary = (code or "").split("-")[0].split("_")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


def remember_formatted_dates(generator: Any) -> None:
    """Make a generator's ``strftime`` filter remember results.

    Pelican's own filter formats in one call when the format allows it
    (:func:`format_date`).
    """
    formatter: Callable[[datetime, str], str] = generator.env.filters["strftime"]
    if isinstance(formatter, DateFormatter):
        formatter = partial(format_date, formatter)
    generator.env.filters["strftime"] = lru_cache(maxsize=None)(formatter)


def format_date(pelicans: DateFormatter, moment: datetime, date_format: str) -> str:
    """What Pelican's ``DateFormatter`` gives, in one ``strftime`` call if it can.

    Pelican formats each directive on its own (to strip the zeros ``%-d``
    asks to strip, and to leave other than C89 directives as written) with
    ``LC_TIME`` and ``LC_CTYPE`` switched to its locale, 12 µs a date. A
    format of C89 directives alone formats the same in one call, and in the
    C locale, whose dates are ASCII, without switching: 1.5 µs.
    """
    if not _whole_format(date_format):
        return pelicans(moment, date_format)
    if pelicans.locale in {"C", "POSIX"} and locale.setlocale(locale.LC_TIME) in {
        "C",
        "POSIX",
    }:
        return datetime.strftime(moment, date_format)
    with (
        temporary_locale(pelicans.locale, locale.LC_TIME),
        temporary_locale(pelicans.locale, locale.LC_CTYPE),
    ):
        return datetime.strftime(moment, date_format)


@cache
def _whole_format(date_format: str) -> bool:
    """Whether ``date_format`` has only C89 directives, none with a ``-`` flag.

    Directives are found as Pelican's ``strftime`` finds them.
    """
    directives = re.findall(r"%-?.", date_format)
    return all(len(d) == 2 and d[1] in _C89_DIRECTIVES for d in directives) and (
        date_format.count("%") == sum(d.count("%") for d in directives)
    )
