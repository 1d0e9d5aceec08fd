"""Claims check: figures, statements and actions matched across reports."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from newsdigest.records import Outlet, Report
from newsdigest.stories.claims import Claim, claims_check
from newsdigest.stories.coverage import coverage

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
OUTLETS = {
    o: Outlet(id=o, name=o.replace("-", " ").title(), feeds=())
    for o in ("harbor-ledger", "center-wire", "right-post", "reprint")
}
WIRE_TEXT = (
    "Inspectors from Brackwater Engineering found cracks in two girders of the "
    "Halvorsen Bridge, which carries 41,000 vehicles a day across the Calloway."
)


def _report(outlet: str, headline: str, summary: str, hours: int = 0) -> Report:
    return Report(
        outlet=outlet,
        url=f"https://{outlet}.example/{hours}",
        headline=headline,
        published=WHEN + timedelta(hours=hours),
        summary=summary,
    )


def _claims(
    *reports: Report, edits: object = None, source: str = "story.md"
) -> dict[str, Claim]:
    views = coverage(list(reports), OUTLETS).reports
    return {c.text: c for c in claims_check(views, OUTLETS, edits, source)}


def _ids(outlets: tuple[Outlet, ...]) -> list[str]:
    return sorted(o.id for o in outlets)


def test_contradicting_figures_for_the_same_thing_dispute_each_other() -> None:
    claims = _claims(
        _report("harbor-ledger", "Tunnel count finds 12 million riders", ""),
        _report("center-wire", "Tunnel carried 15 million riders last year", "", 1),
    )
    twelve = claims["12 million riders"]
    assert (twelve.asserting, twelve.disputing) == (1, 1)
    assert _ids(twelve.asserted_by) == ["harbor-ledger"]
    assert _ids(twelve.disputed_by) == ["center-wire"]
    fifteen = claims["15 million riders"]
    assert _ids(fifteen.asserted_by) == ["center-wire"]
    assert _ids(fifteen.disputed_by) == ["harbor-ledger"]


def test_the_same_figure_in_other_spellings_is_one_claim() -> None:
    claims = _claims(
        _report("harbor-ledger", "Repairs to cost $310 million", ""),
        _report("center-wire", "Repairs to cost $310,000,000", "", 1),
    )
    (claim,) = claims.values()
    assert claim.text == "cost $310 million"
    assert (claim.asserting, claim.disputing) == (2, 0)


def test_a_denial_in_the_sentence_disputes_the_claim() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Halvorsen Bridge carries 41,000 vehicles a day",
            "The span needs $310 million in repairs.",
        ),
        _report(
            "right-post",
            "Port authority denies bridge carries 41,000 vehicles",
            "The authority said the figure is not true.",
            1,
        ),
    )
    claim = claims["41,000 vehicles"]
    assert _ids(claim.asserted_by) == ["harbor-ledger"]
    assert _ids(claim.disputed_by) == ["right-post"]
    assert (claim.asserting, claim.disputing) == (1, 1)


def test_syndicated_copies_count_as_one_source() -> None:
    claims = _claims(
        _report("center-wire", "Halvorsen Bridge shut after cracks found", WIRE_TEXT),
        _report("reprint", "Halvorsen Bridge shut after cracks found", WIRE_TEXT, 1),
        _report(
            "harbor-ledger",
            "Commuters face detours",
            "The bridge carries 41,000 vehicles on a normal weekday.",
            2,
        ),
    )
    claim = claims["41,000 vehicles"]
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger", "reprint"]
    assert claim.asserting == 2


def test_a_claim_only_one_source_makes_is_left_out() -> None:
    claims = _claims(
        _report("center-wire", "Halvorsen Bridge shut after cracks found", WIRE_TEXT),
        _report("reprint", "Halvorsen Bridge shut after cracks found", WIRE_TEXT, 1),
    )
    assert claims == {}


def test_statements_match_on_the_name_and_actions_on_name_and_verb() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Bridge shut",
            "Repairs start in spring, commissioner Okafor said. "
            "Brackwater Engineering wins the repair contract.",
        ),
        _report(
            "center-wire",
            "Bridge closed",
            "Commissioner Okafor said the span is unsafe. "
            "Brackwater Engineering wins praise from inspectors.",
            1,
        ),
    )
    statement = claims["Repairs start in spring, commissioner Okafor said."]
    action = claims["Brackwater Engineering wins the repair contract."]
    for claim in (statement, action):
        assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]
        assert (claim.asserting, claim.disputing) == (2, 0)


def test_editor_claims_win_and_come_first() -> None:
    reports = (
        _report("harbor-ledger", "Tunnel count finds 12 million riders", ""),
        _report("center-wire", "Tunnel carried 15 million riders last year", "", 1),
    )
    claims = _claims(
        *reports,
        edits=[
            {"text": "12 Million riders.", "disputed_by": []},
            {"text": "Ridership fell", "asserted_by": ["right-post", "reprint"]},
        ],
    )
    assert list(claims)[:2] == ["12 Million riders.", "Ridership fell"]
    corrected = claims["12 Million riders."]
    assert corrected.edited
    assert _ids(corrected.asserted_by) == ["harbor-ledger"]  # kept from extraction
    assert (corrected.asserting, corrected.disputing) == (1, 0)
    added = claims["Ridership fell"]
    assert (added.asserting, added.disputing) == (2, 0)
    assert "12 million riders" not in claims
    assert "15 million riders" in claims


@pytest.mark.parametrize(
    "entry", ["just text", {"asserted_by": ["x"]}, {"text": "x", "disputed_by": "y"}]
)
def test_broken_editor_claims_are_logged_and_skipped(
    entry: object, caplog: pytest.LogCaptureFixture
) -> None:
    source = f"broken-{entry!r}.md"  # Pelican's log filter drops repeated lines
    with caplog.at_level(logging.WARNING):
        claims = _claims(edits=[{"text": "Fine"}, entry], source=source)
    assert list(claims) == ["Fine"]
    assert f"{source}: claims[1]: skipped" in caplog.text


@pytest.mark.parametrize(
    ("other", "disputed"),
    [
        ("Tunnel carried 15 million riders last year", True),
        ("Tunnel stays open for riders over 18", False),  # factor of ten apart
        ("Tunnel links 11 million other riders to the network", False),  # a part
        ("Tunnel carried 12 to 15 million riders", False),  # a range
    ],
)
def test_only_a_comparable_single_figure_contradicts(
    other: str, disputed: bool
) -> None:
    claims = _claims(
        _report("harbor-ledger", "Tunnel count finds 12 million riders", ""),
        _report("center-wire", other, "", 1),
    )
    assert ("12 million riders" in claims) is disputed
