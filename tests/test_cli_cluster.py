"""``newsdigest cluster``: JSON Lines reports in, one story per report out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdigest.cli import main

REPORTS = [
    {
        "id": "r1",
        "title": "Dockworkers shut Vesterholm port for 72 hours",
        "text": "The Havnarbejder union wants 8.5% more pay.",
        "published": "2026-05-04T09:00:00Z",
        "outlet": "harbor",
        "url": "https://harbor.example/1",
        "lang": "en",
    },
    {"id": "r2", "title": "Bus drivers in Carrowmore walk out over rosters"},
    {
        "id": 3,
        "title": "Grève de 72 heures dans le port de Vesterholm",
        "text": "Le syndicat Havnarbejder réclame 8,5 % d'augmentation.",
    },
    {"id": "r4", "text": "Carrowmore bus drivers walk out: 900 services cancelled."},
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_cluster_writes_one_story_per_report_in_input_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _write(tmp_path / "reports.jsonl", [json.dumps(r) for r in REPORTS])
    output = tmp_path / "assignments.jsonl"
    status = main(["cluster", "--input", str(reports), "--output", str(output)])
    assert status == 0
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["r1", "r2", 3, "r4"]
    story = {line["id"]: line["story"] for line in lines}
    assert story["r1"] == story[3] == "r1"
    assert story["r2"] == story["r4"] != story["r1"]
    assert "4 report(s) in 2 story(ies)" in capsys.readouterr().out


def test_cluster_window_and_threshold_options(tmp_path: Path) -> None:
    text = "Vesterholm port strike enters its third day"
    reports = _write(
        tmp_path / "reports.jsonl",
        [
            json.dumps({"id": "a", "title": text, "published": "2026-05-01T00:00Z"}),
            json.dumps({"id": "b", "title": text, "published": "2026-05-03T00:00Z"}),
        ],
    )
    output = tmp_path / "out.jsonl"

    def stories(*options: str) -> list[str]:
        main(["cluster", "--input", str(reports), "--output", str(output), *options])
        return [json.loads(line)["story"] for line in output.read_text().splitlines()]

    assert stories() == ["a", "a"]
    assert stories("--window-hours", "24") == ["a", "b"]
    assert stories("--threshold", "1.01") == ["a", "b"]


def test_bad_lines_are_reported_with_file_and_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _write(
        tmp_path / "reports.jsonl",
        [
            json.dumps({"id": "a", "title": "fine"}),
            "{not json",
            json.dumps({"title": "no id"}),
            json.dumps({"id": "a", "title": "again"}),
            json.dumps({"id": "b", "published": "someday"}),
        ],
    )
    output = tmp_path / "out.jsonl"
    status = main(["cluster", "--input", str(reports), "--output", str(output)])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0].startswith(f"{reports}:2: line: not JSON")
    assert err[1] == f"{reports}:3: id: missing"
    assert err[2] == f"{reports}:4: id: 'a' already used on line 1"
    assert err[3].startswith(f"{reports}:5: published: not a date and time")
    assert not output.exists()


@pytest.mark.parametrize(
    ("make_input", "said"),
    [
        (lambda folder: folder / "missing.jsonl", "No such file or directory"),
        (lambda folder: folder, "Is a directory"),
    ],
)
def test_an_input_that_cannot_be_read_is_named_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_input, said: str
) -> None:
    source = make_input(tmp_path)
    output = tmp_path / "out.jsonl"
    status = main(["cluster", "--input", str(source), "--output", str(output)])
    assert status == 1
    expected = f"{source}: file: cannot read the file: {said}\n"
    assert capsys.readouterr().err == expected
    assert not output.exists()


def test_an_output_that_cannot_be_written_is_named_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _write(tmp_path / "reports.jsonl", [json.dumps(REPORTS[0])])
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    output = blocked / "out.jsonl"  # under a file: no folder can be made there
    status = main(["cluster", "--input", str(reports), "--output", str(output)])
    assert status == 1
    assert capsys.readouterr().err.startswith(f"{output}: file: cannot write")
