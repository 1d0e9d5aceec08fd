"""Listings in pages: archive, categories, countries, Blindspot and outlets."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import PurePosixPath
from types import SimpleNamespace

import pytest
from sitekit import NOW, Item, Project

from newsdigest.pelican.sitemap import sitemap_page

#: Five unrelated events, one report each: five stories, the last the newest.
EVENTS = [
    "Harbor bridge girders cracked, span closed to traffic",
    "Library levy passes with a narrow majority of votes",
    "Orchard frost ruins most of the apricot harvest",
    "Ferry union calls a weekend strike over rota changes",
    "Observatory names the comet its volunteers spotted",
]
PAGED = {"archives": 2, "category": 2, "country": 2, "blindspot": 2, "outlet": 2}


def add_five_stories(project: Project) -> None:
    """One outlet's five reports of :data:`EVENTS`, an hour apart, ingested."""
    project.add_outlet(
        "solo",
        [
            Item(title, f"https://solo.example/{n}", NOW - timedelta(hours=5 - n))
            for n, title in enumerate(EVENTS)
        ],
        category="World",
    )
    project.ingest()


@pytest.fixture
def paged(project: Project) -> Project:
    add_five_stories(project)
    project.build(PAGINATED_TEMPLATES=PAGED)
    return project


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"[^>]*><a [^>]*>([^<]+)</a>', html)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return found.group(1) if found else None


def follow(page: str, href: str) -> str:
    """The output file a relative link on ``page`` leads to."""
    target = PurePosixPath(page).parent / href
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join([*parts, "index.html"])


def walk(project: Project, first: str) -> list[str]:
    """The pages of a listing, following its "Older" links from ``first``."""
    pages = [first]
    while (older := link(project.page(pages[-1]), "next")) is not None:
        pages.append(follow(pages[-1], older))
        newer = link(project.page(pages[-1]), "prev")
        assert newer is not None
        assert follow(pages[-1], newer) == pages[-2]
    return pages


@pytest.mark.parametrize(
    "listing",
    ["archives/index.html", "category/world/index.html", "country/us/index.html"],
)
def test_a_listing_shows_each_story_once_newest_first_across_its_pages(
    paged: Project, listing: str
) -> None:
    pages = walk(paged, listing)
    base = listing.removesuffix("index.html")
    assert pages == [listing, f"{base}page/2/index.html", f"{base}page/3/index.html"]
    shown = [titles(paged.page(page)) for page in pages]
    assert [len(cards) for cards in shown] == [2, 2, 1]
    assert [title for cards in shown for title in cards] == EVENTS[::-1]
    assert "Page 2 of 3" in paged.page(pages[1])
    assert "page 2 ·" in re.search(r"<title>(.*)</title>", paged.page(pages[1]))[1]
    assert "page" not in re.search(r"<title>(.*)</title>", paged.page(pages[0]))[1]
    assert not (paged.output / base / "page/4").exists()


def test_top_stories_stay_one_page(paged: Project) -> None:
    home = paged.page("index.html")
    assert len(titles(home)) == len(EVENTS)
    assert 'class="pagination"' not in home
    assert not (paged.output / "page").exists()


def test_by_default_a_page_holds_a_hundred_stories(project: Project) -> None:
    project.add_outlet(
        "solo",
        [
            Item(title, f"https://solo.example/{n}", NOW)
            for n, title in enumerate(EVENTS)
        ],
    )
    project.ingest()
    output = project.build()
    assert len(titles(project.page("archives/index.html"))) == len(EVENTS)
    assert 'class="pagination"' not in project.page("archives/index.html")
    assert not (output / "archives/page").exists()


def test_a_later_page_is_as_recent_in_the_sitemap_as_its_newest_story() -> None:
    old, new = NOW - timedelta(days=3), NOW - timedelta(days=2)
    stories = [
        SimpleNamespace(date=NOW),
        SimpleNamespace(date=new),
        SimpleNamespace(date=old),
    ]
    page = SimpleNamespace(object_list=stories[1:])
    found = sitemap_page(
        {
            "articles": stories,
            "articles_page": page,
            "output_file": "archives/page/2/index.html",
        }
    )
    assert found is not None
    assert (found.path, found.lastmod) == ("archives/page/2/", new)


def reports(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]*stories/[^"]+"[^>]*>([^<]+)</a>', html)


def test_an_outlet_lists_its_reports_newest_first_across_its_pages(
    paged: Project,
) -> None:
    pages = walk(paged, "outlets/solo/index.html")
    assert pages == [
        "outlets/solo/index.html",
        "outlets/solo/page/2/index.html",
        "outlets/solo/page/3/index.html",
    ]
    shown = [reports(paged.page(page)) for page in pages]
    assert [len(items) for items in shown] == [2, 2, 1]
    assert [title for items in shown for title in items] == EVENTS[::-1]
    later = paged.page(pages[2])
    assert "5 reports" in later and "Page 3 of 3" in later
    assert "page 3 ·" in re.search(r"<title>(.*)</title>", later)[1]


def test_without_a_page_size_an_outlet_page_lists_every_report(
    project: Project,
) -> None:
    project.add_outlet(
        "solo",
        [Item(t, f"https://solo.example/{n}", NOW) for n, t in enumerate(EVENTS)],
    )
    project.ingest()
    project.build(PAGINATED_TEMPLATES={"archives": 2})
    page = project.page("outlets/solo/index.html")
    assert len(reports(page)) == len(EVENTS)
    assert 'class="pagination"' not in page
    assert not (project.output / "outlets/solo/page").exists()


def test_a_development_build_drops_the_pages_a_listing_no_longer_has(
    project: Project,
) -> None:
    """Without emptying the output, the last page of a listing that shrank
    goes; a page changed since the last build stays."""
    add_five_stories(project)
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    project.build(PAGINATED_TEMPLATES=PAGED, **cached)
    third = ["archives", "outlets/solo", "country/us", "category/world"]
    assert all(
        (project.output / f"{page}/page/3/index.html").is_file() for page in third
    )
    by_hand = project.output / "category/world/page/3/index.html"
    by_hand.write_text("changed by hand", encoding="utf-8")
    for story in project.story_files()[:2]:
        story.unlink()
    project.build(PAGINATED_TEMPLATES=PAGED, **cached)
    for page in third[:3]:
        assert (project.output / f"{page}/page/2/index.html").is_file()
        assert not (project.output / f"{page}/page/3").exists()
    assert by_hand.read_text(encoding="utf-8") == "changed by hand"
