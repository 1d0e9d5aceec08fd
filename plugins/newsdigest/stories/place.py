"""Where a story happens: the countries its reports name, and which wins.

A report names a country by the country's name in the report's language, read
as clustering reads it (:func:`newsdigest.stories.text.country_names`, any
inflection: ``Deutschlands``, ``den Vereinigten Staaten``), by ``US``,
``U.S.`` or ``USA`` (which clustering leaves out on purpose), or by one of the
country's states or provinces: an ISO 3166-2 top-level subdivision of a kind
in :data:`_REGION_KINDS` from pycountry, in the report's language or as ISO
writes it, that no other country has and that is no country's name
(``New South Wales``, ``Ohio``, ``England``, ``Bavière``). A state or province
is so often also a person or a town (``Nelson``, ``Gaza``, ``Córdoba``) that
it counts only for the countries the caller names, e.g. its outlets'.

In Chinese, Japanese and Korean, which write no spaces between words, a name
in Han, kana or Hangul is read wherever it appears (``日本东京…``); in Arabic
a name in its letters is read as a word with the clitics Arabic writes onto
it (``وروسيا``, ``للصين``). A name inside one of a few longer words
(:data:`_NOT_NAMES`: ``发展中国家``, ``인도적``) is not.

A report also names a country by a demonym, its people's or its adjective
(``Indian``, ``Canadians``, ``französische``, ``un vaccin indien``,
``brasileños``), in English, French, German or Spanish: no library in the
dependencies lists them (pycountry and CLDR have none), so
:data:`_DEMONYMS` does, for the countries news names most, and
:func:`_inflected` spells their feminine and plural forms. A demonym
more often says only who or what is from a country (a team's players, a
firm abroad), so it weighs least; one two countries share (``Korean``,
``Congolese``, ``Dominican``; ``Georgian``, also the US state's people, in
English) is left out, and so is one that part of a longer name uses
(:data:`_NOT_DEMONYMS_BEFORE`, :data:`_NOT_DEMONYMS_AFTER`: ``Indian
Ocean``, ``French Open``, ``Latin American``, ``océan Indien``).

A story is in the country its reports name most (:func:`story_country`).
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from functools import cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import pycountry

from newsdigest.stories.coverage import ReportView
from newsdigest.stories.text import (
    _CJK_CHAR,
    _PARENTHESIS,
    _WORD,
    _country_at,
    _country_candidates,
    _stem,
    _trie,
    _Word,
    country_names,
    fold,
    guess_language,
    name_languages,
    primary_language,
    stop_words,
)

#: Kinds of ISO 3166-2 top-level subdivision read as a country's states or
#: provinces; districts, municipalities and regions are left out, as their
#: names are more often someone's or something else's.
_REGION_KINDS = frozenset(
    {
        "State",
        "Province",
        "Territory",
        "Union territory",
        "Land",
        "Autonomous community",
        "Country",
    }
)
#: How much a country named by its name, state or province weighs.
NAME_WEIGHT = 2
#: How much a place named after a preposition of place weighs: it says where.
LOCATIVE_WEIGHT = 4
#: How much a country named by a demonym weighs: less than by its name.
DEMONYM_WEIGHT = 1
#: Prepositions of place by language, lower case: "in Germany", "en France".
_LOCATIVES: dict[str, frozenset[str]] = {
    "en": frozenset({"in", "at"}),
    "fr": frozenset({"en", "au", "aux", "à", "dans"}),
    "de": frozenset({"in", "im"}),
    "es": frozenset({"en"}),
    "ru": frozenset({"в", "во"}),
}
#: The word right before a position (only white space between).
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
#: Names of a country that only places read (upper-case ISO 3166 codes):
#: the US's that clustering leaves out, and everyday names CLDR lacks.
_PLACE_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "США", "アメリカ"),
    "KR": ("한국",),
}
#: Languages whose names are searched for as written, not word by word, with
#: a pattern for what may be written onto a name's front. Chinese and Japanese
#: write no spaces between words, Korean none between a name and its particle
#: (``일본에서``): a name in Han, kana or Hangul is read wherever it appears.
#: Arabic writes a conjunction (و, ف), then a preposition (ب, ك, ل) onto a
#: name in its own letters (``وروسيا``, ``بالصين``), which must end a word.
_WRITTEN: dict[str, str] = {"zh": "", "ja": "", "ko": "", "ar": "[وف]?[بكل]?"}
#: Arabic letters, and the article: after ل it drops its alif (``للصين``).
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_ARABIC_ARTICLE = "ال"
#: Words, by language, that are or contain a country's name as written in Han,
#: kana, Hangul or Arabic, but mean something else: a name inside one is not
#: read. ``发展中国家`` is developing countries, not China; ``海地区`` a sea
#: region (``沿海地区``), not Haiti; ``マリオ`` Mario, not Mali; ``인도적``
#: humanitarian, not India; ``عمان`` is Amman as often as Oman.
_NOT_NAMES: dict[str, str] = {
    "zh": "发展中国家 印度洋 朝鲜半岛 海地区 马里奥 阿曼达",
    "ja": "インド洋 中国地方 朝鮮半島 マリオ",
    "ko": "인도양 인도적 인도주의 말리",
    "ar": "عمان",
}
#: Characters after a Han name's final 国 that make it the start of another
#: word, 国家 (state) or 国际 (international): ``完美国家``, ``非法国际``.
_AFTER_GUO = "家际際"


def named_countries(
    headline: str, summary: str, lang: str | None, local: Container[str]
) -> dict[str, int]:
    """Upper-case ISO 3166 codes of the countries a report names, with weights.

    A state or province counts only for a country in ``local``. A place
    named after a preposition of place (``in Germany``, ``en France``) says
    where the event is and weighs :data:`LOCATIVE_WEIGHT`; a place named
    otherwise (``Australia's Jessa Mullane``) may say only who is in it, and
    weighs :data:`NAME_WEIGHT`; a demonym (``Indian``, ``Australierin``)
    weighs :data:`DEMONYM_WEIGHT`. Each country weighs as its weightiest
    mention.
    """
    text = f"{headline}. {summary}"
    tables = _tables(lang or guess_language(text) or "")
    found: dict[str, int] = {}
    demonyms = _demonyms_in(text, tables.lang)
    names: list[tuple[int, int]] = []  # where names found start and end

    def add(code: str, start: int) -> None:
        before = _WORD_BEFORE.search(text, 0, start)
        where = before is not None and before.group(1).lower() in _LOCATIVES.get(
            tables.lang, ()
        )
        weight = LOCATIVE_WEIGHT if where else NAME_WEIGHT
        found[code] = max(found.get(code, 0), weight)

    at = 0  # where the last name found ends
    for match in tables.beginning.finditer(text):
        start = match.start()
        if start < at or (start and text[start - 1].isalnum()):
            continue
        word = _WORD.match(text, start)
        if word is None:
            continue
        if place := _region_at(text, start, tables.regions.get(word.group(), ())):
            (code, region), at = place
            if code in local or not region:
                add(code, start)
                names.append((start, at))
        elif tables.countries.intersection((word.group()[:3], word.group()[:4])) and (
            country := _country_from(text, word, tables.lang)
        ):
            code, at = country
            # A demonym that stems like a name (Spanier, Français) is a demonym.
            if (start, at) not in demonyms:
                add(code, start)
                names.append((start, at))
    if tables.written is not None:
        for match in tables.written.finditer(_as_searched(text, tables.lang)):
            place = tables.written_names[match.group("name")]
            if place and (place[0] in local or not place[1]):
                found[place[0]] = max(found.get(place[0], 0), NAME_WEIGHT)
    for (start, _), code in demonyms.items():
        if not any(first <= start < end for first, end in names):
            found[code] = max(found.get(code, 0), DEMONYM_WEIGHT)
    return found


def story_country(editor_code: str | None, views: Sequence[ReportView]) -> str | None:
    """Where a story happens: the first of these that tells.

    ``editor_code``, the editor's ``country:``. Else the country the most of
    ``views`` (the story's reports) name in their headline or summary
    (:func:`named_countries`: by its name in the report's language, by a state
    or province if an outlet of the story is from there, or by a demonym,
    "Indian"), each report counting once for each country it names: twice as
    much after a preposition of place ("in Germany") as by name, half as much
    by a demonym; a tie goes to the country more of the story's outlets are
    from, then to the first code. Else the most common outlet country, ties
    to the first code.
    """
    if editor_code is not None:
        return editor_code
    outlets = Counter(v.outlet.country for v in views if v.outlet.country)
    named: Counter[str] = Counter()
    for v in views:
        named.update(
            named_countries(v.report.headline, v.report.summary, v.report.lang, outlets)
        )
    counts = named or outlets
    if not counts:
        return None
    return min(counts, key=lambda code: (-counts[code], -outlets[code], code))


class _Tables(NamedTuple):
    """What :func:`named_countries` looks places up in, for one language."""

    #: The language's ISO 639-1 code, or "" if unknown.
    lang: str
    #: Where a place's name may start: as one of their first words does.
    beginning: re.Pattern[str]
    #: The first four letters of the first words of countries' names, or as
    #: many as its stem has if fewer (``Южн`` for ``Южная``, ``Южной``).
    countries: frozenset[str]
    #: States, provinces and aliases by first word, longest first, each with
    #: its country's code and whether it is a state or province.
    regions: dict[str, list[tuple[str, tuple[str, bool]]]]
    #: Any place :data:`_WRITTEN` has searched for as written, if the
    #: language has such places: the place's form in group ``name``.
    written: re.Pattern[str] | None
    #: Each form ``written`` finds, as :func:`_as_searched` spells it, with
    #: its place's code and whether it is a state or province; None if it is
    #: one of :data:`_NOT_NAMES`.
    written_names: dict[str, tuple[str, bool] | None]


def _region_at(
    text: str, start: int, regions: Iterable[tuple[str, tuple[str, bool]]]
) -> tuple[tuple[str, bool], int] | None:
    """The one of ``regions`` that ``text`` names at ``start``, and its end."""
    for name, place in regions:
        end = start + len(name)
        if text.startswith(name, start) and not text[end : end + 1].isalnum():
            return place, end
    return None


def _country_from(text: str, first: re.Match[str], lang: str) -> tuple[str, int] | None:
    """The country whose name starts with the word ``first``, and its end."""
    candidates = _country_candidates(lang, first.group())
    if not candidates:
        return None
    words = [first, *islice(_WORD.finditer(text, first.end()), 8)]
    read = [_Word(fold(w.group()), w.group(), True, False) for w in words]
    if found := _country_at(read, 0, lang, candidates):
        code, length = found
        return code.upper(), words[length - 1].end()
    return None


@cache
def _tables(tag: str) -> _Tables:
    """Places named in language ``tag`` (``de``, ``en-GB``), read as clustering does.

    Countries' names in the languages :func:`name_languages` gives; states
    and provinces as :func:`_regions` finds them. In a language of
    :data:`_WRITTEN`, those in its own script are searched for as written,
    and a name two countries share is neither's.
    """
    lang = primary_language(tag)
    codes: dict[str, set[str]] = {}
    for source in name_languages(lang):
        for code, forms in country_names(source).items():
            for form in forms:
                codes.setdefault(form, set()).add(code)
    places = _regions(lang, set(codes))
    places.update(
        (name, (found.pop(), False))
        for name, found in codes.items()
        if len(found) == 1 and _as_written(name, lang)
    )
    regions: dict[str, list[tuple[str, tuple[str, bool]]]] = {}
    written: dict[str, tuple[str, bool] | None] = {}
    for name in sorted(places, key=len, reverse=True):
        if _as_written(name, lang):
            written.update(dict.fromkeys(_written_forms(name, lang), places[name]))
        elif word := _first_capital_word(name):
            regions.setdefault(word, []).append((name, places[name]))
    written.update(dict.fromkeys(_not_names(lang, written)))
    firsts = (_first_capital_word(n) for n in codes if not _as_written(n, lang))
    countries = frozenset(
        w[: 3 if len(_stem(lang, w.lower())) < 4 else 4] for w in firsts if w
    )
    beginning = re.compile(_trie(countries | {w[:4] for w in regions}))
    pattern = None
    if written:
        pattern = re.compile(f"(?P<name>{_trie(written)})")
        if _WRITTEN[lang]:  # it ends a word, and what is written onto it starts one
            pattern = re.compile(
                rf"(?<![^\W\d_]){_WRITTEN[lang]}{pattern.pattern}(?![^\W\d_])"
            )
    return _Tables(lang, beginning, countries, regions, pattern, written)


def _as_written(name: str, lang: str) -> bool:
    """Whether ``name`` is searched for as written in ``lang``: see :data:`_WRITTEN`."""
    return lang in _WRITTEN and bool(
        _CJK_CHAR.search(name) or (lang == "ar" and _ARABIC_LETTER.search(name))
    )


def _written_forms(name: str, lang: str) -> list[str]:
    """How ``name`` may be written in ``lang``, as :func:`_as_searched` spells it."""
    form = _as_searched(name, lang)
    if lang == "ar" and form.startswith(_ARABIC_ARTICLE):
        return [form, form[1:]]  # للصين: ل, then the article without its alif
    return [form]


def _not_names(lang: str, names: Iterable[str]) -> list[str]:
    """:data:`_NOT_NAMES` in ``lang``; ``names`` ending in 国 + :data:`_AFTER_GUO`."""
    return [
        *(_as_searched(word, lang) for word in _NOT_NAMES.get(lang, "").split()),
        *(name + c for name in names if name[-1] in "国國" for c in _AFTER_GUO),
    ]


def _as_searched(text: str, lang: str) -> str:
    """``text`` as written names are searched in: NFKC, and Arabic without marks.

    Marks (short vowels, hamza seats) are often left out in Arabic, and the
    names pycountry has carry some (``المتّحدة``). Kana keeps its voicing.
    """
    if lang != "ar":
        return unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _first_capital_word(name: str) -> str | None:
    """The word a name starts with in running text (``the State of Palestine``)."""
    words = _WORD.findall(
        name if name.isascii() else unicodedata.normalize("NFKC", name)
    )
    return next((w for w in words if not w[0].islower()), None)


def _regions(lang: str, countries: set[str]) -> dict[str, tuple[str, bool]]:
    """States and provinces (True) and aliases (False) by name, with their code.

    Each state or province as ISO writes it and in ``lang``, unless another
    country has one so named or it is one of ``countries``' names (Georgia).
    Read from pycountry's data file: loading its subdivision objects takes
    four times as long.
    """
    catalogue = gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[lang or "en"], fallback=True
    )
    with (Path(pycountry.DATABASE_DIR) / "iso3166-2.json").open("rb") as data:
        subdivisions = json.load(data)["3166-2"]
    codes: dict[str, set[str]] = {}
    for place in subdivisions:
        if "parent" not in place and place["type"] in _REGION_KINDS:
            for written in {place["name"], catalogue.gettext(place["name"])}:
                name = _PARENTHESIS.sub("", written).strip()
                codes.setdefault(name, set()).add(place["code"][:2])
    regions = {
        name: (found.pop(), True)
        for name, found in codes.items()
        if len(found) == 1 and name not in countries
    }
    for code, aliases in _PLACE_ALIASES.items():
        regions.update(dict.fromkeys(aliases, (code, False)))
    return regions


#: Demonyms by country: its people's and its adjective, masculine singular
#: (:func:`_inflected` spells the rest), in English | French | German |
#: Spanish, forms split by commas. German adjectives are in lower case and
#: nouns capitalised, as German writes them. Left out: those two countries
#: share (``Korean``, ``Congolese``, ``Guinean``, ``Dominican``, ``Samoan``,
#: ``Macedonian``), English ``Georgian`` (the US state's people too), and
#: names of languages only (``English``, ``anglais``).
_DEMONYMS = """
AE Emirati | émirien, émirati | emiratisch | emiratí
AF Afghan | afghan | afghanisch, Afghane | afgano
AL Albanian | albanais | albanisch, Albaner | albanés
AM Armenian | arménien | armenisch, Armenier | armenio
AO Angolan | angolais | angolanisch, Angolaner | angoleño
AR Argentine, Argentinian | argentin | argentinisch, Argentinier | argentino
AT Austrian | autrichien | österreichisch, Österreicher | austriaco, austríaco
AU Australian | australien | australisch, Australier | australiano
AZ Azerbaijani | azerbaïdjanais | aserbaidschanisch | azerbaiyano
BA Bosnian | bosnien | bosnisch | bosnio
BD Bangladeshi | bangladais | bangladeschisch | bangladesí
BE Belgian | belge | belgisch, Belgier | belga
BG Bulgarian | bulgare | bulgarisch, Bulgare | búlgaro
BH Bahraini | bahreïnien | bahrainisch | bareiní
BO Bolivian | bolivien | bolivianisch, Bolivianer | boliviano
BR Brazilian | brésilien | brasilianisch, Brasilianer | brasileño
BY Belarusian | biélorusse | belarussisch | bielorruso
CA Canadian | canadien | kanadisch, Kanadier | canadiense
CH Swiss | suisse | schweizerisch, Schweizer | suizo
CI Ivorian | ivoirien | ivorisch | marfileño
CL Chilean | chilien | chilenisch, Chilene | chileno
CM Cameroonian | camerounais | kamerunisch | camerunés
CN Chinese | chinois | chinesisch, Chinese | chino
CO Colombian | colombien | kolumbianisch, Kolumbianer | colombiano
CR Costa Rican | costaricien, costaricain | costa-ricanisch | costarricense
CU Cuban | cubain | kubanisch, Kubaner | cubano
CY Cypriot | chypriote | zyprisch | chipriota
CZ Czech | tchèque | tschechisch, Tscheche | checo
DE German | allemand | deutsch | alemán
DK Danish, Dane | danois | dänisch, Däne | danés
DZ Algerian | algérien | algerisch, Algerier | argelino
EC Ecuadorian | équatorien | ecuadorianisch | ecuatoriano
EE Estonian | estonien | estnisch | estonio
EG Egyptian | égyptien | ägyptisch, Ägypter | egipcio
ER Eritrean | érythréen | eritreisch | eritreo
ES Spanish, Spaniard | espagnol | spanisch, Spanier | español
ET Ethiopian | éthiopien | äthiopisch, Äthiopier | etíope
FI Finnish | finlandais | finnisch | finlandés
FJ Fijian | fidjien | fidschianisch | fiyiano
FR French | français | französisch, Franzose, Französin | francés
GB British, Briton, Brit, Scottish, Welsh, Northern Irish | britannique, \
écossais, gallois, nord-irlandais | britisch, Brite, schottisch, walisisch, \
nordirisch | británico, escocés, galés, norirlandés
GE - | géorgien | georgisch, Georgier | georgiano
GH Ghanaian | ghanéen | ghanaisch | ghanés
GR Greek | grec, grecque | griechisch, Grieche | griego
GT Guatemalan | guatémaltèque | guatemaltekisch | guatemalteco
HN Honduran | hondurien | honduranisch | hondureño
HR Croatian | croate | kroatisch, Kroate | croata
HT Haitian | haïtien | haitianisch | haitiano
HU Hungarian | hongrois | ungarisch, Ungar | húngaro
ID Indonesian | indonésien | indonesisch, Indonesier | indonesio
IE Irish | irlandais | irisch | irlandés
IL Israeli | israélien | israelisch, Israeli | israelí
IN Indian | indien | indisch, Inder | indio
IQ Iraqi | irakien | irakisch, Iraker | iraquí
IR Iranian | iranien | iranisch, Iraner | iraní
IS Icelandic, Icelander | islandais | isländisch, Isländer | islandés
IT Italian | italien | italienisch, Italiener | italiano
JM Jamaican | jamaïcain | jamaikanisch | jamaicano, jamaiquino
JO Jordanian | jordanien | jordanisch | jordano
JP Japanese | japonais | japanisch, Japaner | japonés
KE Kenyan | kényan, kenyan | kenianisch, Kenianer | keniano
KG Kyrgyz | kirghiz | kirgisisch | kirguís
KH Cambodian | cambodgien | kambodschanisch | camboyano
KP North Korean | nord-coréen | nordkoreanisch, Nordkoreaner | norcoreano
KR South Korean | sud-coréen | südkoreanisch, Südkoreaner | surcoreano
KW Kuwaiti | koweïtien | kuwaitisch | kuwaití
KZ Kazakh | kazakh | kasachisch | kazajo
LA Laotian | laotien | laotisch | laosiano
LB Lebanese | libanais | libanesisch, Libanese | libanés
LK Sri Lankan | sri-lankais | sri-lankisch | ceilandés
LR Liberian | libérien | liberianisch | liberiano
LT Lithuanian | lituanien | litauisch, Litauer | lituano
LU Luxembourger | luxembourgeois | luxemburgisch, Luxemburger | luxemburgués
LV Latvian | letton | lettisch | letón
LY Libyan | libyen | libysch, Libyer | libio
MA Moroccan | marocain | marokkanisch, Marokkaner | marroquí
MC Monegasque | monégasque | monegassisch | monegasco
MD Moldovan | moldave | moldauisch | moldavo
ME Montenegrin | monténégrin | montenegrinisch | montenegrino
MG Malagasy | malgache | madagassisch | malgache
MK North Macedonian | nord-macédonien | nordmazedonisch | normacedonio
ML Malian | malien | malisch | maliense
MM Burmese | birman | birmanisch | birmano
MN Mongolian | mongol | mongolisch | mongol
MT Maltese | maltais | maltesisch | maltés
MX Mexican | mexicain | mexikanisch, Mexikaner | mexicano
MY Malaysian | malaisien | malaysisch | malasio
MZ Mozambican | mozambicain | mosambikanisch | mozambiqueño
NA Namibian | namibien | namibisch | namibio
NE Nigerien | nigérien | nigrisch | nigerino
NG Nigerian | nigérian | nigerianisch, Nigerianer | nigeriano
NI Nicaraguan | nicaraguayen | nicaraguanisch | nicaragüense
NL Dutch | néerlandais | niederländisch, Niederländer | neerlandés, holandés
NO Norwegian | norvégien | norwegisch, Norweger | noruego
NP Nepali, Nepalese | népalais | nepalesisch | nepalí
NZ New Zealander | néo-zélandais | neuseeländisch, Neuseeländer | neozelandés
OM Omani | omanais | omanisch | omaní
PA Panamanian | panaméen | panamaisch | panameño
PE Peruvian | péruvien | peruanisch, Peruaner | peruano
PG Papua New Guinean | papouan-néo-guinéen | papua-neuguineisch | -
PH Filipino, Filipina, Philippine | philippin | philippinisch | filipino
PK Pakistani | pakistanais | pakistanisch, Pakistaner | pakistaní, paquistaní
PL Polish | polonais | polnisch | polaco
PR Puerto Rican | portoricain | puerto-ricanisch | puertorriqueño
PS Palestinian | palestinien | palästinensisch, Palästinenser | palestino
PT Portuguese | portugais | portugiesisch, Portugiese | portugués
PY Paraguayan | paraguayen | paraguayisch | paraguayo
QA Qatari | qatarien, qatari | katarisch | catarí, qatarí
RO Romanian | roumain | rumänisch, Rumäne | rumano
RS Serbian | serbe | serbisch, Serbe | serbio
RU Russian | russe | russisch, Russe | ruso
RW Rwandan | rwandais | ruandisch | ruandés
SA Saudi | saoudien | saudisch, saudi-arabisch | saudí
SD Sudanese | soudanais | sudanesisch | sudanés
SE Swedish, Swede | suédois | schwedisch, Schwede | sueco
SG Singaporean | singapourien | singapurisch | singapurense
SI Slovenian, Slovene | slovène | slowenisch | esloveno
SK Slovak | slovaque | slowakisch, Slowake | eslovaco
SN Senegalese | sénégalais | senegalesisch | senegalés
SO Somali | somalien | somalisch | somalí
SS South Sudanese | sud-soudanais | südsudanesisch | sursudanés
SV Salvadoran | salvadorien | salvadorianisch | salvadoreño
SY Syrian | syrien | syrisch, Syrer | sirio
TH Thai | thaïlandais | thailändisch | tailandés
TJ Tajik | tadjik | tadschikisch | tayiko
TM Turkmen | turkmène | turkmenisch | turcomano
TN Tunisian | tunisien | tunesisch, Tunesier | tunecino
TR Turkish, Turk | turc, turque | türkisch, Türke | turco
TW Taiwanese | taïwanais | taiwanisch | taiwanés
TZ Tanzanian | tanzanien | tansanisch | tanzano
UA Ukrainian | ukrainien | ukrainisch, Ukrainer | ucraniano
UG Ugandan | ougandais | ugandisch | ugandés
US American | américain, étasunien | amerikanisch, Amerikaner | estadounidense
UY Uruguayan | uruguayen | uruguayisch | uruguayo
UZ Uzbek | ouzbek | usbekisch | uzbeko
VE Venezuelan | vénézuélien | venezolanisch, Venezolaner | venezolano
VN Vietnamese | vietnamien | vietnamesisch, Vietnamese | vietnamita
YE Yemeni | yéménite | jemenitisch | yemení
ZA South African | sud-africain | südafrikanisch, Südafrikaner | sudafricano
ZM Zambian | zambien | sambisch | zambiano
ZW Zimbabwean | zimbabwéen | simbabwisch | zimbabuense
"""
#: The languages of :data:`_DEMONYMS`' columns.
_DEMONYM_LANGUAGES = ("en", "fr", "de", "es")
#: Words right before a demonym, folded, that make it part of another name
#: (``Latin American``, ``American Indian``, ``océan Indien``).
_NOT_DEMONYMS_BEFORE: dict[str, frozenset[str]] = {
    "en": frozenset(
        {"latin", "north", "south", "central", "native", "american", "anglo"}
        | {"west", "east", "pan"}
    ),
    "fr": frozenset({"ocean", "mer", "golfe"}),
    "es": frozenset({"oceano", "mar", "golfo"}),
}
#: Words right after a demonym, folded, that make it part of another name
#: (``Indian Ocean``, ``French Open``, ``Indischer Ozean``).
_NOT_DEMONYMS_AFTER: dict[str, frozenset[str]] = {
    "en": frozenset({"ocean", "sea", "gulf", "peninsula", "open"}),
    "de": frozenset({"ozean", "ozeans", "meer", "meeres"}),
}


def _demonyms_in(text: str, lang: str) -> dict[tuple[int, int], str]:
    """Where ``text`` names a country by a demonym: (start, end) -> its code."""
    table = _demonym_table(lang)
    if not table:
        return {}
    words = list(_WORD.finditer(text))
    found: dict[tuple[int, int], str] = {}
    index = 0
    while index < len(words):
        first = words[index]
        for rest, code, case in table.get(fold(first.group()), ()):
            last = index + len(rest)
            if (
                last < len(words)
                and all(
                    fold(words[index + at + 1].group()) == word
                    and _joined(text, words[index + at], words[index + at + 1])
                    for at, word in enumerate(rest)
                )
                and _case_fits(first.group(), case)
            ):
                if not _in_a_name(text, words, index, last, lang):
                    found[first.start(), words[last].end()] = code
                index = last
                break
        index += 1
    return found


def _case_fits(word: str, case: int) -> bool:
    """Whether ``word`` is capitalised (case 1) or not (-1) as it must be."""
    return not case or word[0].isupper() == (case > 0)


def _joined(text: str, one: re.Match[str], other: re.Match[str]) -> bool:
    """Whether two words are next to each other: only a space or a hyphen between."""
    gap = text[one.end() : other.start()]
    return bool(gap) and not gap.strip(" -")


def _in_a_name(
    text: str, words: list[re.Match[str]], first: int, last: int, lang: str
) -> bool:
    """Whether the demonym ``words[first:last + 1]`` is part of a longer name."""
    before = first > 0 and _joined(text, words[first - 1], words[first])
    after = last + 1 < len(words) and _joined(text, words[last], words[last + 1])
    return (
        before and fold(words[first - 1].group()) in _NOT_DEMONYMS_BEFORE.get(lang, ())
    ) or (after and fold(words[last + 1].group()) in _NOT_DEMONYMS_AFTER.get(lang, ()))


@cache
def _demonym_table(lang: str) -> dict[str, list[tuple[tuple[str, ...], str, int]]]:
    """Demonyms in ``lang`` by their first word, folded, longest first.

    Each with its other words, its country's code and its case: 1 if it
    must be capitalised (English ones, German nouns), -1 if it must be in
    lower case (one spelt as a country's name is that name when capitalised:
    Spanish ``china``, ``China``; German ``Polen``), else 0. Left out: a
    spelling two countries share, or a stop word of ``lang``.
    """
    if lang not in _DEMONYM_LANGUAGES:
        return {}
    column = _DEMONYM_LANGUAGES.index(lang)
    names = {
        tuple(fold(w) for w in _WORD.findall(form))
        for forms in country_names(lang).values()
        for form in forms
    }
    stops = stop_words(lang)
    codes: dict[tuple[str, ...], set[str]] = {}
    cases: dict[tuple[str, ...], int] = {}
    for line in _DEMONYMS.strip().splitlines():
        code, columns = line.split(maxsplit=1)
        for form in columns.split("|")[column].split(","):
            words = [fold(w) for w in _WORD.findall(form)]
            if not words:  # "-": none in this language
                continue
            capital = lang == "en" or (lang == "de" and form.strip()[0].isupper())
            for spelling in _inflected(words[-1], lang, capital):
                key = (*words[:-1], spelling)
                if len(key) == 1 and spelling in stops:
                    continue
                if key in names and capital:
                    continue
                codes.setdefault(key, set()).add(code)
                case = -1 if key in names else int(capital)
                cases[key] = min(cases.get(key, case), case, key=abs)
    table: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
    for key in sorted(codes, key=len, reverse=True):
        if len(codes[key]) == 1:
            table.setdefault(key[0], []).append(
                (key[1:], next(iter(codes[key])), cases[key])
            )
    return table


def _inflected(word: str, lang: str, noun: bool) -> set[str]:
    """A folded demonym's spellings: feminine, plural, and German cases.

    Regular forms only (:data:`_ENDINGS`); :data:`_DEMONYMS` lists the
    others (``grecque``, ``Französin``). ``noun`` is whether it is a German
    noun.
    """
    rules = _ENDINGS["de noun" if lang == "de" and noun else lang]
    for suffixes, cut, endings in rules:
        if word.endswith(suffixes):
            return {word[: len(word) - cut] + ending for ending in endings}
    return {word}


#: How demonyms inflect, by language: for the first of the word endings that
#: it has, how many letters to cut and the endings to put in their place.
_ENDINGS: dict[str, tuple[tuple[tuple[str, ...], int, tuple[str, ...]], ...]] = {
    "en": ((("",), 0, ("", "s")),),
    "fr": (
        (("ien", "een", "on"), 0, ("", "s", "ne", "nes")),  # indienne
        (("e",), 0, ("", "s")),
        (("s",), 0, ("", "e", "es")),  # françaises
        (("",), 0, ("", "s", "e", "es")),
    ),
    "de": ((("",), 0, ("", "e", "en", "er", "es", "em")),),  # indischen
    "de noun": (
        (("e",), 1, ("e", "en", "in", "innen")),  # Briten, Britin
        (("",), 0, ("", "n", "s", "in", "innen")),  # Inderin, Israelis
    ),
    "es": (
        (("o",), 1, ("o", "a", "os", "as")),  # brasileñas
        (("e", "a"), 0, ("", "s")),
        (("i", "u"), 0, ("", "s", "es")),  # israelíes
        (("",), 0, ("", "a", "es", "as")),  # francesa, alemanes
    ),
}
