"""The desk's workflow: `newsdigest dispatch new` and `dispatch develop`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sitekit import NOW, Item, Project

from newsdigest.cli import main
from newsdigest.content import frontmatter
from newsdigest.errors import NewsdigestError
from newsdigest.times import parse_time
from newsdigest.wire.dispatch import check_dispatch
from newsdigest.wire.dispatchfile import add_development, new_dispatch

LATER = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_new_scaffolds_a_dispatch_that_builds(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_outlet("harbor", [])
    status, out, _err = run(
        capsys,
        "dispatch",
        "new",
        "Harbor bridge: ferry service starts Monday",
        "--desk",
        "Americas Desk",
        "--section",
        "Infrastructure",
        "--content",
        str(project.content),
    )
    assert status == 0
    path = Path(out.strip())
    assert path.parent.parent.parent == project.content / "dispatches"
    assert path.name == "harbor-bridge-ferry-service-starts-monday.md"
    meta = frontmatter.read(path).meta
    assert (meta["desk"], meta["section"], meta["status"]) == (
        "Americas Desk",
        "Infrastructure",
        "Developing",
    )
    assert meta["date"] == meta["modified"]
    assert check_dispatch(path) == []
    project.build()
    html = project.page(f"dispatches/{path.stem}/index.html")
    assert "Harbor bridge: ferry service starts Monday" in html


def test_new_from_a_story_lists_its_reports_as_sources(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    for outlet, owner in (("harbor", "Tidewater"), ("courier", "Tidewater")):
        project.add_outlet(
            outlet,
            [Item("Harbor bridge closes", f"https://{outlet}.example/1", NOW)],
            owner_group=owner,
            name=f"The {outlet.title()}",
        )
    project.ingest()
    (story,) = project.story_files()
    status, out, _err = run(
        capsys,
        "dispatch",
        "new",
        "Harbor bridge closes",
        "--desk",
        "Americas Desk",
        "--section",
        "World",
        "--from-story",
        story.stem,
        "--content",
        str(project.content),
        "--sources",
        str(project.sources),
    )
    assert status == 0
    path = Path(out.strip())
    assert path.stem == "harbor-bridge-closes-2"  # the story has the plain slug
    meta = frontmatter.read(path).meta
    assert meta["related"] == [story.stem]
    assert meta["primary_source"] == "Outlet report"
    assert sorted((s["name"], s["outlet"], s["url"]) for s in meta["sources"]) == [
        ("The Courier", "courier", "https://courier.example/1"),
        ("The Harbor", "harbor", "https://harbor.example/1"),
    ]
    assert "# Candidate sources from the story" in path.read_text(encoding="utf-8")
    project.build()
    html = project.page(f"dispatches/{path.stem}/index.html")
    assert "share an owner (Tidewater)" in html
    assert "signal-single-source" in html
    story_html = project.page(f"stories/{story.stem}/index.html")
    assert f"dispatches/{path.stem}/" in story_html.split("Related dispatches")[1]


HAND_EDITED = """\
---
title: Harbor bridge closes   # headline agreed with the night editor
slug: harbor-bridge-closes
date: '2026-11-22T12:00:00Z'
modified: '2026-11-22T12:00:00Z'
desk: Americas Desk
section: World
status: Final     # was Developing until 14:00
tldr: >-
  The harbor bridge is shut.
developments:
  - time: '2026-11-22T12:00:00Z'
    text: Bridge closed.   # from the first call
  # keep the next ones short
# Sources checked by Ana.
sources:
- name: The Harbor
  kind: Outlet report
---

Body written *by hand*.
"""


def test_develop_keeps_comments_layout_and_hand_edits(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project.add_dispatch(HAND_EDITED, "harbor-bridge-closes")
    status, out, _err = run(
        capsys,
        "dispatch",
        "develop",
        "harbor-bridge-closes",
        "Ferry service starts Monday: 'free' for a month",
        "--content",
        str(project.content),
    )
    assert status == 0
    assert Path(out.strip()) == path
    text = path.read_text(encoding="utf-8")
    for kept in (
        "title: Harbor bridge closes   # headline agreed with the night editor",
        "    text: Bridge closed.   # from the first call",
        "  # keep the next ones short",
        "# Sources checked by Ana.",
        "  The harbor bridge is shut.",
        "Body written *by hand*.",
    ):
        assert kept in text
    assert "status: Updated     # was Developing until 14:00" in text
    meta = frontmatter.read(path).meta
    assert [d["text"] for d in meta["developments"]] == [
        "Bridge closed.",
        "Ferry service starts Monday: 'free' for a month",
    ]
    assert parse_time(meta["modified"]) == parse_time(meta["developments"][1]["time"])
    assert check_dispatch(path) == []


def test_develop_sets_the_status_given(project: Project) -> None:
    path = project.add_dispatch(HAND_EDITED, "harbor-bridge-closes")
    text = path.read_text(encoding="utf-8")
    first = add_development(text, path, "Reopening date set", now=LATER, status=None)
    second = add_development(first, path, "Reopened", now=LATER, status="Final")
    meta = frontmatter.parse(second, path).meta
    assert meta["status"] == "Final"
    assert meta["modified"] == "2026-11-23T09:30:00Z"
    assert len(meta["developments"]) == 3


def test_develop_keeps_a_developing_status(project: Project) -> None:
    text = HAND_EDITED.replace("status: Final", "status: Developing")
    path = project.add_dispatch(text, "harbor-bridge-closes")
    edited = add_development(text, path, "More", now=LATER, status=None)
    assert frontmatter.parse(edited, path).meta["status"] == "Developing"


@pytest.mark.parametrize(
    "developments",
    [
        "",
        "developments: []\n",
        "developments:\n",
        "developments: [{time: x, text: y}]\n",
    ],
)
def test_develop_works_whatever_the_list_looks_like(
    project: Project, developments: str
) -> None:
    text = (
        "---\ntitle: T  # mine\ndate: '2026-11-22T12:00:00Z'\ndesk: D\n"
        f"status: Developing\n{developments}---\n\nBody\n"
    )
    path = project.add_dispatch(text, "t")
    edited = add_development(text, path, "New", now=LATER, status=None)
    meta = frontmatter.parse(edited, path).meta
    assert meta["developments"][-1] == {"time": "2026-11-23T09:30:00Z", "text": "New"}
    assert meta["modified"] == "2026-11-23T09:30:00Z"
    assert "title: T  # mine" in edited


def test_develop_an_unknown_slug_says_so(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.content.mkdir()
    status, _out, err = run(
        capsys, "dispatch", "develop", "nope", "x", "--content", str(project.content)
    )
    assert status == 1
    assert 'no dispatch with slug "nope"' in err


def test_new_from_an_unknown_story_says_so(project: Project) -> None:
    project.content.mkdir()
    with pytest.raises(NewsdigestError, match='no story with slug "nope"'):
        new_dispatch(
            project.content,
            "T",
            desk="D",
            section="S",
            now=LATER,
            story_slug="nope",
        )


def test_new_without_a_section_leaves_it_out(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = run(
        capsys,
        "dispatch",
        "new",
        "Ferry service starts Monday",
        "--desk",
        "Americas Desk",
        "--content",
        str(project.content),
    )
    assert status == 0
    path = Path(out.strip())
    assert "section" not in frontmatter.read(path).meta
    assert check_dispatch(path) == []


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        (["new", "T", "--desk", ""], "argument --desk: a dispatch needs a desk"),
        (["new", "T", "--desk", " "], "argument --desk: a dispatch needs a desk"),
        (["develop", "t", "  "], "argument text: a dispatch needs a development"),
    ],
)
def test_a_blank_desk_or_development_is_refused_before_writing(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    refusal: str,
) -> None:
    """check refuses a dispatch with a blank desk or development, and make
    html stops on it: the commands wrote both."""
    path = project.add_dispatch(HAND_EDITED, "harbor-bridge-closes")
    before = path.read_bytes()
    with pytest.raises(SystemExit) as refused:
        main(["dispatch", *arguments, "--content", str(project.content)])
    assert refused.value.code == 2
    assert refusal in capsys.readouterr().err
    assert path.read_bytes() == before
    assert [p.name for p in project.content.rglob("*.md")] == [path.name]


@pytest.mark.parametrize("title", ["", "   "])
def test_new_refuses_a_blank_title_and_writes_nothing(
    project: Project, capsys: pytest.CaptureFixture[str], title: str
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(
            ["dispatch", "new", title, "--desk", "D", "--content", str(project.content)]
        )
    assert refused.value.code == 2
    assert "argument title: a dispatch needs a title" in capsys.readouterr().err
    assert not project.content.exists()
