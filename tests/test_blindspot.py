"""Blindspot: the rule and threshold from settings, and the /blindspot/ page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sitekit import Item, Project

from newsdigest.records import Outlet, Report
from newsdigest.stories.coverage import BlindspotRule, coverage

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _blindspot(rule: BlindspotRule, *leans: str) -> str | None:
    outlets = {
        f"o{n}": Outlet(id=f"o{n}", name=f"O{n}", feeds=(), lean=lean)
        for n, lean in enumerate(leans)
    }
    reports = [Report(o, f"https://{o}.example/", "Headline", T0) for o in outlets]
    return coverage(reports, outlets, rule).blindspot


@pytest.mark.parametrize(
    ("rule", "leans", "expected"),
    [
        (BlindspotRule(0.75, 3), ("Left", "Left", "Left", "Center"), "Right"),
        (BlindspotRule(0.76, 3), ("Left", "Left", "Left", "Center"), None),
        (BlindspotRule(0.75, 4), ("Right", "Right", "Far Right", "Center"), "Left"),
        (BlindspotRule(0.75, 5), ("Right", "Right", "Far Right", "Center"), None),
        (BlindspotRule(), ("Left", "Left", "Left", "Lean Left", "Center"), "Right"),
        (BlindspotRule(), ("Left", "Left", "Left", "Center"), None),
        (BlindspotRule(), ("Left", "Left", "Left"), "Right"),
        (BlindspotRule(), ("Left", "Left", "Unrated"), None),
    ],
)
def test_blindspot_threshold_is_inclusive_and_one_short_is_not(
    rule: BlindspotRule, leans: tuple[str, ...], expected: str | None
) -> None:
    assert _blindspot(rule, *leans) == expected


def test_rule_explains_itself_with_its_numbers() -> None:
    assert BlindspotRule(0.75, 4).explanation == (
        "A story is a blindspot for one side when at least 75% of the rated "
        "outlets covering it are from the other side, none is from this side, "
        "and at least 4 outlets are rated."
    )


EVENTS = {
    "bridge": (
        "Halvorsen Bridge girders cracked, inspectors close the span",
        (
            "Inspectors found cracks in two girders of the Halvorsen Bridge in Port "
            "Calloway; commissioner Okafor closed the span to traffic."
        ),
        0,
    ),
    "choir": (
        "Brackenridge choir wins the northern regional trophy",
        (
            "The Brackenridge youth choir won the northern regional trophy at the "
            "Velmont concert hall, conductor Ilse Marrow said."
        ),
        30,
    ),
}


def _items(outlet: str, *events: str) -> list[Item]:
    return [
        Item(
            f"{EVENTS[e][0]} ({outlet})",
            f"https://{outlet}.example/{e}",
            T0 + timedelta(hours=EVENTS[e][2]),
            EVENTS[e][1].replace(";", f"; {outlet} reports"),
        )
        for e in events
    ]


@pytest.fixture
def one_sided(project: Project) -> Project:
    """Bridge: 3 Left + 1 Center (75%). Choir: 3 Right + 1 Center (75%)."""
    for n, lean in enumerate(("Left", "Lean Left", "Far Left")):
        project.add_outlet(f"left-{n}", _items(f"left-{n}", "bridge"), lean=lean)
    for n, lean in enumerate(("Right", "Lean Right", "Far Right")):
        project.add_outlet(f"right-{n}", _items(f"right-{n}", "choir"), lean=lean)
    project.add_outlet("center", _items("center", "bridge", "choir"), lean="Center")
    project.ingest(now=T0 + timedelta(days=2))
    return project


def _story(site: Project, word: str) -> str:
    (path,) = [p for p in site.story_files() if word in p.stem]
    return site.page(f"stories/{path.stem}/index.html")


def test_blindspot_page_lists_stories_at_the_threshold_newest_first(
    one_sided: Project,
) -> None:
    one_sided.build(NEWSDIGEST_BLINDSPOT_SHARE=0.75)
    page = one_sided.page("blindspot/index.html")
    assert "<h1>Blindspot</h1>" in page
    assert "at least 75% of the rated outlets" in page
    assert page.index("Brackenridge choir") < page.index("Halvorsen Bridge")
    choir = page.split("Brackenridge choir")[1].split("</article>")[0]
    assert "Blindspot for the left" in choir
    bridge = page.split("Halvorsen Bridge")[1].split("</article>")[0]
    assert "Blindspot for the right" in bridge
    story = _story(one_sided, "halvorsen")
    assert "Blindspot for the right:" in story
    assert "at least 75% of the rated outlets covering it" in story
    assert 'blindspot/">All stories one side missed</a>' in story


def test_blindspot_pages_hold_what_the_setting_allows(one_sided: Project) -> None:
    one_sided.build(
        NEWSDIGEST_BLINDSPOT_SHARE=0.75, PAGINATED_TEMPLATES={"blindspot": 1}
    )
    first = one_sided.page("blindspot/index.html")
    second = one_sided.page("blindspot/page/2/index.html")
    assert "Brackenridge choir" in first
    assert "Halvorsen Bridge" not in first
    assert "Halvorsen Bridge" in second
    assert '<a rel="next" href="../blindspot/page/2/">Older →</a>' in first
    assert '<a rel="prev" href="../../../blindspot/">← Newer</a>' in second
    assert "<title>Blindspot · page 2 · " in second


def test_one_outlet_short_of_the_threshold_is_no_blindspot(
    one_sided: Project,
) -> None:
    one_sided.build()  # default share 0.8: 75% is one outlet short
    page = one_sided.page("blindspot/index.html")
    assert "No story is a blindspot right now" in page
    assert "Halvorsen Bridge" not in page
    assert "Blindspot for" not in _story(one_sided, "halvorsen")


def test_min_outlets_setting_applies_to_the_site(one_sided: Project) -> None:
    one_sided.build(NEWSDIGEST_BLINDSPOT_SHARE=0.75, NEWSDIGEST_BLINDSPOT_MIN_OUTLETS=5)
    assert "No story is a blindspot right now" in one_sided.page("blindspot/index.html")


@pytest.mark.parametrize(
    ("settings", "because"),
    [
        ({}, "no story has at least 3 rated outlets with 80% or more"),
        (
            {"NEWSDIGEST_BLINDSPOT_SHARE": 0.75, "NEWSDIGEST_BLINDSPOT_MIN_OUTLETS": 5},
            "no story has at least 5 rated outlets with 75% or more",
        ),
    ],
)
def test_empty_page_says_what_the_rule_found_not_both_sides(
    one_sided: Project, settings: dict, because: str
) -> None:
    """Both stories have 4 rated outlets and none from one side, yet no blindspot:
    the page must not claim every story was covered by both sides."""
    one_sided.build(**settings)
    page = one_sided.page("blindspot/index.html")
    assert f"No story is a blindspot right now: {because} of them from one side " in (
        page
    )
    assert "none from the other." in page
    assert "both sides" not in page


def test_footer_links_the_blindspot_page(one_sided: Project) -> None:
    one_sided.build()
    assert 'blindspot/">Stories one side missed</a>' in one_sided.page("index.html")
