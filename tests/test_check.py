"""`newsdigest check` / `make check`: every mistake as one `file:line: field:` line."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from scenes import GOOD
from sitekit import NOW, REPO, Item, Project

from newsdigest import check as check_module
from newsdigest.check import check_project
from newsdigest.cli import main
from newsdigest.content import frontmatter, validate

REGISTRY = """\
outlets:
  - id: harbor-ledger
    name: The Harbor Ledger
    feeds:
      - feeds/harbor-ledger.xml
"""
REPORT = """\
- outlet: harbor-ledger
  headline: Harbor bridge closed
  url: https://harbor-ledger.example/bridge
  published: '2026-11-20T08:15:00Z'
"""
STORY = f"""\
---
title: Harbor bridge closed
slug: harbor-bridge-closed
date: '2026-11-20T08:15:00Z'
category: World
reports:
{REPORT}---

Inspectors found cracks.
"""
STORY_PATH = "stories/2026/11/harbor-bridge-closed.md"
#: A valid dispatch for this registry and story.
DISPATCH = GOOD.replace("outlet: harbor", "outlet: harbor-ledger").replace(
    "halvorsen-bridge-closed", "harbor-bridge-closed"
)
DISPATCH_PATH = "dispatches/2026/11/bridge.md"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A registry and one valid story; tests break one thing at a time."""
    write(tmp_path, "sources.yaml", REGISTRY)
    write(tmp_path, f"content/{STORY_PATH}", STORY)
    return tmp_path


def check(root: Path) -> list[str]:
    problems, _files = check_project(root / "sources.yaml", root / "content")
    return [str(problem) for problem in problems]


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple]:
    """The arguments of each call to ``owner.name`` from now on (it still runs)."""
    calls: list[tuple] = []
    real = getattr(owner, name)

    def recorded(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls


def test_valid_story_has_no_problems(site: Path) -> None:
    assert check(site) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Harbor bridge closed",
            "title: 2026",
            "2: title: `2026` is read as a number, not text; put it in quotes",
        ),
        ("title: Harbor bridge closed", "title: [Harbor", "3: yaml: "),
        (
            "date: '2026-11-20T08:15:00Z'",
            "date: 2026-13-40",
            "4: yaml: month must be in 1..12; quote the value",
        ),
        ("slug: harbor-bridge-closed\n", "", "2: slug: missing"),
        (
            "slug: harbor-bridge-closed",
            "slug: ../../../etc/passwd",
            "3: slug: '../../../etc/passwd' cannot be a slug",
        ),
        (
            "date: '2026-11-20T08:15:00Z'",
            "date: yesterday",
            "4: date: not a date and time: 'yesterday'",
        ),
        ("category: World\n", "", "2: category: missing"),
        ("category: World", "category:", "5: category: is empty"),
        (f"reports:\n{REPORT}", "", "2: reports: missing"),
        (
            "- outlet: harbor-ledger",
            "- outlet: harbor-ledgr",
            (
                '7: reports[0].outlet: "harbor-ledgr" is not an outlet id in the '
                'registry; did you mean "harbor-ledger"?'
            ),
        ),
        ("  headline: Harbor bridge closed\n", "", "7: reports[0].headline: missing"),
        (
            "  url: https://harbor-ledger.example/bridge",
            "  url: javascript:alert(1)",
            "9: reports[0].url: 'javascript:alert(1)' is not an http or https URL",
        ),
        (
            "  url: https://harbor-ledger.example/bridge",
            "  url: https://harbor-ledger.example:99999/bridge",
            (
                "9: reports[0].url: 'https://harbor-ledger.example:99999/bridge' "
                "is not a usable URL"
            ),
        ),
        (
            "  published: '2026-11-20T08:15:00Z'",
            "  published: soon",
            "10: reports[0].published: not a date and time: 'soon'",
        ),
        (
            REPORT,
            "- just a line of text\n",
            "7: reports[0]: expected the fields of one report, got text",
        ),
        (
            "category: World",
            "category: World\nlocked: 'yes'",
            "6: locked: 'yes' is not true or false",
        ),
        (
            "category: World",
            "category: World\nlockd: true",
            '6: lockd: unknown field "lockd"; did you mean "locked"?',
        ),
        (
            "category: World",
            "category: World\nremoved:\n- not a url",
            "7: removed[0]: 'not a url' is not an http or https URL",
        ),
        (
            "category: World",
            "category: World\nremoved: https://harbor-ledger.example/x",
            "6: removed: expected a list, got 'https://harbor-ledger.example/x'",
        ),
        (
            "category: World",
            "category: World\nmerged_into: nowhere",
            '6: merged_into: no story has the slug "nowhere"',
        ),
        (
            "category: World",
            "category: World\nmerged_into: harbor-bridge-closed",
            "6: merged_into: names this story itself",
        ),
        (
            "category: World",
            "category: Helth",
            '5: category: "Helth" is not a category we know; did you mean "Health"?',
        ),
        (
            "category: World",
            "category: World\ncountry: UK",
            "6: country: 'UK' is not an ISO 3166-1 two-letter country code",
        ),
        (
            "category: World",
            "category: World\ncategory: Politics",
            "6: category: given twice (first on line 5)",
        ),
        (
            "category: World",
            "category: World\nclaims:\n- text: 41,000 vehicles\n  asserted_by: harbor",
            "8: claims[0].asserted_by: expected a list of outlet ids",
        ),
        (
            "category: World",
            "category: World\nclaims:\n- asserted_by: [harbor-ledger]",
            "7: claims[0].text: needs the claim's text",
        ),
        (
            "category: World",
            "category: World\nclaims:\n- 41,000 vehicles",
            "7: claims[0]: expected the fields of one claim",
        ),
        (
            "category: World",
            "category: World\nclaims: 41,000 vehicles",
            "6: claims: expected a list",
        ),
        (
            "category: World",
            (
                "category: World\nclaims:\n- text: 41,000 vehicles\n"
                "  asserted_by: [harbor-ledger]\n  disputed_by:\n  - harbour-ledger"
            ),
            (
                '10: claims[0].disputed_by[0]: "harbour-ledger" is not an outlet id '
                'in the registry; did you mean "harbor-ledger"?'
            ),
        ),
        ("---\ntitle", "title", "1: front matter: file must start with a '---' line"),
    ],
)
def test_each_mistake_is_one_line_naming_file_line_and_field(
    site: Path, old: str, new: str, expected: str
) -> None:
    assert STORY.count(old) == 1
    path = write(site, f"content/{STORY_PATH}", STORY.replace(old, new))
    (problem,) = check(site)
    assert problem.startswith(f"{path}:{expected}")


def test_a_field_given_twice_is_checked_on_the_line_yaml_keeps(site: Path) -> None:
    twice = STORY.replace("category: World", "category: World\ncategory: Helth")
    path = write(site, f"content/{STORY_PATH}", twice)
    unknown = '"Helth" is not a category we know; did you mean "Health"?'
    assert check(site) == [
        f"{path}:6: category: given twice (first on line 5)",
        f"{path}:6: category: {unknown}",
    ]


def test_text_that_is_not_utf8_names_its_line(site: Path) -> None:
    path = site / "content" / STORY_PATH
    path.write_bytes(STORY.encode().replace(b"Inspectors", b"Inspect\xe9rs"))
    assert check(site) == [f"{path}:13: file: not UTF-8 text; save it as UTF-8"]


def test_slug_used_by_two_stories_is_named_with_both_places(site: Path) -> None:
    other = write(
        site,
        "content/stories/2026/12/copy.md",
        STORY.replace("harbor-ledger.example/bridge", "harbor-ledger.example/two"),
    )
    first = site / "content" / STORY_PATH
    assert check(site) == [
        f'{other}:3: slug: "harbor-bridge-closed" is also used by {first}:3'
    ]


def test_report_in_two_stories_is_named_with_both_places(site: Path) -> None:
    other = write(
        site,
        "content/stories/2026/12/other.md",
        STORY.replace("slug: harbor-bridge-closed", "slug: other"),
    )
    first = site / "content" / STORY_PATH
    assert check(site) == [
        f"{other}:9: reports[0].url: this report is also at {first}:9; keep one"
    ]


def test_merged_into_another_story_is_fine(site: Path) -> None:
    write(
        site,
        "content/stories/2026/12/follow-up.md",
        STORY.replace("slug: harbor-bridge-closed", "slug: follow-up")
        .replace(
            "category: World", "category: World\nmerged_into: harbor-bridge-closed"
        )
        .replace("/bridge", "/follow-up"),
    )
    assert check(site) == []


def test_every_problem_in_a_file_is_reported_at_once_in_line_order(
    site: Path,
) -> None:
    path = write(
        site,
        f"content/{STORY_PATH}",
        STORY.replace("date: '2026-11-20T08:15:00Z'", "date: tomorrow").replace(
            "  url: https://harbor-ledger.example/bridge", "  url: ftp://x.example/"
        ),
    )
    assert [p.split(": ")[0] for p in check(site)] == [f"{path}:4", f"{path}:9"]


def test_each_story_file_is_read_and_parsed_once(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make html` runs the check before every build: reading each file twice,
    or parsing its YAML once for the data and again for the lines, doubled it."""
    write(
        site,
        "content/stories/2026/11/other.md",
        STORY.replace("slug: harbor", "slug: x"),
    )
    parsed = spy(monkeypatch, frontmatter, "_Loader")
    other = site / "content/stories/2026/11/other.md"
    first = site / "content" / STORY_PATH
    assert check(site) == [
        f"{other}:9: reports[0].url: this report is also at {first}:9; keep one"
    ]
    assert len(parsed) == 2


def test_registry_problems_come_first_and_outlet_ids_are_then_not_checked(
    site: Path,
) -> None:
    write(site, "sources.yaml", REGISTRY + "    lean: Leen Left\n")
    write(
        site,
        f"content/{STORY_PATH}",
        STORY.replace("outlet: harbor-ledger", "outlet: unknown-outlet"),
    )
    (problem,) = check(site)
    assert problem.startswith(f"{site / 'sources.yaml'}:6: harbor-ledger.lean:")


def test_pages_get_only_the_common_checks(site: Path) -> None:
    write(site, "content/pages/about.md", "---\ntitle: About\nslug: about\n---\nHi\n")
    assert check(site) == []
    path = write(site, "content/pages/about.md", "---\nslug: about\n---\nHi\n")
    assert check(site) == [f"{path}:2: title: missing"]


def test_dispatches_go_to_the_dispatch_checker(site: Path) -> None:
    page = "---\ntitle: Desk note\nslug: desk-note\n---\nHi\n"
    write(site, "content/pages/desk-note.md", page)
    assert check(site) == []
    path = write(site, "content/dispatches/2026/11/desk-note.md", page)
    problems = check(site)
    assert problems
    assert all(problem.startswith(f"{path}:") for problem in problems)


def test_check_command_prints_problems_and_exits_1(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(site, f"content/{STORY_PATH}", STORY.replace("category: World\n", ""))
    status = main(
        [
            "check",
            "--sources",
            str(site / "sources.yaml"),
            "--content",
            str(site / "content"),
        ]
    )
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err == f"{path}:2: category: missing\n"
    assert "Traceback" not in captured.err


def test_check_command_says_how_many_files_are_ok_after_an_ingest(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_outlet(
        "a",
        [
            Item("Harbor bridge closes", "https://a.example/1", NOW, "Cracks."),
            Item("Ferry timetable changes", "https://a.example/2", NOW, "Winter."),
        ],
    )
    project.ingest()
    args = ["--sources", str(project.sources), "--content", str(project.content)]
    assert main(["check", *args]) == 0
    assert capsys.readouterr().out == "3 files OK\n"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_html_stops_at_the_check_with_its_lines(site: Path) -> None:
    path = write(
        site,
        f"content/{STORY_PATH}",
        STORY.replace("date: '2026-11-20T08:15:00Z'", "date: yesterday"),
    )
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-o",
            ".venv/.installed",
            "html",
            f"SOURCES={site / 'sources.yaml'}",
            f"CONTENT={site / 'content'}",
            f"OUTPUT={site / 'output'}",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert result.returncode != 0
    assert result.stderr.startswith(f"{path}:4: date: not a date and time:")
    assert "Traceback" not in result.stderr
    assert not (site / "output").exists()


def test_check_command_refuses_an_inflated_signal(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inflated = DISPATCH.replace("signal: Corroborated", "signal: Confirmed")
    path = write(site, f"content/{DISPATCH_PATH}", inflated)
    args = ["--sources", str(site / "sources.yaml"), "--content", str(site / "content")]
    assert main(["check", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f'{path}:32: signal: "Confirmed" is higher than the sources')
    write(site, f"content/{DISPATCH_PATH}", DISPATCH)
    assert main(["check", *args]) == 0


def story(slug: str, merged_into: str) -> str:
    """The story under another slug and URL, merged into ``merged_into``."""
    return (
        STORY.replace("slug: harbor-bridge-closed", f"slug: {slug}")
        .replace("category: World", f"category: World\nmerged_into: {merged_into}")
        .replace("/bridge", f"/{slug}")
    )


def test_a_loop_of_merges_is_named_in_every_file_of_the_loop(site: Path) -> None:
    first = write(site, "content/stories/2026/12/a.md", story("a", "b"))
    second = write(site, "content/stories/2026/12/b.md", story("b", "a"))
    into = write(site, "content/stories/2026/12/c.md", story("c", "a"))
    assert check(site) == [
        f"{first}:6: merged_into: goes round in a loop of merges: a → b → a",
        f"{second}:6: merged_into: goes round in a loop of merges: b → a → b",
        f"{into}:6: merged_into: goes round in a loop of merges: c → a → b → a",
    ]


def test_valid_dispatch_has_no_problems(site: Path) -> None:
    write(site, f"content/{DISPATCH_PATH}", DISPATCH)
    assert check(site) == []
    by_name = DISPATCH.replace("outlet: harbor-ledger", "outlet: the harbor  ledger")
    write(site, f"content/{DISPATCH_PATH}", by_name)
    assert check(site) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "outlet: harbor-ledger",
            "outlet: harbor-ledgr",
            (
                '27: sources[1].outlet: "harbor-ledgr" is neither an outlet id nor an '
                'outlet name in the registry; did you mean "harbor-ledger"?'
            ),
        ),
        (
            "outlet: harbor-ledger",
            "outlet: The Harbour Ledger",
            (
                '27: sources[1].outlet: "The Harbour Ledger" is neither an outlet id '
                'nor an outlet name in the registry; did you mean "The Harbor Ledger"?'
            ),
        ),
        (
            "desk: Americas Desk",
            "desk: Americas Desk\nfoo: bar",
            '7: foo: unknown field "foo" (a dispatch has: title, slug, date,',
        ),
        (
            "desk: Americas Desk",
            "desk: Americas Desk\nsectoin: Climate",
            '7: sectoin: unknown field "sectoin"; did you mean "section"?',
        ),
        (
            "related: [harbor-bridge-closed]",
            "related: [harbor-bridge-closed, no-such-slug]",
            '33: related[1]: no other dispatch or story has the slug "no-such-slug"',
        ),
        (
            "related: [harbor-bridge-closed]",
            "related: [halvorsen-sister-spans]",
            (
                "33: related[0]: no other dispatch or story has the slug "
                '"halvorsen-sister-spans"'
            ),
        ),
    ],
)
def test_each_dispatch_mistake_names_file_line_and_field(
    site: Path, old: str, new: str, expected: str
) -> None:
    assert DISPATCH.count(old) == 1
    path = write(site, f"content/{DISPATCH_PATH}", DISPATCH.replace(old, new))
    (problem,) = check(site)
    assert problem.startswith(f"{path}:{expected}")


def test_an_unknown_outlet_is_not_checked_without_a_registry(site: Path) -> None:
    write(site, "sources.yaml", REGISTRY + "    lean: Leen Left\n")
    typo = DISPATCH.replace("outlet: harbor-ledger", "outlet: harbor-ledgr")
    write(site, f"content/{DISPATCH_PATH}", typo)
    (problem,) = check(site)
    assert problem.startswith(f"{site / 'sources.yaml'}:6: harbor-ledger.lean:")


@pytest.mark.parametrize("name", ["Health", "Local News", "Harbor Watch"])
def test_a_known_or_own_category_passes(name: str) -> None:
    assert validate.category(name) is None


def test_files_read_on_every_core_give_the_same_problems(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large content folder is read by one process per core; what each file
    says, and the checks across files, come out as from one process."""
    write(site, "content/stories/2026/11/same-slug.md", STORY)
    write(
        site,
        "content/stories/2026/11/bad-date.md",
        STORY.replace("slug: harbor-bridge-closed", "slug: bad-date")
        .replace("date: '2026-11-20T08:15:00Z'", "date: tomorrow")
        .replace("/bridge", "/other"),
    )
    write(site, "content/pages/about.md", "---\nslug: about\n---\nHi\n")
    write(site, f"content/{DISPATCH_PATH}", DISPATCH.replace("desk:", "dsk:"))
    write(site, "content/stories/2026/11/not-utf8.md", "")
    (site / "content/stories/2026/11/not-utf8.md").write_bytes(b"---\ntitle: \xff\n")
    one_process = check(site)
    assert len(one_process) >= 5
    monkeypatch.setattr(check_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(check_module, "cores", lambda: 2)
    shared = spy(monkeypatch, check_module, "run_shared")
    assert check(site) == one_process
    assert [processes for _calls, processes in shared] == [2]


def test_with_a_cache_only_changed_files_are_read_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make check` keeps each file's result; the next check reads only the
    files that changed, unless the registry did, and still checks across
    every file."""
    cache = site / "cache" / "check.pickle"
    other = write(site, "content/stories/2026/11/other.md", STORY)
    read = spy(monkeypatch, check_module, "read_front_matter")

    def cached() -> list[str]:
        read.clear()
        problems, _files = check_project(site / "sources.yaml", site / "content", cache)
        return [str(problem) for problem in problems]

    first = cached()
    assert len(read) == 2 and any("is also used by" in p for p in first)
    assert cached() == first and read == []

    broken = STORY.replace("slug: harbor-bridge-closed", "slug: other")
    write(site, "content/stories/2026/11/other.md", broken.replace("date:", "datum:"))
    changed = cached()
    assert read == [(other,)]
    assert not any("is also used by" in p for p in changed)
    assert f"{other}:2: date: missing" in changed

    write(site, "sources.yaml", REGISTRY.replace("harbor-ledger", "harbour-ledger"))
    assert len([p for p in cached() if "harbor-ledger" in p]) == 2
    assert len(read) == 2

    other.unlink()
    cache.write_bytes(b"not a pickle")
    assert [p for p in cached() if str(other) in p] == []
    assert len(read) == 1
