"""Cross-page work, done once after all content is read.

Joins each story's reports with the registry, computes its coverage, country
and rank, and puts the ranked Top Stories in the context. Related stories are
linked with the Wire's dispatches later (:mod:`newsdigest.pelican.related`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pelican.contents import Article

from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.pelican.memo import Memo, digest
from newsdigest.pelican.merges import merged_reports
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
