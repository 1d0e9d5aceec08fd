"""A story's country: the editor's, else the one its reports name, else its outlets'."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sitekit import Item, Project

from newsdigest.records import Outlet, Report
from newsdigest.stories.coverage import ReportView
from newsdigest.stories.place import (
    DEMONYM_WEIGHT,
    LOCATIVE_WEIGHT,
    NAME_WEIGHT,
    named_countries,
    story_country,
)

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


def _country_of(*views: ReportView, editor: str | None = None) -> str | None:
    """The country of a story of ``views`` whose editor chose ``editor``."""
    return story_country(editor, views)


def test_a_story_is_where_its_reports_say_not_where_its_outlets_are():
    country = _country_of(
        _view("CA", "Wind farm approved in Germany after long fight"),
        _view("CA", "Germany's wind push wins a district vote"),
        _view("DE", "Kreistag winkt Windpark durch", "Die Bürger klagen.", "de"),
    )
    assert country == "DE"


def test_the_editors_country_wins():
    country = _country_of(_view("CA", "Wind farm approved in Germany"), editor="AT")
    assert country == "AT"


def test_a_story_naming_no_country_is_its_most_common_outlet_country():
    country = _country_of(
        _view("GB", "Bridge closes for repairs"),
        _view("US", "Commuters face a detour"),
        _view("US", "Repair bill reaches $310 million"),
    )
    assert country == "US"


def test_more_reports_naming_a_country_beat_fewer():
    country = _country_of(
        _view("US", "Climate talks in Portugal agree methane cut"),
        _view("FR", "Accord au Portugal sur le méthane", lang="fr"),
        _view("IN", "India signs the accord in Portugal"),
    )
    assert country == "PT"


@pytest.mark.parametrize(
    ("outlets", "expected"),
    [
        (("CA", "CA", "AT"), "AT"),  # named once each: more outlets from Austria
        (("US", "US", "US"), "AT"),  # named once each, no outlets: first code
    ],
)
def test_a_tie_goes_to_more_outlets_then_the_first_code(outlets, expected):
    first, second, third = outlets
    country = _country_of(
        _view(first, "Rail strike spreads from Germany"),
        _view(second, "Travellers to Austria face cancellations"),
        _view(third, "Unions dig in"),
    )
    assert country == expected


def test_a_report_counts_once_however_often_it_names_a_country():
    country = _country_of(
        _view("GB", "France votes", "France passed it; France protests."),
        _view("GB", "Spain watches"),
        _view("ES", "Spain follows", "Spain may copy it."),
    )
    assert country == "ES"


@pytest.mark.parametrize(
    ("headline", "summary", "lang", "expected"),
    [
        ("Allemagne : feu vert à 24 éoliennes", "", "fr", {"DE"}),
        ("Rentenreform Deutschlands", "in den Vereinigten Staaten", "de", {"DE", "US"}),
        ("Frankreich wagt die Rentenreform", "", "de-DE", {"FR"}),
        ("Papua New Guinea votes", "Guinea-Bissau too", "en", {"PG", "GW"}),
        ("Aluminium row", "The U.S. and the UK, and the USA", "en-GB", {"US", "GB"}),
        ("Georgia holds elections", "", "en", {"GE"}),  # the country, not the state
        ("German town approves wind farm", "", "en", {"DE"}),  # a demonym
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
        ("Record marathon in Germany", "en", {"DE": LOCATIVE_WEIGHT}),
        ("Australia's Mullane wins", "en", {"AU": NAME_WEIGHT}),
        ("Les syndicats défilent en France", "fr", {"FR": LOCATIVE_WEIGHT}),
        ("Rekord im Harz, Sieg für Australierin", "de", {"AU": DEMONYM_WEIGHT}),
        ("Bushfire in New South Wales", "en", {"AU": LOCATIVE_WEIGHT}),
        ("Australian Mullane wins in Germany", "en", {"AU": 1, "DE": 4}),
    ],
)
def test_a_place_after_a_preposition_of_place_weighs_more(headline, lang, expected):
    assert DEMONYM_WEIGHT < NAME_WEIGHT < LOCATIVE_WEIGHT
    assert named_countries(headline, "", lang, {"AU"}) == expected


@pytest.mark.parametrize(
    ("headline", "lang", "expected"),
    [
        ("Private Indian lab beats aid bureaucracies", "en", "IN"),
        ("American Indian tribes sue", "en", "US"),  # not India
        ("New law gives Canadians the right to appeal", "en", "CA"),
        ("South Korean exports rise; North Korean missile test", "en", "KR KP"),
        ("South Sudanese refugees cross into Sudanese camps", "en", "SS SD"),
        ("Paludisme : un vaccin indien efficace à 71 %", "fr", "IN"),
        ("Les Françaises et les Allemands défilent", "fr", "FR DE"),
        ("Des touristes néo-zélandaises bloquées", "fr", "NZ"),
        ("Indische Forscher melden Erfolg", "de", "IN"),
        ("Zwei Inderinnen und ein Franzose im Finale", "de", "IN FR"),
        ("die indischen Behörden", "de", "IN"),
        ("Los brasileños votan; la economía china crece", "es", "BR CN"),
        ("Una empresa estadounidense compra una alemana", "es", "US DE"),
    ],
)
def test_a_demonym_names_its_country_in_four_languages(headline, lang, expected):
    assert named_countries(headline, "", lang, ()) == dict.fromkeys(
        expected.split(), DEMONYM_WEIGHT
    )


@pytest.mark.parametrize(
    ("headline", "lang"),
    [
        ("Cyclone heads across the Indian Ocean", "en"),
        ("Nadal wins the French Open again", "en"),
        ("Latin American leaders meet; Native American tribes sue", "en"),
        ("Korean firm recalls phones; Congolese army advances", "en"),  # two each
        ("Georgian church restored; Dominican pitcher signs", "en"),
        ("Chef serves french fries", "en"),  # English demonyms are capitalised
        ("Un cyclone dans l'océan Indien", "fr"),
        ("Zyklon über dem Indischen Ozean", "de"),
        ("Er lachte, indem er sprach", "de"),
        ("Italian stocks rally", "it"),  # no table for Italian
    ],
)
def test_a_demonym_in_a_longer_name_or_of_two_countries_is_not_read(headline, lang):
    assert named_countries(headline, "", lang, ()) == {}


@pytest.mark.parametrize(
    ("headline", "lang", "expected"),
    [
        ("Polen wählt ein neues Parlament", "de", {"PL": NAME_WEIGHT}),
        ("China crece; la economía china", "es", {"CN": NAME_WEIGHT}),
        ("Saudi Arabia hosts the Saudi prince", "en", {"SA": NAME_WEIGHT}),
        ("Turks and Caicos Islands vote", "en", {"TC": NAME_WEIGHT}),
        ("Les Français votent", "fr", {"FR": DEMONYM_WEIGHT}),  # not France
        ("Sieg für Spanier", "de", {"ES": DEMONYM_WEIGHT}),  # not Spanien
    ],
)
def test_a_name_and_a_demonym_spelt_alike_are_told_apart(headline, lang, expected):
    assert named_countries(headline, "", lang, ()) == expected


def test_a_story_whose_reports_only_use_a_demonym_is_in_that_country():
    country = _country_of(
        _view(
            "IN",
            "Kestipur lab's vaccine shows 71% protection",
            "A day for Indian science.",
        ),
        _view("AU", "Indian malaria vaccine cuts cases by 71 per cent"),
        _view("US", "A $3 malaria vaccine could reach children"),
        _view("US", "Private Indian lab beats aid bureaucracies"),
        _view("US", "Will patents slow the vaccine's rollout?"),
        _view("FR", "Paludisme : un vaccin indien efficace", lang="fr"),
    )
    assert country == "IN"


def test_a_name_outweighs_a_demonym():
    country = _country_of(_view("FR", "French president visits Germany"))
    assert country == "DE"


def test_where_it_happens_beats_who_took_part():
    country = _country_of(
        _view("DE", "Marathon: Streckenrekord durch Australierin Mullane", lang="de"),
        _view("AU", "Mullane smashes course record in Germany"),
        _view("IN", "Nandakumar third in Germany", "Australia's Mullane won."),
    )
    assert country == "DE"


def test_a_state_names_the_country_of_a_local_outlet():
    country = _country_of(
        _view("AU", "Residents evacuated as bushfire burns 18,000 hectares"),
        _view("GB", "Fire season arrives early in New South Wales"),
        _view("GB", "Family's relief as daughter escapes the bushfire"),
    )
    assert country == "AU"


@pytest.mark.parametrize(
    ("outlet", "headline", "lang", "expected"),
    [
        ("CN", "日本东京举行大规模反战游行", "zh", "JP"),
        ("EG", "اليابان تطلق قمرا صناعيا جديدا للأرصاد", "ar", "JP"),
        ("JP", "ロシアで大規模な山火事", "ja", "RU"),
        ("JP", "Japan launches new weather satellite", "en", "JP"),
    ],
)
def test_a_report_in_any_script_names_its_country_not_its_outlets(
    outlet, headline, lang, expected
):
    assert _country_of(_view(outlet, headline, lang=lang)) == expected


@pytest.mark.parametrize(
    ("headline", "lang", "expected"),
    [
        # Russian: CLDR's everyday name, inflected (the Snowball stemmer).
        ("Пожары в России", "ru", {"RU": LOCATIVE_WEIGHT}),
        ("Переговоры с Россией и Германией", "ru", {"RU": 2, "DE": 2}),
        ("Делегация США прибыла в Японию", "ru", {"US": 2, "JP": 4}),
        ("Выборы в Южной Африке", "ru", {"ZA": 4}),
        # Arabic: with the article, and with clitics written onto the name.
        ("الولايات المتحدة والهند تتفقان", "ar", {"US": 2, "IN": 2}),
        ("زيارة للصين وبروسيا", "ar", {"CN": 2, "RU": 2}),
        ("انتخابات في بنما", "ar", {"PA": 2}),  # ب is Panama's own letter
        ("الإمارات العربية المتحدة ومِصر", "ar", {"AE": 2, "EG": 2}),
        # Chinese, simplified and traditional; Japanese; Korean: substrings.
        ("中国人在美国总统访问英国时抗议", "zh", {"CN": 2, "US": 2, "GB": 2}),
        ("南苏丹与印度尼西亚", "zh", {"SS": 2, "ID": 2}),  # not Sudan, India
        ("美國與台灣", "zh-TW", {"US": 2, "TW": 2}),
        ("アメリカと中国の首脳が会談", "ja", {"US": 2, "CN": 2}),
        ("インドネシアで地震", "ja", {"ID": 2}),  # not India
        ("일본에서 한국과 미국 정상회담", "ko", {"JP": 2, "KR": 2, "US": 2}),
    ],
)
def test_reports_name_countries_in_any_language_cldr_knows(headline, lang, expected):
    assert named_countries(headline, "", lang, ()) == expected


@pytest.mark.parametrize(
    ("headline", "lang"),
    [
        ("发展中国家呼吁减免债务", "zh"),  # 发展中 + 国家, not China
        ("建设一个完美国家", "zh"),  # 完美 + 国家, not the US
        ("非法国际贩运", "zh"),  # 非法 + 国际, not France
        ("沿海地区暴雨", "zh"),  # 沿海 + 地区, not Haiti
        ("印度洋海啸预警", "zh"),  # the Indian Ocean
        ("马里奥新游戏发布", "zh"),  # Mario, not Mali
        ("中国地方で大雨", "ja"),  # Japan's Chūgoku region
        ("マリオの新作", "ja"),
        ("인도적 지원을 늘린다", "ko"),  # humanitarian, not India
        ("인도양 태풍", "ko"),
        ("نما الاقتصاد بسرعة", "ar"),  # grew: Panama only with its ب
        ("هند تفوز بالجائزة", "ar"),  # Hind, a name: India has the article
        ("افتتاح معرض في عمان", "ar"),  # Amman as often as Oman
        ("الصناعة اليابانية تنمو", "ar"),  # Japanese: the name must end a word
        ("Пожары в лесах", "ru"),
        # Only the stem of a longer name: cargo, not Грузия; a first name.
        ("Груз прибыл в порт", "ru"),
        ("Франц Кафка в Праге", "ru"),
        ("Franc succès pour le festival", "fr"),  # frank, not France
    ],
)
def test_words_that_contain_a_name_in_other_scripts_are_not_read(headline, lang):
    assert named_countries(headline, "", lang, ()) == {}


def test_a_site_files_a_chinese_report_about_japan_under_japan(project: Project):
    project.add_outlet(
        "huaxia-daily",
        [
            Item(
                title="日本东京举行大规模反战游行",
                link="https://huaxia-daily.example/1",
                published=WHEN,
                description="数万人在东京街头游行。",
            )
        ],
        country="CN",
        language="zh",
    )
    project.ingest()
    project.build()
    (story,) = project.story_files()
    page = project.page(f"stories/{story.stem}/index.html")
    assert re.search(r'<span class="country">🇯🇵 <a href="[^"]*/country/jp/"', page)
    assert "Stories that happen in Japan" in project.page("country/jp/index.html")
