"""Story and Wire feeds: Atom, RSS 2.0 and JSON Feed 1.1, from the same entries.

Every format renders the same :class:`Entry` records, so ids, links and dates
agree across formats. Nothing here reads the clock: each date in a feed comes
from its entries, so two builds of the same content give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from io import StringIO
from typing import Any

from feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from markupsafe import Markup
from pelican.contents import Article

from newsdigest.pelican.generators import COUNTRY_URL
from newsdigest.pelican.settings import plugin_settings
from newsdigest.pelican.sitemap import absolute, updated
from newsdigest.times import format_time
from newsdigest.wire.listing import WIRE_URL
from newsdigest.wire.records import DISPATCHES_DIR

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Entry:
    """One item of a feed; its URL is also its id (a story's URL never changes)."""

    url: str
    title: str
    summary: str
    published: datetime
    updated: datetime
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Channel:
    """What a feed is: its title, the page it follows and its own address."""

    title: str
    home: str
    url: str
    description: str
    language: str
    author: str


def _syndication(feed: SyndicationFeed, entries: Iterable[Entry]) -> str:
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.url,
            description=entry.summary,
            unique_id=entry.url,
            unique_id_is_permalink=True,
            pubdate=entry.published,
            updateddate=entry.updated,
            categories=entry.categories,
        )
    text = StringIO()
    feed.write(text, "utf-8")
    return text.getvalue() + "\n"


def render_atom(channel: Channel, entries: list[Entry]) -> str:
    """An Atom 1.0 document; its ``updated`` is the newest entry's."""
    feed = Atom1Feed(
        title=channel.title,
        link=channel.home,
        description=channel.description,
        language=channel.language,
        author_name=channel.author,
        feed_url=channel.url,
        feed_guid=channel.url,
    )
    return _syndication(feed, entries)


def render_rss(channel: Channel, entries: list[Entry]) -> str:
    """An RSS 2.0 document; its ``lastBuildDate`` is the newest entry's."""
    feed = Rss201rev2Feed(
        title=channel.title,
        link=channel.home,
        description=channel.description,
        language=channel.language,
        feed_url=channel.url,
    )
    return _syndication(feed, entries)


def render_json(channel: Channel, entries: list[Entry]) -> str:
    """A JSON Feed 1.1 document."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.home,
        "feed_url": channel.url,
        "description": channel.description,
        "language": channel.language,
        "authors": [{"name": channel.author}],
        "items": [
            {
                "id": entry.url,
                "url": entry.url,
                "title": entry.title,
                "content_html": entry.summary,
                "summary": Markup(entry.summary).striptags(),
                "date_published": format_time(entry.published),
                "date_modified": format_time(entry.updated),
                "tags": list(entry.categories),
            }
            for entry in entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Format:
    """A feed format: how pages label and link it, and how it is rendered."""

    label: str
    mime: str
    extension: str
    render: Callable[[Channel, list[Entry]], str]


FORMATS: dict[str, Format] = {
    "atom": Format("Atom", "application/atom+xml", ".atom.xml", render_atom),
    "rss": Format("RSS", "application/rss+xml", ".rss.xml", render_rss),
    "json": Format("JSON Feed", "application/feed+json", ".json", render_json),
}


@dataclass(frozen=True)
class FeedFile:
    """One feed written in one format, at ``path`` under the output folder."""

    format: str
    path: str

    @property
    def label(self) -> str:
        """The format's name, for links."""
        return FORMATS[self.format].label

    @property
    def mime(self) -> str:
        """The format's media type, for ``<link rel="alternate">``."""
        return FORMATS[self.format].mime


@dataclass(frozen=True)
class Feed:
    """A feed: what it follows, the page it belongs to, files and articles.

    ``stories`` holds stories, or for the Wire's feed, dispatches.
    """

    title: str
    page: str
    files: tuple[FeedFile, ...]
    stories: tuple[Article, ...]


def plan_feeds(stories: list[Article], settings: dict[str, Any]) -> list[Feed]:
    """The story feeds to write: all stories, each category's, each country's.

    Each feed's ``page`` is the URL path of the page it follows ("" for the
    home page); it holds the newest ``FEED_MAX_ITEMS`` stories. A feed with
    no stories is left out: its only date would be the clock's.
    """
    options = plugin_settings(settings)
    formats = [name for name in options["NEWSDIGEST_FEED_FORMATS"] if name in FORMATS]
    paths = options["NEWSDIGEST_FEED_PATHS"]
    scopes = [("all", "All stories", "", "", stories)]
    for category, members in _grouped(stories, lambda s: s.category, "slug"):
        scopes.append(("category", category.name, category.slug, category.url, members))
    for country, members in _grouped(stories, lambda s: s.country, "code"):
        code = country.code.lower()
        page = COUNTRY_URL.format(code=code)
        scopes.append(("country", country.name, code, page, members))
    return [
        Feed(
            title=title,
            page=page,
            files=tuple(
                FeedFile(name, paths[scope].format(slug=slug) + FORMATS[name].extension)
                for name in formats
            ),
            stories=tuple(newest_first(members)[: settings.get("FEED_MAX_ITEMS")]),
        )
        for scope, title, slug, page, members in scopes
        if formats and paths.get(scope) and members
    ]


def plan_wire_feeds(dispatches: list[Article], settings: dict[str, Any]) -> list[Feed]:
    """The Wire's feed: every dispatch, already newest development first.

    Left out, like any feed, when there are no dispatches or no formats.
    """
    options = plugin_settings(settings)
    formats = [name for name in options["NEWSDIGEST_FEED_FORMATS"] if name in FORMATS]
    path = options["NEWSDIGEST_FEED_PATHS"].get("wire")
    if not (formats and path and dispatches):
        return []
    files = tuple(FeedFile(name, path + FORMATS[name].extension) for name in formats)
    limit = settings.get("FEED_MAX_ITEMS")
    return [Feed("The Wire", WIRE_URL, files, tuple(dispatches[:limit]))]


def _grouped(
    stories: list[Article], key: Callable[[Article], Any], order: str
) -> list[tuple[Any, list[Article]]]:
    """Stories grouped by ``key``, groups sorted by their ``order`` attribute."""
    groups: dict[Any, list[Article]] = {}
    for story in stories:
        groups.setdefault(key(story), []).append(story)
    return sorted(groups.items(), key=lambda pair: getattr(pair[0], order))


def newest_first(stories: Iterable[Article]) -> list[Article]:
    """Stories by their latest report, newest first, then by URL."""
    return sorted(stories, key=lambda s: (-updated(s).timestamp(), s.url))


def story_entry(story: Article, siteurl: str) -> Entry:
    """The feed entry for a story: its summary, first and latest report."""
    return Entry(
        url=absolute(siteurl, story.url),
        title=story.title,
        summary=story.summary,
        published=story.date,
        updated=updated(story),
        categories=(story.category.name,),
    )


def dispatch_entry(dispatch: Article, siteurl: str) -> Entry:
    """The feed entry for a dispatch: its TL;DR, first and latest development.

    Only the title, the TL;DR (or body summary) and the section go in: never
    the sources, so internal intake stays out of feeds as it does out of pages.
    """
    record = dispatch.dispatch
    section = (record.section,) if record.section else ()
    return Entry(
        url=absolute(siteurl, dispatch.url),
        title=dispatch.title,
        summary=dispatch.summary,
        published=record.first or dispatch.date,
        updated=record.updated or dispatch.date,
        categories=section,
    )


def _entry(article: Article, siteurl: str) -> Entry:
    """A story's or a dispatch's feed entry."""
    if article.metadata.get("kind") == DISPATCHES_DIR:
        return dispatch_entry(article, siteurl)
    return story_entry(article, siteurl)


def render_feed(feed: Feed, file: FeedFile, settings: dict[str, Any]) -> str:
    """One feed file's text, with absolute links from ``SITEURL``."""
    siteurl = settings["SITEURL"]
    sitename = settings["SITENAME"]
    channel = Channel(
        title=f"{sitename} · {feed.title}",
        home=absolute(siteurl, feed.page),
        url=absolute(siteurl, file.path),
        description=settings.get("SITESUBTITLE") or sitename,
        language=settings["DEFAULT_LANG"],
        author=settings.get("AUTHOR") or sitename,
    )
    entries = [_entry(article, siteurl) for article in feed.stories]
    return FORMATS[file.format].render(channel, entries)
