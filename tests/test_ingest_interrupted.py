"""Reports an editor deletes stay out after an ingest was killed.

A run killed after writing story files but before its last commit: a report
it added that the editor then deletes is listed under the story's
``removed:``, so it stays out even after the state store is deleted, and a
story file it made that the editor deletes stays deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sitekit import Item, Project

from newsdigest.content import frontmatter
from newsdigest.store import StateStore

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TEXT = (
    "The 18% aluminum tariff announced by trade secretary Harrington takes effect "
    "in January, hitting Canadian smelters."
)
HEADLINES = {
    "a": "Harrington sets 18% aluminum tariff",
    "b": "Smelters fear Harrington's 18% aluminum tariff",
    "c": "Canada smelters brace for Harrington's 18% tariff",
}


class Killed(BaseException):
    """What a kill looks like to the run: it stops, nothing after runs."""


def add(project: Project, outlet: str) -> str:
    """Give ``outlet`` a feed with its tariff report; return the report's URL."""
    url = f"https://{outlet}.example/tariff"
    hours = sorted(HEADLINES).index(outlet)
    published = T0 + timedelta(hours=hours)
    item = Item(HEADLINES[outlet], url, published, TEXT, categories=("Business",))
    project.add_outlet(outlet, [item])
    return url


def refetch_all(project: Project) -> None:
    """New bytes, same items, for every feed: each is read again."""
    for feed in (project.root / "feeds").glob("*.xml"):
        feed.write_text(feed.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def killed_before_last_commit(project: Project, patch: pytest.MonkeyPatch) -> None:
    """Ingest, killed once story files are written, in its last transaction."""

    def kill(*_args: object) -> None:
        raise Killed

    with patch.context() as inside:
        inside.setattr(StateStore, "record_feed", kill)
        with pytest.raises(Killed):
            project.ingest()


def reports(path: Path) -> list[str]:
    return [r["url"] for r in frontmatter.read(path).meta["reports"]]


def removed(path: Path) -> list[str]:
    return frontmatter.read(path).meta.get("removed") or []


def delete_report(path: Path, url: str) -> None:
    """Delete the report ``url`` as an editor would, keeping the rest."""
    document = frontmatter.read(path)
    document.meta["reports"] = [r for r in document.meta["reports"] if r["url"] != url]
    path.write_text(frontmatter.dump(document.meta, document.body), encoding="utf-8")


def stays_out_without_the_store(project: Project, story: Path, url: str) -> None:
    """``url`` does not come back, even after the state store is deleted."""
    refetch_all(project)
    project.ingest()
    assert url not in reports(story)
    project.state.unlink()
    refetch_all(project)
    summary = project.ingest()
    assert summary.rebuilt_state
    assert summary.reports_new == 0
    assert url not in reports(story)
    assert project.story_files() == [story]


def test_a_report_deleted_after_a_killed_run_added_it_stays_out(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(project, "a")
    project.ingest()
    (story,) = project.story_files()
    late = add(project, "b")
    killed_before_last_commit(project, monkeypatch)
    assert late in reports(story)
    delete_report(story, late)
    project.ingest()
    assert late not in reports(story)
    assert removed(story) == [late]
    stays_out_without_the_store(project, story, late)


def test_a_story_file_a_killed_run_made_stays_deleted(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(project, "a")
    killed_before_last_commit(project, monkeypatch)
    (story,) = project.story_files()
    story.unlink()
    summary = project.ingest()
    assert (summary.reports_new, summary.stories_new) == (0, [])
    assert project.story_files() == []
