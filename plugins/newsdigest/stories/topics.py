"""Recurring actors and places: the names in stories and dispatches, and topics.

A **name** is a run of adjacent capitalised words, each of which the batch
also capitalises in mid-sentence (the clustering rule of
:mod:`newsdigest.stories.text`), so a sentence-initial ``The`` or
``Inspectors`` is never one. Leading titles are dropped
(``Commissioner Renata Okafor`` is ``Renata Okafor``), a possessive ``'s`` goes,
and a name that ends another name of the same item counts as that one
(``Okafor`` after ``Renata Okafor``). Title-case headlines tell no names,
nor does a lone demonym (``Indian``, ``Canadians``).
A **topic** is a name that at least ``min_stories`` stories carry as a topic
(:func:`topic_names`): in their headline, in two of their reports, or in the
headline or first sentence of their only one; one passing mention is not enough.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from newsdigest.slugs import unique_slug
from newsdigest.stories.text import fold, names_in, primary_language

DEFAULT_MIN_STORIES = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = ("'s", "’s")
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
#: A sentence's end, if a capitalised word follows: a stop and closing quotes.
_STOP = re.compile(r"[.!?][\"'”’)\]]*\s+")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
#: Abbreviated titles a stop does not end a sentence after (folded).
_ABBREVIATIONS = frozenset({"gov", "sen", "rep", "gen", "st"})


@dataclass(frozen=True)
class Item:
    """A story or dispatch as name search sees it: texts with their language.

    ``texts[0]`` is the item's own headline (a story's or dispatch's title).
    A story's other texts are its reports' headlines and summaries, in pairs;
    a dispatch's are its body.
    """

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
    #: Folded runs where one mention makes a topic (:func:`topic_names`).
    lead: tuple[tuple[str, ...], ...] = ()
    #: Each source's folded runs, if the item has several (two make a topic).
    sources: tuple[tuple[tuple[str, ...], ...], ...] = ()


def scan_item(item: Item) -> NameScan:
    """The name evidence in one item, for :func:`item_names` and :func:`topic_names`."""
    langs = [_lang(lang) for _text, lang in item.texts]
    words = frozenset().union(
        *(
            names_in(text, lang)
            for (text, _), lang in zip(item.texts, langs, strict=True)
        )
    )
    runs = [
        run
        for (text, _), lang in zip(item.texts, langs, strict=True)
        if lang != "de" and not _title_case(text)
        for run in _capitalised_runs(text)
    ]
    lead, sources = _topic_evidence(item)
    return NameScan(words, tuple(runs), lead, sources)


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


def topic_names(scan: NameScan, names: dict[str, str]) -> dict[str, str]:
    """Which of an item's ``names`` it carries as a topic, not in passing.

    A story is about a name when its headline names it, when two of its
    reports do (in headline or summary: independent sources bring it up), or,
    when it has only one report, when that report's headline or first
    sentence does; a dispatch (one source) likewise, by its title or its
    body's first sentence. A name a report drops once further down, or that
    one report of many brings up (a Canadian paper on a bridge in Maine),
    makes no topic. The name counts as written in full or, as
    :func:`item_names` equates them, by its end (``Okafor`` for
    ``Renata Okafor``, so ``Okafor orders inspections`` is a headline naming
    her). All ``names`` still serve finding related stories. ``scan`` is the
    item's :func:`scan_item`.
    """
    carried = {}
    for name, phrase in names.items():
        forms = _forms(name)
        if (
            _mentions(scan.lead, forms)
            or sum(_mentions(runs, forms) for runs in scan.sources) >= 2
        ):
            carried[name] = phrase
    return carried


def _topic_evidence(
    item: Item,
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[tuple[str, ...], ...], ...]]:
    """The folded runs of :data:`NameScan.lead` and :data:`NameScan.sources`."""
    if not item.texts:
        return (), ()
    headline, *rest = (text for text, _lang in item.texts)
    if item.story:
        sources = [
            (rest[at], rest[at + 1] if at + 1 < len(rest) else "")
            for at in range(0, len(rest), 2)
        ]
    else:
        sources = [(headline, " ".join(rest))]
    if len(sources) == 1:  # its headline, or its one source's headline and lead
        source_headline, body = sources[0]
        lead = f"{headline}\n{source_headline}\n{_first_sentence(body)}"
        return _folded_runs(lead), ()
    # its headline, or two sources anywhere
    each_source = tuple(_folded_runs("\n".join(source)) for source in sources)
    return _folded_runs(headline), each_source


def topics(
    items: Sequence[Item],
    names: dict[str, dict[str, str]],
    min_stories: int = DEFAULT_MIN_STORIES,
    scans: Sequence[NameScan] | None = None,
) -> list[Topic]:
    """Names at least ``min_stories`` stories carry as topics, most stories first.

    ``names`` are the items' :func:`item_names`; :func:`topic_names` says
    which of them an item carries as a topic. ``scans`` are the items'
    :func:`scan_item`, if known.
    """
    if scans is None:
        scans = [scan_item(item) for item in items]
    spelled = {
        name: phrase for found in names.values() for name, phrase in found.items()
    }
    full = _full_names(set(spelled))
    carriers: dict[str, list[Item]] = {}
    written: dict[str, Counter[str]] = {}
    for item, scan in zip(items, scans, strict=True):
        for found, as_written in topic_names(scan, names.get(item.key, {})).items():
            # Dubreuil alone counts for the one Claire Dubreuil.
            name = full.get(found, found)
            phrase = spelled[name] if name != found else as_written
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


def _full_names(names: set[str]) -> dict[str, str]:
    """Each name that ends exactly one longer name, mapped to that name.

    An item that writes only ``Dubreuil`` counts for the ``Claire Dubreuil``
    another item names in full; ``Smith``, ending two names, counts for none.
    """
    endings: dict[str, set[str]] = {}
    for name in names:
        words = name.split()
        for start in range(1, len(words)):
            endings.setdefault(" ".join(words[start:]), set()).add(name)
    return {
        short: next(iter(longer))
        for short, longer in endings.items()
        if short in names and len(longer) == 1
    }


def _forms(name: str) -> set[tuple[str, ...]]:
    """A folded name's words, and each shorter ending that stands for it."""
    words = tuple(name.split())
    return {words[start:] for start in range(len(words))}


def _folded_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """The runs of capitalised words in ``text``, folded."""
    return tuple(tuple(fold(word) for word in run) for run in _capitalised_runs(text))


def _mentions(runs: tuple[tuple[str, ...], ...], forms: set[tuple[str, ...]]) -> bool:
    """Whether capitalised ``runs`` (:func:`_folded_runs`) spell one of ``forms``."""
    for folded in runs:
        for form in forms:
            if any(
                folded[at : at + len(form)] == form
                for at in range(len(folded) - len(form) + 1)
            ):
                return True
    return False


def _first_sentence(text: str) -> str:
    """``text`` up to its first full stop, question or exclamation mark.

    Only a stop before a capitalised word ends a sentence, and not one after
    an initial, a short abbreviation or a title (``U.S.``, ``Dr.``, ``Gov.``).
    """
    for stop in _STOP.finditer(text):
        before = _LAST_WORD.search(text, 0, stop.start())
        after = _WORD.search(text, stop.end())
        if not (after and after.group()[0].isupper()):
            continue
        if before and (
            len(before.group()) == 1
            or (len(before.group()) == 2 and before.group()[0].isupper())
            or fold(before.group()) in TITLES | _ABBREVIATIONS
        ):
            continue
        return text[: stop.end()].rstrip()
    return text


def _capitalised_runs(text: str) -> list[tuple[str, ...]]:
    """Runs of capitalised words joined by single spaces, a possessive ending one."""
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    end, possessive = 0, False
    for match in _WORD.finditer(text):
        written = match.group()
        word = written[:-2] if written.endswith(_POSSESSIVE) else written
        if run and (possessive or text[end : match.start()] not in _JOIN):
            runs.append(tuple(run))
            run = []
        if len(word) > 1 and word[0].isupper():
            run.append(word)
        elif run:
            runs.append(tuple(run))
            run = []
        end, possessive = match.end(), len(word) < len(written)
    return [*runs, tuple(run)] if run else runs


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
    return primary_language(lang) or None
