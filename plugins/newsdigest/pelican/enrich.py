"""Cross-page work, done once after all content is read.

Joins each story's reports with the registry, computes its coverage, country
and rank, and puts the ranked Top Stories in the context. Related stories are
linked with the Wire's dispatches, in one search (:mod:`newsdigest.pelican.wire`).
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from pelican.contents import Article

from newsdigest.content.storyfile import STORIES_DIR, known_urls, merge_route
from newsdigest.content.validate import read_front_matter
from newsdigest.pelican.memo import Memo, digest
from newsdigest.pelican.registry import load_outlets
from newsdigest.pelican.settings import plugin_settings
from newsdigest.records import Outlet, Report
from newsdigest.stories.claims import Claim, claims_check
from newsdigest.stories.coverage import (
    BlindspotRule,
    Country,
    ReportView,
    coverage,
    headline_source,
    rank_score,
)
from newsdigest.stories.place import story_country
from newsdigest.stories.syndication import CopyGroup, copy_groups

logger = logging.getLogger(__name__)


def enrich_stories(
    articles: list[Article],
    context: dict[str, Any],
    settings: dict[str, Any],
    memo: Memo | None = None,
) -> None:
    """Attach coverage, country and emoji; rank Top Stories."""
    memo = memo or Memo()
    options = plugin_settings(settings)
    emoji = options["NEWSDIGEST_CATEGORY_EMOJI"]
    outlets = load_outlets(context, settings)
    stories = [a for a in articles if a.metadata.get("kind") == STORIES_DIR]
    merged = merged_reports(context.get("merged_stories", []))
    rule = BlindspotRule(
        float(options["NEWSDIGEST_BLINDSPOT_SHARE"]),
        int(options["NEWSDIGEST_BLINDSPOT_MIN_OUTLETS"]),
    )
    reports = {
        s.slug: [*(s.metadata.get("reports") or []), *merged.get(s.slug, [])]
        for s in stories
    }
    copies = _copies([reports[s.slug] for s in stories], memo)
    for story, found in zip(stories, copies, strict=True):
        story.coverage = coverage(reports[story.slug], outlets, rule, found)
        story.headline_source = headline_source(story.title, story.coverage)
        if (folded := merged.get(story.slug)) and getattr(story, "modified", None):
            story.modified = max(story.modified, *(r.published for r in folded))
    read = {story.slug: _coverage_digest(story) for story in stories}
    claims = _claims(stories, outlets, memo, read, settings.get("DEFAULT_LANG") or "")
    for story, found_claims in zip(stories, claims, strict=True):
        story.claims = found_claims
    codes = _country_codes(stories, memo, read)
    for story, code in zip(stories, codes, strict=True):
        story.country = Country.from_code(code)
        story.category_emoji = emoji.get(story.category.name, "")
    context["category_emoji"] = emoji
    context["stories"] = stories
    context["top_stories"] = rank(stories, options)[: options["NEWSDIGEST_TOP_STORIES"]]
    context["story_countries"] = countries(stories)
    context["blindspot_stories"] = sorted(
        (s for s in stories if s.coverage.blindspot),
        key=lambda s: (s.date, s.slug),
        reverse=True,
    )
    context["blindspot_rule"] = rule


def _copies(reports: list[list[Report]], memo: Memo) -> list[list[CopyGroup]]:
    """Each story's syndicated copies, kept by ``memo`` (read from these fields)."""
    return memo.results(
        "copies",
        [
            (
                tuple((r.url, r.published, r.headline, r.summary) for r in story),
                partial(copy_groups, story),
            )
            for story in reports
        ],
    )


def _coverage_digest(story: Article) -> str:
    """A digest of all a story's coverage is read from: reports, outlets, copies.

    Computed once per story for the memo's kinds that read a story's
    coverage; digesting each report and outlet once per kind cost 0.7 s of a
    10,000-story rebuild.
    """
    return digest(
        tuple(
            (v.report, v.outlet, v.copy_of and v.copy_of.report.url)
            for v in story.coverage.reports
        )
    )


def _claims(
    stories: list[Article],
    outlets: dict[str, Outlet],
    memo: Memo,
    read: dict[str, str],
    site_lang: str = "",
) -> list[list[Claim]]:
    """Each story's claims check, kept by ``memo`` unless editors wrote claims.

    Editors' claims are checked afresh on every build, so a broken entry is
    reported every time. Extracted claims name only the story's own outlets,
    so ``memo`` keeps them with outlet ids. ``read``: each story's
    :func:`_coverage_digest`; ``site_lang``: ``DEFAULT_LANG``, whose clauses
    claims are shown in first.
    """
    extracted = memo.results(
        "claims",
        [
            (
                (read[story.slug], site_lang),
                partial(_extract_claims, story.coverage.reports, outlets, site_lang),
            )
            for story in stories
            if not story.metadata.get("claims")
        ],
    )
    found = iter(extracted)
    checked = []
    for story in stories:
        views = story.coverage.reports
        if edits := story.metadata.get("claims"):
            checked.append(
                claims_check(views, outlets, edits, story.source_path, site_lang)
            )
            continue
        by_id = {v.outlet.id: v.outlet for v in views}
        checked.append(
            [
                Claim(
                    text,
                    tuple(map(by_id.get, asserted)),
                    tuple(map(by_id.get, disputed)),
                    asserting,
                    disputing,
                    figure=figure,
                    lang=lang,
                )
                for text, asserted, disputed, asserting, disputing, figure, lang in (
                    next(found)
                )
            ]
        )
    return checked


def _extract_claims(
    views: list[ReportView], outlets: dict[str, Outlet], site_lang: str = ""
) -> list[tuple]:
    """Extracted claims as plain data: outlets by id."""
    return [
        (
            c.text,
            _ids(c.asserted_by),
            _ids(c.disputed_by),
            c.asserting,
            c.disputing,
            c.figure,
            c.lang,
        )
        for c in claims_check(views, outlets, site_lang=site_lang)
    ]


def _ids(outlets: tuple[Outlet, ...]) -> tuple[str, ...]:
    return tuple(o.id for o in outlets)


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


def _country_codes(
    stories: list[Article], memo: Memo, read: dict[str, str]
) -> list[str | None]:
    """Each story's :func:`_country_code`, kept by ``memo``.

    Read from the editor's ``country:`` and the story's coverage (``read``:
    each story's :func:`_coverage_digest`).
    """
    return memo.results(
        "country",
        [
            (
                (story.metadata.get("country"), read[story.slug]),
                partial(_country_code, story),
            )
            for story in stories
        ],
    )


def _country_code(story: Article) -> str | None:
    """:func:`~newsdigest.stories.place.story_country` of a story."""
    chosen = story.metadata.get("country")
    return story_country(
        chosen if isinstance(chosen, str) else None, story.coverage.reports
    )


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
