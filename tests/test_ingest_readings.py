"""Text readings kept between ingests: known reports are not read again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sitekit import Item, Project

from newsdigest import pickles
from newsdigest.ingest.readings import READINGS_NAME
from newsdigest.stories import text as text_module

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SUMMARY = (
    "The 18% aluminum tariff announced by trade secretary Harrington takes "
    "effect in January, hitting Canadian smelters."
)


def report(outlet: str, headline: str, hours: int, slug: str = "tariff") -> Item:
    return Item(
        headline,
        f"https://{outlet}.example/{slug}",
        T0 + timedelta(hours=hours),
        SUMMARY,
        categories=("Business",),
    )


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text clustering reads from now on."""
    read: list[str] = []
    real: Callable = text_module.read_texts

    def counted(texts):
        read.extend(text for text, _lang in texts)
        return real(texts)

    monkeypatch.setattr(text_module, "read_texts", counted)
    return read


def two_ingests(project: Project, *, keep_readings: bool) -> None:
    """A report, then two more on the same event within the window."""
    project.add_outlet("a", [report("a", "Harrington sets 18% aluminum tariff", 0)])
    project.ingest()
    if not keep_readings:
        (project.state.parent / READINGS_NAME).unlink()
    project.add_outlet(
        "b", [report("b", "Quebec smelters fear Harrington's aluminum tariff", 20)]
    )
    project.add_outlet(
        "c", [report("c", "Ottawa answers 18% tariff on aluminum", 30, "ottawa")]
    )
    project.ingest()


def story_texts(project: Project) -> dict[str, str]:
    return {
        path.relative_to(project.content).as_posix(): path.read_text(encoding="utf-8")
        for path in project.story_files()
    }


def test_a_second_ingest_reads_only_the_new_reports(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = counting_reads(monkeypatch)
    project.add_outlet("a", [report("a", "Harrington sets 18% aluminum tariff", 0)])
    project.ingest()
    assert len(read) == 1
    assert (project.state.parent / READINGS_NAME).is_file()
    read.clear()
    project.add_outlet(
        "b", [report("b", "Quebec smelters fear Harrington's aluminum tariff", 20)]
    )
    project.ingest()
    assert [text.split(".")[0] for text in read] == [
        "Quebec smelters fear Harrington's aluminum tariff"
    ]


def test_kept_readings_give_the_stories_reading_afresh_gives(tmp_path: Path) -> None:
    kept, afresh = Project(tmp_path / "kept"), Project(tmp_path / "afresh")
    two_ingests(kept, keep_readings=True)
    two_ingests(afresh, keep_readings=False)
    assert story_texts(kept) == story_texts(afresh)
    assert len(story_texts(kept)) == 1


def test_readings_of_other_code_or_a_broken_file_are_read_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.add_outlet("a", [report("a", "Harrington sets 18% aluminum tariff", 0)])
    project.ingest()
    read = counting_reads(monkeypatch)
    monkeypatch.setattr(pickles, "code_version", lambda: "edited code")
    project.add_outlet(
        "b", [report("b", "Quebec smelters fear Harrington's aluminum tariff", 20)]
    )
    project.ingest()
    assert len(read) == 2
    (project.state.parent / READINGS_NAME).write_bytes(b"not a pickle")
    read.clear()
    project.add_outlet("c", [report("c", "Ottawa answers the tariff", 30, "ottawa")])
    project.ingest()
    assert len(read) == 3
