"""Sitemaps and robots.txt, from the pages a build wrote.

Dates come from content (an article's latest change, or the newest article a
listing shows), never from the clock, so two builds give the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from newsdigest.pelican.jinja import article_language
from newsdigest.times import format_time

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: Limits of the protocols: URLs in one sitemap, items in a news sitemap.
SITEMAP_LIMIT = 50_000
NEWS_SITEMAP_LIMIT = 1_000
#: Regions whose Chinese is written in Traditional script, in lower case.
TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})
ET.register_namespace("news", NEWS_NS)


@dataclass(frozen=True)
class SitemapPage:
    """A written page: its URL path ("" for the home page) and last change."""

    path: str
    lastmod: datetime | None


def url_path(output_file: str) -> str:
    """The URL path a page is served at: ``a/b/index.html`` -> ``a/b/``."""
    head, _, name = output_file.rpartition("/")
    if name != "index.html":
        return output_file
    return f"{head}/" if head else ""


def updated(item: Any) -> datetime:
    """When an article last changed: its ``modified`` (latest report) or date."""
    return getattr(item, "modified", None) or item.date


def sitemap_page(context: dict[str, Any]) -> SitemapPage | None:
    """The page a write produced, or None when it stays out of sitemaps.

    Its last change is the ``lastmod`` a generator passed, else its article's
    or page's, else the newest of the ``articles`` it lists (those on its page,
    for a paginated listing). Drafts and pages written with ``noindex`` (the
    404 page) stay out; hidden articles (the Wire's dispatches) are public
    pages and stay in.
    """
    if context.get("noindex"):
        return None
    item = context.get("article") or context.get("page")
    if getattr(item, "status", None) == "draft":
        return None
    if "lastmod" in context:
        lastmod = context["lastmod"]
    elif item is not None:
        lastmod = updated(item) if hasattr(item, "date") else None
    else:
        page = context.get("articles_page")
        listed = page.object_list if page is not None else context.get("articles")
        lastmod = max(map(updated, listed or ()), default=None)
    return SitemapPage(url_path(context["output_file"]), lastmod)


def absolute(siteurl: str, path: str) -> str:
    """An absolute, percent-encoded URL for a path under the site."""
    return f"{siteurl}/{quote(path, safe='/:@!$&()*+,;=-._~%')}"


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    """Append ``tag`` (``news:x`` for the news namespace) with ``text``."""
    prefix, _, name = tag.rpartition(":")
    element = ET.SubElement(parent, f"{{{NEWS_NS if prefix else SITEMAP_NS}}}{name}")
    element.text = text
    return element


def _document(root: ET.Element) -> str:
    ET.indent(root)
    return (
        ET.tostring(
            root,
            encoding="unicode",
            xml_declaration=True,
            default_namespace=SITEMAP_NS,
        )
        + "\n"
    )


def render_sitemap(pages: Iterable[SitemapPage], siteurl: str) -> str:
    """A sitemap of ``pages``, one entry per URL, sorted by URL."""
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    unique = {page.path: page for page in pages}
    if len(unique) > SITEMAP_LIMIT:
        logger.warning(
            "%d pages: a sitemap holds at most %d URLs", len(unique), SITEMAP_LIMIT
        )
    for path in sorted(unique):
        url = _add(root, "url")
        _add(url, "loc", absolute(siteurl, path))
        if unique[path].lastmod is not None:
            _add(url, "lastmod", format_time(unique[path].lastmod))
    return _document(root)


def news_items(articles: Iterable[Any], days: float) -> list[Any]:
    """Articles published within ``days`` of the newest one, newest first.

    The window ends at the newest article, not at the clock, so the same
    content always gives the same news sitemap. A story no feed dated is left
    out: its date is only when ingest first saw it, no publication date.
    """
    dated = [a for a in articles if _publication_known(a)]
    ordered = sorted(dated, key=lambda a: (-a.date.timestamp(), a.url))
    if not ordered:
        return []
    start = ordered[0].date - timedelta(days=days)
    return [a for a in ordered if a.date >= start][:NEWS_SITEMAP_LIMIT]


def _publication_known(article: Any) -> bool:
    """False for a story whose every report the feeds left undated."""
    coverage = getattr(article, "coverage", None)
    return coverage is None or coverage.last_dated is not None


def render_news_sitemap(
    articles: Iterable[Any], siteurl: str, publication: str, language: str
) -> str:
    """A Google News sitemap of ``articles``.

    Each is declared in the language its page declares
    (:func:`article_language`; ``language`` is the site's).
    """
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for article in articles:
        url = _add(root, "url")
        _add(url, "loc", absolute(siteurl, article.url))
        news = _add(url, "news:news")
        source = _add(news, "news:publication")
        _add(source, "news:name", publication)
        code = news_language(article_language(language, article))
        _add(source, "news:language", code)
        _add(news, "news:publication_date", format_time(article.date))
        _add(news, "news:title", article.title)
    return _document(root)


def news_language(code: str) -> str:
    """The code Google News takes for the language ``code`` names.

    Its ISO 639 code in lower case (``de`` for ``de-AT``, ``fil``), except
    Chinese: ``zh-tw`` in Traditional script (``Hant``, or no script and the
    region Taiwan, Hong Kong or Macau), else ``zh-cn`` (``zh-Hans-HK`` too).
    """
    primary, *rest = code.strip().lower().replace("_", "-").split("-")
    if primary != "zh":
        return primary
    scripts = {"hans", "hant"}.intersection(rest)
    traditional = scripts == {"hant"} or (
        not scripts and bool(TRADITIONAL_REGIONS.intersection(rest))
    )
    return "zh-tw" if traditional else "zh-cn"


def render_robots(sitemap_urls: Iterable[str]) -> str:
    """A robots.txt that lets every crawler in and names the sitemaps."""
    lines = ["User-agent: *", "Allow: /"]
    sitemaps = [f"Sitemap: {url}" for url in sitemap_urls]
    return "\n".join([*lines, *([""] if sitemaps else []), *sitemaps]) + "\n"
