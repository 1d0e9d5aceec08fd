"""Files read ahead on several cores make the site a one-process read makes."""

from __future__ import annotations

import filecmp
import logging
import pickle
from pathlib import Path

import pytest
from sitekit import Project

from newsdigest.pelican import readahead, reader


@pytest.fixture
def sample(project: Project) -> Project:
    """The bundled sample content, and a story with a broken report entry."""
    project.add_sample()
    broken = project.content / "stories" / "2026" / "11" / "broken-entry.md"
    broken.write_text(
        "---\ntitle: A story with a broken report\nslug: broken-entry\n"
        "date: 2026-11-20T08:00:00Z\ncategory: World\nreports:\n- outlet: x\n---\n",
        encoding="utf-8",
    )
    return project


def test_reading_ahead_changes_nothing_but_who_reads(
    sample: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    read_ahead: list[int] = []
    run_shared = readahead.run_shared

    def counted(calls, processes, **options):
        read_ahead.append(len(calls))
        return run_shared(calls, processes, **options)

    monkeypatch.setattr(readahead, "READ_AHEAD_FROM", 2)
    monkeypatch.setattr(readahead, "run_shared", counted)
    cached = {"CACHE_CONTENT": True, "NEWSDIGEST_RENDER_PROCESSES": 2}
    with caplog.at_level(logging.WARNING):
        ahead = sample.build(**cached)
    files = sorted(str(p.relative_to(ahead)) for p in ahead.rglob("*") if p.is_file())
    assert read_ahead == [len(list(sample.content.glob("[sd]*/**/*.md")))]
    broken = [
        r
        for r in caplog.records
        if "reports[0].url: missing; report left out" in r.getMessage()
    ]
    assert len(broken) == 1, [r.getMessage() for r in caplog.records]

    one_by_one = sample.build(
        OUTPUT_PATH=str(tmp_path / "plain"), CACHE_PATH=str(tmp_path / "plain-cache")
    )
    assert files == sorted(
        str(p.relative_to(one_by_one)) for p in one_by_one.rglob("*") if p.is_file()
    )
    _, mismatch, errors = filecmp.cmpfiles(ahead, one_by_one, files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_nothing_is_read_ahead_without_the_reader_cache(
    sample: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "READ_AHEAD_FROM", 2)
    monkeypatch.setattr(readahead, "run_shared", pytest.fail)
    sample.build(CACHE_CONTENT=False)


def test_the_reader_cache_keeps_only_the_files_there_are(
    sample: Project, tmp_path: Path
) -> None:
    """Pelican would keep a deleted or renamed story's entry forever, and load
    and save it on every build; a moved site folder would double the cache."""
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    sample.build(**cached)
    stories = sorted((sample.content / "stories").rglob("*.md"))
    deleted, renamed = stories[0], stories[1]
    deleted.unlink()
    moved = renamed.with_name("renamed-by-an-editor.md")
    renamed.rename(moved)
    sample.build(**cached)
    cache_file = sample.root / "cache" / "ArticlesGenerator-Readers"
    keys = set(pickle.loads(cache_file.read_bytes()))
    articles = {
        str(path) for path in sample.content.glob("[sd]*/**/*.md") if path.is_file()
    }
    assert keys == articles
    assert str(moved) in keys and str(deleted) not in keys
    assert str(renamed) not in keys


@pytest.mark.parametrize("change", ["code", "settings"])
def test_reader_caches_made_by_other_code_or_reader_settings_are_not_used(
    project: Project, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """Pelican keys its reader cache by mtime alone: after an upgrade of the
    sanitizer, unchanged stories kept what the old code made of them."""
    story = project.content / "stories" / "2026" / "11" / "library.md"
    story.parent.mkdir(parents=True)
    story.write_text(
        "---\ntitle: Library reopens\nslug: library\ndate: 2026-11-20T08:00:00Z\n"
        "category: World\nreports: []\n---\n\nLibrary opens "
        '<img src="x" onerror="alert(1)">\n',
        encoding="utf-8",
    )
    # Pages are rendered each time (an upgrade's new plugin files would make
    # page reuse render them too).
    cached = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "NEWSDIGEST_KEEP_UNCHANGED_OUTPUT": False,
    }
    if change == "code":  # the code before an upgrade did not sanitize
        with monkeypatch.context() as before:
            before.setattr(reader, "clean_html", lambda html: html)
            project.build(**cached)
        monkeypatch.setattr(readahead, "code_version", lambda: "after an upgrade")
    else:
        project.build(**cached, NEWSDIGEST_SANITIZE_STORIES=False)
    page = project.output / "stories" / "library" / "index.html"
    assert "onerror" in page.read_text(encoding="utf-8")

    project.build(**cached)
    assert "onerror" not in page.read_text(encoding="utf-8")
