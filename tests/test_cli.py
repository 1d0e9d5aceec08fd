"""The newsdigest command as a user runs it."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from sitekit import NOW, Item, Project

from newsdigest.cli import main
from newsdigest.content import frontmatter
from newsdigest.ingest import run
from newsdigest.store import exclusive_lock


def test_bad_registry_prints_file_line_field_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "outlets:\n  - id: harbor\n    name: Harbor\n"
        "    feeds: [a.xml]\n    lean: Leen Left\n",
        encoding="utf-8",
    )
    status = main(
        ["ingest", "--sources", str(registry), "--content", str(tmp_path / "c")]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert f'{registry}:5: harbor.lean: "Leen Left"' in err
    assert 'did you mean "Lean Left"' in err
    assert "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_ingest_prints_a_one_screen_summary(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_outlet(
        "a", [Item("Harbor bridge closes", "https://a.example/1", NOW, "Cracks.")]
    )
    project.add_outlet("b", [])
    (project.root / "feeds" / "b.xml").write_text("<html>oops</html>", encoding="utf-8")
    status = main(
        [
            "ingest",
            "--sources",
            str(project.sources),
            "--content",
            str(project.content),
            "--state",
            str(project.state),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "1 ok, 0 not modified, 0 gone, 1 failed" in out
    assert "1 new, 0 duplicate" in out
    assert "failed b feeds/b.xml" in out


def test_second_ingest_at_once_exits_with_a_clear_message(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_outlet("a", [Item("Harbor bridge closes", "https://a.example/1", NOW)])
    with exclusive_lock(project.state, project.content):
        status = main(
            [
                "ingest",
                "--sources",
                str(project.sources),
                "--content",
                str(project.content),
                "--state",
                str(project.state),
            ]
        )
    assert status == 1
    assert f"another ingest is running (pid {os.getpid()})" in capsys.readouterr().err
    assert not list(project.content.rglob("*.md"))


def test_deleting_the_store_mid_run_does_not_let_a_second_ingest_in(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The store may be deleted at any time; the lock is on content/ itself."""
    project.add_outlet("a", [Item("Harbor bridge closes", "https://a.example/1", NOW)])
    arguments = ["ingest", "--sources", str(project.sources)]
    arguments += ["--content", str(project.content), "--state", str(project.state)]
    with exclusive_lock(project.state, project.content):
        shutil.rmtree(project.state.parent)
        assert main(arguments) == 1
    assert "another ingest is running" in capsys.readouterr().err
    assert not list(project.content.rglob("*.md"))


def test_an_interrupted_ingest_says_so_without_a_traceback(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C printed a KeyboardInterrupt traceback; every write is atomic,
    so there is nothing to say but that it stopped."""
    project.add_outlet("a", [Item("Harbor bridge closes", "https://a.example/1", NOW)])

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "run_ingest", interrupted)
    status = main(["ingest", "--sources", str(project.sources)])
    assert status == 130
    assert capsys.readouterr().err == "newsdigest: interrupted\n"


def test_import_opml_adds_unrated_outlets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="News"><outline text="Harbor Ledger" type="rss" '
        'xmlUrl="https://harbor.example/feed.xml" htmlUrl="https://harbor.example/"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    registry = tmp_path / "sources.yaml"
    registry.write_text("# my outlets\noutlets:\n", encoding="utf-8")
    assert main(["import-opml", str(opml), "--sources", str(registry)]) == 0
    assert "added 1 outlet(s)" in capsys.readouterr().out
    text = registry.read_text(encoding="utf-8")
    assert text.startswith("# my outlets\noutlets:\n")
    assert "lean: Unrated" in text
    assert "https://harbor.example/feed.xml" in text


@pytest.mark.parametrize(
    ("argv", "description"),
    [
        ([], "Build a news digest that shows its bias"),
        (["ingest"], "Fetch the registry's feeds into story files."),
        (["check"], "Validate the registry and every content file."),
        (["import-opml"], "Add a feed reader's OPML export as outlets."),
        (["cluster"], "Group JSON Lines reports into stories, as ingest does."),
        (["dispatch"], "Write the desk's dispatches."),
        (["dispatch", "new"], "Scaffold a dispatch and print its path."),
        (["dispatch", "develop"], "Add a timestamped development to a dispatch."),
    ],
)
def test_help_describes_each_command_in_a_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], description: str
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.split("\n\n")[1].startswith(description)
    assert "``" not in out


def test_develop_help_says_what_status_does(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["dispatch", "develop", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "the status to set (without it, a Final dispatch becomes Updated)" in out


def test_ingest_summary_names_reports_held_back_by_a_locked_story(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    headline = "Tariff set at 18%"
    project.add_outlet("a", [Item(headline, "https://a.example/1", NOW, "Duty.")])
    project.ingest()
    (story,) = project.story_files()
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("reports:", "locked: true\nreports:"), "utf-8")
    project.add_outlet("b", [Item(headline, "https://b.example/1", NOW, "Duty.")])
    arguments = ["--sources", str(project.sources), "--content", str(project.content)]
    status = main(["ingest", *arguments, "--state", str(project.state)])
    out = capsys.readouterr().out
    assert status == 0
    assert f"1 report(s) held back from {story.stem}" in out


def test_ingest_summary_names_reports_an_editor_deleted(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stale save deletes too: the summary says what went under removed:."""
    project.add_outlet("a", [Item("Tariff set at 18%", "https://a.example/1", NOW)])
    project.add_outlet("b", [Item("Tariff set at 18%", "https://b.example/1", NOW)])
    project.ingest()
    (story,) = project.story_files()
    document = frontmatter.read(story)
    document.meta["reports"] = document.meta["reports"][:1]
    story.write_text(frontmatter.dump(document.meta, document.body), "utf-8")
    arguments = ["--sources", str(project.sources), "--content", str(project.content)]
    assert main(["ingest", *arguments, "--state", str(project.state)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"1 report(s) deleted from {story.stem}, now under removed:" in out


def test_a_full_disk_is_one_line_naming_the_file(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Was a 40-line traceback naming a temporary file (or none)."""
    project.add_outlet("a", [Item("Harbor bridge closes", "https://a.example/1", NOW)])

    def full(path: Path, *args: object, **kwargs: object) -> None:
        raise OSError(
            errno.ENOSPC, os.strerror(errno.ENOSPC), str(path.parent / ".#x.tmp")
        )

    monkeypatch.setattr(frontmatter, "replace_file", full)
    arguments = ["ingest", "--sources", str(project.sources)]
    arguments += ["--content", str(project.content), "--state", str(project.state)]
    assert main(arguments) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"newsdigest: {project.content / 'stories'}")
    assert line.endswith(".md: cannot write: No space left on device")
