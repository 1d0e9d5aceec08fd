"""Recurring actors and places: the names in stories and dispatches, and topics.

A **name** is a run of adjacent capitalised words, each of which the batch
also capitalises in mid-sentence (the clustering rule of
:mod:`newsdigest.stories.text`), so a sentence-initial ``The`` or
``Inspectors`` is never one. Leading titles are dropped
(``Commissioner Renata Okafor`` is ``Renata Okafor``), a possessive ``'s`` goes,
and a name that ends another name of the same item counts as that one
(``Okafor`` after ``Renata Okafor``). Title-case headlines tell no names,
nor does a lone demonym (``Indian``, ``Canadians``).
A **topic** is a name that at least ``min_stories`` stories carry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from newsdigest.slugs import unique_slug
from newsdigest.stories.text import _names, _scan, fold

DEFAULT_MIN_STORIES = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
#: A word alone with one of these endings is a people's adjective (``Indian``).
_DEMONYM = re.compile(r"(?:ian|ese|ish|ean)s?$")
#: Words before a name that say what someone is, not who (folded).
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sir",
        "dame",
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "senator",
        "governor",
        "mayor",
        "commissioner",
        "secretary",
        "chief",
        "ceo",
        "chair",
        "chairman",
        "chairwoman",
        "judge",
        "justice",
        "general",
        "captain",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "founder",
        "coach",
        "inspector",
        "detective",
        "sheriff",
        "deputy",
        "director",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "councillor",
        "councilor",
        "premier",
    ]
)
#: Words in a name are parted by one space only: a comma or a stop ends it.
_JOIN = frozenset({" ", "\u00a0"})


@dataclass(frozen=True)
class Item:
    """A story or dispatch as name search sees it: texts with their language."""

    key: str
    texts: tuple[tuple[str, str | None], ...]
    time: datetime
    story: bool = True


@dataclass(frozen=True)
class Topic:
    """A recurring name, the items carrying it (newest first) and its stable slug."""

    slug: str
    name: str
    keys: tuple[str, ...]
    stories: int


class NameScan(NamedTuple):
    """What an item's own texts tell name search, whatever the batch says."""

    #: Folded words the item writes as names (capitalised mid-sentence, acronyms).
    words: frozenset[str]
    #: Runs of adjacent capitalised words as written, in texts that can tell names.
    runs: tuple[tuple[str, ...], ...]


def scan_item(item: Item) -> NameScan:
    """The name evidence in one item, for :func:`item_names`."""
    langs = [_lang(lang) for _text, lang in item.texts]
    scanned = [
        _scan(text, lang) for (text, _), lang in zip(item.texts, langs, strict=True)
    ]
    runs = [
        run
        for (text, _), lang in zip(item.texts, langs, strict=True)
        if lang != "de" and not _title_case(text)
        for run in _capitalised_runs(text)
    ]
    return NameScan(frozenset(_names(scanned, langs)), tuple(runs))


def item_names(
    items: Sequence[Item], scans: Sequence[NameScan] | None = None
) -> dict[str, dict[str, str]]:
    """For each item key, its names: folded name -> the name as most often written.

    ``scans`` are the items' :func:`scan_item`, if known.
    """
    if scans is None:
        scans = [scan_item(item) for item in items]
    name_words = set().union(*(scan.words for scan in scans))
    found: dict[str, dict[str, str]] = {}
    for item, scan in zip(items, scans, strict=True):
        written: dict[str, Counter[str]] = {}
        for phrase in _phrases(scan.runs, name_words):
            written.setdefault(fold(phrase), Counter())[phrase] += 1
        found[item.key] = {
            name: min(counts, key=lambda p: (-counts[p], p))
            for name, counts in written.items()
            if not any(other.endswith(f" {name}") for other in written)
        }
    return found


def topics(
    items: Sequence[Item],
    names: dict[str, dict[str, str]],
    min_stories: int = DEFAULT_MIN_STORIES,
) -> list[Topic]:
    """Names at least ``min_stories`` stories carry, most stories first."""
    carriers: dict[str, list[Item]] = {}
    written: dict[str, Counter[str]] = {}
    for item in items:
        for name, phrase in names.get(item.key, {}).items():
            carriers.setdefault(name, []).append(item)
            written.setdefault(name, Counter())[phrase] += 1
    chosen = sorted(
        (
            name
            for name, members in carriers.items()
            if sum(m.story for m in members) >= min_stories
        ),
    )
    taken: set[str] = set()
    found = []
    for name in chosen:
        members = sorted(carriers[name], key=lambda m: (m.time, m.key), reverse=True)
        label = min(written[name], key=lambda p: (-written[name][p], p))
        slug = unique_slug(name, taken)
        taken.add(slug)
        found.append(
            Topic(
                slug,
                label,
                tuple(m.key for m in members),
                sum(m.story for m in members),
            )
        )
    return sorted(found, key=lambda t: (-t.stories, t.slug))


def _capitalised_runs(text: str) -> list[tuple[str, ...]]:
    """Runs of capitalised words joined by single spaces, a possessive ending one."""
    runs: list[list[str]] = [[]]
    end, possessive = 0, False
    for match in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group())
        if possessive or text[end : match.start()] not in _JOIN:
            runs.append([])
        if len(word) > 1 and word[0].isupper():
            runs[-1].append(word)
        else:
            runs.append([])
        end, possessive = match.end(), word != match.group()
    return [tuple(run) for run in runs if run]


def _phrases(runs: Iterable[tuple[str, ...]], name_words: set[str]) -> list[str]:
    """The names in capitalised runs, as written, without leading titles."""
    names: list[list[str]] = []
    for run in runs:
        names.append([])
        for word in run:
            if fold(word) in name_words:
                names[-1].append(word)
            else:
                names.append([])
    phrases = []
    for run in names:
        start = 0
        while start < len(run) and fold(run[start]) in TITLES:
            start += 1
        name = run[start:]
        if name and not (len(name) == 1 and _DEMONYM.search(fold(name[0]))):
            phrases.append(" ".join(name))
    return phrases


def _title_case(text: str) -> bool:
    """Every longer word capitalised: a headline in Title Case tells no names."""
    long_words = [w for w in _WORD.findall(text) if len(w) > 3]
    return len(long_words) >= 3 and all(w[0].isupper() for w in long_words)


def _lang(lang: str | None) -> str | None:
    return (lang or "").split("-")[0].lower() or None
