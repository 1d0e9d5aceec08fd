"""Reports an editor deletes stay out when ingest is killed or saves race it.

A run killed after writing story files but before its last commit, a
deletion saved while a run is writing the same story, and a save made from
a copy opened before ingest added a report: each time the deleted report is
listed under the story's ``removed:``, so it stays out even after the state
store is deleted, and a deletion ingest cannot tell from a stale save is
named in a warning that says how to undo it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sitekit import Item, Project

from newsdigest.content import frontmatter
from newsdigest.ingest import run
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


def _save_deletion(story: Path, url: str) -> Callable[[], None]:
    """An editor's save deleting ``url``, the first time it is called only."""
    saved = []

    def save() -> None:
        if not saved:
            saved.append(True)
            delete_report(story, url)

    return save


@pytest.mark.parametrize("when", ["before ingest reads it", "while ingest writes it"])
def test_a_report_deleted_while_ingest_adds_to_its_story_is_listed_as_removed(
    project: Project, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    add(project, "a")
    deleted = add(project, "b")
    project.ingest()
    (story,) = project.story_files()
    save = _save_deletion(story, deleted)
    if when == "before ingest reads it":
        fetch_all = run._fetch_all

        def fetch_then_save(*args: object, **kwargs: object) -> object:
            save()
            return fetch_all(*args, **kwargs)

        monkeypatch.setattr(run, "_fetch_all", fetch_then_save)
    else:  # between ingest reading the file and replacing it
        add_reports = run.add_reports

        def save_then_add(text: str, **kwargs: object) -> str:
            save()
            return add_reports(text, **kwargs)

        monkeypatch.setattr(run, "add_reports", save_then_add)
    new = add(project, "c")
    summary = project.ingest()
    monkeypatch.undo()
    assert summary.stories_updated == [story.stem]
    assert reports(story) == ["https://a.example/tariff", new]
    assert removed(story) == [deleted]
    stays_out_without_the_store(project, story, deleted)


def test_a_stale_save_is_named_in_a_warning_that_says_how_to_undo_it(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    add(project, "a")
    project.ingest()
    (story,) = project.story_files()
    opened = story.read_text(encoding="utf-8")  # the editor opens the story
    lost = add(project, "b")
    project.ingest()
    assert lost in reports(story)
    edited = opened.replace(f"title: {HEADLINES['a']}", "title: Edited by the desk")
    story.write_text(edited, encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        summary = project.ingest()
    assert summary.reports_removed == {story.stem: [lost]}
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert str(story) in warning.getMessage()
    assert lost in warning.getMessage()
    assert "removed:" in warning.getMessage()
    assert removed(story) == [lost]
    # The undo the warning gives: the line under removed:, then the store.
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace(f"removed:\n- {lost}\n", ""), encoding="utf-8")
    project.state.unlink()
    project.ingest()
    assert reports(story) == ["https://a.example/tariff", lost]
    assert removed(story) == []


def test_a_report_moved_while_ingest_adds_to_its_story_is_not_removed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(project, "a")
    moved = add(project, "b")
    project.ingest()
    (story,) = project.story_files()
    split = story.with_name("smelters.md")
    add_reports = run.add_reports

    def split_then_add(text: str, **kwargs: object) -> str:
        if not split.exists():  # the editor splits b's report off meanwhile
            document = frontmatter.read(story)
            (entry,) = [r for r in document.meta["reports"] if r["url"] == moved]
            meta = {**document.meta, "slug": "smelters", "reports": [entry]}
            split.write_text(frontmatter.dump(meta, ""), encoding="utf-8")
            delete_report(story, moved)
        return add_reports(text, **kwargs)

    monkeypatch.setattr(run, "add_reports", split_then_add)
    new = add(project, "c")
    summary = project.ingest()
    monkeypatch.undo()
    assert summary.reports_removed == {}
    assert reports(story) == ["https://a.example/tariff", new]
    assert (reports(split), removed(story)) == ([moved], [])
