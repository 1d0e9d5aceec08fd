"""Story records to and from Markdown files, keeping every hand edit.

Ingest owns only three things in a story file: it creates the file, it
appends reports that are new, and it lists under ``removed:`` the reports an
editor deleted. Every other field, the body, the order and the comments
belong to the editor. Fields a build can compute (counts, lean
shares, modified time) are never written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsdigest.content import frontmatter
from newsdigest.normalize import canonical_url
from newsdigest.records import Report, Story
from newsdigest.sanitize import escape_markdown
from newsdigest.times import format_time, parse_time

STORIES_DIR = "stories"


def story_path(content_dir: Path, story: Story) -> Path:
    """Where a new story is written: ``stories/YYYY/MM/<slug>.md``."""
    return (
        content_dir
        / STORIES_DIR
        / f"{story.date:%Y}"
        / f"{story.date:%m}"
        / f"{story.slug}.md"
    )


def report_to_meta(report: Report) -> dict[str, Any]:
    """Front-matter mapping for one report (empty fields left out)."""
    meta: dict[str, Any] = {
        "outlet": report.outlet,
        "headline": report.headline,
        "url": report.url,
        "published": format_time(report.published),
    }
    if report.undated:
        meta["undated"] = True
    if report.summary:
        meta["summary"] = report.summary
    if report.guid and report.guid != report.url:
        meta["guid"] = report.guid
    if report.lang:
        meta["lang"] = report.lang
    return meta


def report_from_meta(meta: dict[str, Any]) -> Report:
    """Report record from its front-matter mapping (already validated)."""
    return Report(
        outlet=str(meta["outlet"]),
        url=str(meta["url"]),
        headline=str(meta.get("headline", "")),
        published=parse_time(meta["published"]),
        summary=str(meta.get("summary") or ""),
        guid=meta.get("guid"),
        lang=meta.get("lang"),
        undated=bool(meta.get("undated", False)),
    )


def new_story_document(story: Story) -> frontmatter.Document:
    """A story file as ingest first writes it: front matter and body."""
    meta = {
        "title": story.title,
        "slug": story.slug,
        "date": format_time(story.date),
        "category": story.category,
        "reports": [report_to_meta(r) for r in story.reports],
    }
    return frontmatter.Document(meta, escape_markdown(story.summary))


def known_urls(meta: dict[str, Any]) -> set[str]:
    """URLs of the reports a story holds or that an editor removed from it."""
    urls = {str(r.get("url")) for r in meta.get("reports") or [] if isinstance(r, dict)}
    removed = meta.get("removed")
    for url in removed if isinstance(removed, list) else []:
        # Editors paste removed URLs as they find them: compare canonical forms.
        with contextlib.suppress(ValueError):  # not a URL; `newsdigest check` says so
            urls.add(canonical_url(str(url)))
    return urls


def is_locked(meta: dict[str, Any]) -> bool:
    """Whether an editor froze the story with ``locked: true``."""
    return meta.get("locked") is True


def merge_route(slug: str, merges: Mapping[str, str]) -> tuple[list[str], bool]:
    """The stories ``merged_into`` leads through from ``slug``, and whether it loops.

    ``merges`` maps each merged story's slug to the story it names. Without a
    loop the route ends at the story the reports go to.
    """
    route = [slug]
    while route[-1] in merges and merges[route[-1]] not in route:
        route.append(merges[route[-1]])
    return route, route[-1] in merges


def add_reports(text: str, path: Path, reports: list[Report]) -> str:
    """Return the story text with ``reports`` appended; everything else kept.

    Reports the story already has, or that an editor removed (listed under
    ``removed:``), are skipped; a story with ``locked: true`` is left as is.
    The new entries go at the end of the ``reports:`` list, wherever it
    stands, so the editor's comments and layout survive byte for byte
    (see :func:`~newsdigest.content.frontmatter.append_to_list`).
    """
    meta = frontmatter.parse(text, path).meta
    if is_locked(meta):
        return text
    seen = known_urls(meta)
    fresh = []
    for report in reports:
        if report.url not in seen:
            seen.add(report.url)
            fresh.append(report)
    if not fresh:
        return text
    entries = [report_to_meta(r) for r in fresh]
    return frontmatter.append_to_list(text, path, "reports", entries)


def add_removed(text: str, path: Path, urls: list[str]) -> str:
    """Return the story text with ``urls`` added to ``removed:``; all else kept.

    URLs the story still holds or already lists as removed are skipped, and a
    locked story is left as is.
    """
    meta = frontmatter.parse(text, path).meta
    known = known_urls(meta)
    fresh = [url for url in dict.fromkeys(urls) if url not in known]
    if is_locked(meta) or not fresh:
        return text
    return frontmatter.append_to_list(text, path, "removed", fresh)
