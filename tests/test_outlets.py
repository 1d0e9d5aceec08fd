"""Outlet pages: ratings with their origin, owner siblings, reports newest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sitekit import Item, Project

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def items(outlet: str, *headlines: str) -> list[Item]:
    return [
        Item(
            title=headline,
            link=f"https://{outlet}.example/{n}",
            published=T0 + timedelta(days=n),
            description=f"{headline}. Details follow.",
            categories=("World",),
        )
        for n, headline in enumerate(headlines)
    ]


@pytest.fixture
def site(project: Project) -> Project:
    """Two outlets with one owner and an unrelated third; two unrelated events."""
    project.add_outlet(
        "harbor-ledger",
        items(
            "harbor-ledger",
            "Halvorsen Bridge closed after inspectors find girder cracks",
            "Quarry council approves wind farm on Ironvale ridge",
        ),
        name="The Harbor Ledger",
        home="https://harbor-ledger.example/",
        lean="Lean Left",
        lean_source="Desk review, Nov 2026",
        ownership="Corporate",
        ownership_source="Annual report 2025",
        owner_group="Tidewater Media Group",
    )
    project.add_outlet(
        "tidewater-courier",
        items("tidewater-courier"),
        name="Tidewater Courier",
        lean="Center",
        ownership="Corporate",
        owner_group="Tidewater media group",  # one owner, spelled otherwise
    )
    project.add_outlet(
        "granite-standard",
        items("granite-standard"),
        name="Granite <Standard>",
        country="CA",
        language="fr",
        lean="Right",
        ownership="Independent",
    )
    project.ingest()
    project.build()
    return project


def test_outlet_page_shows_ratings_with_their_origin(site: Project) -> None:
    page = site.page("outlets/harbor-ledger/index.html")
    assert "<h1>The Harbor Ledger</h1>" in page
    assert 'href="https://harbor-ledger.example/"' in page
    assert "United States" in page
    assert "Lean Left" in page
    assert "Source: Desk review, Nov 2026" in page
    assert "Source: Annual report 2025" in page
    assert "Tidewater Media Group" in page
    # The sibling under the same owner is linked; the unrelated outlet is not.
    assert 'href="../../outlets/tidewater-courier/"' in page
    assert "granite-standard" not in page


def test_outlet_page_lists_reports_newest_first_linking_stories(
    site: Project,
) -> None:
    page = site.page("outlets/harbor-ledger/index.html")
    assert "2 reports" in page
    links = re.findall(r'<a href="\.\./\.\./(stories/[^"]+/)">([^<]+)</a>', page)
    assert [title for _, title in links] == [
        "Quarry council approves wind farm on Ironvale ridge",
        "Halvorsen Bridge closed after inspectors find girder cracks",
    ]
    for path, _ in links:
        assert (site.output / path / "index.html").is_file()


def test_outlet_without_reports_or_sources_says_so(site: Project) -> None:
    page = site.page("outlets/granite-standard/index.html")
    assert "Granite &lt;Standard&gt;" in page
    assert "No reports from this outlet yet." in page
    assert "Source: not given" in page
    assert "Same owner" not in page
    assert "Canada" in page


def test_index_lists_every_outlet_and_story_links_outlet_pages(
    site: Project,
) -> None:
    index = site.page("outlets/index.html")
    names = re.findall(r'<a href="\.\./outlets/[a-z-]+/">([^<]+)</a>', index)
    assert names == [
        "Granite &lt;Standard&gt;",
        "The Harbor Ledger",
        "Tidewater Courier",
    ]
    story = next((site.output / "stories").glob("*/index.html")).read_text()
    assert 'href="../../outlets/harbor-ledger/"' in story
    assert 'href="../../outlets/"' in story
