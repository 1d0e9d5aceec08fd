"""Dispatch files: the dateline, and every problem named by file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenes import GOOD
from sitekit import REPO

from newsdigest.content import frontmatter
from newsdigest.records import Outlet
from newsdigest.registry import load_registry
from newsdigest.wire.dateline import dms
from newsdigest.wire.dispatch import check_dispatch, parse_dispatch
from newsdigest.wire.signal import signal_read


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (31.777972, 35.235472, "31°46′40.7″N 35°14′07.7″E"),
        (-33.8688, 151.2093, "33°52′07.7″S 151°12′33.5″E"),
        (44.1037, -69.1089, "44°06′13.3″N 69°06′32.0″W"),
        (-22.9068, -43.1729, "22°54′24.5″S 43°10′22.4″W"),
        (0.0, 0.0, "0°00′00.0″N 0°00′00.0″E"),
        (-0.00000001, -0.00000001, "0°00′00.0″N 0°00′00.0″E"),
        (10 + 59.96 / 3600, 0.99999, "10°01′00.0″N 1°00′00.0″E"),
        (89.999999, -179.999999, "90°00′00.0″N 180°00′00.0″W"),
        (90, 180, "90°00′00.0″N 180°00′00.0″E"),
    ],
)
def test_dateline_in_degrees_minutes_seconds(
    lat: float, lon: float, expected: str
) -> None:
    assert dms(lat, lon) == expected


@pytest.mark.parametrize(("lat", "lon"), [(90.5, 0), (-91, 0), (0, 180.01)])
def test_dateline_refuses_impossible_positions(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="between"):
        dms(lat, lon)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dispatch.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_complete_dispatch_has_no_problems(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert check_dispatch(path) == []
    dispatch, _ = parse_dispatch(frontmatter.read(path), path)
    assert dispatch.location is not None
    assert dispatch.location.dateline == "44°06′13.3″N 69°06′32.0″W"
    assert [d.text for d in dispatch.latest_first] == [
        "Order published.",
        "Scans ordered.",
    ]
    assert dispatch.sources[2].copy_of == "The Harbor Ledger"
    assert dispatch.related == ("halvorsen-bridge-closed",)
    assert dispatch.signal_line == 32


def test_inflated_signal_names_file_line_and_what_the_sources_allow(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, GOOD.replace("signal: Corroborated", "signal: Strong"))
    (problem,) = check_dispatch(path)
    assert str(problem).startswith(
        f'{path}:32: signal: "Strong" is higher than the sources support.'
    )
    assert 'Set it to "Corroborated" or lower' in problem.message


def test_registry_owner_groups_count_in_the_check(tmp_path: Path) -> None:
    text = GOOD.replace(
        "- name: Commissioner's office\n  kind: Official statement\n"
        "  url: https://transport.example/notice\n",
        "- name: The Tidewater Courier\n  outlet: courier\n  kind: Outlet report\n",
    )
    path = write(tmp_path, text)
    assert check_dispatch(path) == []
    outlets = {
        "harbor": Outlet("harbor", "The Harbor Ledger", (), owner_group="Tidewater"),
        "courier": Outlet("courier", "Courier", (), owner_group="Tidewater"),
    }
    (problem,) = check_dispatch(path, outlets)
    assert problem.field == "signal"
    assert "share an owner (Tidewater)" in problem.message


@pytest.mark.parametrize(
    "mistake",
    [
        ("status: Updated", "status: Updpated", 8, "status", 'did you mean "Updated"?'),
        (
            "title: Halvorsen Bridge inspectors order scans of two sister spans\n",
            "",
            2,
            "title",
            "missing; every dispatch needs one",
        ),
        ("  lat: 44.1037", "  lat: 94.1", 11, "location.lat", "not between -90 and 90"),
        (
            'desk_window: "14:55-15:40 UTC"',
            "desk_window: 23:51",
            16,
            "desk_window",
            '`23:51` is read as a number, not text; write "23:51" in quotes',
        ),
        ("intake_signals: 3", "intake_signals: many", 15, "intake_signals", "whole"),
        ("tldr:", "tdlr:", 13, "tdlr", 'unknown field "tdlr"; did you mean "tldr"?'),
        (
            "  text: Order published.",
            "  text: no",
            21,
            "developments[1].text",
            "read as a yes/no value",
        ),
        (
            "- time: 2026-11-19T11:05:00Z",
            "- time: next Tuesday-ish",
            20,
            "developments[1].time",
            "not a date and time",
        ),
        (
            "  copy_of: The Harbor Ledger",
            "  copy_of: The Harbour Ledger",
            31,
            "sources[2].copy_of",
            'no source named "The Harbour Ledger"',
        ),
        (
            "  kind: Outlet report\n  copy_of",
            "  kind: Press release\n  copy_of",
            30,
            "sources[2].kind",
            '"Press release" is not one of',
        ),
        (
            "  url: https://transport.example/notice",
            "  url: javascript:alert(1)",
            25,
            "sources[0].url",
            "not an http or https URL",
        ),
        (
            "  outlet: harbor",
            "  outlet: harbor\n  owner: x",
            28,
            "sources[1].owner",
            "a source has",
        ),
        ("signal: Corroborated", "signal: Very strong", 32, "signal", "is not one of"),
    ],
)
def test_each_mistake_is_reported_at_its_line(
    tmp_path: Path, mistake: tuple[str, str, int, str, str]
) -> None:
    old, new, line, field, message = mistake
    assert GOOD.count(old) == 1
    path = write(tmp_path, GOOD.replace(old, new))
    problems = check_dispatch(path)
    assert [(p.line, p.field) for p in problems] == [(line, field)]
    assert message in problems[0].message


def test_a_field_given_twice_is_a_problem_and_the_kept_one_is_checked(
    tmp_path: Path,
) -> None:
    """YAML keeps the last of two ``location:``; its problems are on its lines."""
    text = GOOD.replace("tldr:", "location:\n  name: Port Calloway\ntldr:")
    problems = check_dispatch(write(tmp_path, text))
    assert [(p.line, p.field, p.message) for p in problems] == [
        (13, "location", "given twice (first on line 9)"),
        (13, "location.lat", "needs a decimal number such as 43.6615"),
        (13, "location.lon", "needs a decimal number such as 43.6615"),
    ]


def test_an_alias_of_itself_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    text = GOOD.replace("related: [halvorsen-bridge-closed]", "related: &r [*r]")
    (problem,) = check_dispatch(write(tmp_path, text))
    assert (problem.line, problem.field) == (33, "related[0]")
    assert "read as a list, not text" in problem.message


def test_copies_that_go_round_in_a_circle_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace(
        "- name: The Harbor Ledger\n  outlet: harbor\n",
        "- name: The Harbor Ledger\n  outlet: harbor\n  copy_of: Morning Echo\n",
    ).replace("signal: Corroborated\n", "")
    problems = check_dispatch(write(tmp_path, text))
    assert {p.field for p in problems} == {"sources[1].copy_of", "sources[2].copy_of"}
    assert all("circle" in p.message for p in problems)


def test_broken_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("section: Infrastructure", "section: [Infra"))
    (problem,) = check_dispatch(path)
    assert problem.field == "yaml"
    assert problem.line >= 7


def test_internal_source_needs_no_kind_and_reads_as_internal_intake(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        GOOD.replace(
            "- name: Morning Echo\n  kind: Outlet report\n"
            "  copy_of: The Harbor Ledger\n",
            "- name: Night desk tip line\n  internal: true\n",
        ).replace("signal: Corroborated\n", ""),
    )
    assert check_dispatch(path) == []
    dispatch, _ = parse_dispatch(frontmatter.read(path), path)
    assert dispatch.sources[2].kind == "Internal intake"
    assert dispatch.sources[2].internal


def test_readme_example_dispatch_is_valid(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Write a dispatch", 1)[1]
    example = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, example)
    assert check_dispatch(path, load_registry(REPO / "sources.yaml").outlets) == []
    dispatch, _ = parse_dispatch(frontmatter.read(path), path)
    assert signal_read(dispatch.sources).supported == "Confirmed"
    assert dispatch.location is not None
    assert dispatch.location.dateline in section
