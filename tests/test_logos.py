"""Outlet logos: an image named after the outlet in content/logos/."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sitekit import NOW, REPO, Item, Project

from newsdigest.check import svg_problems
from newsdigest.pelican.logos import find_logos

MARK = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect/></svg>'


def test_an_outlet_with_a_logo_shows_it_and_one_without_shows_none(
    project: Project,
) -> None:
    when = NOW - timedelta(hours=2)
    for outlet in ("ledger", "courier"):
        link = f"https://{outlet}.example/bridge"
        item = Item("Harbor bridge closed after inspectors find cracks", link, when)
        project.add_outlet(outlet, [item])
    project.ingest()
    logos = project.content / "logos"
    logos.mkdir()
    (logos / "ledger.svg").write_text(MARK, encoding="utf-8")
    project.build()
    assert (project.output / "logos" / "ledger.svg").read_text() == MARK
    story = next(project.output.glob("stories/*/index.html")).read_text()
    tag = '<img class="outlet-logo" src="../../logos/ledger.svg" alt="" width="20"'
    assert story.count(tag) == 1
    assert "courier.svg" not in story and story.count('class="outlet-logo"') == 1
    outlet = project.page("outlets/ledger/index.html")
    assert '<h1><img class="outlet-logo" src="../../logos/ledger.svg" alt=""' in outlet
    assert 'class="outlet-logo"' not in project.page("outlets/courier/index.html")
    assert "../logos/ledger.svg" in project.page("outlets/index.html")


def test_the_lightest_kind_of_image_wins_and_other_files_are_ignored(
    tmp_path: Path,
) -> None:
    logos = tmp_path / "logos"
    logos.mkdir()
    for name in ("a.png", "a.svg", "b.JPG", "b.gif", "c.txt", "notes.md"):
        (logos / name).write_text(MARK if name.endswith(".svg") else "x")
    assert find_logos(tmp_path, "logos") == {"a": "logos/a.svg", "b": "logos/b.JPG"}
    assert find_logos(tmp_path, "elsewhere") == {}


SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
#: Logos that would run script on the site's origin when opened on their own.
HOSTILE = {
    "script": f"<svg {SVG}><script>alert(document.domain)</script></svg>",
    "prefixed-script": (
        '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script>'
        "</s:svg>"
    ),
    "event": f'<svg {SVG} onload="alert(1)"><rect/></svg>',
    "animated-event": f'<svg {SVG}><set attributeName="onclick" to="alert(1)"/></svg>',
    "foreign-object": (
        f"<svg {SVG}><foreignObject><body xmlns='http://www.w3.org/1999/xhtml'>"
        "<iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'/></body>"
        "</foreignObject></svg>"
    ),
    "xhtml": (
        f"<svg {SVG}><h:iframe xmlns:h='http://www.w3.org/1999/xhtml' srcdoc='x'/>"
        "</svg>"
    ),
    "javascript-url": (
        f'<svg {SVG}><a xlink:href="java&#9;script:alert(1)"><rect/></a></svg>'
    ),
    "xslt": f'<?xml-stylesheet type="text/xsl" href="x.xsl"?><svg {SVG}/>',
    "entities": (
        '<!DOCTYPE svg [<!ENTITY s "&#60;script>alert(1)&#60;/script>">]>'
        f"<svg {SVG}>&s;</svg>"
    ),
    "not-xml": f"<svg {SVG}><script>alert(1)</svg>",
}


def test_an_svg_logo_that_could_run_script_is_left_out_with_an_error(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    project.add_outlet(
        "ledger", [Item("Harbor bridge", "https://ledger.example/b", NOW)]
    )
    project.ingest()
    logos = project.content / "logos"
    logos.mkdir()
    for name, text in HOSTILE.items():
        (logos / f"{name}.svg").write_text(text, encoding="utf-8")
    (logos / "ledger.svg").write_text(HOSTILE["script"], encoding="utf-8")
    (logos / "ledger.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (logos / "plain.svg").write_text(MARK, encoding="utf-8")
    stale = project.output / "logos" / "script.svg"  # copied by an earlier build
    stale.parent.mkdir(parents=True)
    stale.write_text(HOSTILE["script"], encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="newsdigest"):
        project.build()
    copied = sorted(path.name for path in (project.output / "logos").iterdir())
    assert copied == ["ledger.png", "plain.svg"]
    refused = sorted(
        Path(record.getMessage().split(":")[0]).stem
        for record in caplog.records
        if record.levelno == logging.ERROR
    )
    assert refused == sorted([*HOSTILE, "ledger"])
    outlet = project.page("outlets/ledger/index.html")
    assert '<img class="outlet-logo" src="../../logos/ledger.png"' in outlet


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_names_an_svg_that_could_run_script(tmp_path: Path, name: str) -> None:
    path = tmp_path / "logos" / f"{name}.svg"
    path.parent.mkdir()
    path.write_text(HOSTILE[name], encoding="utf-8")
    (tmp_path / "logos" / "plain.svg").write_text(MARK, encoding="utf-8")
    [problem] = svg_problems(tmp_path)
    assert (problem.file, problem.field) == (path, "svg")
    assert problem.message.endswith("; the build leaves the file out")


def test_sample_logos_pass(tmp_path: Path) -> None:
    assert svg_problems(REPO / "content") == []
