"""Developing-story and topic pages: ``threads/<slug>/``, ``topics/<slug>/``.

:func:`enrich_threads` finds threads (:mod:`newsdigest.stories.threads`) and
topics (:mod:`newsdigest.stories.topics`) once all stories and dispatches are
enriched, and gives each member its ``thread`` and ``topics``;
:class:`ThreadGenerator` writes the pages and their two indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator

from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.pelican.memo import Memo
from newsdigest.pelican.related import article_key, related_entry
from newsdigest.pelican.settings import plugin_settings
from newsdigest.sanitize import to_text
from newsdigest.stories.related import related
from newsdigest.stories.threads import Member, threads
from newsdigest.stories.topics import Item, item_names, scan_item, topics
from newsdigest.wire.records import DISPATCHES_DIR

THREAD_URL = "threads/{slug}/"
THREAD_SAVE_AS = "threads/{slug}/index.html"
THREADS_URL = "threads/"
THREADS_SAVE_AS = "threads/index.html"
TOPIC_URL = "topics/{slug}/"
TOPIC_SAVE_AS = "topics/{slug}/index.html"
TOPICS_URL = "topics/"
TOPICS_SAVE_AS = "topics/index.html"


@dataclass(frozen=True)
class ThreadPage:
    """A developing story for templates: members oldest first.

    It is named after the story it began with, the one whose slug its URL
    keeps, so its title stays the same as members join.
    """

    slug: str
    members: tuple[Article, ...]

    @property
    def url(self) -> str:
        """Where the page is, from the site root."""
        return THREAD_URL.format(slug=self.slug)

    @property
    def origin(self) -> Article:
        """The story the thread began with (its slug is the thread's)."""
        return next(
            (
                m
                for m in self.members
                if m.metadata["kind"] == STORIES_DIR and m.slug == self.slug
            ),
            self.members[0],
        )

    @property
    def title(self) -> str:
        """The thread's stable title: the headline of the story it began with."""
        return self.origin.title

    def named_for(self, article: Article) -> Article:
        """The member whose headline names the thread on ``article``'s page.

        The thread's own title, unless that is ``article``'s own headline;
        then the newest other member's, so the note never repeats the page.
        """
        if article.title != self.title:
            return self.origin
        others = [m for m in self.members if m.title != article.title]
        return others[-1] if others else self.origin

    @property
    def stories(self) -> int:
        """How many members are stories."""
        return sum(m.metadata["kind"] == STORIES_DIR for m in self.members)

    @property
    def dispatches(self) -> int:
        """How many members are dispatches."""
        return len(self.members) - self.stories

    @property
    def timeline(self) -> list[tuple[datetime, Article]]:
        """Each member with the time it began, oldest first."""
        return [(first_time(m), m) for m in self.members]

    @property
    def last(self) -> datetime:
        """When any member last changed."""
        return max(last_time(m) for m in self.members)


@dataclass(frozen=True)
class TopicPage:
    """A recurring name for templates: its stories and dispatches, newest first."""

    slug: str
    name: str
    members: tuple[Article, ...]
    stories: int

    @property
    def url(self) -> str:
        """Where the page is, from the site root."""
        return TOPIC_URL.format(slug=self.slug)

    @property
    def last(self) -> datetime:
        """When the newest member last changed."""
        return last_time(self.members[0])

    @property
    def timeline(self) -> list[tuple[datetime, Article]]:
        """Each member with the time it last changed, newest first."""
        return [(last_time(m), m) for m in self.members]


def first_time(article: Article) -> datetime:
    """When a story's first report or a dispatch's first development came."""
    if article.metadata["kind"] == STORIES_DIR:
        return article.coverage.first
    return article.dispatch.first or article.date


def last_time(article: Article) -> datetime:
    """When a story's latest report or a dispatch's latest development came."""
    if article.metadata["kind"] == STORIES_DIR:
        return article.coverage.last
    return article.dispatch.updated or article.date


def enrich_threads(
    context: dict[str, Any], settings: dict[str, Any], memo: Memo | None = None
) -> None:
    """Keep related items that share a name; find threads and topics.

    Every story and dispatch gets ``thread`` and ``topics``. Runs after
    :func:`~newsdigest.pelican.related.enrich_related`, which finds related
    items by their text.
    """
    memo = memo or Memo()
    options = plugin_settings(settings)
    articles = [*context.get("stories", []), *context.get("dispatches", [])]
    for article in articles:
        article.thread = None
        article.topics = []
    context["threads"], context["topics"] = [], []
    if not articles:
        return
    keyed = {article_key(a): a for a in articles}
    items = [_item(key, article) for key, article in keyed.items()]
    scans = memo.results(
        "names", [((i.texts, i.story), partial(scan_item, i)) for i in items]
    )
    names = item_names(items, scans)
    keep_related_sharing_a_name(keyed, names)
    if options["NEWSDIGEST_THREADS"]:
        context["threads"] = thread_pages(keyed, names, options, memo.processes)
        for page in context["threads"]:
            for member in page.members:
                member.thread = page
    if options["NEWSDIGEST_TOPICS"]:
        found = topics(items, names, options["NEWSDIGEST_TOPIC_MIN_STORIES"], scans)
        context["topics"] = [
            TopicPage(t.slug, t.name, tuple(keyed[k] for k in t.keys), t.stories)
            for t in found
        ]
        for page in sorted(context["topics"], key=lambda p: p.name.casefold()):
            for member in page.members:
                member.topics.append(page)


def keep_related_sharing_a_name(
    keyed: dict[str, Article], names: dict[str, dict[str, str]]
) -> None:
    """Drop related items found by similar text alone that share no name.

    Closely linked events share an actor or a place; two reopenings of
    unrelated buildings share only words. Links the desk wrote (``related:``)
    stay.
    """
    words = {
        key: frozenset(word for name in names[key] for word in name.split())
        for key in keyed
    }
    for key, article in keyed.items():
        for attribute in ("related_stories", "related_dispatches"):
            found = getattr(article, attribute, None)
            if found is None:
                continue
            setattr(
                article,
                attribute,
                [
                    other
                    for other in found
                    if words[key] & words[article_key(other)]
                    or _linked_by_desk(article, other)
                ],
            )


def _linked_by_desk(one: Article, other: Article) -> bool:
    """Whether either is a dispatch whose ``related:`` names the other."""
    return any(
        a.metadata["kind"] == DISPATCHES_DIR and b.slug in a.dispatch.related
        for a, b in ((one, other), (other, one))
    )


def thread_pages(
    keyed: dict[str, Article],
    names: dict[str, dict[str, str]],
    options: dict[str, Any],
    processes: int = 1,
) -> list[ThreadPage]:
    """The developing stories among ``keyed``, the one updated last first.

    ``processes`` may share the related-story search.
    """
    window = timedelta(days=options["NEWSDIGEST_THREAD_WINDOW_DAYS"])
    neighbours = related(
        [related_entry(article) for article in keyed.values()],
        limit=options["NEWSDIGEST_RELATED_LIMIT"],
        threshold=options["NEWSDIGEST_THREAD_MIN_SIMILARITY"],
        window=window,
        processes=processes,
    )
    members = [
        Member(
            key,
            article.slug,
            article.metadata["kind"] == STORIES_DIR,
            first_time(article),
            last_time(article),
            frozenset(word for name in names[key] for word in name.split()),
            tuple(neighbours[key]),
            _desk_links(article, keyed),
        )
        for key, article in keyed.items()
    ]
    return [
        ThreadPage(thread.slug, tuple(keyed[k] for k in thread.keys))
        for thread in threads(members, window)
    ]


def _desk_links(article: Article, keyed: dict[str, Article]) -> tuple[str, ...]:
    """The stories and dispatches a dispatch's ``related:`` names."""
    if article.metadata["kind"] != DISPATCHES_DIR:
        return ()
    return tuple(
        key
        for slug in article.dispatch.related
        for key in (f"{STORIES_DIR}/{slug}", f"{DISPATCHES_DIR}/{slug}")
        if key in keyed
    )


def _item(key: str, article: Article) -> Item:
    """What name search reads: headlines and summaries, or title and TL;DR."""
    if article.metadata["kind"] == STORIES_DIR:
        reports = []
        for view in article.coverage.reports:
            lang = view.report.lang or view.outlet.language
            reports += [(view.report.headline, lang), (view.report.summary or "", lang)]
        # A title that is a report's headline is in that report's language
        # (a German title's nouns are capitalised, not names); an editor's is not known.
        title_lang = next(
            (lang for text, lang in reports[::2] if text == article.title), None
        )
        texts = [(article.title, title_lang), *reports]
    else:
        body = article.dispatch.tldr or to_text(article.content)
        texts = [(article.title, None), (body, None)]
    return Item(
        key, tuple(texts), last_time(article), article.metadata["kind"] == STORIES_DIR
    )


class ThreadGenerator(Generator):
    """Write each thread and topic page, and ``threads/`` and ``topics/``."""

    def generate_context(self) -> None:
        """Nothing to read: threads and topics come after enrichment."""

    def generate_output(self, writer: Any) -> None:
        """Write the pages of whichever of threads and topics are on."""
        options = plugin_settings(self.settings)
        listings = []
        if options["NEWSDIGEST_THREADS"]:
            found = self.context.get("threads", [])
            listings.append(
                ("thread", THREAD_SAVE_AS, THREADS_SAVE_AS, THREADS_URL, found)
            )
        if options["NEWSDIGEST_TOPICS"]:
            found = self.context.get("topics", [])
            listings.append(("topic", TOPIC_SAVE_AS, TOPICS_SAVE_AS, TOPICS_URL, found))
        for name, save_as, index_save_as, index_url, found in listings:
            pages = [
                (name, save_as.format(slug=p.slug), p.url, p.last, {name: p})
                for p in found
            ]
            pages.append((f"{name}s", index_save_as, index_url, _newest(found), {}))
            for template, target, url, lastmod, extra in pages:
                writer.write_file(
                    target,
                    self.get_template(template),
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    url=url,
                    lastmod=lastmod,
                    thread_window_days=options["NEWSDIGEST_THREAD_WINDOW_DAYS"],
                    topic_min_stories=options["NEWSDIGEST_TOPIC_MIN_STORIES"],
                    **extra,
                )


def _newest(pages: list[ThreadPage] | list[TopicPage]) -> datetime | None:
    """When the newest listed page last changed, for the sitemap."""
    return max((p.last for p in pages), default=None)
