"""Clustering real-looking coverage: languages, framing, follow-ups, order.

Every event here is invented for the tests.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from newsdigest.stories import text as text_module
from newsdigest.stories.cluster import Item, cluster
from newsdigest.stories.text import (
    analyse_leads,
    cluster_text,
    guess_language,
    spelled_numbers,
)

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

PORT_STRIKE = {
    "port-en": (
        "en",
        "Dockworkers shut Vesterholm port for 72 hours",
        "The Havnarbejder union wants 8.5% more pay; 14,000 containers are stuck.",
    ),
    "port-fr": (
        "fr",
        "Grève de 72 heures dans le port de Vesterholm",
        (
            "Le syndicat Havnarbejder réclame 8,5 % d'augmentation ; "
            "14 000 conteneurs sont bloqués."
        ),
    ),
    "port-de": (
        "de",
        "Hafenarbeiter legen Vesterholm für 72 Stunden lahm",
        (
            "Die Gewerkschaft Havnarbejder fordert 8,5 Prozent mehr Lohn, "
            "14.000 Container stecken fest."
        ),
    ),
    "port-es": (
        "es",
        "Huelga de 72 horas en el puerto de Vesterholm",
        (
            "El sindicato Havnarbejder exige un 8,5 % más de salario; "
            "14.000 contenedores siguen bloqueados."
        ),
    ),
}
BUS_STRIKE = {
    "bus-en": (
        "en",
        "Bus drivers in Carrowmore walk out over rosters",
        "The two-day stoppage cancels 900 services, operator Lanner Transit said.",
    ),
    "bus-fr": (
        "fr",
        "Les chauffeurs de bus de Carrowmore en grève",
        "L'arrêt de travail de deux jours supprime 900 trajets, selon Lanner Transit.",
    ),
}
# One event told from the left, the right and the centre, and an unrelated
# announcement by the same minister.
FLOODPLAIN = {
    "homes-left": (
        "Ministers gut river protections to please developers",
        (
            "Environment secretary Odile Franck's plan lets 3,400 homes go up on the "
            "Tamsett floodplain."
        ),
    ),
    "homes-right": (
        "Franck clears the way for 3,400 new family homes",
        "Red tape on the Tamsett meadows had blocked builders for a decade.",
    ),
    "homes-centre": (
        "Government approves 3,400 homes on Tamsett floodplain",
        "Odile Franck said flood defences will be built first.",
    ),
    "bonuses": (
        "Odile Franck orders review of water company bonuses",
        "Executives at nine utilities could lose payouts after sewage spills.",
    ),
}

# One day's news in Chinese, Japanese and Korean: each event told twice in
# other words (``三号线`` and ``3号线``), beside events of the same kind or
# place (the typhoon stops Guangzhou's metro too; three Japanese events on the
# 25th).
CJK_NEWS = {
    "metro-zh-1": (
        "zh",
        "广州地铁三号线今早发生故障 数千名乘客被困",
        "广州地铁三号线周三早高峰发生信号故障，数千名乘客被困在车厢内近一个小时。",
    ),
    "metro-zh-2": (
        "zh",
        "今早广州地铁3号线故障数千乘客受困",
        "周三早上广州地铁3号线因信号故障停运，数千名乘客被困车厢约一小时。",
    ),
    "typhoon-zh": (
        "zh",
        "台风“海葵”逼近广东 广州地铁部分线路停运",
        "气象台发布台风红色预警，广州多条地铁线路周三傍晚起暂停运营，全市学校停课。",
    ),
    "stocks-zh-1": (
        "zh",
        "沪指周三收涨1.2% 科技股领涨",
        "上证综指周三收盘上涨1.2%，半导体和人工智能板块涨幅居前。",
    ),
    "stocks-zh-2": (
        "zh",
        "A股三大指数集体上涨 沪指涨1.2%",
        "周三沪深两市高开高走，上证指数收涨1.2%，芯片股全线走强。",
    ),
    "blackout-ja-1": (
        "ja",
        "大阪で大規模停電 約5万戸に影響",
        "25日午前、大阪市内で大規模な停電が発生し、約5万戸に影響が出た。",
    ),
    "blackout-ja-2": (
        "ja",
        "大阪市で停電、5万戸が影響受ける",
        "大阪市で25日朝に停電があり、およそ5万戸が影響を受けた。",
    ),
    "typhoon-ja-1": (
        "ja",
        "台風10号が九州に上陸 各地で記録的大雨",
        "台風10号は25日夜、鹿児島県に上陸し、九州各地で記録的な大雨となった。",
    ),
    "typhoon-ja-2": (
        "ja",
        "台風10号、鹿児島に上陸 九州で大雨続く",
        "強い台風10号が25日夜に鹿児島県に上陸した。九州では大雨が続いている。",
    ),
    "stocks-ja-1": (
        "ja",
        "日経平均、一時800円高 半導体株に買い",
        "25日の東京株式市場で日経平均株価は大幅に反発し、一時800円を超えて上昇した。",
    ),
    "stocks-ja-2": (
        "ja",
        "東京株式市場 日経平均が大幅反発",
        "25日の東京株式市場で、日経平均株価は前日比800円あまり値上がりした。",
    ),
    "subway-ko-1": ("ko", "서울 지하철 2호선 운행 중단…", ""),
    "subway-ko-2": ("ko", "서울지하철 2호선 신호장애로 운행중단", ""),
    "fire-ko": ("ko", "서울 아파트 화재로 주민 200명 대피", ""),
}


def _items(texts: dict[str, tuple[str, ...]], *, dated: bool = True) -> list[Item]:
    items = []
    for hour, (key, parts) in enumerate(texts.items()):
        lang = parts[0] if len(parts) == 3 else "en"
        title, lead = parts[-2:]
        when = T0 + timedelta(hours=hour) if dated else None
        items.append(Item(key, cluster_text(title, lead), when, lang))
    return items


def _groups(assignment: dict[str, str]) -> set[frozenset[str]]:
    stories: dict[str, set[str]] = {}
    for item, story in assignment.items():
        stories.setdefault(story, set()).add(item)
    return {frozenset(members) for members in stories.values()}


def test_one_event_in_four_languages_is_one_story_apart_from_a_similar_one():
    assignment = cluster(_items({**PORT_STRIKE, **BUS_STRIKE}))
    assert _groups(assignment) == {frozenset(PORT_STRIKE), frozenset(BUS_STRIKE)}


def test_languages_join_without_dates_and_without_language_tags():
    items = [Item(item.id, item.text) for item in _items({**PORT_STRIKE, **BUS_STRIKE})]
    assert _groups(cluster(items)) == {frozenset(PORT_STRIKE), frozenset(BUS_STRIKE)}


def test_left_right_and_centre_framings_join_but_the_ministers_other_news_does_not():
    assignment = cluster(_items(FLOODPLAIN, dated=False))
    assert _groups(assignment) == {
        frozenset({"homes-left", "homes-right", "homes-centre"}),
        frozenset({"bonuses"}),
    }


def test_a_follow_up_days_later_outside_the_window_is_a_new_story():
    verdict = "Jury convicts former Hallam Bank chief Irene Voss of fraud worth $2.3bn"
    sentence = "Former Hallam Bank chief Irene Voss jailed for fraud worth $2.3bn"
    items = [
        Item("verdict", verdict, T0, "en"),
        Item("verdict-2", verdict.replace("Jury", "A jury"), T0 + timedelta(hours=5)),
        Item("sentence", sentence, T0 + timedelta(days=20), "en"),
    ]
    assignment = cluster(items, window=timedelta(days=3))
    assert assignment == {
        "verdict": "verdict",
        "verdict-2": "verdict",
        "sentence": "sentence",
    }
    assert cluster(items, window=timedelta(days=30))["sentence"] == "verdict"


def test_a_new_report_joins_a_known_story_in_another_language():
    known = [
        Item(
            "k-en", cluster_text(*PORT_STRIKE["port-en"][1:]), T0, "en", "port-strike"
        ),
        Item("k-bus", cluster_text(*BUS_STRIKE["bus-en"][1:]), T0, "en", "bus-strike"),
    ]
    fresh = Item(
        "n-de", cluster_text(*PORT_STRIKE["port-de"][1:]), T0 + timedelta(hours=3), "de"
    )
    assert cluster([*known, fresh])["n-de"] == "port-strike"


def test_the_result_does_not_depend_on_input_order():
    items = _items({**PORT_STRIKE, **BUS_STRIKE, **FLOODPLAIN}, dated=False)
    expected = cluster(items)
    shuffler = random.Random(4)
    for _ in range(5):
        shuffler.shuffle(items)
        assert cluster(items) == expected


@pytest.mark.parametrize("tagged", ["right", "en", "untagged", "undated"])
def test_chinese_japanese_and_korean_reports_join_by_event_however_tagged(tagged):
    """Han, kana and Hangul are read by script: a feed's wrong tag changes nothing."""
    items = [
        Item(
            item.id,
            item.text,
            None if tagged == "undated" else item.published,
            {"en": "en", "untagged": None}.get(tagged, item.lang),
        )
        for item in _items(CJK_NEWS)
    ]
    events: dict[str, set[str]] = {}
    for key in CJK_NEWS:
        events.setdefault(key.rstrip("-12"), set()).add(key)
    assert _groups(cluster(items)) == {frozenset(keys) for keys in events.values()}


def test_han_kana_and_hangul_are_read_as_pairs_of_characters():
    texts = ["今早广州地铁3号线故障", "大阪で停電", "서울지하철 운행 중단", "被困 A股"]
    tokens, _lead_counts = analyse_leads(texts, ["zh", "ja", "ko", "en"])
    assert tokens == [
        ["今早", "早广", "广州", "州地", "地铁", "号线", "线故", "故障"],
        ["大阪", "阪で", "で停", "停電"],  # で is not folded to て
        ["서울", "울지", "지하", "하철", "운행", "중단"],
        ["被困"],  # A alone is no word, and neither is 股
    ]
    assert analyse_leads(texts, ["en", "en", None, "de"])[0] == tokens


def test_figures_in_chinese_japanese_and_korean_keep_their_scale():
    spellings = [
        ("en", "50,000 homes, 30 million yen, 120 million won, 5,000 people, 1.2%"),
        ("ja", "約5万戸、3千万円"),
        ("zh", "1.2亿韩元，5千人，涨1.2%"),
        ("ko", "1.2억 원, 5천명"),
    ]
    tokens, _lead_counts = analyse_leads(
        [t for _l, t in spellings], [lang for lang, _t in spellings]
    )
    numbers = [{t for t in row if t[0] in "#@"} for row in tokens]
    assert numbers[0] == {"#50000", "#30000000", "#120000000", "#5000", "#1.2%"}
    assert numbers[1] == {"#50000", "#30000000"}
    assert numbers[2] == {"#120000000", "#5000", "#1.2%"}
    assert numbers[3] == {"#120000000", "#5000"}
    # What follows a figure is read on, not taken as its unit.
    (days,), _lead_counts = analyse_leads(["25日午前、3号线"], ["ja"])
    assert days == ["@25", "日午", "午前", "号线"]


def test_figures_are_one_token_however_they_are_written():
    spellings = [
        ("en", "a tariff of 18 per cent on $14 billion, 41,000 jobs, 2.5% growth"),
        ("fr", "un droit de 18 % sur 14 milliards de dollars, 41 000 emplois, 2,5 %"),
        ("de", "ein Zoll von 18 Prozent auf 14 Milliarden Dollar, 41.000 Jobs, 2,5 %"),
        ("es", "un arancel del 18 % sobre 14.000 millones, 41.000 empleos, 2,5 %"),
    ]
    tokens, _lead_counts = analyse_leads(
        [text for _lang, text in spellings], [lang for lang, _text in spellings]
    )
    numbers = [{t for t in row if t.startswith("#")} for row in tokens]
    assert numbers[0] == {"#18%", "#14000000000", "#41000", "#2.5%"}
    assert numbers[1] == numbers[2] == numbers[0]
    assert {"#18%", "#41000", "#2.5%"} <= numbers[3]


def test_names_are_anchors_even_first_in_a_headline_but_title_case_words_are_not():
    tokens, _lead_counts = analyse_leads(
        [
            "Pryce Stands Firm On Steel Duty",
            "Pryce defends the duty. Commerce Secretary Lorna Pryce spoke in Ohio.",
        ],
        ["en", "en"],
    )
    assert "@pryce" in tokens[0]
    assert "@stands" not in tokens[0]
    assert {"@lorna", "@pryce", "@ohio"} <= set(tokens[1])


def test_language_is_guessed_from_stop_words_when_missing():
    assert guess_language(PORT_STRIKE["port-fr"][2]) == "fr"
    assert guess_language(PORT_STRIKE["port-de"][2]) == "de"
    assert guess_language(PORT_STRIKE["port-es"][2]) == "es"
    assert guess_language("Vesterholm 72") is None


def test_scaled_figures_are_multiplied_out_so_every_scale_word_agrees():
    spellings = [
        ("en", "losses of $2.3 billion, or 2,300,000,000 dollars; 12 thousand fled"),
        ("es", "pérdidas de 2.300 millones de dólares; 12 mil evacuados"),
        ("de", "Verluste von 2,3 Milliarden Dollar; 12.000 flohen"),
        ("fr", "des pertes de 2,3 milliards de dollars ; 12 000 évacués"),
    ]
    tokens, _lead_counts = analyse_leads(
        [t for _l, t in spellings], [lang for lang, _t in spellings]
    )
    for row in tokens:
        assert {"#2300000000", "#12000"} <= set(row)


def test_number_words_are_read_as_figures_in_four_languages():
    spellings = [
        ("en", "Twelve years for Travis Ondrejka; a forty-eight-hour strike"),
        ("fr", "Douze ans pour Travis Ondrejka ; une grève de quarante-huit heures"),
        ("de", "Zwölf Jahre für Travis Ondrejka; ein achtundvierzigstündiger Streik"),
        ("es", "Doce años para Travis Ondrejka; una huelga de cuarenta y ocho horas"),
    ]
    tokens, _lead_counts = analyse_leads(
        [t for _l, t in spellings], [lang for lang, _t in spellings]
    )
    for row in tokens:
        assert {"@12", "@48", "@ondrejka"} <= set(row)


def test_number_words_combine_with_scales_and_stay_in_their_language():
    assert spelled_numbers("quatorze millions d'euros", "fr") == "14 millions d'euros"
    assert spelled_numbers("soixante et onze, quatre-vingt-dix-sept", "fr") == "71, 97"
    assert spelled_numbers("zwölftausend Menschen", "de") == "12tausend Menschen"
    assert spelled_numbers("einfach und zweimal", "de") == "einfach und zweimal"
    assert spelled_numbers("once heridos", "es") == "11 heridos"
    assert spelled_numbers("once again", "en") == "once again"  # English "once"
    assert spelled_numbers("two three-year terms", "en") == "two three-year terms"
    tokens, _lead_counts = analyse_leads(
        ["€14 million", "quatorze millions d'euros"], ["en", "fr"]
    )
    assert "#14000000" in tokens[0]
    assert "#14000000" in tokens[1]


def test_the_lead_is_the_headline_and_first_sentence():
    text = cluster_text(
        "Ashford United sack manager Pieter Vos",
        "Ashford United sacked manager Pieter Vos on Sunday after a 5-0 defeat at"
        " Kingsmere, the club said in a short statement on its website and on social"
        " media. The Dutchman"
        " had won the Continental Cup in Lisbon in May with this club.",
    )
    (tokens,), (lead,) = analyse_leads([text], ["en"])
    assert "@kingsmere" in tokens[:lead]
    assert "@lisbon" in tokens[lead:]
    assert "@lisbon" not in tokens[:lead]
    (short,), (short_lead,) = analyse_leads(["Vos sacked after 5-0 defeat"], ["en"])
    assert short_lead == len(short)  # a headline is all lead


def test_a_country_is_one_anchor_in_every_language():
    texts = {
        "en": "Earthquake in Turkey; talks with the United States and Germany",
        "de": "Erdbeben in der Türkei; Gespräche mit den Vereinigten Staaten und"
        " Deutschland",
        "fr": "Séisme en Turquie ; discussions avec les États-Unis et l'Allemagne",
        "es": "Terremoto en Turquía; conversaciones con Estados Unidos y Alemania",
    }
    tokens, _lead_counts = analyse_leads(list(texts.values()), list(texts))
    for found in tokens:
        assert {"@country:tr", "@country:us", "@country:de"} <= set(found)
        assert not {"@united", "@estados", "unid", "@etats", "vereinigt"} & set(found)


def test_country_names_come_from_iso_3166_with_a_few_short_forms():
    tokens, _lead_counts = analyse_leads(
        [
            "Türkiye and the Russian Federation; Turkey and Russia",
            "El Reino Unido y Corea del Sur",
            "Le Royaume-Uni et la Côte d'Ivoire",
            "El Salvador votes. Democratic Republic of the Congo, Britain",
        ],
        ["en", "es", "fr", "en"],
    )
    assert tokens[0].count("@country:tr") == 2
    assert tokens[0].count("@country:ru") == 2
    assert {"@country:gb", "@country:kr"} <= set(tokens[1])
    assert {"@country:gb", "@country:ci"} <= set(tokens[2])
    assert {"@country:sv", "@country:cd", "@country:gb"} <= set(tokens[3])
    assert "@country:cg" not in tokens[3]  # not the Republic of the Congo


def test_a_country_name_needs_its_capital_and_shared_names_are_no_anchor():
    tokens, _lead_counts = analyse_leads(
        ["We roast a turkey for Christmas; the Koreas and Congo", "China in china"],
        ["en", "en"],
    )
    assert not any(t.startswith("@country:") for t in tokens[0])  # Korea? Congo?
    assert tokens[1].count("@country:cn") == 1


def test_texts_read_in_worker_processes_give_the_same_tokens(monkeypatch):
    """A batch shared among processes reads as one read here, names included."""
    texts = [
        "Mayor Okafor opens the Halvorsen bridge",  # Okafor: a name only mid-sentence
        "Okafor said the bridge cost $310 million.",
        "Kellermanns Plan: die Türkei und Pryce stimmen zu.",
        "Pryce Stands Firm On Tariff",
    ] * 300
    langs = ["en", "en", "de", "en"] * 300
    here = analyse_leads(texts, langs)
    assert "@okafor" in here[0][1]
    monkeypatch.setattr(text_module, "PARALLEL_TEXTS", 1)
    monkeypatch.setattr(text_module, "_CHUNK", 1)
    assert analyse_leads(texts, langs) == here


def test_one_event_told_in_two_languages_is_never_split_by_language():
    """Each language's reports are closer to each other than across: no second event."""
    english = [
        "Brenmoor dam spillway fails, 3,400 residents of Quillhaven evacuated",
        "Quillhaven evacuates 3,400 as Brenmoor dam spillway fails after storm",
        "Brenmoor dam: spillway failure forces 3,400 Quillhaven residents to evacuate",
    ]
    french = [
        "Barrage de Brenmoor : le déversoir cède, 3 400 évacués à Quillhaven",
        "Quillhaven : 3 400 habitants évacués, le déversoir de Brenmoor a cédé",
        "Rupture du déversoir de Brenmoor : 3 400 habitants de Quillhaven évacués",
    ]
    items = [
        Item(f"en{n}", f"{text}, record storm floods valley roads", None, "en")
        for n, text in enumerate(english)
    ] + [
        Item(
            f"fr{n}",
            f"{text}, tempête record, routes de la vallée inondées",
            None,
            "fr",
        )
        for n, text in enumerate(french)
    ]
    assert set(cluster(items).values()) == {"en0"}
