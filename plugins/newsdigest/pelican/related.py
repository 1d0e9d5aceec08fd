"""Related stories and dispatches, linked once every story and dispatch is enriched.

Runs after :func:`~newsdigest.pelican.enrich.enrich_stories` (a story's
text includes its reports' headlines) and
:func:`~newsdigest.pelican.wire.enrich_dispatches`; thread search
(:mod:`newsdigest.pelican.threads`) reads the links and searches the same
entries again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pelican.contents import Article

from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.pelican.parallel import render_processes
from newsdigest.pelican.settings import plugin_settings
from newsdigest.pelican.wire import OLDEST
from newsdigest.sanitize import to_text
from newsdigest.stories.related import Entry, related
from newsdigest.wire.records import DISPATCHES_DIR

logger = logging.getLogger(__name__)


def enrich_related(
    stories: list[Article], dispatches: list[Article], settings: dict[str, Any]
) -> None:
    """Give every story and dispatch its related stories and dispatches.

    A dispatch's ``related:`` (the desk's) comes first and works both ways;
    then similar text, from one TF-IDF search over stories and dispatches at
    once (in up to ``NEWSDIGEST_RENDER_PROCESSES`` processes). A story's
    related stories are by similar text only.
    """
    options = plugin_settings(settings)
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
                logger.error(
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
        processes=render_processes(settings),
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
        dispatch.first or OLDEST,
        dispatch.updated or OLDEST,
        DISPATCHES_DIR,
    )


def _of_kind(
    keys: list[str], kind: str, keyed: Mapping[str, Article], limit: int
) -> list[Article]:
    chosen = [keyed[k] for k in keys if k.startswith(f"{kind}/")]
    return chosen[:limit]
