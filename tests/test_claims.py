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
    for o in ("harbor-ledger", "center-wire", "right-post", "reprint", "left-daily")
}
WIRE_TEXT = (
    "Inspectors from Brackwater Engineering found cracks in two girders of the "
    "Halvorsen Bridge, which carries 41,000 vehicles a day across the Calloway."
)


def _report(
    outlet: str, headline: str, summary: str, hours: int = 0, lang: str | None = None
) -> Report:
    return Report(
        outlet=outlet,
        url=f"https://{outlet}.example/{hours}",
        headline=headline,
        published=WHEN + timedelta(hours=hours),
        summary=summary,
        lang=lang,
    )


def _claims(
    *reports: Report, edits: object = None, source: str = "story.md"
) -> dict[str, Claim]:
    views = coverage(list(reports), OUTLETS).reports
    return {c.text: c for c in claims_check(views, OUTLETS, edits, source)}


def _find(claims: dict[str, Claim], figure: str) -> Claim:
    """The one claim whose text shows ``figure``."""
    (claim,) = [c for text, c in claims.items() if figure in text]
    return claim


def _ids(outlets: tuple[Outlet, ...]) -> list[str]:
    return sorted(o.id for o in outlets)


def test_contradicting_figures_for_the_same_thing_dispute_each_other() -> None:
    claims = _claims(
        _report("harbor-ledger", "Tunnel count finds 12 million riders", ""),
        _report("center-wire", "Tunnel carried 15 million riders last year", "", 1),
    )
    twelve = claims["Tunnel count finds 12 million riders"]
    assert (twelve.asserting, twelve.disputing) == (1, 1)
    assert _ids(twelve.asserted_by) == ["harbor-ledger"]
    assert _ids(twelve.disputed_by) == ["center-wire"]
    fifteen = claims["Tunnel carried 15 million riders last year"]
    assert _ids(fifteen.asserted_by) == ["center-wire"]
    assert _ids(fifteen.disputed_by) == ["harbor-ledger"]


def test_the_same_figure_in_other_spellings_is_one_claim() -> None:
    claims = _claims(
        _report("harbor-ledger", "Repairs to cost $310 million", ""),
        _report("center-wire", "Repairs to cost $310,000,000", "", 1),
    )
    (claim,) = claims.values()
    assert claim.text == "Repairs to cost $310 million"
    assert (claim.asserting, claim.disputing) == (2, 0)


def test_a_claim_shows_a_summary_sentence_rather_than_a_headline() -> None:
    claims = _claims(
        _report("harbor-ledger", "Smelter town braces for 18% tariff", ""),
        _report(
            "center-wire",
            "Trade row deepens",
            "The 18% tariff on aluminium starts in January. Smelters fear job cuts.",
            1,
        ),
    )
    (claim,) = claims.values()
    assert claim.text == "The 18% tariff on aluminium starts in January."
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]


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
    claim = claims["Halvorsen Bridge carries 41,000 vehicles a day"]
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
    claim = claims["The bridge carries 41,000 vehicles on a normal weekday."]
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger", "reprint"]
    assert claim.asserting == 2


def test_a_claim_only_one_source_makes_is_left_out() -> None:
    claims = _claims(
        _report("center-wire", "Halvorsen Bridge shut after cracks found", WIRE_TEXT),
        _report("reprint", "Halvorsen Bridge shut after cracks found", WIRE_TEXT, 1),
    )
    assert claims == {}


def test_one_person_saying_or_doing_different_things_is_no_shared_claim() -> None:
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
    assert claims == {}


def test_the_same_statement_and_action_match_across_reports() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Bridge shut",
            "Repairs could cost $310 million, commissioner Okafor said. "
            "Brackwater Engineering wins the repair contract.",
        ),
        _report(
            "center-wire",
            "Bridge closed",
            "Commissioner Okafor said repairs will cost $310 million. "
            "Brackwater Engineering wins a contract for the repair work.",
            1,
        ),
    )
    statement = claims["Commissioner Okafor said repairs will cost $310 million."]
    action = claims["Brackwater Engineering wins the repair contract."]
    for claim in (statement, action):
        assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]
        assert (claim.asserting, claim.disputing) == (2, 0)


def test_a_name_followed_by_a_noun_is_no_claim() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Brightcart breach: attackers got in through payment vendor Lumenpay",
            "The retailer said Brightcart customers should change passwords.",
        ),
        _report(
            "center-wire",
            "Brightcart breach exposes shoppers",
            "Brightcart shareholders brace for lawsuits.",
            1,
        ),
    )
    assert claims == {}


def test_shown_texts_are_whole_clauses_not_fragments() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Canada passes algorithm law",
            "Bill C-77 passed in Ottawa. Fines reach 4% of global revenue; "
            "the Vayu-1 rocket flew too.",
        ),
        _report(
            "center-wire",
            "Algorithm law passes",
            "Bill C-77 passed 181 to 142. Firms face fines of up to 4% of global "
            "revenue, Dr. Ada Quill said.",
            1,
        ),
    )
    assert list(claims) == ["Fines reach 4% of global revenue"]
    assert _ids(claims["Fines reach 4% of global revenue"].asserted_by) == [
        "center-wire",
        "harbor-ledger",
    ]


@pytest.mark.parametrize(
    "denial",
    [
        "Brackwater Engineering denied it missed cracks in the girders.",
        "Brackwater Engineering rejected claims it missed the cracks.",
    ],
)
def test_a_denial_by_the_actor_disputes_the_action(denial: str) -> None:
    claims = _claims(
        _report(
            "harbor-ledger", "Bridge shut", "Brackwater Engineering missed cracks."
        ),
        _report(
            "center-wire",
            "Bridge closed",
            "Brackwater Engineering missed the cracks.",
            1,
        ),
        _report("right-post", "Engineers hit back", denial, 2),
    )
    claim = claims["Brackwater Engineering missed cracks."]
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]
    assert _ids(claim.disputed_by) == ["right-post"]
    assert (claim.asserting, claim.disputing) == (2, 1)


@pytest.mark.parametrize(
    ("claim", "denial", "lang"),
    [
        (
            "Le pont voit passer 41 000 véhicules par jour",
            "Le ministère dément que 41 000 véhicules passent chaque jour",
            "fr",
        ),
        (
            "Die Brücke trägt 41.000 Fahrzeuge pro Tag",
            "Ministerium bestreitet 41.000 Fahrzeuge pro Tag",
            "de",
        ),
        (
            "El puente soporta 41.000 vehículos al día",
            "El ministerio niega que pasen 41.000 vehículos al día",
            "es",
        ),
    ],
)
def test_a_denial_in_another_language_disputes_the_figure(
    claim: str, denial: str, lang: str
) -> None:
    reports = [
        Report(
            outlet=outlet,
            url=f"https://{outlet}.example/",
            headline=headline,
            published=WHEN,
            lang=lang,
        )
        for outlet, headline in [("harbor-ledger", claim), ("right-post", denial)]
    ]
    claims = _claims(*reports)
    assert _ids(claims[claim].disputed_by) == ["right-post"]


def test_a_different_death_toll_disputes_the_figure() -> None:
    claims = _claims(
        _report(
            "harbor-ledger", "Ferry fire leaves 12 dead", "Crews searched all night."
        ),
        _report("center-wire", "Ferry blaze: 15 dead, officials say", "", 1),
        _report("right-post", "Twelve feared lost", "The fire killed 12 people.", 2),
    )
    twelve = claims["Ferry fire leaves 12 dead"]
    assert _ids(twelve.asserted_by) == ["harbor-ledger"]
    assert _ids(twelve.disputed_by) == ["center-wire"]


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
    assert list(claims)[2:] == ["Tunnel carried 15 million riders last year"]


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
    assert ("Tunnel count finds 12 million riders" in claims) is disputed


def test_a_figure_claim_marks_its_figure_in_a_clause_with_others() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Fire grows",
            "3,200 people fled as it burned 18,000 hectares.",
        ),
        _report(
            "center-wire", "Fire burns on", "The blaze has burned 18,000 hectares.", 1
        ),
        _report(
            "right-post",
            "Ottawa answers",
            "Canada threatens C$3.5 billion in retaliation.",
            2,
        ),
        _report(
            "reprint",
            "Ottawa hits back",
            "Canada threatens C$3.5 billion in tariffs.",
            3,
        ),
    )
    marked = {str(c.marked_text) for c in claims.values()}
    assert "The blaze has burned <strong>18,000</strong> hectares." in marked
    assert "Canada threatens <strong>C$3.5 billion</strong> in tariffs." in marked
    assert str(Claim("A &lt; B", (), (), 2, 0).marked_text) == "A &amp;lt; B"


@pytest.mark.parametrize(
    ("lang", "one", "other"),
    [
        (
            "fr",
            "Le commissaire Okafor a déclaré que la facture atteindrait 310 millions.",
            "Selon Okafor, les travaux coûteront 310 millions de dollars.",
        ),
        (
            "de",
            "Laut Okafor erreicht die Rechnung 310 Millionen.",
            "Okafor teilte am Montag mit, die Arbeiten kosten 310 Millionen Dollar.",
        ),
        (
            "es",
            "Según Okafor, la factura llegará a 310 millones.",
            "El comisario Okafor dijo que las obras costarán 310 millones de dólares.",
        ),
    ],
)
def test_a_statement_in_another_language_matches(
    lang: str, one: str, other: str
) -> None:
    claims = _claims(
        _report("harbor-ledger", "Okafor", one, lang=lang),
        _report("center-wire", "Okafor", other, 1, lang),
    )
    (statement,) = claims.values()  # the figures count different things
    assert not statement.figure
    assert _ids(statement.asserted_by) == ["center-wire", "harbor-ledger"]


def test_naming_the_speaker_without_a_word_of_saying_asserts_no_statement() -> None:
    claims = _claims(
        *(
            _report(outlet, "Pont fermé", summary, hours, "fr")
            for hours, (outlet, summary) in enumerate(
                [
                    ("harbor-ledger", "Okafor a déclaré que le pont restera fermé."),
                    ("center-wire", "Selon Okafor, le pont restera fermé."),
                    ("right-post", "Le pont voulu par Okafor restera fermé."),
                ]
            )
        )
    )
    (statement,) = claims.values()
    assert _ids(statement.asserted_by) == ["center-wire", "harbor-ledger"]


def test_one_statement_matches_across_english_and_french() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Bridge shut",
            "Repairs could cost $310 million, commissioner Okafor said.",
        ),
        _report(
            "center-wire",
            "Pont fermé",
            "Le commissaire Okafor a affirmé que les travaux coûteraient "
            "310 millions.",  # no currency: not the figure claim's sum
            1,
            "fr",
        ),
    )
    (claim,) = [c for c in claims.values() if not c.figure]
    assert "Okafor" in claim.text
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]


#: Reports of the bridge repairs: two quote Okafor on the figure that the
#: third reports plainly, and one reprints the first.
OKAFOR_ON_THE_FIGURE = (
    _report(
        "harbor-ledger",
        "Bridge shut",
        "Commissioner Renata Okafor said repairs could cost $310 million.",
    ),
    _report(
        "reprint",
        "Bridge shut",
        "Commissioner Renata Okafor said repairs could cost $310 million.",
        1,
    ),
    _report(
        "center-wire",
        "Bridge closed",
        "Repairs will cost $310 million, Commissioner Renata Okafor told reporters.",
        2,
    ),
    _report("right-post", "Cracked span", "Repairs are estimated at $310 million.", 3),
)


def test_a_statement_repeating_a_figure_claim_is_that_claim() -> None:
    (claim,) = _claims(*OKAFOR_ON_THE_FIGURE).values()
    assert claim.text == "Repairs are estimated at $310 million."
    assert claim.figure == "$310 million"
    assert _ids(claim.asserted_by) == [
        "center-wire",
        "harbor-ledger",
        "reprint",
        "right-post",
    ]
    assert (claim.asserting, claim.disputing) == (3, 0)  # the reprint counts once


def test_a_denial_of_a_statement_repeating_a_figure_disputes_the_figure() -> None:
    denial = _report(
        "left-daily",
        "Commissioner under fire",
        "Commissioner Okafor denied saying repairs could cost that much.",
        4,
    )
    (claim,) = _claims(*OKAFOR_ON_THE_FIGURE, denial).values()
    assert claim.figure == "$310 million"
    assert _ids(claim.disputed_by) == ["left-daily"]
    assert (claim.asserting, claim.disputing) == (3, 1)


def test_a_statement_not_every_report_gives_the_figure_of_stays() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Bridge shut",
            "Commissioner Renata Okafor said repairs could cost $310 million.",
        ),
        _report(
            "center-wire",
            "Bridge closed",
            "Commissioner Renata Okafor said repairs could cost far more than hoped.",
            1,
        ),
        _report(
            "right-post", "Cracked span", "Repairs are estimated at $310 million.", 2
        ),
    )
    figure = claims["Repairs are estimated at $310 million."]
    assert _ids(figure.asserted_by) == ["harbor-ledger", "right-post"]
    statement = claims[
        "Commissioner Renata Okafor said repairs could cost far more than hoped."
    ]
    assert not statement.figure
    assert _ids(statement.asserted_by) == ["center-wire", "harbor-ledger"]


def _claim_list(
    *reports: Report, outlets: dict[str, Outlet] = OUTLETS, site_lang: str = ""
) -> list[Claim]:
    views = coverage(list(reports), outlets).reports
    return claims_check(views, outlets, site_lang=site_lang)


def test_a_claim_shows_the_clause_its_sources_have_in_common() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Climate deal",
            "Farm groups warn the 40% methane target could raise costs for ranchers.",
        ),
        _report(
            "center-wire",
            "Talks end",
            "The accord commits 140 countries to a 40% methane cut by 2035.",
            1,
        ),
        _report(
            "right-post",
            "Deal signed",
            "Delegates from 140 countries agreed a 40% methane cut by 2035.",
            2,
        ),
    )
    (forty,) = [c for c in claims.values() if c.figure == "40%"]
    assert "Farm groups" not in forty.text
    assert _ids(forty.asserted_by) == ["center-wire", "harbor-ledger", "right-post"]
    assert all("Farm groups" not in text for text in claims)


def test_a_figure_claim_quotes_a_speaker_only_if_every_source_does() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Bridge shut",
            "Commissioner Renata Okafor said repairs could take 18 months.",
        ),
        _report(
            "center-wire",
            "Maine bridge closed for 18 months after cracks found in girders",
            "",
            1,
        ),
    )
    (claim,) = claims.values()
    assert (
        claim.text == "Maine bridge closed for 18 months after cracks found in girders"
    )
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]


def test_two_claims_sharing_their_best_clause_are_both_listed() -> None:
    claims = _claim_list(
        _report(
            "harbor-ledger",
            "Rail strike",
            "About 14,000 members walked out over a 3.1 per cent pay offer.",
        ),
        _report(
            "center-wire",
            "Strike",
            "About 14,000 members stayed home and 2,400 services were cancelled.",
            1,
        ),
        _report(
            "right-post",
            "Pay row",
            "Managers say the 3.1% pay offer is fair and that 2,400 services "
            "will still run on Monday.",
            2,
        ),
    )
    # 14,000 (harbor, center), 3.1% (harbor, right), 2,400 (center, right):
    # three claims, two per clause, all listed, each with its figure marked.
    assert sorted(_ids(c.asserted_by) for c in claims) == [
        ["center-wire", "harbor-ledger"],
        ["center-wire", "right-post"],
        ["harbor-ledger", "right-post"],
    ]
    assert all(c.figure and c.figure in c.text for c in claims)
    assert len({str(c.marked_text) for c in claims}) == 3


def test_two_claims_with_only_one_clause_show_it_twice_each_marked() -> None:
    clause = "About 14,000 members walked out over a 3.1 per cent pay offer."
    claims = _claim_list(
        _report("harbor-ledger", "Rail strike", clause),
        _report("center-wire", "14,000 members walk out over 3.1% pay offer", "", 1),
    )
    assert [c.text for c in claims] == [clause, clause]
    assert {str(c.marked_text) for c in claims} == {
        clause.replace("14,000", "<strong>14,000</strong>"),
        clause.replace("3.1 per cent", "<strong>3.1 per cent</strong>"),
    }


SISTERS = {
    **OUTLETS,
    **{
        o: Outlet(
            id=o,
            name=o.replace("-", " ").title(),
            feeds=(),
            owner_group=group,
        )
        # One owner, however the registry spells it.
        for o, group in [
            ("tidewater-courier", "Tidewater Media Group"),
            ("harbor-gazette", "tidewater media  group"),
        ]
    },
}


def test_outlets_of_one_owner_group_count_as_one_source() -> None:
    claims = _claim_list(
        _report("tidewater-courier", "Bridge shut", "Repairs could cost $310 million."),
        _report(
            "harbor-gazette",
            "Bridge closed",
            "Repairs are estimated at $310 million.",
            1,
        ),
        _report(
            "center-wire", "Span shut", "The repair bill could reach $310 million.", 2
        ),
        _report("tidewater-courier", "Traffic", "The bridge carries 41,000 cars.", 3),
        _report("harbor-gazette", "Detours", "About 41,000 cars use the bridge.", 4),
        outlets=SISTERS,
    )
    (claim,) = claims  # 41,000 vehicles: one owner, so one source
    assert _ids(claim.asserted_by) == [
        "center-wire",
        "harbor-gazette",
        "tidewater-courier",
    ]
    assert (claim.asserting, claim.disputing) == (2, 0)


@pytest.mark.parametrize(("site_lang", "lang"), [("fr", "fr"), ("en", "")])
def test_a_claim_is_shown_in_the_site_language_and_carries_its_language(
    site_lang: str, lang: str
) -> None:
    (claim,) = _claim_list(
        _report(
            "harbor-ledger",
            "Pont fermé",
            "Le pont voit passer 41 000 véhicules par jour.",
            lang="fr",
        ),
        _report("center-wire", "Bridge shut", "The bridge carries 41,000 vehicles.", 1),
        site_lang=site_lang,
    )
    assert claim.lang == lang
    assert ("41 000" in claim.text) is (lang == "fr")


@pytest.mark.parametrize(
    ("one", "other", "lang"),
    [
        ("The bridge shuts for 10 days.", "A 10-day closure begins.", "en"),
        ("Repairs will take 18 months.", "An 18-month closure looms.", "en"),
        ("Fourteen homes are gone.", "Now 14 homes are lost.", "en"),
        ("Repairs cost $85 billion.", "Le coût : 85 milliards de dollars.", "fr"),
        ("She ran 2:21:07 in Harzfelde.", "Mullane lief 2:21:07 Stunden.", "de"),
    ],
)
def test_one_figure_written_other_ways_is_one_claim(
    one: str, other: str, lang: str
) -> None:
    # Spelled out, hyphened, in another language or currency word, a time.
    claims = _claims(
        _report("harbor-ledger", "Update", one, lang="en"),
        _report("center-wire", "Update", other, 1, lang),
    )
    (claim,) = [c for c in claims.values() if c.figure]
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]


def test_a_distinctive_figure_joins_across_languages_on_a_shared_word() -> None:
    # The German clause names methane, what the English figure counts.
    claims = _claims(
        _report("harbor-ledger", "Deal", "Nations promise a 40% methane cut."),
        _report(
            "center-wire",
            "Gipfel",
            "140 Staaten wollen ihre Methanemissionen bis 2035 um 40 Prozent senken.",
            1,
            "de",
        ),
    )
    claim = _find(claims, "40%")
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]


def test_a_distinctive_figure_joins_on_another_shared_figure() -> None:
    claims = _claims(
        _report(
            "harbor-ledger",
            "Strike",
            "Managers offer 3.1%, and the union will not drop its 7% claim.",
        ),
        _report(
            "center-wire",
            "Streik",
            "Die Gewerkschaft fordert 7 Prozent mehr Lohn, der Betreiber bietet "
            "3,1 Prozent.",
            1,
            "de",
        ),
    )
    assert _ids(_find(claims, "7%").asserted_by) == ["center-wire", "harbor-ledger"]


def test_a_figure_with_nothing_else_in_common_stays_apart() -> None:
    # The same percentage, but nothing says it counts the same thing.
    claims = _claims(
        _report("harbor-ledger", "Vote", "The Greens won 40% of votes."),
        _report(
            "center-wire", "Gipfel", "Die Emissionen sinken um 40 Prozent.", 1, "de"
        ),
    )
    assert claims == {}


def test_a_report_giving_one_value_for_two_things_keeps_them_apart() -> None:
    # Each clause of the third report names what one of the others counts.
    claims = _claims(
        _report("harbor-ledger", "Deal", "Nations promise a 40% methane cut."),
        _report("center-wire", "Vote", "The Greens won 40% of votes."),
        _report(
            "right-post",
            "Bilanz",
            "Die Methanemissionen sinken um 40 Prozent; die Votes: 40 Prozent.",
            2,
            "de",
        ),
    )
    assert {c.figure for c in claims.values()} == {"40%"}
    (claim,) = claims.values()
    assert len(claim.asserted_by) == 2


def test_sources_of_a_contradicting_claim_dispute_it() -> None:
    # Le Réverbère gives both counts of protesters: Fellgate's 230,000,
    # the same claim as its own, disputes the unions' 700,000.
    claims = _claims(
        _report(
            "harbor-ledger",
            "Retraites : 230 000 manifestants contre la loi Dubreuil",
            "Les syndicats, qui revendiquent 700 000 manifestants, appellent "
            "à la grève.",
            lang="fr",
        ),
        _report(
            "center-wire",
            "Workers take to the streets",
            "Unions say 700,000 marched; police counted 230,000.",
            1,
        ),
        _report(
            "right-post", "Protests", "Protests drew 230,000 people, police said.", 2
        ),
    )
    police = _find(claims, "230,000")
    assert police.text == "…police counted 230,000."  # the end of a sentence
    assert _ids(police.asserted_by) == ["center-wire", "harbor-ledger", "right-post"]
    assert police.disputing == 0
    unions = _find(claims, "700,000")
    assert _ids(unions.asserted_by) == ["center-wire", "harbor-ledger"]
    assert _ids(unions.disputed_by) == ["right-post"]


def test_a_sum_of_money_in_one_currency_is_enough_in_another_language() -> None:
    claims = _claims(
        _report("harbor-ledger", "Found", "The painting is valued at €6 million."),
        _report(
            "center-wire",
            "Retrouvé",
            "Le tableau, estimé à 6 millions d'euros, était caché.",
            1,
            "fr",
        ),
    )
    (claim,) = claims.values()
    assert claim.figure == "€6 million"
    assert _ids(claim.asserted_by) == ["center-wire", "harbor-ledger"]
