"""One ingest run: registry in, story files out, state store updated.

fetch every feed -> parse and sanitize -> drop reports already seen ->
cluster the new ones into existing or new stories -> write story files ->
commit the state. Each story file ingest adds to is indexed, and committed,
as soon as it is written, and new ones :data:`INDEX_BATCH` at a time, so a
report an editor deletes from a file a killed run wrote is seen as deleted.
A run killed between writing a file and that commit leaves a file the store
has not seen; the next run indexes every file whose bytes
changed (which also picks up hand edits, merges and splits) and removes the
temporary files the killed run left, so nothing is lost and nothing is
doubled.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from newsdigest.categories import category_for
from newsdigest.collector import collecting_less
from newsdigest.content import frontmatter
from newsdigest.content.storyfile import (
    STORIES_DIR,
    add_removed,
    add_reports,
    is_locked,
    known_urls,
    new_story_document,
    report_from_meta,
    story_path,
)
from newsdigest.content.validate import read_front_matter
from newsdigest.errors import InputError, NewsdigestError, Problem
from newsdigest.ingest.dedupe import keys_before_routes, report_keys
from newsdigest.ingest.fetch import FetchResult, fetch_feed
from newsdigest.ingest.parse import ParsedFeed, parse_feed
from newsdigest.ingest.readings import keep_readings, load_readings, readings_path
from newsdigest.processes import cores, map_in_chunks, run_shared
from newsdigest.records import LEAN_SCORES, Outlet, Report, Story, Validators
from newsdigest.registry import Registry
from newsdigest.slugs import unique_slug
from newsdigest.store import FeedState, StateStore, StoredReport, exclusive_lock
from newsdigest.stories.cluster import DEFAULT_THRESHOLD, DEFAULT_WINDOW, Item, cluster
from newsdigest.stories.text import cluster_text, primary_language
from newsdigest.times import format_time, utc_now
from newsdigest.wire.ingest import parse_desk_items, write_dispatches
from newsdigest.wire.intake import intake_path, record_intake
from newsdigest.wire.records import DISPATCHES_DIR

logger = logging.getLogger(__name__)

FETCH_WORKERS = 8
WRITE_WORKERS = 8
#: New story files indexed (and committed) together: a run killed meanwhile
#: leaves at most this many unknown to the store (read as new next time).
INDEX_BATCH = 64
#: New story documents from which worker processes share writing them as text.
PARALLEL_DOCUMENTS = 1000
#: How many documents each call in those processes writes as text.
DOCUMENT_CHUNK = 250
#: Feed bytes to parse from which worker processes pay for their start.
PARALLEL_PARSE_BYTES = 2**20
#: A failing feed waits this long before its next try, doubling up to a day.
RETRY_FIRST = timedelta(minutes=30)
RETRY_MAX = timedelta(days=1)


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
    #: Slugs of dispatch files made from, and developed by, the desk's feeds.
    dispatches_new: list[str] = field(default_factory=list)
    dispatches_updated: list[str] = field(default_factory=list)
    #: Story files read again because they changed since the store saw them.
    files_reindexed: int = 0
    #: New reports that joined a locked story, so were not added, by its slug.
    held_back: dict[str, int] = field(default_factory=dict)
    #: URLs of reports gone from a story file, listed under its ``removed:``
    #: this run, by its slug: deleted, or lost to a save from a stale copy.
    reports_removed: dict[str, list[str]] = field(default_factory=dict)

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
    #: Fetch feeds remembered as gone (HTTP 404/410) again.
    retry_gone: bool = False


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
    started = time.time()
    summary = IngestSummary()
    with exclusive_lock(state_path, content_dir), collecting_less():
        _remove_stale_temp_files(content_dir, started)
        store = StateStore(state_path)
        try:
            summary.rebuilt_state = store.created
            summary.files_reindexed = sync_state(store, content_dir, summary)
            fetched, reports, desk_feeds = _fetch_all(
                registry,
                store,
                options=options,
                now=now,
                summary=summary,
                on_feed=on_feed,
            )
            # Internal intake goes to the desk's log, never into a story.
            reports = record_intake(intake_path(state_path), registry.outlets, reports)
            fresh = _drop_seen(store, reports, summary)
            joined, created = _assign(
                store, fresh, registry, options, readings_path(state_path)
            )
            held, gone = _write_stories(store, content_dir, joined, created, summary)
            if gone:
                _sync_after_writes(store, content_dir, gone, summary)
            fetched += _ingest_dispatches(
                desk_feeds, store, content_dir, now, summary, on_feed=on_feed
            )
            with store.transaction():
                store.add_keys([key for report in held for key in report_keys(report)])
                for location, validators, state in fetched:
                    store.record_feed(location, validators, state)
        finally:
            store.close()
    return summary


def _ingest_dispatches(
    desk_feeds: list[_DeskFeed],
    store: StateStore,
    content_dir: Path,
    now: datetime,
    summary: IngestSummary,
    *,
    on_feed: Callable[[FeedOutcome], None] | None,
) -> list[tuple[str, Validators | None, FeedState]]:
    """Write the items of each desk feed fetched as dispatch files.

    Returns what to remember about each feed, as :func:`_fetch_all` does.
    """
    fetched = []
    for desk in desk_feeds:
        result = desk.result
        feed = FeedOutcome(desk.outlet.id, result.location, result.status, result.error)
        if result.status == "ok" and result.body is not None:
            items, feed.problems = parse_desk_items(
                result.body, result.location, result.content_type
            )
            feed.reports = len(items)
            writes = write_dispatches(content_dir, store, desk.outlet, items)
            summary.dispatches_new += writes.new
            summary.dispatches_updated += writes.updated
        summary.feeds.append(feed)
        if on_feed:
            on_feed(feed)
        validators = None if feed.status == "failed" else result.validators
        state = _next_state(feed, desk.state, desk.entry, now)
        fetched.append((result.location, validators, state))
    return fetched


def sync_state(store: StateStore, content_dir: Path, summary: IngestSummary) -> int:
    """Index the story files whose bytes changed since the store saw them.

    Returns how many were read again. Files that are gone are forgotten, but
    the keys of their reports stay, so deleted reports never come back; a
    report deleted from a file that is still there is also listed under that
    file's ``removed:`` (:func:`_keep_out_deleted`). A store rebuilt from
    content cannot tell which reports an unreadable file held, so then any
    unreadable story or dispatch file stops the run (nothing is written).
    """
    with store.transaction():
        on_disk, read = _index_changed(store, content_dir)
        if store.created:
            _require_readable(content_dir, on_disk - store.file_hashes().keys())
            store.mark_rebuilt()
        _keep_out_deleted(store, content_dir, read, summary)
    return len(read)


def _sync_after_writes(
    store: StateStore,
    content_dir: Path,
    gone: Mapping[str, set[str]],
    summary: IngestSummary,
) -> None:
    """List under ``removed:`` the reports editors deleted while this run wrote.

    ``gone`` are, for each story file ingest appended to a version an
    editor saved during the run, the URLs it held when the run started and
    holds no more. The files changed since they were indexed are read again
    first, so a report moved to another file meanwhile is not taken for
    deleted.
    """
    with store.transaction():
        _on_disk, read = _index_changed(store, content_dir)
        for relative, urls in gone.items():
            read[relative] = read.get(relative, set()) | urls
        _keep_out_deleted(store, content_dir, read, summary)


def _index_changed(
    store: StateStore, content_dir: Path
) -> tuple[set[str], dict[str, set[str]]]:
    """Forget gone story files, index those whose bytes changed.

    Returns every story file on disk, and for each file read the URLs it held
    when last indexed (all relative to ``content_dir``).
    """
    on_disk = {
        path.relative_to(content_dir).as_posix()
        for path in (content_dir / STORIES_DIR).rglob("*.md")
        if path.is_file() and not path.name.startswith(frontmatter.TEMP_PREFIX)
    }
    known = store.file_hashes()
    for relative in known.keys() - on_disk:
        store.forget_file(relative)
    read: dict[str, set[str]] = {}
    for relative in sorted(on_disk):
        before = _index_file(store, content_dir, relative, known.get(relative))
        if before is not None:
            read[relative] = before
    return on_disk, read


def _require_readable(content_dir: Path, unindexed: set[str]) -> None:
    """Stop with ``newsdigest check``'s words if a story or dispatch file is unreadable.

    ``unindexed`` are the story files the rebuild could not index.
    """
    dispatches = (content_dir / DISPATCHES_DIR).rglob("*.md")
    paths = [content_dir / relative for relative in sorted(unindexed)] + sorted(
        path for path in dispatches if not path.name.startswith(frontmatter.TEMP_PREFIX)
    )
    problems: list[Problem] = []
    for path in paths:
        front, found = read_front_matter(path)
        problems += found if front is None else []
    if problems:
        lines = "\n".join(str(problem) for problem in problems)
        msg = (
            "the state store is being rebuilt from content/, and it cannot tell "
            "which reports these files hold; fix them (see newsdigest check) and "
            f"run ingest again:\n{lines}"
        )
        raise NewsdigestError(msg)


def _keep_out_deleted(
    store: StateStore,
    content_dir: Path,
    before: Mapping[str, set[str]],
    summary: IngestSummary,
) -> None:
    """List under ``removed:`` the reports editors deleted from story files.

    ``before`` are, by file, the URLs it held when last indexed; a URL no
    indexed file holds now was deleted, not moved, so the file itself keeps
    it out even if the store is deleted. A save from a copy opened before
    ingest added a report looks the same, so each is named in a warning that
    says how to undo it.
    """
    indexed = store.file_hashes()
    for relative, urls in before.items():
        if relative not in indexed:  # unreadable
            continue
        deleted = urls - store.file_urls(relative)
        if deleted:
            deleted -= store.held(deleted)
        if deleted:
            _list_removed(store, content_dir, relative, sorted(deleted), summary)


def _list_removed(
    store: StateStore,
    content_dir: Path,
    relative: str,
    deleted: list[str],
    summary: IngestSummary,
) -> None:
    """Add ``deleted`` to a story file's ``removed:``; index it and say so."""
    path = content_dir / relative
    change = partial(add_removed, path=path, urls=deleted)
    try:
        text = frontmatter.update(path, change)
    except (OSError, InputError, frontmatter.ChangedMeanwhile) as error:
        logger.warning("%s; deleted reports not listed under removed:", error)
        return
    if text is None:
        return
    meta = frontmatter.parse(text, path).meta
    _index(store, relative, _sha256(text.encode("utf-8")), meta)
    slug = str(meta.get("slug") or path.stem)
    summary.reports_removed.setdefault(slug, []).extend(deleted)
    logger.warning(
        "%s: %d report(s) no longer in the file, listed under removed: so they "
        "stay out: %s. If they were not deleted on purpose (a save from a copy "
        "opened before ingest added them, say), delete their lines under "
        "removed: and either paste them back or delete the state store %s "
        "before the next ingest, which takes them again from their feeds",
        path,
        len(deleted),
        " ".join(deleted),
        store.path,
    )


def _index_file(
    store: StateStore, content_dir: Path, relative: str, known: str | None = None
) -> set[str] | None:
    """Index one story file unless its sha256 is ``known``.

    Returns None if it was not read, else the URLs it held when last indexed.
    """
    path = content_dir / relative
    try:
        data = path.read_bytes()
    except OSError as error:
        logger.warning("%s: cannot read (%s); left as it was", path, error.strerror)
        return None
    digest = _sha256(data)
    if digest == known:
        return None
    held = store.file_urls(relative)
    try:
        meta = frontmatter.parse(data.decode("utf-8-sig"), path).meta
    except (UnicodeDecodeError, InputError) as error:
        meta = None
        if not store.created:  # a rebuild stops on it: see _require_readable
            utf8 = isinstance(error, UnicodeDecodeError)
            reason = f"{path}: not UTF-8 text" if utf8 else error
            logger.warning("%s; ignored until it is fixed", reason)
    _index(store, relative, digest, meta)
    return held


def _index(
    store: StateStore, relative: str, digest: str, meta: dict[str, Any] | None
) -> None:
    """Index a story file from its hash and front matter (None: unreadable)."""
    store.forget_file(relative)
    if meta is None:
        return
    merged_into = meta.get("merged_into")
    store.add_file(
        relative,
        digest,
        str(meta.get("slug") or PurePosixPath(relative).stem),
        str(merged_into) if merged_into else None,
    )
    entries = meta.get("reports")
    reports = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            reports.append(report_from_meta(entry))
        except (KeyError, TypeError, ValueError):
            continue
    store.add_keys([key for report in reports for key in report_keys(report)])
    store.add_reports([_stored(report, relative) for report in reports])
    store.add_keys([f"url:{url}" for url in known_urls(meta)])


def _remove_stale_temp_files(content_dir: Path, before: float) -> None:
    """Delete temporary story and dispatch files a killed run left.

    Those older than ``before``, the run's start: a file the editor's own
    tools are writing now is not touched.
    """
    for folder in (STORIES_DIR, DISPATCHES_DIR):
        for path in (content_dir / folder).rglob(f"{frontmatter.TEMP_PREFIX}*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < before:
                    path.unlink()
                    logger.info("removed %s, left by an interrupted run", path)


@dataclass
class _DeskFeed:
    """A desk's feed fetched this run, with what the store knew of it."""

    outlet: Outlet
    result: FetchResult
    state: FeedState | None
    entry: str


def _fetch_all(
    registry: Registry,
    store: StateStore,
    *,
    options: IngestOptions,
    now: datetime,
    summary: IngestSummary,
    on_feed: Callable[[FeedOutcome], None] | None,
) -> tuple[
    list[tuple[str, Validators | None, FeedState]], list[Report], list[_DeskFeed]
]:
    """Fetch every news and desk feed that is due in parallel; parse news in order.

    Returns what to remember about each news feed fetched, the reports, and
    the desk feeds fetched (for :func:`_ingest_dispatches`).
    """
    jobs = [
        (outlet, location)
        for outlet in registry.outlets.values()
        if outlet.kind in ("news", "dispatch")
        for location in outlet.feeds
    ]
    previous = {location: store.validators(location) for _outlet, location in jobs}
    states = {location: store.feed_state(location) for _outlet, location in jobs}
    entries = {outlet.id: _entry_fingerprint(outlet) for outlet, _location in jobs}
    held = {
        location: reason
        for outlet, location in jobs
        if (reason := _held_back(states[location], entries[outlet.id], now, options))
    }

    def fetch(job: tuple[Outlet, str]) -> FetchResult | None:
        if job[1] in held:
            return None
        return fetch_feed(
            job[1],
            base_dir=registry.feed_base(),
            previous=previous[job[1]],
            timeout=options.timeout,
            max_bytes=options.max_bytes,
        )

    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        results = list(pool.map(fetch, jobs))
    news = [outlet.kind == "news" for outlet, _location in jobs]
    parsed = iter(
        _parse_all(
            [
                outlet
                for (outlet, _), is_news in zip(jobs, news, strict=True)
                if is_news
            ],
            [result for result, is_news in zip(results, news, strict=True) if is_news],
            now,
        )
    )
    fetched: list[tuple[str, Validators | None, FeedState]] = []
    reports: list[Report] = []
    desk_feeds: list[_DeskFeed] = []
    for (outlet, location), result, is_news in zip(jobs, results, news, strict=True):
        feed_parsed = next(parsed) if is_news else None
        if result is None:
            feed = FeedOutcome(outlet.id, location, *held[location])
        elif not is_news:
            desk_feeds.append(
                _DeskFeed(outlet, result, states[location], entries[outlet.id])
            )
            continue
        else:
            feed = _parsed_outcome(outlet, result, feed_parsed, reports)
            fetched.append(
                (
                    location,
                    None if feed.status == "failed" else result.validators,
                    _next_state(feed, states[location], entries[outlet.id], now),
                )
            )
        summary.feeds.append(feed)
        if on_feed:
            on_feed(feed)
    return fetched, reports, desk_feeds


def _parse_all(
    outlets: list[Outlet], results: list[FetchResult | None], now: datetime
) -> list[ParsedFeed | None]:
    """Parse every body fetched (None for the feeds that gave none).

    Parsing is CPU-bound: when there is enough of it, worker processes, one
    per CPU, share it out.
    """
    tasks = [
        (result.body, outlet, result.url, now, result.content_type)
        if result is not None and result.status == "ok" and result.body is not None
        else None
        for outlet, result in zip(outlets, results, strict=True)
    ]
    todo = [task for task in tasks if task is not None]
    big = sum(len(task[0]) for task in todo) >= PARALLEL_PARSE_BYTES
    done = iter(
        run_shared([partial(_parse, task) for task in todo], cores() if big else 1)
    )
    return [None if task is None else next(done) for task in tasks]


def _parse(task: tuple[bytes, Outlet, str, datetime, str | None]) -> ParsedFeed:
    """One feed's reports; whatever goes wrong fails that feed, never the run."""
    body, outlet, url, now, content_type = task
    try:
        return parse_feed(
            body, outlet, location=url, fetched_at=now, content_type=content_type
        )
    except Exception as error:  # one hostile feed must not stop the run
        logger.debug("parsing %s", url, exc_info=True)
        return ParsedFeed(failure=f"could not be read ({type(error).__name__})")


def _parsed_outcome(
    outlet: Outlet,
    result: FetchResult,
    parsed: ParsedFeed | None,
    reports: list[Report],
) -> FeedOutcome:
    """Add a feed's parsed reports to ``reports``; say how the feed went."""
    feed = FeedOutcome(outlet.id, result.location, result.status, result.error)
    if parsed is None:
        return feed
    feed.problems = [*parsed.problems, *_repeated_entries(parsed.reports)]
    if not (parsed.reports or parsed.problems or parsed.failure):
        feed.problems.append("the feed has no entries")
    feed.reports = len(parsed.reports)
    reports.extend(parsed.reports)
    if parsed.failure:
        feed.status, feed.error = "failed", parsed.failure
    return feed


def _repeated_entries(reports: list[Report]) -> list[str]:
    """Problems for entries that repeat an earlier entry of the same feed."""
    first: dict[str, str] = {}
    problems = []
    for report in reports:
        keys = report_keys(report)
        earlier = next((first[key] for key in keys if key in first), None)
        if earlier is None:
            first.update(dict.fromkeys(keys, report.url))
        else:
            problems.append(
                f"{report.url}: same GUID, link, or headline and time as "
                f"{earlier}; kept the first"
            )
    return problems


def _entry_fingerprint(outlet: Outlet) -> str:
    """A short hash of an outlet's registry entry, wherever it stands in the file."""
    return hashlib.sha256(repr(replace(outlet, line=0)).encode()).hexdigest()[:16]


def _held_back(
    state: FeedState | None, entry: str, now: datetime, options: IngestOptions
) -> tuple[str, str] | None:
    """Why a feed is not fetched this run, as (status, message); None to fetch it.

    A gone feed waits until its registry entry changes or ``retry_gone``; a
    failing one until its retry time. Editing the entry retries either.
    """
    if state is None or state.entry != entry:
        return None
    if state.status == "gone" and not options.retry_gone:
        return "gone", (
            f"{state.error} on {state.checked_at:%Y-%m-%d}; not fetched until its "
            "registry entry changes (or ingest --retry-gone)"
        )
    if state.status == "failed" and state.retry_after and now < state.retry_after:
        return "waiting", (
            f"failed {state.failures} time(s) in a row, last: {state.error}; "
            f"next try after {format_time(state.retry_after)}"
        )
    return None


def _next_state(
    feed: FeedOutcome, previous: FeedState | None, entry: str, now: datetime
) -> FeedState:
    """What to remember of a fetched feed; each failure in a row doubles the wait."""
    if feed.status != "failed":
        return FeedState(feed.status, feed.error, now, entry)
    failures = (previous.failures if previous and previous.entry == entry else 0) + 1
    wait = min(RETRY_FIRST * 2 ** min(failures - 1, 10), RETRY_MAX)
    return FeedState(feed.status, feed.error, now, entry, failures, now + wait)


def _drop_seen(
    store: StateStore, reports: list[Report], summary: IngestSummary
) -> list[Report]:
    """Reports not seen before, by any of their keys, in this run or earlier."""
    fresh: list[Report] = []
    this_run: set[str] = set()
    for report in reports:
        keys = report_keys(report)
        if (
            this_run.intersection(keys)
            or store.seen(keys)
            or _stored_before_routes(store, report)
        ):
            summary.reports_duplicate += 1
            continue
        this_run.update(keys)
        fresh.append(report)
    summary.reports_new = len(fresh)
    return fresh


def _stored_before_routes(store: StateStore, report: Report) -> bool:
    """Whether a version that stripped hash routes from URLs stored ``report``."""
    keys = keys_before_routes(report)
    return bool(keys) and all(store.seen([key]) for key in keys)


def _assign(
    store: StateStore,
    fresh: list[Report],
    registry: Registry,
    options: IngestOptions,
    kept_readings: Path,
) -> tuple[dict[str, list[Report]], list[Story]]:
    """Cluster new reports: those joining known stories, and new stories.

    The texts' readings the last run kept at ``kept_readings`` are not read
    again; this run's are kept there for the next.
    """
    if not fresh:
        return {}, []
    since = min(r.published for r in fresh) - options.window
    routes = store.routes()
    known = [
        Item(r.url, r.text, r.published, r.lang, story=routes[r.file])
        for r in store.reports_since(since)
    ]
    by_url = {r.url: r for r in fresh}
    new_items = [Item(r.url, _cluster_text(r), r.published, r.lang) for r in fresh]
    items = known + new_items
    readings = load_readings(kept_readings)
    assignment = cluster(
        items, window=options.window, threshold=options.threshold, readings=readings
    )
    keep_readings(kept_readings, readings, ((i.text, i.lang) for i in items))
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
    """A story for a new cluster: its headline, majority category.

    The headline and summary are a report's in the language most of the
    reports are in (so three English reports and a French one make an English
    story): of those, the one from the outlet nearest the Center (unrated
    outlets last), the earliest on a tie. A partisan outlet's framing is not
    the story's title while a more central outlet covered it too.
    """
    langs = [_language(report, registry) for report in members]
    counts = Counter(langs)
    most = max(counts.values())
    majority = [
        (r, lang)
        for r, lang in zip(members, langs, strict=True)
        if counts[lang] == most
    ]
    titled, lang = min(
        majority, key=lambda pair: _distance_from_center(pair[0], registry)
    )
    outlet = registry.outlets.get(members[0].outlet)
    tags = [tag for report in members for tag in report.tags]
    same_language = [
        r for r, other in zip(members, langs, strict=True) if other == lang
    ]
    ordered = [titled, *same_language, *members]
    return Story(
        slug=unique_slug(titled.headline, taken),
        title=titled.headline,
        date=members[0].published,
        category=category_for(tags, outlet.category if outlet else None),
        reports=members,
        summary=next((r.summary for r in ordered if r.summary), ""),
    )


def _distance_from_center(report: Report, registry: Registry) -> int:
    """How far the report's outlet leans from Center; past any lean if unrated."""
    outlet = registry.outlets.get(report.outlet)
    score = LEAN_SCORES.get(outlet.lean) if outlet else None
    return len(LEAN_SCORES) if score is None else abs(score)


def _language(report: Report, registry: Registry) -> str:
    """A report's language: its own, else its outlet's (primary subtag)."""
    outlet = registry.outlets.get(report.outlet)
    return primary_language(report.lang or (outlet.language if outlet else ""))


def _write_stories(
    store: StateStore,
    content_dir: Path,
    joined: dict[str, list[Report]],
    created: list[Story],
    summary: IngestSummary,
) -> tuple[list[Report], dict[str, set[str]]]:
    """Create new story files, append new reports to known ones.

    Each file is indexed from the text written, without reading it back, and
    committed: a file added to at once (:func:`_index_written`), new files
    :data:`INDEX_BATCH` at a time (:func:`_index_new`). Returns the reports held back
    because their story is locked, to record as seen so that they are not new
    again on every run; and, for each file an editor deleted reports from
    while this run added to it, their URLs (for :func:`_sync_after_writes`).
    """
    held: list[Report] = []
    gone: dict[str, set[str]] = {}
    documents: list[tuple[Path, frontmatter.Document]] = []
    for story in created:
        path = story_path(content_dir, story)
        taken: set[str] | None = None
        while path.exists():  # a file an editor made that the store does not know
            taken = taken or store.slugs()
            taken.add(story.slug)
            story.slug = unique_slug(story.title, taken)
            path = story_path(content_dir, story)
        documents.append((path, new_story_document(story)))
        summary.stories_new.append(story.slug)
    texts = _document_texts([document for _path, document in documents])
    # Each write waits on the disk (fsync): several at once overlap the waits.
    # Written files are indexed INDEX_BATCH at a time, each batch committed:
    # one commit a file took a fifth of a first ingest.
    with ThreadPoolExecutor(max_workers=WRITE_WORKERS) as pool:
        writes = {
            pool.submit(frontmatter.write_atomic, path, text): (path, text, document)
            for (path, document), text in zip(documents, texts, strict=True)
        }
        written = []
        for done in as_completed(writes):
            done.result()
            path, text, document = writes[done]
            written.append((path.relative_to(content_dir).as_posix(), text, document))
            if len(written) == INDEX_BATCH:
                _index_new(store, written)
                written = []
        _index_new(store, written)
    for slug, reports in sorted(joined.items()):
        relative = store.story_path(slug)
        path = content_dir / relative if relative else None
        if path is None or not path.exists():
            logger.info(
                "story %s has no file any more (deleted by hand?); not recreated", slug
            )
            continue
        try:
            text = frontmatter.update(
                path, partial(add_reports, path=path, reports=reports)
            )
        except (InputError, frontmatter.ChangedMeanwhile) as error:
            logger.warning("%s; %d new report(s) not added", error, len(reports))
            continue
        if text is not None:
            meta = frontmatter.parse(text, path).meta
            if deleted := _index_written(store, relative, text, meta):
                gone[relative] = deleted
            summary.stories_updated.append(slug)
        elif _is_locked_file(path):
            logger.warning(
                "%s is locked: %d new report(s) held back and not offered again: %s",
                path,
                len(reports),
                " ".join(report.url for report in reports),
            )
            summary.held_back[slug] = len(reports)
            held += reports
    summary.reports_new -= len(held)
    return held, gone


def _index_new(
    store: StateStore, written: list[tuple[str, str, frontmatter.Document]]
) -> None:
    """Index new story files from the texts this run wrote, and commit."""
    with store.transaction():
        for relative, text, document in written:
            _index(store, relative, _sha256(text.encode("utf-8")), document.meta)


def _index_written(
    store: StateStore, relative: str, text: str, meta: dict[str, Any]
) -> set[str]:
    """Index a story file from the text this run wrote to it, and commit.

    Committed at once, so a run killed later still knows the file holds its
    reports. Returns the URLs last indexed in it that it no longer holds:
    those an editor deleted while the run read and replaced it.
    """
    with store.transaction():
        before = store.file_urls(relative)
        _index(store, relative, _sha256(text.encode("utf-8")), meta)
        return before - store.file_urls(relative)


def _document_texts(documents: list[frontmatter.Document]) -> list[str]:
    """Each document written out; in worker processes from :data:`PARALLEL_DOCUMENTS`.

    Writing YAML is most of the cost of a first ingest's new files.
    """
    return map_in_chunks(
        _texts_of, documents, chunk=DOCUMENT_CHUNK, parallel_from=PARALLEL_DOCUMENTS
    )


def _texts_of(documents: list[frontmatter.Document]) -> list[str]:
    return [document.text() for document in documents]


def _is_locked_file(path: Path) -> bool:
    """Whether the story file at ``path`` has ``locked: true`` (False if unreadable)."""
    try:
        return is_locked(frontmatter.read(path).meta)
    except (InputError, UnicodeDecodeError):
        return False


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cluster_text(report: Report) -> str:
    return cluster_text(report.headline, report.summary)


def _stored(report: Report, file: str) -> StoredReport:
    return StoredReport(
        report.url,
        file,
        report.outlet,
        report.published,
        report.lang,
        _cluster_text(report),
    )
