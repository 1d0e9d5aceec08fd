"""``newsdigest-build`` skips a build only when it would change nothing."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pelican
import pytest
from sitekit import Item, Project

from newsdigest import buildrecord
from newsdigest.buildrecord import files_under, inputs_digest

BUILD = Path(sys.executable).parent / "newsdigest-build"
WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SKIPPED = "Nothing changed since the last build"


@pytest.fixture
def site(project: Project) -> Project:
    """One story, built once with ``newsdigest-build``."""
    project.add_outlet(
        "harbor-ledger",
        [Item("Harbor bridge closed after cracks found", "https://h.example/1", WHEN)],
        lean="Center",
    )
    project.ingest()
    assert SKIPPED not in build(project)
    return project


def build(project: Project, *arguments: str) -> str:
    """Run ``newsdigest-build`` on the project; return what it printed."""
    finished = run_build(project, *arguments)
    assert finished.returncode == 0, finished.stderr
    return finished.stdout + finished.stderr


def run_build(project: Project, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``newsdigest-build`` on the project, whatever its exit status."""
    command = [BUILD, str(project.content), "-s", project.settings_file(), "-q"]
    return subprocess.run(
        [*command, *arguments],
        cwd=project.root,
        env={**os.environ, "COLUMNS": "500"},  # log lines unwrapped
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def stamps(output: Path) -> dict[str, int]:
    return {str(p.relative_to(output)): p.stat().st_mtime_ns for p in output.rglob("*")}


def story_page(project: Project) -> Path:
    return project.output / "stories" / project.story_files()[0].stem / "index.html"


def test_nothing_changed_means_no_build(site: Project) -> None:
    before = stamps(site.output)
    assert SKIPPED in build(site)
    assert stamps(site.output) == before


def test_an_edited_story_is_built(site: Project) -> None:
    story = site.story_files()[0]
    story.write_text(
        story.read_text(encoding="utf-8") + "\nA note added by hand.\n",
        encoding="utf-8",
    )
    assert SKIPPED not in build(site)
    assert "A note added by hand." in story_page(site).read_text(encoding="utf-8")
    assert SKIPPED in build(site)


def test_a_deleted_output_file_is_built_again(site: Project) -> None:
    story_page(site).unlink()
    assert SKIPPED not in build(site)
    assert story_page(site).is_file()


def test_changed_settings_and_registry_are_built(site: Project) -> None:
    assert SKIPPED not in build(site, "-e", 'SITENAME="Harbor Desk"')
    assert "Harbor Desk" in story_page(site).read_text(encoding="utf-8")
    site.add_outlet("harbor-ledger", [], lean="Left", name="Harbor Ledger Daily")
    assert SKIPPED not in build(site, "-e", 'SITENAME="Harbor Desk"')
    assert "Harbor Ledger Daily" in story_page(site).read_text(encoding="utf-8")


def test_force_builds_anyway(site: Project) -> None:
    assert SKIPPED not in build(site, "--force")
    assert SKIPPED in build(site)


def test_a_file_that_cannot_be_read_fails_the_build_every_time(site: Project) -> None:
    """Pelican logs the file and goes on; the command says so with its status."""
    story = site.story_files()[0]
    text = story.read_text(encoding="utf-8")
    dated = next(line for line in text.splitlines() if line.startswith("date: "))
    story.write_text(text.replace(dated, "date: 'yesterday'"), encoding="utf-8")

    for _attempt in range(2):  # no record, so the second build runs again
        finished = run_build(site, "--verbose")  # -q logs no errors
        assert finished.returncode == 1
        assert SKIPPED not in finished.stdout
        assert f"{story}:" in finished.stdout + finished.stderr
        # The reader's error and Pelican's "Could not process".
        assert "newsdigest-build: 2 errors above" in finished.stderr

    story.write_text(text, encoding="utf-8")
    assert SKIPPED not in build(site)
    assert story_page(site).is_file()
    assert SKIPPED in build(site)


def test_a_build_stopped_by_ctrl_c_fails(
    site: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pelican catches KeyboardInterrupt, logs it and returns: exit status 0."""

    def interrupted_pelican(arguments: list[str]) -> None:
        # Pelican's main catches it and logs a warning.
        with contextlib.suppress(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(pelican, "main", interrupted_pelican)
    settings = ["-s", str(site.settings_file()), "--force"]
    assert buildrecord.main([str(site.content), *settings]) == 130
    assert "newsdigest-build: interrupted" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_package_metadata_and_bytecode_are_not_inputs(tmp_path: Path) -> None:
    for name in ["plugin.py", "pkg.egg-info/PKG-INFO", "__pycache__/plugin.pyc"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("one", encoding="utf-8")
    before = inputs_digest([str(tmp_path)])
    (tmp_path / "pkg.egg-info" / "PKG-INFO").write_text("reinstalled", encoding="utf-8")
    (tmp_path / "__pycache__" / "plugin.pyc").write_text("recompiled", encoding="utf-8")
    assert inputs_digest([str(tmp_path)]) == before
    (tmp_path / "plugin.py").write_text("edited", encoding="utf-8")
    assert inputs_digest([str(tmp_path)]) != before


def test_a_symlinked_file_counts_as_its_target(tmp_path: Path) -> None:
    kept = tmp_path / "elsewhere" / "story.md"
    kept.parent.mkdir()
    kept.write_text("one", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "story.md").symlink_to(kept)
    before = inputs_digest([str(content)])
    kept.write_text("edited by hand", encoding="utf-8")
    assert inputs_digest([str(content)]) != before


def test_files_in_a_symlinked_folder_are_inputs(tmp_path: Path) -> None:
    shared = tmp_path / "shared-stories"
    shared.mkdir()
    (shared / "story.md").write_text("one", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "stories").symlink_to(shared, target_is_directory=True)
    (content / "stories-again").symlink_to(content, target_is_directory=True)  # a loop
    before = inputs_digest([str(content)])
    (shared / "story.md").write_text("edited by hand", encoding="utf-8")
    assert inputs_digest([str(content)]) != before


def test_a_dangling_symlink_does_not_stop_the_build_record(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    before = inputs_digest([str(tmp_path)])
    (tmp_path / "nowhere.md").write_text("back", encoding="utf-8")
    assert inputs_digest([str(tmp_path)]) != before


def test_help_mentions_force_before_pelicans_options() -> None:
    finished = subprocess.run(
        [BUILD, "--help"], capture_output=True, text=True, check=True, timeout=60
    )
    assert finished.stdout.startswith("newsdigest-build [--force] [PELICAN OPTIONS]")
    assert "--force  build even when nothing changed" in finished.stdout
    assert "usage: newsdigest-build" in finished.stdout


def test_the_search_index_written_after_a_build_does_not_count(site: Project) -> None:
    """`make html` indexes the site after the build, and the index changes when
    pages do; the next build with nothing new must still be skipped, even once
    a build has seen an index there."""
    bundle = site.output / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text('{"v": 1}', encoding="utf-8")
    assert SKIPPED not in build(site, "--force")  # a build that finds an index
    (bundle / "pagefind-entry.json").write_text('{"v": 2}', encoding="utf-8")
    (bundle / "fragment").mkdir()
    (bundle / "fragment" / "en_1.pf_fragment").write_bytes(b"new")
    assert SKIPPED in build(site)


def test_files_under_leaves_out_the_names_to_skip_at_the_top_only(
    tmp_path: Path,
) -> None:
    for name in ("index.html", ".htaccess", "pagefind/a.pf", "s/pagefind/b.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    found = files_under(tmp_path, skip=frozenset({"pagefind", ".htaccess"}))
    assert [name for name, _stat in found] == ["index.html", "s/pagefind/b.html"]
    assert len(files_under(tmp_path)) == 4


def test_files_under_lists_each_file_once_in_os_walk_order(tmp_path: Path) -> None:
    """Files before subfolders, names sorted, linked folders walked once."""
    for name in ("b.html", "a/z.html", "a/b/c.html", "c/d.html", "a.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "c", target_is_directory=True)
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "gone.html").symlink_to(tmp_path / "nowhere.html")
    found = files_under(tmp_path)
    assert [name for name, _stat in found] == [
        "a.html",
        "b.html",
        "gone.html",
        "a/z.html",
        "a/b/c.html",
        "c/d.html",
    ]
    stats = dict(found)
    assert stats["a/z.html"].st_size == len("a/z.html")
    assert stats["gone.html"].st_size == (tmp_path / "gone.html").lstat().st_size
