"""Who covered a story: leans, sides, countries, bias read, blindspot, rank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdigest.records import Outlet, Report
from newsdigest.stories.coverage import (
    Country,
    bias_read,
    blindspot,
    coverage,
    lean_label,
    rank_score,
    side_of,
    signed,
)

WHEN = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def _outlet(
    outlet_id: str,
    lean: str = "Unrated",
    country: str | None = None,
    owner_group: str | None = None,
) -> Outlet:
    return Outlet(
        id=outlet_id,
        name=outlet_id.title(),
        feeds=(f"https://{outlet_id}.example/feed",),
        lean=lean,
        country=country,
        owner_group=owner_group,
    )


def _report(outlet_id: str, number: int = 0, hours: float = 0, **changes) -> Report:
    fields = {
        "outlet": outlet_id,
        "url": f"https://{outlet_id}.example/{number}",
        "headline": f"Report {number} from {outlet_id}",
        "published": WHEN + timedelta(hours=hours),
    }
    fields.update(changes)
    return Report(**fields)


OUTLETS = {
    o.id: o
    for o in [
        _outlet("leftist", "Left", "US", owner_group="MegaMedia"),
        _outlet("leaning", "Lean Left", "GB", owner_group="MegaMedia"),
        _outlet("middle", "Center", "US"),
        _outlet("rightist", "Right", "FR"),
        _outlet("mystery", "Unrated", "DE"),
    ]
}
REPORTS = [
    _report("leftist", 1, hours=0),
    _report("leftist", 2, hours=1),  # same outlet twice
    _report("leaning", 1, hours=0.5),
    _report("middle", 1, hours=2),
    _report("rightist", 1, hours=3),
    _report("mystery", 1, hours=1.5),
]


def _by_label(groups):
    return {g.label: g for g in groups}


def _story(*leans: str) -> list[Outlet]:
    return [_outlet(f"o{n}", lean) for n, lean in enumerate(leans)]


def _sides(*leans: str):
    outlets = _story(*leans)
    reports = [_report(o.id) for o in outlets]
    return coverage(reports, {o.id: o for o in outlets}).sides


# --- counting --------------------------------------------------------------


def test_outlet_filing_two_reports_counts_once():
    cov = coverage(REPORTS, OUTLETS)
    assert cov.outlets == 5
    left = _by_label(cov.leans)["Left"]
    assert left.outlets == 1
    assert len(left.reports) == 2


def test_outlets_are_counted_per_lean():
    leans = _by_label(coverage(REPORTS, OUTLETS).leans)
    assert {label: g.outlets for label, g in leans.items()} == {
        "Left": 1,
        "Lean Left": 1,
        "Center": 1,
        "Right": 1,
        "Unrated": 1,
    }
    # Empty leans are not listed, and leans keep display order.
    assert list(leans) == ["Left", "Lean Left", "Center", "Right", "Unrated"]


def test_outlets_are_counted_per_side():
    sides = _by_label(coverage(REPORTS, OUTLETS).sides)
    assert {label: g.outlets for label, g in sides.items()} == {
        "Left": 2,
        "Center": 1,
        "Right": 1,
        "Unrated": 1,
    }
    assert sides["Left"].share == pytest.approx(2 / 5)
    assert sides["Left"].percent == 40


def test_outlets_are_counted_per_country_most_first():
    countries = coverage(REPORTS, OUTLETS).countries
    assert [(c.code, g.outlets) for c, g in countries] == [
        ("US", 2),
        ("FR", 1),
        ("DE", 1),
        ("GB", 1),
    ]
    assert [c.name for c, _ in countries] == [
        "United States",
        "France",
        "Germany",
        "United Kingdom",
    ]


@pytest.mark.parametrize("attribute", ["leans", "sides"])
def test_shares_sum_to_one(attribute):
    groups = getattr(coverage(REPORTS, OUTLETS), attribute)
    assert sum(g.share for g in groups) == pytest.approx(1.0)


def test_country_shares_sum_to_one():
    countries = coverage(REPORTS, OUTLETS).countries
    assert sum(g.share for _, g in countries) == pytest.approx(1.0)


def test_owner_groups_merge_outlets_of_one_owner():
    cov = coverage(REPORTS, OUTLETS)
    # leftist and leaning share MegaMedia; the other three stand alone.
    assert cov.owner_groups == 4


def test_owner_groups_are_one_whatever_their_case_accents_and_spaces():
    outlets = {
        o.id: o
        for o in [
            _outlet("a", owner_group="Tidewater Média Group"),
            _outlet("b", owner_group="tidewater  media group "),
            _outlet("c", owner_group="   "),  # blank: its own owner
            _outlet("d", owner_group="c"),  # named like an outlet: still another
        ]
    }
    cov = coverage([_report(o, n) for n, o in enumerate(outlets)], outlets)
    assert cov.owner_groups == 3


def test_unregistered_outlet_counts_as_unrated_unknown_country():
    cov = coverage([_report("vanished")], {})
    assert cov.outlets == 1
    assert _by_label(cov.sides)["Unrated"].outlets == 1
    [(country, group)] = cov.countries
    assert country.code == "ZZ"
    assert group.outlets == 1


def test_reports_are_newest_first_and_first_last_span_them():
    cov = coverage(REPORTS, OUTLETS)
    times = [view.report.published for view in cov.reports]
    assert times == sorted(times, reverse=True)
    assert cov.first == WHEN
    assert cov.last == WHEN + timedelta(hours=3)


def test_no_reports_gives_empty_coverage():
    cov = coverage([], OUTLETS)
    assert cov.outlets == 0
    assert cov.leans == []
    assert cov.countries == []
    assert cov.blindspot is None
    assert cov.bias.label == "Unrated"


# --- bias read -------------------------------------------------------------


def test_bias_read_averages_rated_outlets_and_explains_the_counts():
    read = coverage(REPORTS, OUTLETS).bias
    # Left -2, Lean Left -1, Center 0, Right +2 -> -0.25
    assert read.score == pytest.approx(-0.25)
    assert read.label == "Center"
    assert read.rated == 4
    assert read.unrated == 1
    assert "4 rated outlets" in read.explanation
    assert "1 Left, 1 Lean Left, 1 Center, 1 Right" in read.explanation
    assert "average is −0.2," in read.explanation
    assert "1 unrated outlet is not counted" in read.explanation


@pytest.mark.parametrize(
    ("score", "text"),
    [(-0.25, "−0.2"), (-0.04, "0.0"), (0.0, "0.0"), (0.5, "+0.5"), (1.55, "+1.6")],
)
def test_the_average_is_signed_as_the_scale_is(score: float, text: str) -> None:
    assert signed(score) == text


def test_an_average_halfway_between_two_leans_says_which_way_the_tie_goes():
    read = bias_read(_story("Center", "Lean Right"))
    assert read.label == "Lean Right"
    assert (
        "average is +0.5, halfway between Center and Lean Right; a tie goes to "
        "the lean further from Center, Lean Right."
    ) in read.explanation


def test_an_average_that_only_rounds_to_a_half_shows_two_decimals():
    read = bias_read(_story(*["Lean Right"] * 9, *["Center"] * 11))  # 9/20
    assert read.label == "Center"
    assert "average is +0.45, nearest to Center." in read.explanation


def test_unrated_outlets_do_not_move_the_score():
    rated_only = bias_read(_story("Right", "Lean Right"))
    with_unrated = bias_read([*_story("Right", "Lean Right"), _outlet("x")])
    assert with_unrated.score == rated_only.score == pytest.approx(1.5)
    assert with_unrated.label == rated_only.label
    assert with_unrated.rated == 2
    assert with_unrated.unrated == 1


def test_only_unrated_outlets_give_no_lean():
    read = bias_read([_outlet("a"), _outlet("b")])
    assert read.label == "Unrated"
    assert read.score is None
    assert read.rated == 0
    assert read.unrated == 2


def test_two_reports_from_one_outlet_weigh_once_in_the_bias_read():
    outlets = {o.id: o for o in _story("Far Left", "Far Right")}
    reports = [_report("o0", n) for n in range(5)] + [_report("o1")]
    read = coverage(reports, outlets).bias
    assert read.score == pytest.approx(0.0)
    assert read.label == "Center"


def test_single_rated_outlet_is_singular_in_the_explanation():
    read = bias_read(_story("Far Right"))
    assert read.label == "Far Right"
    assert read.explanation.startswith("1 rated outlet covered")


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (-3.0, "Far Left"),
        (-9.0, "Far Left"),
        (-2.2, "Left"),
        (-1.0, "Lean Left"),
        (0.0, "Center"),
        (0.4, "Center"),
        (1.2, "Lean Right"),
        (2.4, "Right"),
        (9.0, "Far Right"),
    ],
)
def test_lean_label_is_the_nearest_point(score, label):
    assert lean_label(score) == label


@pytest.mark.parametrize(
    ("left", "right"), [("Lean Left", "Lean Right"), ("Left", "Right")]
)
def test_mirrored_coverage_gets_a_mirrored_label(left, right):
    mirror = {
        "Far Left": "Far Right",
        "Left": "Right",
        "Lean Left": "Lean Right",
        "Center": "Center",
    }
    leftish = bias_read(_story(left, "Center"))
    rightish = bias_read(_story(right, "Center"))
    far_left = bias_read(_story("Far Left", left))
    far_right = bias_read(_story("Far Right", right))
    assert rightish.label == mirror[leftish.label]
    assert far_right.label == mirror[far_left.label]


@pytest.mark.parametrize(
    ("lean", "side"),
    [
        ("Far Left", "Left"),
        ("Left", "Left"),
        ("Lean Left", "Left"),
        ("Center", "Center"),
        ("Lean Right", "Right"),
        ("Right", "Right"),
        ("Far Right", "Right"),
        ("Unrated", None),
        ("Nonsense", None),
    ],
)
def test_side_of_lean(lean, side):
    assert side_of(lean) == side


# --- blindspot -------------------------------------------------------------


@pytest.mark.parametrize(
    ("leans", "expected"),
    [
        (("Left", "Lean Left", "Far Left"), "Right"),
        (("Right", "Lean Right", "Far Right"), "Left"),
        (("Left", "Left", "Left", "Lean Left", "Center"), "Right"),  # 80 %
        (("Right", "Right", "Right", "Right", "Center"), "Left"),  # 80 %
        (("Left", "Left", "Left", "Center"), None),  # 75 %
        (("Left", "Left"), None),  # too few
        (("Left", "Left", "Unrated", "Unrated", "Unrated"), None),  # 2 rated
        (("Left", "Left", "Left", "Left", "Right"), None),  # other side covered
        (("Center", "Center", "Center"), None),
        (("Left", "Center", "Right"), None),
        (("Left", "Left", "Left", "Unrated", "Unrated", "Unrated"), "Right"),
    ],
)
def test_blindspot_needs_three_rated_outlets_all_on_one_side(leans, expected):
    assert blindspot(_sides(*leans)) == expected


def test_blindspot_counts_outlets_not_reports():
    outlets = {o.id: o for o in _story("Left", "Left", "Right")}
    reports = [_report("o0"), _report("o1"), *(_report("o2", n) for n in range(9))]
    assert coverage(reports, outlets).blindspot is None
    outlets = {o.id: o for o in _story("Left", "Center")}
    reports = [_report("o0", n) for n in range(9)] + [_report("o1")]
    assert coverage(reports, outlets).blindspot is None


def test_coverage_reports_the_blindspot():
    outlets = {o.id: o for o in _story("Left", "Lean Left", "Far Left", "Left")}
    cov = coverage([_report(o) for o in outlets], outlets)
    assert cov.blindspot == "Right"


# --- rank ------------------------------------------------------------------


def _cov(*outlets: Outlet, hours: float = 0):
    return coverage(
        [_report(o.id, hours=hours) for o in outlets], {o.id: o for o in outlets}
    )


NEWEST = WHEN


def test_more_owner_groups_rank_higher():
    one_owner = _cov(
        _outlet("a", "Center", owner_group="G"), _outlet("b", "Center", owner_group="G")
    )
    two_owners = _cov(_outlet("a", "Center"), _outlet("b", "Center"))
    assert rank_score(two_owners, NEWEST, 24) > rank_score(one_owner, NEWEST, 24)


def test_more_sides_rank_higher():
    one_side = _cov(_outlet("a", "Left"), _outlet("b", "Left"), _outlet("c", "Left"))
    three_sides = _cov(
        _outlet("a", "Left"), _outlet("b", "Center"), _outlet("c", "Right")
    )
    assert rank_score(three_sides, NEWEST, 24) > rank_score(one_side, NEWEST, 24)


def test_unrated_outlets_add_breadth_but_no_side():
    rated = _cov(_outlet("a", "Left"), _outlet("b", "Right"))
    plus_unrated = _cov(_outlet("a", "Left"), _outlet("b", "Right"), _outlet("c"))
    plus_center = _cov(
        _outlet("a", "Left"), _outlet("b", "Right"), _outlet("c", "Center")
    )
    assert rank_score(rated, NEWEST, 24) < rank_score(plus_unrated, NEWEST, 24)
    assert rank_score(plus_unrated, NEWEST, 24) < rank_score(plus_center, NEWEST, 24)


def test_rank_halves_every_half_life_relative_to_newest():
    outlets = (_outlet("a", "Left"), _outlet("b", "Right"))
    fresh = rank_score(_cov(*outlets), NEWEST, 12)
    day_old = rank_score(_cov(*outlets, hours=-24), NEWEST, 12)
    half_day_old = rank_score(_cov(*outlets, hours=-12), NEWEST, 12)
    assert fresh == pytest.approx(4.0)
    assert half_day_old == pytest.approx(fresh / 2)
    assert day_old == pytest.approx(fresh / 4)


def test_rank_depends_on_newest_not_the_clock(monkeypatch):
    class YearsLater(datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2031, 1, 1, tzinfo=tz)

    cov = _cov(_outlet("a", "Left"), _outlet("b", "Right"))
    fresh = rank_score(cov, WHEN, 24)
    monkeypatch.setattr("newsdigest.stories.coverage.datetime", YearsLater)
    assert rank_score(cov, WHEN, 24) == fresh == pytest.approx(4.0)
    later = WHEN + timedelta(hours=24)
    assert rank_score(cov, later, 24) == pytest.approx(fresh / 2)


def test_story_newer_than_newest_is_not_boosted():
    cov = _cov(_outlet("a", "Left"), _outlet("b", "Right"), hours=5)
    assert rank_score(cov, WHEN, 24) == pytest.approx(4.0)


def test_broad_old_story_can_lose_to_narrow_fresh_one():
    broad_old = _cov(
        _outlet("a", "Left"), _outlet("b", "Center"), _outlet("c", "Right"), hours=-96
    )
    narrow_fresh = _cov(_outlet("d", "Center"))
    assert rank_score(narrow_fresh, NEWEST, 12) > rank_score(broad_old, NEWEST, 12)


def test_more_countries_rank_higher():
    one_country = _cov(_outlet("a", "Center", "US"), _outlet("b", "Center", "US"))
    two_countries = _cov(_outlet("a", "Center", "US"), _outlet("b", "Center", "MX"))
    assert rank_score(one_country, NEWEST, 24) == pytest.approx(4.0)
    assert rank_score(two_countries, NEWEST, 24) == pytest.approx(5.0)


def test_an_undated_story_ranks_as_one_half_life_old():
    outlets = (_outlet("a", "Left"), _outlet("b", "Right"))
    undated = coverage(
        [_report(o.id, hours=30, undated=True) for o in outlets],
        {o.id: o for o in outlets},
    )
    # First seen after the newest dated report, yet not ranked as new.
    assert rank_score(undated, NEWEST, 12) == pytest.approx(2.0)
    assert rank_score(undated, NEWEST, 12) == pytest.approx(
        rank_score(_cov(*outlets, hours=-12), NEWEST, 12)
    )


def test_each_percentage_is_rounded_half_up_on_its_own():
    thirds = _cov(_outlet("a", "Left"), _outlet("b", "Center"), _outlet("c", "Right"))
    assert [g.percent for g in thirds.sides if g.outlets] == [33, 33, 33]
    sevenths = _cov(
        *_story("Left", "Left", "Left", "Center", "Center", "Right", "Right")
    )
    assert [g.percent for g in sevenths.sides if g.outlets] == [43, 29, 29]
    eighths = _cov(*_story("Left", "Center", "Right", "Right", *["Unrated"] * 4))
    assert [g.percent for g in eighths.sides] == [13, 13, 25, 50]


# --- countries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "flag"),
    [
        ("US", "United States", "🇺🇸"),
        ("us", "United States", "🇺🇸"),
        ("GB", "United Kingdom", "🇬🇧"),
        ("FR", "France", "🇫🇷"),
        ("TW", "Taiwan", "🇹🇼"),
    ],
)
def test_country_from_code_gives_name_and_flag(code, name, flag):
    country = Country.from_code(code)
    assert country == Country(code.upper(), name, flag)


@pytest.mark.parametrize("code", ["QQ", "XX", "usa", "1!"])
def test_unknown_country_code_still_displays(code):
    country = Country.from_code(code)
    assert country.code == code.upper()
    assert country.name == code.upper()
    assert country.flag == "🏳️"


@pytest.mark.parametrize("code", [None, ""])
def test_missing_country_is_unknown(code):
    assert Country.from_code(code) == Country("ZZ", "Unknown country", "🏳️")


def test_equal_counts_show_equal_shares_whatever_their_side():
    """Largest-remainder rounding handed the points left over to the earlier
    groups of a tie: 3 Left and 3 Right outlets of 8 showed as 39% and 36%,
    and each one-outlet lean on the left as 13%, on the right as 12%."""
    leans = ["Far Left", "Left", "Lean Left", "Center", "Center"]
    leans += ["Lean Right", "Right", "Far Right"]
    outlets = _story(*leans)
    cov = coverage([_report(o.id) for o in outlets], {o.id: o for o in outlets})
    by_side = {g.label: g.percent for g in cov.sides}
    assert by_side == {"Left": 38, "Center": 25, "Right": 38, "Unrated": 0}
    by_lean = {g.label: g.percent for g in cov.leans}
    assert by_lean == {lean: 25 if lean == "Center" else 13 for lean in leans}
