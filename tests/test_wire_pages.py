"""The Wire: every dispatch, newest development first, paginated and filtered."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sitekit import Project

from newsdigest.content import frontmatter
from newsdigest.pagination import paginate

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
DESKS = ("Americas Desk", "Europe Desk")
SECTIONS = ("Climate", "Economy", "Health")
STATUSES = ("Developing", "Updated", "Final")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_dispatches(project: Project, count: int) -> None:
    """Dispatch N is dated N hours after T0 (so newer the higher N)."""
    for number in range(count):
        project.add_dispatch(
            frontmatter.dump(
                {
                    "title": f"Dispatch number {number:02d}",
                    "slug": f"dispatch-{number:02d}",
                    "date": stamp(T0 + timedelta(hours=number)),
                    "desk": DESKS[number % 2],
                    "section": SECTIONS[number % 3],
                    "status": STATUSES[number % 3],
                },
                "Body.",
            ),
            f"dispatch-{number:02d}",
        )


def listed(html: str) -> list[str]:
    """Titles on a Wire page, in order."""
    return re.findall(r">(Dispatch number \d\d)</a></h2>", html)


@pytest.fixture
def wire(project: Project) -> Project:
    project.add_outlet("harbor", [])
    add_dispatches(project, 25)
    project.build()
    return project


def test_wire_lists_newest_first_twenty_a_page(wire: Project) -> None:
    first = wire.page("wire/index.html")
    second = wire.page("wire/page/2/index.html")
    assert listed(first) == [f"Dispatch number {n:02d}" for n in range(24, 4, -1)]
    assert listed(second) == [f"Dispatch number {n:02d}" for n in range(4, -1, -1)]
    assert "Page 1 of 2" in first
    assert 'rel="next" href="../wire/page/2/"' in first
    assert 'rel="prev" href="../../../wire/"' in second
    assert 'rel="next"' not in second
    assert not (wire.output / "wire" / "page" / "3").exists()


def test_wire_shows_status_and_signal_badges(wire: Project) -> None:
    html = wire.page("wire/index.html")
    for status in STATUSES:
        assert (
            f'<span class="badge status status-{status.lower()}">{status}</span>'
            in html
        )
    assert "signal-unverified" in html


def test_latest_development_moves_a_dispatch_to_the_top(project: Project) -> None:
    project.add_outlet("harbor", [])
    add_dispatches(project, 3)
    path = project.content / "dispatches" / "2026" / "11" / "dispatch-00.md"
    document = frontmatter.read(path)
    document.meta["developments"] = [
        {"time": stamp(T0 + timedelta(days=2)), "text": "Something new."}
    ]
    path.write_text(frontmatter.dump(document.meta, document.body), encoding="utf-8")
    project.build()
    assert listed(project.page("wire/index.html")) == [
        "Dispatch number 00",
        "Dispatch number 02",
        "Dispatch number 01",
    ]


def test_desk_and_section_pages_list_only_their_dispatches(wire: Project) -> None:
    europe = wire.page("wire/desk/europe-desk/index.html")
    assert listed(europe) == [f"Dispatch number {n:02d}" for n in range(23, 0, -2)]
    assert "Europe Desk" in europe.split("<h1>", 1)[1]
    climate = wire.page("wire/section/climate/index.html")
    assert listed(climate) == [f"Dispatch number {n:02d}" for n in range(24, -1, -3)]
    assert 'href="../../../wire/section/climate/" aria-current="page"' in climate
    home = wire.page("wire/index.html")
    for url in ("wire/desk/americas-desk/", "wire/section/economy/"):
        assert f'href="../{url}"' in home


def test_filter_pages_paginate_too(project: Project) -> None:
    project.add_outlet("harbor", [])
    add_dispatches(project, 6)
    project.build(NEWSDIGEST_WIRE_PER_PAGE=2)
    assert listed(project.page("wire/page/3/index.html")) == [
        "Dispatch number 01",
        "Dispatch number 00",
    ]
    assert listed(project.page("wire/desk/americas-desk/page/2/index.html")) == [
        "Dispatch number 00"
    ]


def test_empty_wire_still_has_its_page(project: Project) -> None:
    project.add_outlet("harbor", [])
    project.content.mkdir()
    project.build()
    assert "No dispatches yet." in project.page("wire/index.html")
    assert ">The Wire</a>" in project.page("index.html")


def test_paginate_makes_one_page_for_nothing_and_links_neighbours() -> None:
    (only,) = paginate([], 20, "wire/")
    assert (only.number, only.count, only.items, only.save_as) == (
        1,
        1,
        (),
        "wire/index.html",
    )
    pages = paginate(list(range(5)), 2, "wire/desk/x/")
    assert [p.url for p in pages] == [
        "wire/desk/x/",
        "wire/desk/x/page/2/",
        "wire/desk/x/page/3/",
    ]
    assert (pages[1].previous_url, pages[1].next_url) == (
        "wire/desk/x/",
        "wire/desk/x/page/3/",
    )
    assert pages[2].items == (4,)
