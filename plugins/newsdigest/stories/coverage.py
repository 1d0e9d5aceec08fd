"""What a story page shows about its coverage, computed from its reports.

Who covered it by lean and by country, the bias read with the arithmetic a
reader can check, the blindspot marker, and the rank on the home page. Plain
functions over plain records: nothing here knows about Pelican.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import pycountry

from newsdigest.records import LEAN_SCORES, LEANS, OWNERSHIP_TYPES, Outlet, Report
from newsdigest.stories.syndication import CopyGroup, copy_groups

SIDES: tuple[str, ...] = ("Left", "Center", "Right")
#: Share of rated outlets from one side (with none from the other) that makes
#: a blindspot, and the fewest rated outlets for the marker to mean anything.
BLINDSPOT_SHARE = 0.8
BLINDSPOT_MIN_OUTLETS = 3


@dataclass(frozen=True)
class BlindspotRule:
    """When coverage is one-sided: a side's share of rated outlets, and how many."""

    share: float = BLINDSPOT_SHARE
    min_outlets: int = BLINDSPOT_MIN_OUTLETS

    @property
    def explanation(self) -> str:
        """The rule in plain words, for the page."""
        return (
            f"A story is a blindspot for one side when at least "
            f"{round(self.share * 100)}% of the rated outlets covering it are from "
            f"the other side, none is from this side, and at least "
            f"{self.min_outlets} outlets are rated."
        )


def side_of(lean: str) -> str | None:
    """Left, Center or Right for a lean; None for Unrated."""
    score = LEAN_SCORES.get(lean)
    if score is None:
        return None
    if score < 0:
        return "Left"
    return "Right" if score > 0 else "Center"


#: ISO 3166's user-assigned code, for an outlet whose country is not known.
UNKNOWN_COUNTRY = "ZZ"


@dataclass(frozen=True)
class Country:
    """An ISO 3166 country as pages show it."""

    code: str
    name: str
    flag: str

    @classmethod
    def from_code(cls, code: str | None) -> Country:
        """Look a code up; unknown or missing codes still display."""
        return _country(code or "")


@cache
def _country(code: str) -> Country:
    """:meth:`Country.from_code`, looked up once per code.

    A build asks for each code thousands of times (every story's outlets);
    a :class:`Country` is immutable, so one instance serves them all.
    """
    if not code:
        return Country(UNKNOWN_COUNTRY, "Unknown country", "🏳️")
    found = pycountry.countries.get(alpha_2=code.upper())
    name = getattr(found, "common_name", None) or getattr(found, "name", code.upper())
    flag = (
        "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code.upper())
        if found
        else "🏳️"
    )
    return Country(code.upper(), name, flag)


@dataclass(frozen=True)
class ReportView:
    """A report joined with its outlet, ready for a template."""

    report: Report
    outlet: Outlet
    #: The report this one republishes (same wire text), if it is a copy.
    copy_of: ReportView | None = None

    @property
    def side(self) -> str | None:
        """The outlet's side, or None when unrated."""
        return side_of(self.outlet.lean)


@dataclass(slots=True)
class Group:
    """Reports sharing a lean, side or country, with their share of outlets."""

    label: str
    reports: list[ReportView] = field(default_factory=list)
    outlets: int = 0
    share: float = 0.0
    #: Share as a whole percentage, rounded half up on its own (see
    #: :func:`_whole_percent`).
    percent: int = 0


@dataclass(frozen=True)
class BiasRead:
    """The story's overall lean and how it was derived."""

    label: str
    score: float | None
    rated: int
    unrated: int
    explanation: str


@dataclass
class Coverage:
    """Everything a story page shows about who covered it."""

    reports: list[ReportView]
    outlets: int
    #: Distinct owner groups among original reports: independent sources.
    owner_groups: int
    #: Reports that are not copies of another report's text.
    original: int
    ownership: list[Group]
    leans: list[Group]
    sides: list[Group]
    countries: list[tuple[Country, Group]]
    bias: BiasRead
    blindspot: str | None
    blindspot_rule: BlindspotRule
    first: datetime
    last: datetime
    #: Latest report the feeds dated (undated reports carry first-seen times).
    last_dated: datetime | None


def headline_source(title: str, cov: Coverage) -> ReportView | None:
    """The report whose headline ``title`` is, word for word (the first such)."""
    return next((view for view in cov.reports if view.report.headline == title), None)


def outlet_for(outlet_id: str, outlets: dict[str, Outlet]) -> Outlet:
    """The registry outlet, or a stand-in for one no longer registered."""
    return outlets.get(outlet_id) or Outlet(id=outlet_id, name=outlet_id, feeds=())


def coverage(
    reports: list[Report],
    outlets: dict[str, Outlet],
    rule: BlindspotRule = BlindspotRule(),
    copies: Sequence[CopyGroup] | None = None,
) -> Coverage:
    """Compute a story's coverage from its reports and the registry.

    ``copies`` are the reports' :func:`copy_groups`, if known.
    """
    if copies is None:
        copies = copy_groups(reports)
    views = _views(reports, outlets, copies)
    by_outlet = {v.outlet.id: v.outlet for v in views}
    originals = [v for v in views if v.copy_of is None]
    total = len(by_outlet) or 1
    leans = _groups(views, LEANS, lambda v: v.outlet.lean, total)
    sides = _groups(views, (*SIDES, "Unrated"), lambda v: v.side or "Unrated", total)
    codes = sorted({v.outlet.country or "" for v in views})
    country_groups = _groups(views, codes, lambda v: v.outlet.country or "", total)
    countries = sorted(
        ((Country.from_code(g.label), g) for g in country_groups),
        key=lambda pair: (-pair[1].outlets, pair[0].name),
    )
    times = [v.report.published for v in views] or [datetime.min.replace(tzinfo=UTC)]
    return Coverage(
        reports=views,
        outlets=len(by_outlet),
        owner_groups=len({v.outlet.independence for v in originals}),
        original=len(originals),
        ownership=[
            g
            for g in _groups(
                views, OWNERSHIP_TYPES, lambda v: v.outlet.ownership, total
            )
            if g.outlets
        ],
        leans=[g for g in leans if g.outlets],
        sides=sides,
        countries=countries,
        bias=bias_read(list(by_outlet.values())),
        blindspot=blindspot(sides, rule),
        blindspot_rule=rule,
        first=min(times),
        last=max(times),
        last_dated=max(
            (v.report.published for v in views if not v.report.undated), default=None
        ),
    )


def _views(
    reports: list[Report], outlets: dict[str, Outlet], copies: Sequence[CopyGroup]
) -> list[ReportView]:
    """Reports joined with outlets and marked as copies, newest first."""
    copied_from = {copy: group.origin for group in copies for copy in group.copies}
    originals = {
        r.url: ReportView(r, outlet_for(r.outlet, outlets))
        for r in reports
        if r.url not in copied_from
    }
    views = list(originals.values()) + [
        ReportView(r, outlet_for(r.outlet, outlets), originals[copied_from[r.url]])
        for r in reports
        if r.url in copied_from
    ]
    return sorted(views, key=lambda v: (v.report.published, v.report.url), reverse=True)


def _groups(views: list[ReportView], labels, key, total: int) -> list[Group]:
    """One group per label, in ``labels`` order: the views ``key`` gives it."""
    reports: dict[str, list[ReportView]] = {}
    for view in views:
        reports.setdefault(key(view), []).append(view)
    groups = []
    for label in labels:
        members = reports.get(label, [])
        outlets = len({view.outlet.id for view in members}) if members else 0
        percent = _whole_percent(outlets, total)
        groups.append(Group(label, members, outlets, outlets / total, percent))
    return groups


def _whole_percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, half up (in integers: exact).

    Each group is rounded on its own, so equal counts show equal percentages,
    as the bar draws them, and a kind's percentages may add up to 99 or 101.
    Making them add up to 100 meant handing the points left over to some
    groups of a tie: 3 Left and 3 Right outlets of 8 showed as 39% and 36%.
    """
    return (200 * part + whole) // (2 * whole)


def lean_label(score: float) -> str:
    """The lean whose point on the -3..+3 scale is nearest ``score``."""
    # Round half away from zero, so mirrored coverage gets mirrored labels.
    nearest = max(-3, min(3, int(math.copysign(math.floor(abs(score) + 0.5), score))))
    return next(lean for lean, value in LEAN_SCORES.items() if value == nearest)


def signed(score: float, decimals: int = 1) -> str:
    """``score`` as the scale writes it: ``−0.4``, ``0.0``, ``+1.5``, ``+0.45``."""
    text = f"{abs(score):.{decimals}f}"
    if not text.strip("0."):
        return text
    return ("−" if score < 0 else "+") + text


def _average(score: float, total: int, count: int) -> str:
    """The average and the lean it gives, as a reader can check them.

    An average exactly halfway between two leans says so and which way the
    tie goes; one that only rounds to a half shows two decimals, so "+0.5"
    is never read as nearest to Center.
    """
    label = lean_label(score)
    if (2 * total) % count == 0 and (2 * total // count) % 2:
        inner = lean_label(score - math.copysign(0.5, score))
        return (
            f"{signed(score)}, halfway between {inner} and {label}; a tie goes to "
            f"the lean further from Center, {label}"
        )
    shown = signed(score)
    if shown.endswith(".5"):
        shown = signed(score, 2)
    return f"{shown}, nearest to {label}"


def bias_read(outlets: list[Outlet]) -> BiasRead:
    """Average the rated outlets' leans and explain the arithmetic."""
    rated = [o for o in outlets if LEAN_SCORES.get(o.lean) is not None]
    unrated = len(outlets) - len(rated)
    if not rated:
        return BiasRead(
            "Unrated",
            None,
            0,
            unrated,
            "None of the outlets covering this story has a lean rating yet, so no "
            "lean is given.",
        )
    total = sum(LEAN_SCORES[o.lean] or 0 for o in rated)
    score = total / len(rated)
    label = lean_label(score)
    counts = Counter(o.lean for o in rated)
    parts = ", ".join(f"{counts[lean]} {lean}" for lean in LEANS if counts[lean])
    explanation = (
        f"{len(rated)} rated outlet{'s' if len(rated) != 1 else ''} covered this story "
        f"({parts}). On a scale from −3 (Far Left) to +3 (Far Right) their average is "
        f"{_average(score, total, len(rated))}."
    )
    if unrated:
        verb = "s are" if unrated != 1 else " is"
        explanation += f" {unrated} unrated outlet{verb} not counted."
    explanation += (
        " This describes who covered the story, not whether the story is true."
    )
    return BiasRead(label, score, len(rated), unrated, explanation)


def blindspot(sides: list[Group], rule: BlindspotRule = BlindspotRule()) -> str | None:
    """Name the side a story is a blindspot for, if coverage is one-sided."""
    by_label = {g.label: g.outlets for g in sides}
    rated = sum(by_label[s] for s in SIDES)
    if rated < rule.min_outlets:
        return None
    for side, other in (("Left", "Right"), ("Right", "Left")):
        if by_label[other] == 0 and by_label[side] / rated >= rule.share:
            return other
    return None


def rank_score(cov: Coverage, newest: datetime, half_life_hours: float) -> float:
    """Home-page rank: breadth of coverage, decaying with age.

    Breadth counts independent owner groups, the sides (left, center, right)
    and the countries they come from. Age is measured from ``newest``, the
    latest dated report on the site, not from the clock, so the same content
    always ranks the same way. A story whose reports are all undated has no
    known age (the time it was first seen says only when its feed was read):
    it ranks as one half-life old.
    """
    sides_covered = sum(1 for g in cov.sides if g.label in SIDES and g.outlets)
    countries_covered = sum(
        1 for c, _group in cov.countries if c.code != UNKNOWN_COUNTRY
    )
    breadth = cov.owner_groups + sides_covered + countries_covered
    if cov.last_dated is None:
        return breadth * 0.5
    age_hours = (newest - min(cov.last_dated, newest)).total_seconds() / 3600
    return breadth * 0.5 ** (age_hours / half_life_hours)
