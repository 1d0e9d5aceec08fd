"""A story's country: the editor's, else the one its reports name, else its outlets'."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from newsdigest.pelican.enrich import _country_code
from newsdigest.records import Outlet, Report
from newsdigest.stories.coverage import ReportView
from newsdigest.stories.place import named_countries

WHEN = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _view(country: str, headline: str, summary: str = "", lang: str = "en"):
    outlet_id = f"outlet-{headline[:12].lower().replace(' ', '-')}"
    outlet = Outlet(
        id=outlet_id,
        name=outlet_id,
        feeds=(f"https://{outlet_id}.example/feed",),
        country=country,
    )
    report = Report(
        outlet=outlet_id,
        url=f"https://{outlet_id}.example/1",
        headline=headline,
        published=WHEN,
        summary=summary,
        lang=lang,
    )
    return ReportView(report, outlet)


def _story(*views: ReportView, **metadata: str) -> SimpleNamespace:
    return SimpleNamespace(
        metadata=metadata, coverage=SimpleNamespace(reports=list(views))
    )


def test_a_story_is_where_its_reports_say_not_where_its_outlets_are():
    story = _story(
        _view("CA", "Wind farm approved in Germany after long fight"),
        _view("CA", "Germany's wind push wins a district vote"),
        _view("DE", "Kreistag winkt Windpark durch", "Die Bürger klagen.", "de"),
    )
    assert _country_code(story) == "DE"


def test_the_editors_country_wins():
    story = _story(_view("CA", "Wind farm approved in Germany"), country="AT")
    assert _country_code(story) == "AT"


def test_a_story_naming_no_country_is_its_most_common_outlet_country():
    story = _story(
        _view("GB", "Bridge closes for repairs"),
        _view("US", "Commuters face a detour"),
        _view("US", "Repair bill reaches $310 million"),
    )
    assert _country_code(story) == "US"


def test_more_reports_naming_a_country_beat_fewer():
    story = _story(
        _view("US", "Climate talks in Portugal agree methane cut"),
        _view("FR", "Accord au Portugal sur le méthane", lang="fr"),
        _view("IN", "India signs the accord in Portugal"),
    )
    assert _country_code(story) == "PT"


@pytest.mark.parametrize(
    ("outlets", "expected"),
    [
        (("CA", "CA", "AT"), "AT"),  # named once each: more outlets from Austria
        (("US", "US", "US"), "AT"),  # named once each, no outlets: first code
    ],
)
def test_a_tie_goes_to_more_outlets_then_the_first_code(outlets, expected):
    first, second, third = outlets
    story = _story(
        _view(first, "Rail strike spreads from Germany"),
        _view(second, "Travellers to Austria face cancellations"),
        _view(third, "Unions dig in"),
    )
    assert _country_code(story) == expected


def test_a_report_counts_once_however_often_it_names_a_country():
    story = _story(
        _view("GB", "France votes", "France passed it; France protests."),
        _view("GB", "Spain watches"),
        _view("ES", "Spain follows", "Spain may copy it."),
    )
    assert _country_code(story) == "ES"


@pytest.mark.parametrize(
    ("headline", "summary", "lang", "expected"),
    [
        ("Allemagne : feu vert à 24 éoliennes", "", "fr", {"DE"}),
        ("Rentenreform Deutschlands", "in den Vereinigten Staaten", "de", {"DE", "US"}),
        ("Frankreich wagt die Rentenreform", "", "de-DE", {"FR"}),
        ("Papua New Guinea votes", "Guinea-Bissau too", "en", {"PG", "GW"}),
        ("Aluminium row", "The U.S. and the UK, and the USA", "en-GB", {"US", "GB"}),
        ("Georgia holds elections", "", "en", {"GE"}),  # the country, not the state
        ("German town approves wind farm", "", "en", set()),  # demonyms not read
        ("Turkey talks", "", None, {"TR"}),  # language guessed
    ],
)
def test_reports_name_countries_in_their_own_language(
    headline, summary, lang, expected
):
    assert set(named_countries(headline, summary, lang, ())) == expected


@pytest.mark.parametrize(
    ("headline", "local", "expected"),
    [
        ("Bushfire burns in New South Wales", {"AU", "GB"}, {"AU"}),
        ("Bushfire burns in New South Wales", {"GB"}, set()),
        ("Maine bridge closed for 18 months", {"US"}, {"US"}),
        ("Québec se prépare", {"CA"}, {"CA"}),
        ("Ceasefire talks on Gaza resume", {"US", "GB"}, set()),  # not Mozambique
    ],
)
def test_a_state_or_province_counts_only_for_the_countries_given(
    headline, local, expected
):
    lang = "fr" if headline.startswith("Québec") else "en"
    assert set(named_countries(headline, "", lang, local)) == expected


@pytest.mark.parametrize(
    ("headline", "lang", "expected"),
    [
        ("Record marathon in Germany", "en", {"DE": 2}),
        ("Australia's Mullane wins", "en", {"AU": 1}),
        ("Les syndicats défilent en France", "fr", {"FR": 2}),
        ("Rekord im Harz, Sieg für Australierin", "de", {"AU": 1}),
        ("Bushfire in New South Wales", "en", {"AU": 2}),
    ],
)
def test_a_place_after_a_preposition_of_place_weighs_more(headline, lang, expected):
    assert named_countries(headline, "", lang, {"AU"}) == expected


def test_where_it_happens_beats_who_took_part():
    story = _story(
        _view("DE", "Marathon: Streckenrekord durch Australierin Mullane", lang="de"),
        _view("AU", "Mullane smashes course record in Germany"),
        _view("IN", "Nandakumar third in Germany", "Australia's Mullane won."),
    )
    assert _country_code(story) == "DE"


def test_a_state_names_the_country_of_a_local_outlet():
    story = _story(
        _view("AU", "Residents evacuated as bushfire burns 18,000 hectares"),
        _view("GB", "Fire season arrives early in New South Wales"),
        _view("GB", "Family's relief as daughter escapes the bushfire"),
    )
    assert _country_code(story) == "AU"
