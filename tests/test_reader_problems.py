"""A build run without ``newsdigest check`` says what is wrong, in check's words.

``make html`` runs the check first; ``make devserver`` and ``pelican`` do not,
so the reader itself leaves out what it cannot use and names the file, line
and field, and an unsafe link never reaches a page.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scenes import bridge_site, slug_of
from sitekit import Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return bridge_site(tmp_path / "site")


def story_file(project: Project, word: str) -> Path:
    return next(path for path in project.story_files() if word in path.stem)


def line_of(path: Path, text: str) -> int:
    """The file line holding ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_a_report_whose_link_is_not_http_is_left_out_and_named(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    story = story_file(project, "bridge")
    text = story.read_text(encoding="utf-8")
    unsafe = "https://right-post.example/bridge"
    story.write_text(text.replace(unsafe, "javascript:alert(1)"), encoding="utf-8")
    line = line_of(story, "javascript:alert(1)")

    with caplog.at_level(logging.ERROR):
        project.build()

    page = project.page(f"stories/{slug_of(project, 'bridge')}/index.html")
    assert "javascript:" not in page
    assert "https://left-daily.example/bridge" in page  # the other reports stay
    assert (
        f"{story}:{line}: reports[2].url: 'javascript:alert(1)' is not an http or "
        "https URL; report left out"
    ) in caplog.text
    assert story.read_text(encoding="utf-8").count("javascript:alert(1)") == 1


def test_a_story_that_cannot_be_read_is_named_with_its_field(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    """Pelican says only "Could not process"; the reader says why."""
    story = story_file(project, "library")
    text = story.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("date: "))
    story.write_text(text.replace(old, "date: 'yesterday'"), encoding="utf-8")
    line = line_of(story, "date: 'yesterday'")

    with caplog.at_level(logging.ERROR):
        project.build()

    assert f"{story}:{line}: date: " in caplog.text
    assert "'yesterday'" in caplog.text
    assert not (project.output / "stories" / story.stem).exists()
    assert (project.output / "stories" / slug_of(project, "bridge")).is_dir()
