"""Syndicated copies of one wire text count as one origin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdigest.records import Report
from newsdigest.stories.syndication import CopyGroup, copy_groups

T0 = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
WIRE = (
    "Rescuers pulled 14 miners alive from the flooded Kelderby colliery on "
    "Tuesday after 40 hours underground, the regional mines inspectorate said."
)


def _report(outlet: str, headline: str, summary: str, hours: float) -> Report:
    return Report(
        outlet=outlet,
        url=f"https://{outlet}.example/miners",
        headline=headline,
        published=T0 + timedelta(hours=hours),
        summary=summary,
    )


def test_wire_copies_under_new_headlines_are_one_group_led_by_the_first():
    reports = [
        _report("late-copy", "Kelderby miners saved", WIRE, 3),
        _report("wire", "14 miners rescued alive at Kelderby", WIRE, 0),
        _report(
            "own-words",
            "Relief in Kelderby as trapped miners come home",
            "Families cheered as the last of the 14 men was lifted out after "
            "almost two days in the dark, 40 hours after the shaft flooded.",
            1,
        ),
        _report("copy", "14 miners rescued alive at Kelderby", WIRE + " More soon.", 2),
    ]
    assert copy_groups(reports) == [
        CopyGroup(
            origin="https://wire.example/miners",
            copies=("https://copy.example/miners", "https://late-copy.example/miners"),
        )
    ]


def test_independent_reports_of_one_event_are_not_copies():
    reports = [
        _report("a", "14 miners rescued alive at Kelderby", WIRE, 0),
        _report(
            "b",
            "Kelderby colliery: how the rescue unfolded",
            "Pumps ran for 40 hours before divers reached the 14 trapped men, "
            "inspectors at the flooded pit said.",
            1,
        ),
    ]
    assert copy_groups(reports) == []


def test_headline_only_copies_are_detected_and_short_headlines_are_not_confused():
    reports = [
        _report("a", "Kelderby colliery floods, 14 miners trapped underground", "", 0),
        _report("b", "Kelderby colliery floods, 14 miners trapped underground", "", 1),
        _report("c", "Kelderby miners trapped", "", 2),
    ]
    (group,) = copy_groups(reports)
    assert group.origin == "https://a.example/miners"
    assert group.copies == ("https://b.example/miners",)
    assert copy_groups([]) == []
