"""Where a report says its event happens: the countries it names.

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
Demonyms (``German``, ``französische``) are not read: no source lists them.
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections.abc import Container, Iterable
from functools import cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import pycountry

from newsdigest.stories.text import (
    _STOP_WORDS,
    _WORD,
    _country_at,
    _country_candidates,
    _trie,
    _Word,
    country_names,
    fold,
    guess_language,
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
#: How much more a place named after a preposition of place counts.
LOCATIVE_WEIGHT = 2
#: Prepositions of place by language, lower case: "in Germany", "en France".
_LOCATIVES: dict[str, frozenset[str]] = {
    "en": frozenset({"in", "at"}),
    "fr": frozenset({"en", "au", "aux", "à", "dans"}),
    "de": frozenset({"in", "im"}),
    "es": frozenset({"en"}),
}
#: The word right before a position (only white space between).
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
#: Names of a country that only places read (upper-case ISO 3166 codes).
_PLACE_ALIASES: dict[str, tuple[str, ...]] = {"US": ("US", "U.S.", "USA", "U.S.A.")}


def named_countries(
    headline: str, summary: str, lang: str | None, local: Container[str]
) -> dict[str, int]:
    """Upper-case ISO 3166 codes of the countries a report names, with weights.

    A state or province counts only for a country in ``local``. A place
    named after a preposition of place (``in Germany``, ``en France``) says
    where the event is and weighs :data:`LOCATIVE_WEIGHT`; a place named
    otherwise (``Australia's Jessa Mullane``, ``Australierin``) may say only
    who is in it, and weighs 1.
    """
    text = f"{headline}. {summary}"
    tables = _tables(lang or guess_language(text) or "")
    found: dict[str, int] = {}

    def add(code: str, start: int) -> None:
        before = _WORD_BEFORE.search(text, 0, start)
        where = before is not None and before.group(1).lower() in _LOCATIVES.get(
            tables.lang, ()
        )
        found[code] = max(found.get(code, 0), LOCATIVE_WEIGHT if where else 1)

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
        elif word.group()[:4] in tables.countries and (
            country := _country_from(text, word, tables.lang)
        ):
            code, at = country
            add(code, start)
    return found


class _Tables(NamedTuple):
    """What :func:`named_countries` looks places up in, for one language."""

    #: The language's ISO 639-1 code, or "" if unknown.
    lang: str
    #: Where a place's name may start: as one of their first words does.
    beginning: re.Pattern[str]
    #: The first four letters of the first words of countries' names.
    countries: frozenset[str]
    #: States, provinces and aliases by first word, longest first, each with
    #: its country's code and whether it is a state or province.
    regions: dict[str, list[tuple[str, tuple[str, bool]]]]


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

    Countries' names in the language, or in every language it has stop words
    for if it has none; states and provinces as :func:`_regions` finds them.
    """
    lang = tag.split("-", maxsplit=1)[0].lower()
    names = [
        form
        for source in ([lang] if lang in _STOP_WORDS else _STOP_WORDS)
        for forms in country_names(source).values()
        for form in forms
    ]
    places = _regions(lang, set(names))
    regions: dict[str, list[tuple[str, tuple[str, bool]]]] = {}
    for name in sorted(places, key=len, reverse=True):
        if word := _first_capital_word(name):
            regions.setdefault(word, []).append((name, places[name]))
    countries = frozenset(w[:4] for n in names if (w := _first_capital_word(n)))
    beginning = re.compile(_trie(countries | {w[:4] for w in regions}))
    return _Tables(lang, beginning, countries, regions)


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
                name = re.sub(r"\s*\(.*?\)", "", written).strip()
                codes.setdefault(name, set()).add(place["code"][:2])
    regions = {
        name: (found.pop(), True)
        for name, found in codes.items()
        if len(found) == 1 and name not in countries
    }
    for code, aliases in _PLACE_ALIASES.items():
        regions.update(dict.fromkeys(aliases, (code, False)))
    return regions
