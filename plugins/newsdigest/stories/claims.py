"""Claims check: the key factual claims in a story's coverage, matched across reports.

Simple rules a reader can follow, run over each sentence of each report's
headline and summary (a clause ends at ``;``):

- A **figure** is a number with its scale (``$310 million``, ``18%``,
  ``41,000``) and the thing it counts: the first content word after it, or
  else the last one before it (``41,000 vehicles``, ``cost $310 million``).
  One figure may be written many ways: ``40%``, ``40 per cent``, ``um 40
  Prozent``, ``40 %``; ``$85 billion``, ``85 milliards de dollars`` (a
  currency named after it); ``Fourteen homes`` (number words of 10 and
  over, :func:`~newsdigest.stories.text.spelled_numbers`); ``230 000``; a
  time, ``2:21:07``. A word hyphened to it is what it counts, stop word or
  not (``18-month closure`` counts months, as ``18 months`` does).
  Two reports make the same figure claim when the value matches and the
  words around it share one (``$85 billion fund``, ``$85 billion adaptation
  fund``). They also do, in one language or two, when the value is
  *distinctive* (a percentage, a sum of money, a time, a fraction, or 1,000
  and over) and something else is shared: for a sum of 1,000 or more in one
  currency, or a time, that kind of figure is enough (``€6 million``, ``6
  millions d'euros``); else one clause names what the other's figure
  counts (``140 Staaten wollen ihre Methanemissionen … um 40 Prozent
  senken`` and ``a 40% methane cut``), or the two clauses give another
  figure in common (``fordert 7 Prozent …, bietet 3,1 Prozent`` and ``a
  3.1% offer … its 7% claim``), or, for a value of 1,000 and over, the two
  reports another distinctive figure (``230 000 manifestants … 700 000``
  and ``700,000 marched; police counted 230,000``). Two claims so joined
  never hold a figure of one report each: a report giving the value twice,
  for things its words tell apart (``40% methane``, ``40% of votes``), keeps
  them apart. A small plain
  number (``36 hours``, ``14 homes``) needs a shared word.
  A different value for the same counted word, within a factor of ten,
  **contradicts** it (unless one counts a part: ``139 other countries``),
  and so does every source of that other figure's claim: ``700 000
  manifestants`` contradicts ``230 000 manifestants``, so ``protests drew
  230,000 people`` (the same claim as the latter) disputes 700,000. Ranges,
  tallies, years and codes (``12 to 15 million``, ``181 to 142``, ``2027``,
  ``C-77``) are skipped.
- A **statement** is a name with a word of saying next to it (``Okafor
  said``, ``selon Okafor``, ``Okafor a déclaré``, ``laut Okafor``, ``Okafor
  teilte … mit``, ``según Okafor``: :data:`SAY_WORDS`), in an English, French,
  German or Spanish report; two reports, in one language or two, make the
  same one when the name matches and the statements share a figure or two
  content words. A name alone, without a word of saying, states nothing.
  A statement whose every clause gives a figure of one figure claim
  (``Okafor said repairs could cost $310 million``, ``repairs are estimated
  at $310 million``) repeats that claim: it is shown as the figure claim,
  whose sources it adds to (each counted once), and whose disputes include
  those of the statement.
- An **action** is a name followed by an English verb form (``Brackwater
  Engineering wins``), in an English report only; two reports make the same
  one when the name and verb match and what follows shares a word or a
  figure. A name followed by a noun (``Brightcart breach``) is no claim.
- A claim in a sentence with a denial word (denies, rejects, false, ``dément``,
  ``bestreitet``, ``niega``…) is **disputed** by that report rather than
  asserted; so is a statement or action that its actor is said to deny
  (``Okafor denied the repairs cost $310 million``, English only).

Each claim is shown as one whole clause that states it, the one its sources
have most in common (:func:`_choices`), in this order of preference:

1. in the site's language, else in the language most of its clauses are in;
2. not a question;
3. naming no one as saying or doing something (``Okafor said``, ``Corvane
   says``) unless every source of the claim has them say or do it;
4. the most alike: for each other source's text in the clause's language,
   the share of the clause's content words and figures that text uses too,
   summed (a clause adding a detail of one report's own scores lower);
5. then the clause making fewest other claims, not a headline, the shortest.

So a claim's listed sources all make it, though a detail of the clause
around its figure (marked in bold) may be one report's alone. When a clause
is already shown for a claim listed before (more sources first), a claim
takes its next clause as good by 1–3, leaving alone a clause that a later
claim has no other one for; failing that it shows the same clause with its
own figure marked, and is left out only if that would look the same.

A name is a run of capitalised words ending in one that some summary of the
story capitalises in mid-sentence, and it is matched on that last word (a
surname: ``Commissioner Okafor`` is ``Okafor``). Sources are counted by
independent origin, as the Wire's signal rating counts them
(:mod:`newsdigest.wire.signal`): copies of one text count once, and so do
outlets of one ``owner_group``; every outlet is still listed. Only claims
that at least two independent sources make or dispute are kept; editors'
``claims:`` in the front matter are always shown and win over extracted
claims with the same text or figure. Copies are the ``copy_of`` links
:func:`newsdigest.stories.coverage.coverage` finds with
:func:`newsdigest.stories.syndication.copy_groups`. Each claim carries the
language of its clause (its report's, else its outlet's), so a page can mark
a quote in another language than its own.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from markupsafe import Markup, escape

from newsdigest.content.validate import CLAIM_OUTLET_FIELDS, claim_entry_problem
from newsdigest.records import Outlet
from newsdigest.stories.coverage import ReportView, outlet_for
from newsdigest.stories.text import (
    _NUMBER,
    _ONES,
    _number_token,
    _number_words,
    fold,
    primary_language,
    spelled_numbers,
    stop_words,
)

logger = logging.getLogger(__name__)

#: Most claims a story page lists (editors' claims are always listed).
MAX_CLAIMS = 8
#: Fewest independent sources, asserting or disputing, for an extracted claim.
MIN_SOURCES = 2
#: Two figures for the same thing contradict only within this factor; further
#: apart they count different things (``9,400 children``, ``children over 18``).
MAX_CONTRADICTION_RATIO = 10
#: Content words two statements by one person must share, without a figure.
MIN_SHARED_WORDS = 2

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
#: Words of saying by language, folded, either side of a name as in English
#: (``Okafor sagte``, ``sagte Okafor``, ``selon Okafor``). ``teilte mit`` is a
#: verb whose particle ends the clause: ``Okafor teilte am Montag mit, …``.
SAY_WORDS: dict[str, frozenset[str]] = {
    "en": SAY_VERBS,
    "fr": frozenset(
        {"declare", "affirme", "indique", "annonce", "dit", "explique", "selon"}
    ),
    "de": frozenset(
        {"sagte", "sagt", "erklarte", "erklart", "betonte", "laut", "zufolge"}
        | {"teilte mit", "teilt mit", "kundigte an", "kundigt an"}
    ),
    "es": frozenset(
        {"dijo", "dice", "dicho", "afirmo", "afirma", "afirmado", "declaro"}
        | {"declarado", "anuncio", "anunciado", "segun"}
    ),
}
#: Auxiliaries between a name and its word of saying: ``Okafor a déclaré``.
_AUXILIARIES = {"fr": frozenset({"a", "ont"}), "es": frozenset({"ha", "han"})}
#: English past forms that do not end in ``-ed``, read as the verb of an action.
IRREGULAR_VERBS = frozenset(
    {"won", "lost", "got", "gave", "took", "made", "found", "left", "paid", "sold"}
    | {"bought", "sent", "broke", "built", "hit", "led", "met", "quit", "ran"}
    | {"shut", "spent", "struck", "stole", "threw", "wrote"}
)
#: Stop words that still say what a figure counts: ``3,200 people``.
COUNTED = frozenset({"people", "years", "days", "weeks", "months", "hours"})
#: Denial words by language, folded (``dément`` is ``dement``).
_DENIALS = {
    "en": r"den(?:y|ies|ied)|disput(?:e|es|ed)|reject(?:s|ed)?|false|untrue|not true",
    "fr": r"(?:dement|nie|conteste|rejette)(?:nt)?|dementi|nie|rejete|faux|fausse",
    "de": r"bestreit\w*|bestritten|dementier\w*|zuruckgewiesen|weist|falsch",
    "es": r"nieg(?:a|an)|nego|desmient(?:e|en)|desmintio|rechaz(?:a|an|o)|falso",
}
_DENIAL = {lang: re.compile(rf"\b(?:{words})\b") for lang, words in _DENIALS.items()}
#: Where a sentence or clause may end: after ``.!?;`` and a space.
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])\s+(?=\S)")
#: Short words a full stop ends without ending the sentence: ``Dr. Raghunathan``.
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "st", "mt", "prof", "gen", "sen", "rep", "gov", "vs"}
)
#: An HTML comment left in a feed's text: ``<!-- check figure``.
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_CLAUSE_END = re.compile(r"[,;:()\"“”«»—–]")
#: "139 other countries" counts a part, so contradicts no total.
_PART = re.compile(r"\b(?:other|more|further|additional|another)\b")
_CURRENCY = "$€£¥"
_RANGE = re.compile(r"\s+(?:to|zu|bis|contre|a|à)\s+[$€£¥]?")
#: A number glued to letters by a hyphen names something: ``C-77``, ``Vayu-1``.
_CODE = re.compile(r"[^\W\d_][-‐]$")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
#: A time of hours, minutes and seconds: ``2:21:07``.
_TIME = re.compile(r"(?<![\w.,:])\d{1,2}:[0-5]\d:[0-5]\d(?![\w:]|[.,]\d)")
#: A currency named after a figure: ``6 millions d'euros``, ``85 Milliarden Dollar``.
_CURRENCY_WORDS = {
    "euro": "€",
    "euros": "€",
    "dollar": "$",
    "dollars": "$",
    "dolares": "$",
}
_CURRENCY_NAMES = {"€": "euros", "$": "dollars", "£": "pounds", "¥": "yen"}
_CURRENCY_AFTER = re.compile(
    r"\s?(?:d['’]\s?|de\s+)?(euros?|dollars?|d[oó]lares|[€$£¥])(?!\w)", re.IGNORECASE
)
#: How much each kind of claim crowds a clause shown for another claim.
_WEIGHTS = {"figure": 1, "does": 2, "denies": 2, "said": 10}
#: How many words after a figure may say what it counts.
_THING_WORDS = 4


@dataclass(frozen=True)
class Claim:
    """A claim as the page shows it, with who asserts and who disputes it."""

    text: str
    asserted_by: tuple[Outlet, ...]
    disputed_by: tuple[Outlet, ...]
    #: Independent sources: copies of one text and outlets of one owner group
    #: count once.
    asserting: int
    disputing: int
    edited: bool = False
    #: The figure the claim is about, as ``text`` writes it ("" for others).
    figure: str = ""
    #: The language ``text`` is in: its report's, else its outlet's ("" unknown).
    lang: str = ""

    @property
    def marked_text(self) -> Markup:
        """``text`` for HTML, its figure in ``<strong>``: a clause may hold more."""
        before, found, after = self.text.partition(self.figure or "\0")
        if not found:
            return escape(self.text)
        return escape(before) + Markup("<strong>%s</strong>") % found + escape(after)


@dataclass(frozen=True)
class _Figure:
    """A number with what it counts."""

    value: float
    currency: str
    percent: bool
    #: The word it counts, folded: ``vehicle``.
    head: str
    #: Stems of the words around it, to join spellings of one thing.
    words: frozenset[str]
    #: It counts a part (``139 other countries``), so contradicts no total.
    part: bool
    #: As the clause writes it: ``$310 million``.
    written: str = ""
    #: A time, ``2:21:07``, its value in seconds.
    time: bool = False

    def same(self, other: _Figure) -> bool:
        """The same figure for the same thing."""
        return self.same_value(other) and bool(self.words & other.words)

    def same_value(self, other: _Figure) -> bool:
        """The same value of the same kind: ``$310 million``, ``$310,000,000``."""
        return self.unit == other.unit and self.value == other.value

    def contradicts(self, other: _Figure) -> bool:
        """A different value, close enough, for the same counted word."""
        return (
            self.unit == other.unit
            and self.head == other.head
            and self.value != other.value
            and not (self.part or other.part)
            and _close(self.value, other.value)
        )

    @property
    def unit(self) -> tuple[str, bool, bool]:
        """What kind of figure: its currency, a percentage, a time."""
        return self.currency, self.percent, self.time


@dataclass(frozen=True)
class _Mention:
    """One report making (or disputing) one claim in one clause."""

    kind: str  # "figure", "said", "does" or "denies"
    text: str
    view: ReportView
    disputes: bool
    figure: _Figure | None = None
    actor: str = ""
    verb: str = ""
    #: Content word stems and figure values of the clause, the name left out.
    content: frozenset[str] = frozenset()
    #: Claims in the clause: the fewer, the plainer it shows one.
    busy: int = 0
    #: The clause is the report's headline, written to draw readers in.
    headline: bool = False
    #: Content word stems and figure values of the whole clause, to compare
    #: clauses that state one claim (:func:`_choices`).
    words: frozenset[str] = frozenset()


def claims_check(
    views: Sequence[ReportView],
    outlets: dict[str, Outlet],
    edits: object = None,
    source: str = "",
    site_lang: str = "",
) -> list[Claim]:
    """The story's claims: editors' first, then extracted ones by sources.

    ``site_lang``: the site's language, whose clauses are shown first.
    """
    names = _names(views)
    origins = _origins(views)
    mentions = [m for view in views for m in _mentions(view, names)]
    groups = _fold_statements(_groups(mentions))
    choices = _all_choices(groups, mentions, site_lang)
    home = {id(m): g for g in groups for m in g}
    found = [
        _claim(g, c[0], mentions, origins, home)
        for g, c in zip(groups, choices, strict=True)
    ]
    entries = _editor_entries(edits, source)
    pairs = list(zip(groups, found, strict=True))
    edited = _apply_edits(entries, pairs, outlets, origins)
    extracted = [
        (c, choice)
        for (g, c), choice in zip(pairs, choices, strict=True)
        if not any(_edit_matches(e, g, c) for e in entries)
        and _count(c.asserted_by + c.disputed_by, origins) >= MIN_SOURCES
    ]
    extracted.sort(key=lambda p: (-(p[0].asserting + p[0].disputing), -p[0].disputing))
    shown = _distinct(extracted)
    return edited + shown[: max(0, MAX_CLAIMS - len(edited))]


def _distinct(extracted: list[tuple[Claim, list[_Mention]]]) -> list[Claim]:
    """Each claim shown by a clause no claim before it shows, where it has one.

    A claim whose every clause as good as its best is taken shows its best
    one with its own figure marked; only a claim that would look the same as
    one before it (the same clause and marked figure) is left out.
    """
    used: set[str] = set()
    looks: set[tuple[str, str]] = set()
    shown = []
    for index, (found, choices) in enumerate(extracted):
        # A clause that is a later claim's only choice is left to it.
        kept = {_normalise(c[0].text) for _, c in extracted[index + 1 :] if len(c) == 1}
        free = [m for m in choices if _normalise(m.text) not in used]
        pick = next((m for m in free if _normalise(m.text) not in kept), None)
        claim = _shown_as(found, pick or (free or choices)[0])
        look = (_normalise(claim.text), claim.figure)
        if look in looks:
            continue
        used.add(look[0])
        looks.add(look)
        shown.append(claim)
    return shown


def _shown_as(claim: Claim, mention: _Mention) -> Claim:
    """``claim`` shown by ``mention``'s clause, its figure marked.

    A clause that starts in lower case is the end of a sentence (after a
    ``;``): an ellipsis says so.
    """
    text = mention.text
    return replace(
        claim,
        text=f"…{text}" if text[:1].islower() else text,
        figure=mention.figure.written if mention.figure else "",
        lang=mention.view.report.lang or mention.view.outlet.language or "",
    )


def _language(view: ReportView) -> str:
    """The report's language code: ``en`` for ``en-GB``."""
    return primary_language(view.report.lang or view.outlet.language or "en")


def _mentions(view: ReportView, names: set[str]) -> list[_Mention]:
    """Every figure, statement and action in one report's headline and summary."""
    lang = _language(view)
    denial = _DENIAL.get(lang, _DENIAL["en"])
    found = []
    for headline, clause in _clauses(view):
        disputes = bool(denial.search(fold(clause)))
        figures = _figures(clause, lang)
        here = [_Mention("figure", clause, view, disputes, f) for f in figures]
        if lang in SAY_WORDS:
            here += _statements_and_actions(clause, names, figures, view, disputes)
        words = _clause_words(clause, figures, lang)
        found += [replace(m, headline=headline, words=words) for m in here]
    return [replace(m, busy=_busy(m.text, found)) for m in found]


def _clause_words(clause: str, figures: list[_Figure], lang: str) -> frozenset[str]:
    """Stems of a clause's content words (names too) and its figures' values.

    A figure is its value, however written: ``$85 billion`` adds no word.
    """
    for figure in figures:
        clause = clause.replace(figure.written, " ")
    stops = stop_words(lang) | SAY_WORDS.get(lang, frozenset())
    stems = {_stem(w) for w in _WORD.findall(clause) if _content(w, stops)}
    return frozenset(stems | {f"#{f.value:g}" for f in figures})


def _stem(word: str) -> str:
    """A crude stem, so ``agree``, ``agreed`` and ``agrees`` meet."""
    verb = _verb(word)
    return (verb[:-1] if len(verb) > 3 and verb.endswith("e") else verb)[:5]


def _report_words(view: ReportView) -> frozenset[str]:
    """:func:`_clause_words` of all a report's headline and summary."""
    lang = _language(view)
    return frozenset().union(
        *(_clause_words(c, _figures(c, lang), lang) for _, c in _clauses(view))
    )


def _busy(clause: str, mentions: list[_Mention]) -> int:
    """How much a clause claims: a quote weighs most, as it names a speaker."""
    return sum(_WEIGHTS[m.kind] for m in mentions if m.text == clause)


def _clauses(view: ReportView) -> list[tuple[bool, str]]:
    """(is it the headline?, text): the headline, then the summary's sentences."""
    parts = [(True, view.report.headline)]
    parts += [(False, part) for part in _split(view.report.summary or "")]
    return [(headline, _tidy(part)) for headline, part in parts if _tidy(part)]


def _split(text: str) -> list[str]:
    """Sentences and ``;`` clauses, not broken after ``Dr.`` or ``U.S.``."""
    parts, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        stop = text[match.start() - 1]
        if stop != ";" and (
            _abbreviation(text[start : match.start()]) or text[match.end()].islower()
        ):
            continue
        parts.append(text[start : match.start()])
        start = match.end()
    return [*parts, text[start:]]


def _abbreviation(text: str) -> bool:
    """Whether ``text`` ends with an initial or a title: ``U.S.``, ``Dr.``."""
    words = _WORD.findall(text)
    last = fold(words[-1]) if words else ""
    return text.endswith(".") and (len(last) == 1 or last in _ABBREVIATIONS)


def _tidy(clause: str) -> str:
    """A clause without spaces around it or a dangling ``;``, ``,`` or ``:``."""
    return _COMMENT.sub("", clause).strip().rstrip(";,:").strip()


def _figures(clause: str, lang: str) -> list[_Figure]:
    """Each number in a clause that counts something, with what it counts."""
    text, back = _spelled(clause, lang)
    numbers = _numbers(text, lang)
    paired = set()  # ranges and tallies, "12 to 15 million", "181 to 142"
    for index in range(1, len(numbers)):
        gap = text[numbers[index - 1][2] : numbers[index][0]]
        if _RANGE.fullmatch(gap) and _percent(numbers[index - 1][1]) == _percent(
            numbers[index][1]
        ):
            paired |= {index - 1, index}
    ends = [0] + [end for _, _, end in numbers[:-1]]
    starts = [start for start, _, _ in numbers[1:]] + [len(text)]
    figures = []
    for index, (found, token, stop) in enumerate(numbers):
        if token is None or "-" in token or index in paired:
            continue
        if _CODE.search(text, 0, found):
            continue
        value, unit = _value(token[1:])
        sign = text[found - 1] if found and text[found - 1] in _CURRENCY else ""
        start, end = found - len(sign), stop
        currency = sign
        named = None if sign or unit == ":" else _CURRENCY_AFTER.match(text, end)
        if named is not None:  # 6 millions d'euros
            currency, end = _CURRENCY_WORDS.get(fold(named[1]), named[1]), named.end()
        if not unit and not currency and value.is_integer() and 1900 <= value <= 2100:
            continue  # a year
        after = text[end : starts[index]]
        before = text[ends[index] : start]
        words = [*_thing_words(after, lang), *_words_before(before, lang)]
        if named is not None:  # what it counts, if nothing else says
            words.append(_key_word(_CURRENCY_NAMES[currency]))
        if not words:
            continue
        part = bool(_PART.search(fold(after)))
        stems = frozenset(w[:5] for w in words)
        first = _currency_start(text, start) if sign else start
        written = clause[back(first) : back(end)].strip()
        percent, time = unit == "%", unit == ":"
        figures.append(
            _Figure(value, currency, percent, words[0], stems, part, written, time)
        )
    return figures


def _numbers(text: str, lang: str) -> list[tuple[int, str | None, int]]:
    """(start, :func:`_number_token`, end) of each number; a time's token ends ``:``.

    ``2:21:07`` is a time, ``#8467:`` (seconds), not the score ``2:21`` and ``07``.
    """
    times = [(m.start(), m.end()) for m in _TIME.finditer(text)] if ":" in text else []
    numbers: list[tuple[int, str | None, int]] = [
        (start, f"#{_seconds(text[start:end])}:", end) for start, end in times
    ]
    for match in _NUMBER.finditer(text):
        if not (times and any(s <= match.start() < e for s, e in times)):
            token, end = _number_token(match, lang)
            numbers.append((match.start(), token, end))
    return sorted(numbers) if times else numbers


def _seconds(time: str) -> int:
    """``2:21:07`` -> 8467."""
    hours, minutes, seconds = (int(part) for part in time.split(":"))
    return (hours * 60 + minutes) * 60 + seconds


def _spelled(clause: str, lang: str) -> tuple[str, Callable[[int], int]]:
    """``clause`` with number words of 10 and over as figures, and a way back.

    ``Fourteen homes`` -> ``14 homes``; the second gives, for a place in the
    first, the place in ``clause`` (a figure's written form is ``clause``'s).
    Smaller numbers, which no figure claim counts, stay words.
    """
    if lang not in _ONES:
        return clause, _same_place
    spans: list[tuple[int, int, int]] = []  # new start, new end, old end
    pieces, done, shift = [], 0, 0
    for match in _number_words(lang)[0].finditer(clause):
        figure = spelled_numbers(match.group(), lang)
        if not figure.isdigit() or int(figure) < 10:
            continue
        pieces += [clause[done : match.start()], figure]
        start = match.start() + shift
        spans.append((start, start + len(figure), match.end()))
        shift += len(figure) - len(match.group())
        done = match.end()
    if not spans:
        return clause, _same_place

    def back(place: int) -> int:
        moved = 0
        for start, end, old_end in spans:
            if place <= start:
                break
            if place < end:
                return old_end
            moved = old_end - end
        return place + moved

    return "".join([*pieces, clause[done:]]), back


def _same_place(place: int) -> int:
    return place


def _currency_start(clause: str, start: int) -> int:
    """Where a currency sign's country letters begin: ``C$``, ``US$``."""
    while start and clause[start - 1].isupper() and clause[start - 1].isalpha():
        start -= 1
    return start


def _percent(token: str | None) -> bool:
    return bool(token and token.endswith("%"))


def _value(token: str) -> tuple[float, str]:
    """``310m`` -> (310000000.0, "m"); ``18%`` -> (18.0, "%"); ``8467:`` a time."""
    unit = token[-1] if token[-1] in (*_SCALE, "%", ":") else ""
    number = float(token[: len(token) - len(unit)])
    return number * _SCALE.get(unit, 1), unit


def _thing_words(after: str, lang: str) -> list[str]:
    """The first few content words after a figure, in its clause.

    A word glued on by a hyphen is what it counts, even a stop word:
    ``18-month closure`` counts months, as ``18 months`` does.
    """
    clause = _CLAUSE_END.search(after)
    words = _WORD.findall(after[: clause.start() if clause else None])
    glued = [_key_word(words.pop(0))] if words and after[:1] in "-‐" else []
    return [*glued, *(_key_word(w) for w in words if _counts(w, lang))][:_THING_WORDS]


def _words_before(before: str, lang: str) -> list[str]:
    """The last few content words before a figure, in its clause, nearest first."""
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    words = _WORD.findall(before[cut:])
    return [_key_word(w) for w in reversed(words) if _counts(w, lang)][:_THING_WORDS]


def _counts(word: str, lang: str) -> bool:
    """Whether a word near a figure may say what it counts."""
    return fold(word) in COUNTED or _content(word, stop_words(lang))


def _content(word: str, stops: frozenset[str]) -> bool:
    return len(word) > 2 and fold(word) not in stops


def _key_word(word: str) -> str:
    """Folded, without a plural ``s``: ``Vehicles`` -> ``vehicle``, ``days``."""
    folded = fold(word)
    plural = folded.endswith("s") and (len(folded) > 4 or folded in COUNTED)
    return folded[:-1] if plural else folded


def _statements_and_actions(
    clause: str,
    names: set[str],
    figures: list[_Figure],
    view: ReportView,
    disputes: bool,
) -> list[_Mention]:
    """Each name in a clause saying something, or (English) doing or denying it."""
    lang = _language(view)
    words = list(_WORD.finditer(clause))
    found = []
    index = 0
    while index < len(words):
        run = index
        while run < len(words) and words[run].group()[0].isupper():
            if run > index and _neighbour(clause, words, run - 1, 1) is None:
                break
            run += 1
        if run == index or fold(words[run - 1].group()) not in names:
            index = max(run, index + 1)
            continue
        if run - index > 1 and fold(words[index].group()) in SAY_WORDS[lang]:
            index += 1  # "Selon Okafor": a word of saying opens the sentence
        actor = fold(words[run - 1].group())
        name = {fold(w.group()) for w in words[index:run]}
        before = fold(_neighbour(clause, words, index, -1) or "")
        after = _neighbour(clause, words, run - 1, 1) or ""
        if _says(clause, words, index, run - 1, lang):
            kind, verb = "said", ""
        elif lang == "en":
            kind, verb = _predicate(after)
        else:
            kind, verb = "", ""
        if kind:
            leave = name | {fold(after), before}
            content = _content_of(clause, figures, leave, lang)
            # Quoting someone's statement asserts that they made it.
            denied = disputes and kind == "does"
            found.append(
                _Mention(kind, clause, view, denied, None, actor, verb, content)
            )
        index = run
    return found


def _says(
    clause: str, words: list[re.Match[str]], first: int, last: int, lang: str
) -> bool:
    """Whether the name ``words[first:last + 1]`` has a word of saying beside it."""
    says = SAY_WORDS[lang]
    if fold(_neighbour(clause, words, first, -1) or "") in says:
        return True
    after = fold(_neighbour(clause, words, last, 1) or "")
    if after in _AUXILIARIES.get(lang, ()):
        last += 1
        after = fold(_neighbour(clause, words, last, 1) or "")
    if after in says:
        # "Vor dem Ausschuss sagte Okafor": the name after the verb speaks.
        speaker = _neighbour(clause, words, last + 1, 1) or ""
        return lang == "en" or not speaker[:1].isupper()
    rest = fold(clause[words[last + 1].end() :]) if after else ""
    return any(
        re.match(rf"[^,.;:!?]*\b{particle}\s*(?:[,.;:!?]|$)", rest)
        for verb, _, particle in (w.partition(" ") for w in says)
        if particle and verb == after
    )


def _predicate(after: str) -> tuple[str, str]:
    """What an English name followed by ``after`` does: ("does" | "denies", verb)."""
    if not after.islower() or not _content(after, stop_words("en")):
        return "", ""
    if _DENIAL["en"].fullmatch(after):
        return "denies", ""
    if _looks_like_verb(after):
        return "does", _verb(after)
    return "", ""


def _looks_like_verb(word: str) -> bool:
    """An English past or third-person form: ``wins``, ``awarded``, ``won``."""
    if word in IRREGULAR_VERBS or word.endswith(("ed", "es")):
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ics"))


def _content_of(
    clause: str, figures: list[_Figure], leave: set[str], lang: str
) -> frozenset[str]:
    """Stems of the clause's content words and its figures' values."""
    stops = stop_words(lang) | SAY_WORDS[lang] | leave
    stems = {_verb(w)[:5] for w in _WORD.findall(clause) if _content(w, stops)}
    return frozenset(stems | {f"#{f.value:g}" for f in figures})


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


@lru_cache(maxsize=2**16)
def _verb(word: str) -> str:
    """A crude stem, so ``awards`` and ``awarded`` meet (kept: words recur)."""
    folded = fold(word)
    for suffix in ("ed", "es", "s"):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
            return folded[: -len(suffix)]
    return folded


def _names(views: Sequence[ReportView]) -> set[str]:
    """Folded words some summary capitalises in mid-sentence."""
    names = set()
    stops = {w for says in SAY_WORDS.values() for w in says}
    for view in views:
        stops |= stop_words(_language(view))
        for sentence in _split(view.report.summary or ""):
            for match in list(_WORD.finditer(sentence))[1:]:
                if match.group()[0].isupper():
                    names.add(fold(match.group()))
    return names - stop_words("en") - stops


def _groups(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Mentions of one claim together, in the order they first appear.

    Figures join any figure of the group they match; statements and actions
    must match the group's first one.
    """
    groups: list[list[_Mention]] = []
    for mention in mentions:
        if mention.kind == "denies":
            continue
        if mention.figure is None:
            home = [g for g in groups if _same_claim(g[0], mention)][:1]
        else:
            home = [g for g in groups if any(_same_claim(m, mention) for m in g)]
        merged = [m for g in home for m in g] + [mention]
        groups = [g for g in groups if g not in home] + [merged]
    groups = _join_figures(groups, mentions)
    return sorted(groups, key=lambda g: mentions.index(g[0]))


def _join_figures(
    groups: list[list[_Mention]], mentions: list[_Mention]
) -> list[list[_Mention]]:
    """Figure groups of one distinctive value joined where something else agrees.

    Two groups join when a mention of each :func:`_loosely_same` as one of
    the other, unless one report has a mention in both: it tells them apart.
    """
    shared = _distinctive_figures(mentions)
    joined: dict[int, list[list[_Mention]]] = {id(g): [g] for g in groups}
    by_value: dict[tuple, list[list[_Mention]]] = {}
    for group in groups:
        if group[0].figure is not None and _distinctive(group[0].figure):
            key = (group[0].figure.unit, group[0].figure.value)
            by_value.setdefault(key, []).append(group)
    for same_value in by_value.values():
        for index, group in enumerate(same_value):
            for other in same_value[:index]:
                mine, theirs = joined[id(group)], joined[id(other)]
                if mine is theirs or not any(
                    _loosely_same(m, o, shared) for m in group for o in other
                ):
                    continue
                reports = {id(m.view) for g in mine for m in g}
                if any(id(m.view) in reports for g in theirs for m in g):
                    continue
                theirs += mine
                for g in mine:
                    joined[id(g)] = theirs
    done: set[int] = set()
    result = []
    for group in groups:
        whole = joined[id(group)]
        if id(whole) not in done:
            done.add(id(whole))
            result.append([m for g in whole for m in g])
    return result


def _distinctive(figure: _Figure) -> bool:
    """A value two reports are unlikely to give for two things of one story.

    A percentage, a sum of money, a time, a fraction, or 1,000 and over.
    """
    return (
        figure.percent
        or figure.time
        or bool(figure.currency)
        or figure.value >= 1000
        or not figure.value.is_integer()
    )


def _distinctive_figures(mentions: list[_Mention]) -> dict[int, set[tuple]]:
    """Report (by id) -> the distinctive figures it gives: (unit, value)."""
    found: dict[int, set[tuple]] = {}
    for mention in mentions:
        figure = mention.figure
        if figure is not None and _distinctive(figure):
            found.setdefault(id(mention.view), set()).add((figure.unit, figure.value))
    return found


def _loosely_same(one: _Mention, other: _Mention, shared: dict[int, set]) -> bool:
    """The same distinctive figure, the words around it aside, from other evidence.

    A sum of 1,000 or more in one currency, or a time, is evidence itself;
    else one clause names what the other's figure counts (a stem of its
    words), or the clauses give another figure in common, or, for 1,000 and
    over, their reports another distinctive figure.
    """
    mine, theirs = one.figure, other.figure
    if mine is None or theirs is None or not mine.same_value(theirs):
        return False
    if mine.time or (mine.currency and mine.value >= 1000):
        return True
    if mine.words & other.words or theirs.words & one.words:
        return True
    value = f"#{mine.value:g}"
    if {w for w in one.words & other.words if w.startswith("#")} - {value}:
        return True
    if mine.value < 1000:  # a share or small sum recurs too easily for this
        return False
    both = shared.get(id(one.view), set()) & shared.get(id(other.view), set())
    return bool(both - {(mine.unit, mine.value)})


def _fold_statements(groups: list[list[_Mention]]) -> list[list[_Mention]]:
    """Groups, with each statement that repeats a figure claim folded into it.

    A statement repeats a figure claim when each of its clauses asserts a
    figure of that claim (one of its figure mentions is from that clause, not
    disputing): the statement's reports are then all the figure claim's
    already, and two claims would show one fact. The first such figure claim
    takes it, its figure mentions still first.
    """
    holders: dict[tuple[int, str], set[int]] = {}  # clause -> its figure groups
    for index, group in enumerate(groups):
        if group[0].figure is not None:
            for mention in group:
                if not mention.disputes:
                    key = (id(mention.view), mention.text)
                    holders.setdefault(key, set()).add(index)
    folded = dict(enumerate(groups))
    for index, group in enumerate(groups):
        if group[0].kind != "said":
            continue
        common = set.intersection(
            *(holders.get((id(m.view), m.text), set()) for m in group)
        )
        if common:
            home = min(common)
            folded[home] = folded[home] + group
            del folded[index]
    return list(folded.values())


def _same_claim(one: _Mention, other: _Mention) -> bool:
    """Whether two mentions make (or dispute) the same claim."""
    if one.kind != other.kind:
        return False
    if one.figure is not None and other.figure is not None:
        return one.figure.same(other.figure)
    if one.actor != other.actor or one.verb != other.verb:
        return False
    shared = one.content & other.content
    if one.kind == "does":
        return bool(shared)
    return len(shared) >= MIN_SHARED_WORDS or any(s.startswith("#") for s in shared)


def _disputers(
    group: list[_Mention],
    mentions: list[_Mention],
    home: dict[int, list[_Mention]],
) -> list[ReportView]:
    """Reports that deny the group's claim or give another figure for its thing.

    A figure claim whose mention contradicts one of the group's has every
    source of that claim dispute the group's: ``700 000 manifestants``
    contradicts ``230 000 manifestants``, so ``protests drew 230,000 people``,
    the same claim, disputes 700,000. A statement folded into a figure claim
    (:func:`_fold_statements`) brings the reports that deny it.
    """
    lead = group[0]
    leads = [lead, *[m for m in group if m.kind != lead.kind][:1]]
    views = [m.view for m in group if m.disputes]
    figures = [m.figure for m in group if m.figure is not None]

    def claim_of(mention: _Mention) -> int:
        return id(home[id(mention)]) if id(mention) in home else id(mention)

    against = {  # claims whose figure contradicts one of the group's
        claim_of(other)
        for other in mentions
        if other.figure is not None
        and not other.disputes
        and other not in group
        and any(f.contradicts(other.figure) for f in figures)
    }
    for other in mentions:
        if other.disputes or other in group:
            continue
        if lead.figure is not None and other.figure is not None:
            if claim_of(other) in against:
                views.append(other.view)
        elif any(_denies(other, m) for m in leads):
            views.append(other.view)
    return views


def _denies(denial: _Mention, claim: _Mention) -> bool:
    """``X denied …`` disputes X's statement or action about the same thing."""
    return (
        denial.kind == "denies"
        and claim.kind != "figure"
        and denial.actor == claim.actor
        and bool(denial.content & claim.content)
    )


def _claim(
    group: list[_Mention],
    shown: _Mention,
    mentions: list[_Mention],
    origins: dict[str, str],
    home: dict[int, list[_Mention]],
) -> Claim:
    """Gather the reports asserting and disputing one extracted claim."""
    asserting = _outlets(m.view for m in group if not m.disputes)
    asserted = {o.id for o in asserting}
    disputed = tuple(
        o for o in _outlets(_disputers(group, mentions, home)) if o.id not in asserted
    )
    claim = Claim(
        text="",
        asserted_by=asserting,
        disputed_by=disputed,
        asserting=_count(asserting, origins),
        disputing=_count(disputed, origins),
    )
    return _shown_as(claim, shown)


def _all_choices(
    groups: list[list[_Mention]], mentions: list[_Mention], site_lang: str
) -> list[list[_Mention]]:
    """Each group's :func:`_choices`."""
    home = {id(m): group for group in groups for m in group}
    clauses: dict[tuple[int, str], list[_Mention]] = {}
    texts: dict[int, frozenset[str]] = {}
    for mention in mentions:
        clauses.setdefault((id(mention.view), mention.text), []).append(mention)
        if id(mention.view) not in texts:
            texts[id(mention.view)] = _report_words(mention.view)
    site = primary_language(site_lang)
    return [_choices(g, home, clauses, texts, site) for g in groups]


def _choices(
    group: list[_Mention],
    home: dict[int, list[_Mention]],
    clauses: dict[tuple[int, str], list[_Mention]],
    texts: dict[int, frozenset[str]],
    site: str,
) -> list[_Mention]:
    """The clauses that may show a group's claim, best first (see the docstring).

    Only clauses as good as the best by language and by whom they quote are
    listed: a later claim the best clause is taken for falls back on them.
    """
    # Shown as its first kind: a figure claim, not the statement folded in.
    kind = group[0].kind
    candidates: dict[tuple[int, str], _Mention] = {}
    for m in group:
        if not m.disputes and m.kind == kind:
            candidates.setdefault((id(m.view), m.text), m)
    if not candidates:
        candidates = {(id(m.view), m.text): m for m in group[:1]}
    langs = [_language(m.view) for m in candidates.values()]
    reports = [m.view for m in group if not m.disputes]
    views = {id(v) for v in reports}
    mine = {id(m) for m in group}

    def unshared(mention: _Mention) -> int:
        """How much the clause claims that the claim's sources do not share.

        Who says or does what there, unless every source has them say or do
        it; figures there that no other source gives.
        """
        weight = 0
        for other in clauses[(id(mention.view), mention.text)]:
            if other is mention or (other.kind == kind and id(other) in mine):
                continue
            sharers = {
                id(m.view)
                for m in home.get(id(other), [other])
                if m.kind == other.kind and not m.disputes
            }
            if other.kind == "figure":
                shared = bool(sharers & views - {id(mention.view)})
            else:
                shared = views <= sharers
            weight += 0 if shared else _WEIGHTS[other.kind]
        return weight

    def likeness(mention: _Mention) -> float:
        """How much of the clause the other texts in its language say, summed."""
        lang = _language(mention.view)
        own = texts[id(mention.view)]
        others = {texts[id(v)] for v in reports if _language(v) == lang} - {own}
        # fsum: a plain sum over a set would round by hash order, and a tie
        # broken by the last bit would change the quote from build to build.
        return math.fsum(_shared(mention.words, other) for other in others)

    ranked = sorted(
        (
            (
                (
                    bool(site) and _language(m.view) != site,
                    -langs.count(_language(m.view)),
                    m.text.endswith("?"),
                    unshared(m),
                    m.headline,
                ),
                (
                    -likeness(m),
                    m.busy,
                    len(m.text),
                    m.view.report.published,
                    m.view.report.url,
                ),
                m,
            )
            for m in candidates.values()
        ),
        key=lambda r: r[:2],
    )
    return [m for rank, _, m in ranked if rank == ranked[0][0]]


def _shared(words: frozenset[str], other: frozenset[str]) -> float:
    """The share of ``words`` that ``other`` has too (0 when there are none)."""
    return len(words & other) / len(words) if words else 0.0


def _close(one: float, other: float) -> bool:
    """Within a factor of ten: ``12 million`` contradicts ``15 million``, not ``18``."""
    low, high = sorted((abs(one), abs(other)))
    return high < low * MAX_CONTRADICTION_RATIO


def _outlets(views: Iterable[ReportView]) -> tuple[Outlet, ...]:
    """The outlets of ``views``, each once, in order."""
    return tuple({v.outlet.id: v.outlet for v in views}.values())


def _origins(views: Sequence[ReportView]) -> dict[str, str]:
    """Outlet id -> its origin: the ``independence`` of the text it carries.

    An outlet that carries a text of its own too is its own origin.
    """
    origins: dict[str, str] = {}
    for view in views:
        own = view.outlet.independence
        if origins.get(view.outlet.id) != own:
            origins[view.outlet.id] = (view.copy_of or view).outlet.independence
    return origins


def _count(outlets: Iterable[Outlet], origins: dict[str, str]) -> int:
    """Independent sources among ``outlets``.

    Copies of one text count once, and so do outlets of one owner group.
    """
    return len({origins.get(o.id) or o.independence for o in outlets})


@dataclass(frozen=True)
class _Edit:
    """An editor's claim from the front matter; None means "not given"."""

    text: str
    asserted_by: tuple[str, ...] | None
    disputed_by: tuple[str, ...] | None


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
                    for f in CLAIM_OUTLET_FIELDS
                ),
            )
        )
    return edits


def _apply_edits(
    edits: list[_Edit],
    extracted: list[tuple[list[_Mention], Claim]],
    outlets: dict[str, Outlet],
    origins: dict[str, str],
) -> list[Claim]:
    """Editors' claims, falling back to the extracted claim they match."""
    claims = []
    for edit in edits:
        base = next((c for g, c in extracted if _edit_matches(edit, g, c)), None)
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


def _edit_matches(edit: _Edit, group: list[_Mention], claim: Claim) -> bool:
    """An editor's claim has the extracted one's text or one of its figures."""
    if _normalise(edit.text) == _normalise(claim.text):
        return True
    figures = [m.figure for m in group if m.figure is not None]
    return any(
        f.same(mine) and f.head == mine.head
        for f in _figures(edit.text, "en")
        for mine in figures
    )


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
    """Text compared case-, accent- and space-insensitively.

    End stop and a leading ellipsis (see :func:`_shown_as`) ignored.
    """
    return " ".join(fold(text).split()).rstrip(".!? ").lstrip("…. ")
