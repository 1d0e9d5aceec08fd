"""Claims check: the key factual claims in a story's coverage, matched across reports.

Simple rules a reader can follow, run over each report's headline and summary:

- A **figure** is a number with its scale (``$310 million``, ``18%``,
  ``41,000``) and the word that says what it counts: the first content word
  after it, or else the last one before it (``41,000 vehicles``, ``cost $310
  million``). Two reports make the same figure claim when the value and that
  word match; a different value for the same word, within a factor of ten,
  **contradicts** it (unless one counts a part: ``139 other countries``).
- A **statement** is a name with a word of saying next to it (``Okafor
  said``, ``said Okafor``); reports match on the name.
- An **action** is a name followed by a verb (``Brackwater Engineering
  wins``); reports match on the name and the verb.
- Ranges and tallies (``12 to 15 million``, ``181 to 142``) are skipped.
- A claim in a sentence with a denial word (denies, disputes, rejects, false,
  not true) is **disputed** by that report rather than asserted.

A name is a run of capitalised words ending in one that some summary of the
story capitalises in mid-sentence, and it is matched on that last word (a
surname: ``Commissioner Okafor`` is ``Okafor``). Copies of one text count as
one source. Only claims that at least two independent sources make or dispute
are kept; editors' ``claims:`` in the front matter are always shown and win
over extracted claims with the same text. Copies are the ``copy_of`` links
:func:`newsdigest.stories.coverage.coverage` finds with
:func:`newsdigest.stories.syndication.copy_groups`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsdigest.records import Outlet
from newsdigest.stories.coverage import ReportView, outlet_for
from newsdigest.stories.text import _NUMBER, _number_token, fold, stop_words

logger = logging.getLogger(__name__)

#: Most claims a story page lists (editors' claims are always listed).
MAX_CLAIMS = 8
#: Fewest independent sources, asserting or disputing, for an extracted claim.
MIN_SOURCES = 2
#: Two figures for the same thing contradict only within this factor; further
#: apart they count different things (``9,400 children``, ``children over 18``).
MAX_CONTRADICTION_RATIO = 10

SAY_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "stated",
        "states",
        "announced",
        "announces",
        "confirmed",
        "confirms",
        "claimed",
        "claims",
        "warned",
        "warns",
        "insisted",
        "insists",
        "added",
        "adds",
    ]
)
_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied)|disput(?:e|es|ed)|reject(?:s|ed)?|false|untrue|not true)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_CLAUSE_END = re.compile(r"[,;:()\"“”«»—–]")
#: "139 other countries" counts a part, so contradicts no total.
_PART = re.compile(r"\b(?:other|more|further|additional|another)\b")
_CURRENCY = "$€£¥"
_RANGE = re.compile(r"\s+to\s+[$€£¥]?")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_EDIT_LISTS = ("asserted_by", "disputed_by")


@dataclass(frozen=True)
class Claim:
    """A claim as the page shows it, with who asserts and who disputes it."""

    text: str
    asserted_by: tuple[Outlet, ...]
    disputed_by: tuple[Outlet, ...]
    #: Independent sources: copies of one text count once.
    asserting: int
    disputing: int
    edited: bool = False


@dataclass(frozen=True)
class _Mention:
    """One report making (or disputing) one claim."""

    key: tuple
    text: str
    view: ReportView
    disputes: bool
    #: Figures for the same thing: a different value here contradicts.
    topic: tuple | None = None


def claims_check(
    views: Sequence[ReportView],
    outlets: dict[str, Outlet],
    edits: object = None,
    source: str = "",
) -> list[Claim]:
    """The story's claims: editors' first, then extracted ones by sources."""
    names = _names(views)
    origins = _origins(views)
    mentions = [m for view in views for m in _mentions(view, names)]
    found = [
        _claim(k, mentions, origins) for k in dict.fromkeys(m.key for m in mentions)
    ]
    edited = _apply_edits(_editor_entries(edits, source), found, outlets, origins)
    kept = {_normalise(c.text) for c in edited}
    extracted = [
        c
        for c in found
        if _normalise(c.text) not in kept
        and _count(c.asserted_by + c.disputed_by, origins) >= MIN_SOURCES
    ]
    extracted.sort(key=lambda c: (-(c.asserting + c.disputing), -c.disputing))
    return edited + extracted[: max(0, MAX_CLAIMS - len(edited))]


def _mentions(view: ReportView, names: set[str]) -> list[_Mention]:
    """Every figure, statement and action in one report's headline and summary."""
    lang = (view.report.lang or view.outlet.language or "en").split("-")[0].lower()
    found = []
    for sentence in _sentences(view):
        disputes = bool(_DENIAL.search(fold(sentence)))
        for key, topic, text in _figures(sentence, lang):
            found.append(_Mention(key, text, view, disputes, topic))
        for key, text in _statements_and_actions(sentence, names):
            # Quoting someone's denial still asserts that they said it.
            found.append(_Mention(key, text, view, disputes and key[0] == "does"))
    return found


def _sentences(view: ReportView) -> list[str]:
    """The headline, then each sentence of the summary."""
    parts = [view.report.headline, *_SENTENCE.split(view.report.summary or "")]
    return [p.strip() for p in parts if p and p.strip()]


def _figures(sentence: str, lang: str) -> list[tuple[tuple, tuple | None, str]]:
    """(key, topic, text) of each number in a sentence with the word it counts."""
    numbers = [(m, *_number_token(m, lang)) for m in _NUMBER.finditer(sentence)]
    paired = set()  # ranges and tallies, "12 to 15 million", "181 to 142"
    for index in range(1, len(numbers)):
        gap = sentence[numbers[index - 1][2] : numbers[index][0].start()]
        if _RANGE.fullmatch(gap):
            paired |= {index - 1, index}
    figures = []
    for index, (match, token, end) in enumerate(numbers):
        if token is None or "-" in token or index in paired:
            continue
        value, unit = _value(token[1:])
        start = match.start()
        currency = (
            sentence[start - 1] if start and sentence[start - 1] in _CURRENCY else ""
        )
        start -= len(currency)
        if not unit and not currency and value.is_integer() and 1900 <= value <= 2100:
            continue  # a year
        context = _context(sentence, start, end, lang)
        if context is None:
            continue
        word, span = context
        topic = ("figure", word, currency, unit == "%")
        text = sentence[min(start, span[0]) : max(end, span[1])]
        part = _PART.search(fold(sentence[end : span[1]]))
        figures.append(((*topic, value), None if part else topic, text))
    return figures


def _value(token: str) -> tuple[float, str]:
    """``310m`` -> (310000000.0, "m"); ``18%`` -> (18.0, "%")."""
    unit = token[-1] if token[-1] in (*_SCALE, "%") else ""
    number = float(token[: len(token) - len(unit)])
    return number * _SCALE.get(unit, 1), unit


def _context(
    sentence: str, start: int, end: int, lang: str
) -> tuple[str, tuple[int, int]] | None:
    """What a figure counts: the first content word after it, else the last before."""
    stops = stop_words(lang)
    after = sentence[end:]
    clause = _CLAUSE_END.search(after)
    for match in list(_WORD.finditer(after[: clause.start() if clause else None]))[:3]:
        if _content(match.group(), stops):
            return _key_word(match.group()), (end + match.start(), end + match.end())
    before = sentence[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    for match in reversed(list(_WORD.finditer(before, cut))[-3:]):
        if _content(match.group(), stops):
            return _key_word(match.group()), match.span()
    return None


def _content(word: str, stops: frozenset[str]) -> bool:
    return len(word) > 2 and fold(word) not in stops


def _key_word(word: str) -> str:
    """Folded, without a plural ``s``: ``Vehicles`` -> ``vehicle``."""
    folded = fold(word)
    return folded[:-1] if len(folded) > 4 and folded.endswith("s") else folded


def _statements_and_actions(sentence: str, names: set[str]) -> list[tuple[tuple, str]]:
    """(key, text) for each name saying something or doing something."""
    words = list(_WORD.finditer(sentence))
    found = []
    index = 0
    while index < len(words):
        run = index
        while run < len(words) and words[run].group()[0].isupper():
            if run > index and _neighbour(sentence, words, run - 1, 1) is None:
                break
            run += 1
        if run == index or fold(words[run - 1].group()) not in names:
            index = max(run, index + 1)
            continue
        actor = fold(words[run - 1].group())
        before = _neighbour(sentence, words, index, -1) or ""
        after = _neighbour(sentence, words, run - 1, 1) or ""
        if fold(after) in SAY_VERBS or fold(before) in SAY_VERBS:
            found.append((("said", actor), sentence))
        elif (
            after.islower()
            and _content(after, stop_words("en"))
            and not _DENIAL.match(fold(after))
        ):
            text = sentence[words[index].start() :]
            found.append((("does", actor, _verb(after)), text))
        index = run
    return found


def _neighbour(
    sentence: str, words: list[re.Match[str]], index: int, step: int
) -> str | None:
    """The word next to ``words[index]`` (step -1 or 1) if only spaces part them."""
    other = index + step
    if not 0 <= other < len(words):
        return None
    left, right = sorted((words[index], words[other]), key=lambda m: m.start())
    if sentence[left.end() : right.start()].strip():
        return None
    return words[other].group()


def _verb(word: str) -> str:
    """A crude stem, so ``awards`` and ``awarded`` meet."""
    folded = fold(word)
    for suffix in ("ed", "es", "s"):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded


def _names(views: Sequence[ReportView]) -> set[str]:
    """Folded words some summary capitalises in mid-sentence."""
    names = set()
    for view in views:
        for sentence in _SENTENCE.split(view.report.summary or ""):
            for match in list(_WORD.finditer(sentence))[1:]:
                if match.group()[0].isupper():
                    names.add(fold(match.group()))
    return names - stop_words("en") - SAY_VERBS


def _claim(key: tuple, mentions: list[_Mention], origins: dict[str, str]) -> Claim:
    """Gather the reports asserting and disputing one extracted claim."""
    mine = [m for m in mentions if m.key == key]
    asserting = _outlets(m.view for m in mine if not m.disputes)
    disputing = [m.view for m in mine if m.disputes]
    topic = mine[0].topic
    if topic is not None:
        disputing += [
            m.view
            for m in mentions
            if m.topic == topic
            and m.key != key
            and not m.disputes
            and _close(m.key[-1], key[-1])
        ]
    asserted = {o.id for o in asserting}
    disputed = tuple(o for o in _outlets(disputing) if o.id not in asserted)
    first = min(
        [m for m in mine if not m.disputes] or mine,
        key=lambda m: (m.view.report.published, m.view.report.url),
    )
    return Claim(
        text=first.text,
        asserted_by=asserting,
        disputed_by=disputed,
        asserting=_count(asserting, origins),
        disputing=_count(disputed, origins),
    )


def _close(one: float, other: float) -> bool:
    """Within a factor of ten: ``12 million`` contradicts ``15 million``, not ``18``."""
    low, high = sorted((abs(one), abs(other)))
    return high < low * MAX_CONTRADICTION_RATIO


def _outlets(views: Iterable[ReportView]) -> tuple[Outlet, ...]:
    """The outlets of ``views``, each once, in order."""
    return tuple({v.outlet.id: v.outlet for v in views}.values())


def _origins(views: Sequence[ReportView]) -> dict[str, str]:
    """Outlet id -> the outlet whose text it carries (itself unless it copies)."""
    origins: dict[str, str] = {}
    for view in views:
        origin = (view.copy_of or view).outlet.id
        if origins.get(view.outlet.id) != view.outlet.id:
            origins[view.outlet.id] = origin
    return origins


def _count(outlets: Iterable[Outlet], origins: dict[str, str]) -> int:
    """Independent sources among ``outlets``: copies of one text count once."""
    return len({origins.get(o.id, o.id) for o in outlets})


@dataclass(frozen=True)
class _Edit:
    """An editor's claim from the front matter; None means "not given"."""

    text: str
    asserted_by: tuple[str, ...] | None
    disputed_by: tuple[str, ...] | None


def claim_entry_problem(entry: object) -> tuple[tuple[str, ...], str] | None:
    """What is wrong with one editor's ``claims:`` entry: (field, message), or None."""
    if not isinstance(entry, dict):
        return (), "expected the fields of one claim (text, asserted_by, disputed_by)"
    text = entry.get("text")
    if not isinstance(text, str) or not text.strip():
        return ("text",), "needs the claim's text"
    for name in _EDIT_LISTS:
        value = entry.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(i, str) for i in value)
        ):
            return (name,), "expected a list of outlet ids"
    return None


def _editor_entries(entries: object, source: str) -> list[_Edit]:
    """Valid ``claims:`` entries; a broken one is logged and skipped."""
    edits = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        problem = claim_entry_problem(entry)
        if problem is not None:
            logger.warning("%s: claims[%d]: skipped (%s)", source, index, problem[1])
            continue
        edits.append(
            _Edit(
                entry["text"].strip(),
                *(
                    None if entry.get(f) is None else tuple(entry[f])
                    for f in _EDIT_LISTS
                ),
            )
        )
    return edits


def _apply_edits(
    edits: list[_Edit],
    extracted: list[Claim],
    outlets: dict[str, Outlet],
    origins: dict[str, str],
) -> list[Claim]:
    """Editors' claims, falling back to the extracted claim of the same text."""
    by_text = {_normalise(c.text): c for c in extracted}
    claims = []
    for edit in edits:
        base = by_text.get(_normalise(edit.text))
        asserting = _edited(edit.asserted_by, base and base.asserted_by, outlets)
        disputing = _edited(edit.disputed_by, base and base.disputed_by, outlets)
        claims.append(
            Claim(
                edit.text,
                asserting,
                disputing,
                _count(asserting, origins),
                _count(disputing, origins),
                edited=True,
            )
        )
    return claims


def _edited(
    ids: tuple[str, ...] | None,
    extracted: tuple[Outlet, ...] | None,
    outlets: dict[str, Outlet],
) -> tuple[Outlet, ...]:
    """The editor's outlets if given, else the extracted ones, else none."""
    if ids is None:
        return extracted or ()
    return tuple(outlet_for(i, outlets) for i in ids)


def _normalise(text: str) -> str:
    """Text compared case-, accent- and space-insensitively, end stop ignored."""
    return " ".join(fold(text).split()).rstrip(".!? ")
