"""Cross-page work, done once after all content is read.

Joins each story's reports with the registry, computes its coverage, country,
related stories and rank, and puts the ranked Top Stories in the context.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from typing import Any

from pelican.contents import Article

from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.errors import InputError
from newsdigest.pelican.settings import plugin_settings, sources_path
from newsdigest.records import Outlet
from newsdigest.registry import load_registry
from newsdigest.stories.coverage import Country, coverage, rank_score
from newsdigest.stories.related import Entry, related

logger = logging.getLogger(__name__)


def load_outlets(settings: dict[str, Any]) -> dict[str, Outlet]:
    """The registry's outlets; a broken registry is logged, not raised."""
    try:
        return load_registry(sources_path(settings)).outlets
    except InputError as error:
        for problem in error.problems:
            logger.error("%s", problem)
        return {}


def enrich_stories(
    articles: list[Article], context: dict[str, Any], settings: dict[str, Any]
) -> None:
    """Attach coverage, country, emoji and related stories; rank Top Stories."""
    options = plugin_settings(settings)
    emoji = options["NEWSDIGEST_CATEGORY_EMOJI"]
    outlets = load_outlets(settings)
    stories = [a for a in articles if a.metadata.get("kind") == STORIES_DIR]
    for story in stories:
        story.coverage = coverage(story.metadata.get("reports") or [], outlets)
        story.country = Country.from_code(_country_code(story))
        story.category_emoji = emoji.get(story.category.name, "")
    _link_related(stories, options)
    context["category_emoji"] = emoji
    context["stories"] = stories
    context["top_stories"] = rank(stories, options)[: options["NEWSDIGEST_TOP_STORIES"]]
    context["story_countries"] = countries(stories)


def rank(stories: list[Article], options: dict[str, Any]) -> list[Article]:
    """Stories by rank score, then newest, then slug (deterministic)."""
    if not stories:
        return []
    dated = [s.coverage.last_dated for s in stories if s.coverage.last_dated]
    newest = max(dated or [s.coverage.last for s in stories])
    half_life = float(options["NEWSDIGEST_RANK_HALF_LIFE_HOURS"])
    for story in stories:
        story.rank_score = rank_score(story.coverage, newest, half_life)
    return sorted(
        stories, key=lambda s: (-s.rank_score, -s.coverage.last.timestamp(), s.slug)
    )


def countries(stories: list[Article]) -> list[tuple[Country, list[Article]]]:
    """Stories grouped by their country, most stories first."""
    groups: dict[str, list[Article]] = {}
    for story in stories:
        groups.setdefault(story.country.code, []).append(story)
    return sorted(
        (
            (
                members[0].country,
                sorted(members, key=lambda s: s.date, reverse=True),
            )
            for code, members in groups.items()
        ),
        key=lambda pair: (-len(pair[1]), pair[0].name),
    )


def _country_code(story: Article) -> str | None:
    """The editor's ``country:``, else the most common outlet country."""
    if isinstance(story.metadata.get("country"), str):
        return story.metadata["country"]
    counts = Counter(
        v.outlet.country for v in story.coverage.reports if v.outlet.country
    )
    if not counts:
        return None
    return min(counts, key=lambda code: (-counts[code], code))


def _link_related(stories: list[Article], options: dict[str, Any]) -> None:
    entries = [
        Entry(
            s.slug,
            " ".join([s.title, *(v.report.headline for v in s.coverage.reports)]),
            s.coverage.first,
            s.coverage.last,
        )
        for s in stories
    ]
    by_slug = {s.slug: s for s in stories}
    links = related(
        entries,
        limit=options["NEWSDIGEST_RELATED_LIMIT"],
        threshold=options["NEWSDIGEST_RELATED_THRESHOLD"],
        window=timedelta(days=options["NEWSDIGEST_RELATED_WINDOW_DAYS"]),
    )
    for story in stories:
        story.related_stories = [by_slug[key] for key in links.get(story.slug, [])]
