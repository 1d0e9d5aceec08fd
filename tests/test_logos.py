"""Outlet logos: an image named after the outlet in content/logos/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sitekit import NOW, Item, Project

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
        (logos / name).write_bytes(b"x")
    assert find_logos(tmp_path, "logos") == {"a": "logos/a.svg", "b": "logos/b.JPG"}
    assert find_logos(tmp_path, "elsewhere") == {}
