"""One ingest run: registry in, story files out, state store updated.

fetch every feed -> parse and sanitize -> drop reports already seen ->
cluster the new ones into existing or new stories -> write story files ->
commit the state. Content is written before the state is committed, so a
run killed half way leaves a dirty store that the next run rebuilds from
``content/``: nothing is lost and nothing is doubled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from newsdigest.categories import category_for
from newsdigest.content import frontmatter
from newsdigest.content.storyfile import (
    STORIES_DIR,
    add_reports,
    new_story_text,
    report_from_meta,
    story_path,
)
from newsdigest.errors import InputError
from newsdigest.ingest.dedupe import canonical_url, report_keys
from newsdigest.ingest.fetch import FetchResult, fetch_feed
from newsdigest.ingest.parse import parse_feed
from newsdigest.records import Outlet, Report, Story
from newsdigest.registry import Registry
from newsdigest.slugs import unique_slug
from newsdigest.store import StateStore, StoredReport, exclusive_lock
from newsdigest.stories.cluster import DEFAULT_THRESHOLD, DEFAULT_WINDOW, Item, cluster
from newsdigest.times import utc_now

logger = logging.getLogger(__name__)

FETCH_WORKERS = 8


@dataclass
class FeedOutcome:
    """How one feed went, for the summary."""

    outlet: str
    location: str
    status: str
    error: str | None = None
    reports: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    """What one run did, for the one-screen summary."""

    feeds: list[FeedOutcome] = field(default_factory=list)
    reports_new: int = 0
    reports_duplicate: int = 0
    stories_new: list[str] = field(default_factory=list)
    stories_updated: list[str] = field(default_factory=list)
    rebuilt_state: bool = False

    def feeds_with(self, status: str) -> int:
        """How many feeds ended with ``status``."""
        return sum(1 for feed in self.feeds if feed.status == status)


@dataclass(frozen=True)
class IngestOptions:
    """Knobs of a run; the defaults suit a desk ingesting a few times a day."""

    window: timedelta = DEFAULT_WINDOW
    threshold: float = DEFAULT_THRESHOLD
    timeout: float = 20.0
    max_bytes: int = 10 * 2**20


def run_ingest(
    registry: Registry,
    content_dir: Path,
    state_path: Path,
    *,
    options: IngestOptions | None = None,
    now: datetime | None = None,
    on_feed: Callable[[FeedOutcome], None] | None = None,
) -> IngestSummary:
    """Ingest every news feed of ``registry`` into ``content_dir``."""
    options = options or IngestOptions()
    now = now or utc_now()
    summary = IngestSummary()
    with exclusive_lock(state_path):
        store = StateStore(state_path)
        try:
            if store.needs_rebuild():
                rebuild_state(store, content_dir)
                summary.rebuilt_state = True
            store.mark_running()
            fetched, reports = _fetch_all(
                registry,
                store,
                options=options,
                now=now,
                summary=summary,
                on_feed=on_feed,
            )
            fresh = _drop_seen(store, reports, summary)
            joined, created = _assign(store, fresh, registry, options)
            _write_stories(store, content_dir, joined, created, summary)
            with store.transaction():
                for slug, members in [
                    *joined.items(),
                    *((s.slug, s.reports) for s in created),
                ]:
                    for report in members:
                        store.add_keys(report_keys(report), slug)
                        store.add_report(_stored(report, slug))
                for feed, result in fetched:
                    store.record_feed(
                        feed.location, result.validators, feed.status, feed.error, now
                    )
                store.mark_clean()
        finally:
            store.close()
    return summary


def rebuild_state(store: StateStore, content_dir: Path) -> None:
    """Refill the store's content tables from the story files."""
    store.clear_content_state()
    with store.transaction():
        for path in sorted((content_dir / STORIES_DIR).rglob("*.md")):
            try:
                meta = frontmatter.read(path).meta
            except InputError as error:
                logger.warning("%s", error)
                continue
            slug = str(meta.get("slug") or path.stem)
            store.add_story(slug, path.relative_to(content_dir).as_posix())
            for entry in meta.get("reports") or []:
                try:
                    report = report_from_meta(entry)
                except (KeyError, TypeError, ValueError):
                    continue
                store.add_keys(report_keys(report), slug)
                store.add_report(_stored(report, slug))
            for url in meta.get("removed") or []:
                store.add_keys([f"url:{canonical_url(str(url))}"], slug)
        store.mark_clean()


def _fetch_all(
    registry: Registry,
    store: StateStore,
    *,
    options: IngestOptions,
    now: datetime,
    summary: IngestSummary,
    on_feed: Callable[[FeedOutcome], None] | None,
) -> tuple[list[tuple[FeedOutcome, FetchResult]], list[Report]]:
    """Fetch every news feed in parallel, then parse each in registry order."""
    jobs = [
        (outlet, location)
        for outlet in registry.outlets.values()
        if outlet.kind == "news"
        for location in outlet.feeds
    ]

    previous = {location: store.validators(location) for _outlet, location in jobs}

    def fetch(job: tuple[Outlet, str]) -> FetchResult:
        return fetch_feed(
            job[1],
            base_dir=registry.feed_base(),
            previous=previous[job[1]],
            timeout=options.timeout,
            max_bytes=options.max_bytes,
        )

    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        results = list(pool.map(fetch, jobs))
    fetched: list[tuple[FeedOutcome, FetchResult]] = []
    reports: list[Report] = []
    for (outlet, location), result in zip(jobs, results, strict=True):
        feed = FeedOutcome(outlet.id, location, result.status, result.error)
        if result.status == "ok" and result.body is not None:
            parsed = parse_feed(result.body, outlet, location=location, fetched_at=now)
            feed.problems = parsed.problems
            feed.reports = len(parsed.reports)
            reports.extend(parsed.reports)
            if parsed.failure:
                feed.status, feed.error = "failed", parsed.failure
        fetched.append((feed, result))
        summary.feeds.append(feed)
        if on_feed:
            on_feed(feed)
    return fetched, reports


def _drop_seen(
    store: StateStore, reports: list[Report], summary: IngestSummary
) -> list[Report]:
    """Reports not seen before, by any of their keys, in this run or earlier."""
    fresh: list[Report] = []
    this_run: set[str] = set()
    for report in reports:
        keys = report_keys(report)
        if this_run.intersection(keys) or store.story_for_keys(keys):
            summary.reports_duplicate += 1
            continue
        this_run.update(keys)
        fresh.append(report)
    summary.reports_new = len(fresh)
    return fresh


def _assign(
    store: StateStore, fresh: list[Report], registry: Registry, options: IngestOptions
) -> tuple[dict[str, list[Report]], list[Story]]:
    """Cluster new reports: those joining known stories, and new stories."""
    if not fresh:
        return {}, []
    since = min(r.published for r in fresh) - options.window
    known = [
        Item(r.url, r.text, r.published, r.lang, story=r.story)
        for r in store.reports_since(since)
    ]
    by_url = {r.url: r for r in fresh}
    new_items = [Item(r.url, _cluster_text(r), r.published, r.lang) for r in fresh]
    assignment = cluster(
        known + new_items, window=options.window, threshold=options.threshold
    )
    known_slugs = store.slugs()
    joined: dict[str, list[Report]] = {}
    groups: dict[str, list[Report]] = {}
    for url, report in by_url.items():
        key = assignment[url]
        (joined if key in known_slugs else groups).setdefault(key, []).append(report)
    created = []
    taken = set(known_slugs)
    for members in groups.values():
        members.sort(key=lambda r: (r.published, r.url))
        story = _new_story(members, registry, taken)
        taken.add(story.slug)
        created.append(story)
    return joined, created


def _new_story(members: list[Report], registry: Registry, taken: set[str]) -> Story:
    """A story for a new cluster: first report's headline, majority category."""
    first = members[0]
    outlet = registry.outlets.get(first.outlet)
    tags = [tag for report in members for tag in report.tags]
    return Story(
        slug=unique_slug(first.headline, taken),
        title=first.headline,
        date=first.published,
        category=category_for(tags, outlet.category if outlet else None),
        reports=members,
        summary=next((r.summary for r in members if r.summary), ""),
    )


def _write_stories(
    store: StateStore,
    content_dir: Path,
    joined: dict[str, list[Report]],
    created: list[Story],
    summary: IngestSummary,
) -> None:
    """Create new story files and append new reports to known ones."""
    for story in created:
        path = story_path(content_dir, story)
        taken = store.slugs()
        while path.exists():  # a file an editor made that the store does not know
            taken.add(story.slug)
            story.slug = unique_slug(story.title, taken)
            path = story_path(content_dir, story)
        frontmatter.write_atomic(path, new_story_text(story))
        store.add_story(story.slug, path.relative_to(content_dir).as_posix())
        summary.stories_new.append(story.slug)
    for slug, reports in sorted(joined.items()):
        relative = store.story_path(slug)
        path = content_dir / relative if relative else None
        if path is None or not path.exists():
            logger.info(
                "story %s has no file any more (deleted by hand?); not recreated", slug
            )
            continue
        text = path.read_text(encoding="utf-8")
        if frontmatter.write_atomic(path, add_reports(text, path, reports)):
            summary.stories_updated.append(slug)


def _cluster_text(report: Report) -> str:
    return f"{report.headline}. {report.summary}"


def _stored(report: Report, slug: str) -> StoredReport:
    return StoredReport(
        report.url,
        slug,
        report.outlet,
        report.published,
        report.lang,
        _cluster_text(report),
    )
