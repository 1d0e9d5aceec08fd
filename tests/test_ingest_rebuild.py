"""A state store rebuilt from content/ refuses unreadable files instead of guessing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import NOW, Item, Project

from newsdigest.cli import main

BRIDGE = Item("Harbor bridge closes", "https://a.example/1", NOW, "Cracks found.")


def _run(project: Project, command: str) -> int:
    paths = ["--sources", str(project.sources), "--content", str(project.content)]
    state = ["--state", str(project.state)] if command == "ingest" else []
    return main([command, *paths, *state])


def _files(project: Project) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in project.content.rglob("*") if p.is_file()}


@pytest.mark.parametrize("kind", ["story", "dispatch"])
def test_rebuild_stops_at_an_unreadable_file_with_the_check_message(
    project: Project, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    project.add_outlet("a", [BRIDGE])
    project.ingest()
    (story,) = project.story_files()
    broken = story
    if kind == "dispatch":
        broken = project.add_dispatch("---\ntitle: Wire\n---\n", "wire-note")
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("title:", "title: [oops", 1), encoding="utf-8")
    project.state.unlink()
    before = _files(project)
    capsys.readouterr()
    assert _run(project, "check") == 1
    message = next(
        line for line in capsys.readouterr().err.splitlines() if str(broken) in line
    )
    assert ": yaml: " in message
    assert _run(project, "ingest") == 1
    err = capsys.readouterr().err
    assert message in err.splitlines()
    assert "Traceback" not in err
    assert _files(project) == before
    broken.write_text(text, encoding="utf-8")
    assert _run(project, "ingest") == 0
    assert project.story_files() == [story]
    assert "rebuilt from content/" in capsys.readouterr().out
