"""The Wire in the build: check dispatches, rate them, link them, list them.

Dispatches are Pelican articles with status ``hidden``: their pages are
written, but Pelican's story listings (home, archives, categories, feeds)
leave them out. :class:`WireGenerator` lists them instead, at ``/wire/``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator

from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.errors import InputError, Problem
from newsdigest.pelican.feeds import plan_wire_feeds
from newsdigest.pelican.listings import write_pages
from newsdigest.pelican.parallel import render_processes
from newsdigest.pelican.registry import build_registry
from newsdigest.pelican.settings import plugin_settings
from newsdigest.pelican.sitemap import updated
from newsdigest.records import Outlet
from newsdigest.sanitize import to_text
from newsdigest.stories.related import Entry, related
from newsdigest.wire.dispatch import check_dispatch, signal_problems
from newsdigest.wire.listing import WIRE_URL, facet_url, facets, paginate
from newsdigest.wire.records import DISPATCHES_DIR
from newsdigest.wire.signal import RULE, signal_read

logger = logging.getLogger(__name__)

_OLDEST = datetime.min.replace(tzinfo=UTC)


def enrich_dispatches(
    articles: list[Article], context: dict[str, Any], settings: dict[str, Any]
) -> None:
    """Refuse dispatches with problems; rate, link and order the rest.

    Runs after :func:`~newsdigest.pelican.enrich.enrich_stories`, whose
    ``context["stories"]`` it links dispatches with.
    """
    options = plugin_settings(settings)
    registry = build_registry(context, settings)
    outlets = registry.outlets if registry else {}
    dispatches = [a for a in articles if a.metadata.get("kind") == DISPATCHES_DIR]
    problems = _problems(dispatches, context, settings, outlets)
    if problems:
        raise InputError(problems)
    for article in dispatches:
        dispatch = article.dispatch
        article.signal_read = signal_read(dispatch.sources, outlets, dispatch.signal)
        note = options["NEWSDIGEST_DESK_NOTE"]
        article.desk_note = note.replace("{desk}", dispatch.desk)
        article.desk_url = facet_url("desk", dispatch.desk)
        article.section_url = (
            facet_url("section", dispatch.section) if dispatch.section else None
        )
    _link(dispatches, context.get("stories", []), options, render_processes(settings))
    context["dispatches"] = wire_order(dispatches)
    context["signal_rule"] = RULE
    context["story_feeds"] = [
        *context.get("story_feeds", []),
        *plan_wire_feeds(context["dispatches"], settings),
    ]


def wire_order(dispatches: list[Article]) -> list[Article]:
    """Newest first by latest development, then by slug."""
    by_slug = sorted(dispatches, key=lambda a: a.slug)
    return sorted(by_slug, key=lambda a: a.dispatch.updated or _OLDEST, reverse=True)


class WireGenerator(Generator):
    """Write ``/wire/`` and one listing per desk and per section, paginated."""

    def generate_context(self) -> None:
        """Nothing to read: dispatches come from the articles after enrichment."""

    def generate_output(self, writer: Any) -> None:
        """Write every page of every Wire listing."""
        dispatches = self.context.get("dispatches", [])
        per_page = plugin_settings(self.settings)["NEWSDIGEST_WIRE_PER_PAGE"]
        desks = facets(dispatches, lambda a: a.dispatch.desk, "desk")
        sections = facets(dispatches, lambda a: a.dispatch.section, "section")
        listings = [
            ("The Wire", None, WIRE_URL, dispatches),
            *((facet.name, "Desk", facet.url, facet.items) for facet in desks),
            *((facet.name, "Section", facet.url, facet.items) for facet in sections),
        ]
        template = self.get_template("wire")
        for title, facet, url, members in listings:
            # Any new development can move items across a listing's pages.
            lastmod = max(map(updated, members), default=None)
            write_pages(
                self,
                writer,
                template,
                paginate(members, per_page, url),
                "wire_page",
                wire_title=title,
                wire_facet=facet,
                wire_desks=desks,
                wire_sections=sections,
                lastmod=lastmod,
            )


def _problems(
    dispatches: list[Article],
    context: dict[str, Any],
    settings: dict[str, Any],
    outlets: Mapping[str, Outlet],
) -> list[Problem]:
    """Problems of every dispatch, including files Pelican could not read."""
    problems = []
    for article in dispatches:
        problems += article.metadata.get("dispatch_problems", [])
        problems += signal_problems(article.dispatch, article.source_path, outlets)
    for relative, content in context.get("generated_content", {}).items():
        if content is None and PurePosixPath(relative).parts[:1] == (DISPATCHES_DIR,):
            problems += check_dispatch(Path(settings["PATH"]) / relative, outlets)
    return problems


def _link(
    dispatches: list[Article],
    stories: list[Article],
    options: dict[str, Any],
    processes: int = 1,
) -> None:
    """Related dispatches and stories: the desk's ``related:``, then similar text.

    A ``related:`` link works both ways; similar-text links come from one TF-IDF
    search over stories and dispatches at once (in up to ``processes``
    processes), which also gives every story its related stories.
    """
    limit = options["NEWSDIGEST_RELATED_LIMIT"]
    keyed = {
        **{article_key(s): s for s in stories},
        **{article_key(d): d for d in dispatches},
    }
    links: dict[str, list[str]] = {key: [] for key in keyed}
    for dispatch in dispatches:
        for slug in dispatch.dispatch.related:
            targets = [
                key
                for key in (f"{DISPATCHES_DIR}/{slug}", f"{STORIES_DIR}/{slug}")
                if key in keyed and key != article_key(dispatch)
            ]
            if not targets:
                logger.warning(
                    "%s: related: no dispatch or story has the slug %r",
                    dispatch.source_path,
                    slug,
                )
            for target in targets:
                links[article_key(dispatch)].append(target)
                links[target].append(article_key(dispatch))
    similar = related(
        [related_entry(article) for article in keyed.values()],
        limit=limit,
        threshold=options["NEWSDIGEST_RELATED_THRESHOLD"],
        window=timedelta(days=options["NEWSDIGEST_RELATED_WINDOW_DAYS"]),
        processes=processes,
    )
    for key, article in keyed.items():
        found = list(dict.fromkeys([*links[key], *similar.get(key, [])]))
        article.related_dispatches = _of_kind(found, DISPATCHES_DIR, keyed, limit)
        if key.startswith(f"{DISPATCHES_DIR}/"):
            article.related_stories = _of_kind(found, STORIES_DIR, keyed, limit)
        else:
            article.related_stories = _of_kind(similar[key], STORIES_DIR, keyed, limit)


def article_key(article: Article) -> str:
    """``stories/<slug>`` or ``dispatches/<slug>``: unique across both kinds."""
    return f"{article.metadata['kind']}/{article.slug}"


def related_entry(article: Article) -> Entry:
    """What related-text search sees of a story or a dispatch."""
    if article.metadata["kind"] == STORIES_DIR:
        coverage = article.coverage
        headlines = (v.report.headline for v in coverage.reports)
        return Entry(
            article_key(article),
            " ".join([article.title, *headlines]),
            coverage.first,
            coverage.last,
            STORIES_DIR,
        )
    dispatch = article.dispatch
    # Title and TL;DR say what happened; bodies add the desk's sourcing talk,
    # which every dispatch shares and which made unrelated ones look alike.
    text = " ".join([article.title, dispatch.tldr or to_text(article.content)])
    return Entry(
        article_key(article),
        text,
        dispatch.first or _OLDEST,
        dispatch.updated or _OLDEST,
        DISPATCHES_DIR,
    )


def _of_kind(
    keys: list[str], kind: str, keyed: Mapping[str, Article], limit: int
) -> list[Article]:
    chosen = [keyed[k] for k in keys if k.startswith(f"{kind}/")]
    return chosen[:limit]
