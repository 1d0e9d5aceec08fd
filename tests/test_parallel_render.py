"""Pages render in several processes and come out as one process writes them."""

from __future__ import annotations

import filecmp
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jinja2 import Template
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import FileOverwriteFailedError
from sitekit import Item, Project

from newsdigest.content import frontmatter
from newsdigest.pelican.parallel import ParallelWriter, RenderError, render_queued

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
PAGE = Template("<p>{{ text }} from {{ pid() }}</p>")


def writer(output: Path, processes: int = 2) -> ParallelWriter:
    settings = {**DEFAULT_CONFIG, "NEWSDIGEST_RENDER_PROCESSES": processes}
    return ParallelWriter(str(output), settings=settings)


def write(pages: ParallelWriter, name: str, text: str, **options: object) -> None:
    pages.write_file(name, PAGE, {"text": text, "pid": os.getpid}, **options)


def test_pages_wait_for_the_end_and_render_in_several_processes(
    tmp_path: Path,
) -> None:
    pages = writer(tmp_path, processes=3)
    for number in range(6):
        write(pages, f"{number}.html", f"page {number}")
    assert not list(tmp_path.glob("*.html"))
    render_queued()
    texts = [(tmp_path / f"{n}.html").read_text(encoding="utf-8") for n in range(6)]
    assert [text.split(" from ")[0] for text in texts] == [
        f"<p>page {n}" for n in range(6)
    ]
    assert len({text.split(" from ")[1] for text in texts}) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{n}.html" for n in range(6)]


def test_a_writer_with_nothing_queued_renders_nothing(tmp_path: Path) -> None:
    writer(tmp_path).render_queued()
    assert not list(tmp_path.iterdir())


def test_one_output_written_twice_is_still_refused(tmp_path: Path) -> None:
    pages = writer(tmp_path)
    write(pages, "page.html", "one")
    with pytest.raises(FileOverwriteFailedError):
        write(pages, "page.html", "two")


def test_the_overriding_write_wins_as_in_order(tmp_path: Path) -> None:
    pages = writer(tmp_path)
    write(pages, "page.html", "first")
    write(pages, "page.html", "second", override_output=True)
    write(pages, "page.html", "third")  # skipped: the override stands
    render_queued()
    assert "second" in (tmp_path / "page.html").read_text(encoding="utf-8")


def test_a_page_failing_in_another_process_fails_the_build(tmp_path: Path) -> None:
    pages = writer(tmp_path)
    broken = Template("{{ missing.attribute }}")
    write(pages, "fine.html", "fine")
    pages.write_file("broken.html", broken, {})
    with pytest.raises(RenderError, match="missing"):
        render_queued()
    assert not list(tmp_path.glob("*.partial"))


@pytest.fixture
def newsroom(project: Project) -> Project:
    """Stories, a related pair, dispatches and paginated Wire pages."""
    for number in range(4):
        project.add_outlet(
            f"outlet-{number}",
            [
                Item(
                    f"Harbor bridge closed after cracks found, day {number}",
                    f"https://o{number}.example/bridge",
                    WHEN + timedelta(hours=number),
                ),
                Item(
                    f"Orchard growers report harvest number {number}",
                    f"https://o{number}.example/orchard",
                    WHEN - timedelta(days=number),
                ),
            ],
            lean=["Left", "Center", "Right", "Lean Left"][number],
        )
    project.ingest()
    for number in range(3):
        meta = {
            "title": f"Bridge inspection update {number}",
            "slug": f"bridge-update-{number}",
            "date": f"2026-11-2{number}T09:00:00Z",
            "desk": "Harbor Desk",
            "status": "Developing",
        }
        body = "Inspectors returned to the bridge."
        project.add_dispatch(frontmatter.dump(meta, body), meta["slug"])
    return project


def test_output_is_the_same_in_one_process_several_and_pelicans_writer(
    newsroom: Project, tmp_path: Path
) -> None:
    several = newsroom.build(NEWSDIGEST_RENDER_PROCESSES=3, NEWSDIGEST_WIRE_PER_PAGE=1)
    outputs = {
        "one": {"NEWSDIGEST_RENDER_PROCESSES": 1},
        "pelican": {"NEWSDIGEST_KEEP_UNCHANGED_OUTPUT": False},
    }
    for name, settings in outputs.items():
        other = newsroom.build(
            OUTPUT_PATH=str(tmp_path / name), NEWSDIGEST_WIRE_PER_PAGE=1, **settings
        )
        assert tree(several) == tree(other)
        assert_same_bytes(filecmp.dircmp(several, other))
    assert (several / "wire" / "page" / "3" / "index.html").is_file()


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def assert_same_bytes(comparison: filecmp.dircmp) -> None:
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    assert (mismatch, errors) == ([], [])
    for sub in comparison.subdirs.values():
        assert_same_bytes(sub)
