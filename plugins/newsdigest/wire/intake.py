"""Internal intake: reports of ``intake: internal`` outlets, kept for the desk only.

Ingest writes them to a JSON Lines log next to the state store, never into
``content/``, so no build can publish them. ``dispatch new --from-story``
matches the log against the story (by the clustering ingest uses) and adds
one source that says only "Internal intake".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsdigest.content import frontmatter
from newsdigest.content.storyfile import report_from_meta, report_to_meta
from newsdigest.records import Outlet, Report
from newsdigest.stories.cluster import Item, cluster
from newsdigest.stories.text import cluster_text
from newsdigest.wire.records import INTERNAL

logger = logging.getLogger(__name__)

INTAKE_LOG = "intake.jsonl"


def intake_path(state_path: Path) -> Path:
    """The desk's intake log, next to the state store."""
    return state_path.with_name(INTAKE_LOG)


def record_intake(
    path: Path, outlets: Mapping[str, Outlet], reports: list[Report]
) -> list[Report]:
    """Add internal outlets' reports to the intake log; return the public ones."""
    internal = [r for r in reports if _is_internal(outlets.get(r.outlet))]
    if internal:
        logged = read_intake(path)
        known = {report.url for report in logged}
        fresh = [r for r in internal if r.url not in known]
        lines = [json.dumps(report_to_meta(r)) for r in [*logged, *fresh]]
        frontmatter.write_atomic(path, "".join(f"{line}\n" for line in lines))
    return [r for r in reports if not _is_internal(outlets.get(r.outlet))]


def read_intake(path: Path) -> list[Report]:
    """The reports in the intake log; none if there is no log."""
    if not path.is_file():
        return []
    reports = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            reports.append(report_from_meta(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            logger.warning("%s:%d: not an intake report; skipped", path, number)
    return reports


def intake_for_story(story: Mapping[str, Any], intake: list[Report]) -> list[Report]:
    """The intake reports ingest's clustering puts with the story's reports."""
    known = [
        Item(
            f"story:{index}",
            cluster_text(str(r.get("headline", "")), str(r.get("summary") or "")),
            report_from_meta(r).published,
            r.get("lang"),
            story="story",
        )
        for index, r in enumerate(story.get("reports") or [])
        if isinstance(r, dict)
    ]
    if not known:
        return []
    candidates = [
        Item(r.url, cluster_text(r.headline, r.summary), r.published, r.lang)
        for r in intake
    ]
    assignment = cluster(known + candidates)
    return [r for r in intake if assignment.get(r.url) == "story"]


def intake_source() -> dict[str, Any]:
    """The one source internal intake adds to a dispatch, however many items."""
    return {"name": INTERNAL, "kind": INTERNAL, "internal": True}


def _is_internal(outlet: Outlet | None) -> bool:
    return outlet is not None and outlet.intake == "internal"
