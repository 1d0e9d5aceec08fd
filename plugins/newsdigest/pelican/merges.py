"""Merged stories: out of every listing, their reports on the story they joined.

An editor merges a story into another with ``merged_into: <slug>``; its old
URL becomes a redirect page to that story.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican.contents import Article

from newsdigest.content.storyfile import STORIES_DIR, known_urls, merge_route
from newsdigest.content.validate import read_front_matter
from newsdigest.records import Report

logger = logging.getLogger(__name__)


def fold_merged_stories(generator: Any) -> None:
    """Take merged stories out of every listing (``article_generator_pretaxonomy``).

    A story with ``merged_into: <slug>`` (followed along chains) is kept in
    ``context["merged_stories"]`` with the story it joined, which shows its
    reports, and gets a redirect page. One naming no story, or going round in
    a loop, is logged with its file and line and stays as it is.
    """
    stories = {
        a.slug: a for a in generator.articles if a.metadata.get("kind") == STORIES_DIR
    }
    step = {}
    for slug, story in stories.items():
        target = story.metadata.get("merged_into")
        if isinstance(target, str) and target in stories:
            step[slug] = target
        elif target is not None:
            _log_merge_problem(story, f'no story has the slug "{target}"')
    merged = []
    for slug in step:
        route, loops = merge_route(slug, step)
        if loops:
            _log_merge_problem(stories[slug], "goes round in a loop of merges")
        else:
            merged.append((stories[slug], stories[route[-1]]))
    gone = {story.slug for story, _target in merged}
    generator.articles = [a for a in generator.articles if a.slug not in gone]
    generator.context["merged_stories"] = merged


def _log_merge_problem(story: Article, message: str) -> None:
    """Log a ``merged_into`` the build cannot follow as ``file:line: field: what``."""
    front, _problems = read_front_matter(Path(story.source_path))
    line = front.line(("merged_into",)) if front else 1
    logger.error(
        "%s:%d: merged_into: %s; the story is built on its own",
        story.source_path,
        line,
        message,
    )


def merged_reports(merged: list[tuple[Article, Article]]) -> dict[str, list[Report]]:
    """For each story others were merged into, their reports it lacks, by URL."""
    extra: dict[str, list[Report]] = {}
    for story, target in merged:
        own = target.metadata.get("reports") or []
        seen = {r.url for r in [*own, *extra.get(target.slug, [])]}
        seen |= known_urls({"removed": target.metadata.get("removed")})
        for report in story.metadata.get("reports") or []:
            if report.url not in seen:
                seen.add(report.url)
                extra.setdefault(target.slug, []).append(report)
    return extra


def write_merged_pages(generator: Any, writer: Any) -> None:
    """Write a redirect page to its story at each merged story's old URL.

    Runs on ``article_writer_finalized``; the page stays out of the sitemaps.
    """
    for story, target in generator.context.get("merged_stories", []):
        writer.write_file(
            story.save_as,
            generator.get_template("merged"),
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            url=story.url,
            target=target,
            noindex=True,
        )
