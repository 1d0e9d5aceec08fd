"""Group reports about the same event: streaming, time-windowed, incremental.

Each new item, oldest first, joins the story whose members it is most similar
to on average, if that mean reaches the threshold, the story has a member
within the time window and the item shares at least :data:`MIN_SHARED_TERMS`
terms with it; otherwise it starts a new story. Items that already
belong to a story stay where they are, so history is never re-clustered and
story URLs never change.

Similarity is the cosine of TF-IDF vectors over the tokens of
:func:`newsdigest.stories.text.analyse_leads`: stems in each report's
language, and names and numbers (the anchors that survive framing and
translation, number words included) weighted up. Terms a report uses only
past its lead (headline and first sentence) are weighted down, so a long
article that retells background does not join the story it retells, and a
threshold that suits headlines suits full articles too. The mean over a
story's members is the dot product with the sum of their vectors, so each
story keeps that sum, and an inverted index finds the only stories that
could reach the threshold: cost grows with the number of reports, not with
reports times stories.

A follow-up event often names the same people as the event before it, and
its first report can join that story on the names alone; the reports after
it then join too. So once every item is placed, a story whose members fall
into two groups, each of at least :data:`SPLIT_MEMBERS` reports, much closer
within than between (:data:`SPLIT_RATIO`, between reports in one language),
is two stories (:func:`_events`). Only new items split off, so this acts on
a batch: an ingest that brings two reports of a follow-up at once, or
``newsdigest cluster``; a follow-up whose reports come one ingest at a time
stays where its first report went (an editor can split it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate, chain, compress, pairwise
from typing import TYPE_CHECKING

import numpy as np

from newsdigest.stories.text import (
    ReadingKey,
    TextReading,
    analyse_leads,
    cluster_text,
    primary_language,
)
from newsdigest.stories.vectors import tfidf, unit_rows
from newsdigest.times import parse_time

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

#: Default settings; ``newsdigest ingest`` and ``newsdigest cluster`` share them.
DEFAULT_WINDOW = timedelta(days=3)
DEFAULT_THRESHOLD = 0.2
#: How much more a shared name (or small count), and a shared figure, counts
#: than a shared word. Figures count most: a person, a place or "40" recurs
#: across events, ``$14bn``, ``25%`` or ``41,000`` rarely does.
NAME_WEIGHT = 1.5
NUMBER_WEIGHT = 2.5
#: How much a term counts that a report uses only after its lead
#: (:data:`newsdigest.stories.text.LEAD_WORDS`): background a long article
#: retells, such as the earlier event a follow-up recalls, weighs less than
#: what its headline and first sentence say happened.
BODY_WEIGHT = 0.3
#: A story is two events when its reports fall into two groups of at least
#: this many each (average linkage), whose mean similarity between groups is
#: below this share of the mean similarity within the looser group: two
#: tight groups held together by what they recall of each other, such as a
#: manager's sacking and the cup final he won. One report alone never splits
#: off: a loosely linked report is what the threshold already judged.
SPLIT_MEMBERS = 2
SPLIT_RATIO = 0.5
#: Fewest distinct terms a report must share with a story to join it: one
#: shared figure or name ("2027", "150", a minister) links unrelated events.
MIN_SHARED_TERMS = 2
#: A term found in more stories than this proposes none as candidates.
CANDIDATES_PER_TERM = 100
#: Scores are rounded to nine decimals; below threshold minus this, none
#: rounds up to it.
_SCORE_TOLERANCE = 1e-8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
#: Beyond any time in microseconds: the span of a story with no dated member.
_NEVER = 2**62
#: The postings of a term no story has.
_NO_SLOTS: dict[int, None] = {}


@dataclass(frozen=True)
class Item:
    """Something to cluster: a report's id, text and time, and its story if known."""

    id: str
    text: str
    published: datetime | None = None
    lang: str | None = None
    story: str | None = None


@dataclass(frozen=True)
class _Vector:
    """A unit TF-IDF row: its terms, heaviest first, and their weights."""

    terms: list[int]
    weights: list[float]
    #: ``weights`` again, for the index's array arithmetic.
    array: np.ndarray


@dataclass(eq=False)
class _Story:
    key: str
    #: The story's place in the index's per-story arrays.
    number: int
    #: Where the index keeps the sum of each of the story's terms over members.
    slots: dict[int, int] = field(default_factory=dict)


class _Index:
    """Every story's summed term weights, size and span, and the stories by term.

    Each (story, term) pair has a slot: its sum lives in :attr:`sums`, its
    story in :attr:`owner`, and the term's postings list the slot. Times are
    whole microseconds. Postings are split into stories a dated item can
    still reach, and older ones: items come oldest first, so once the newest
    dated item is more than a window past a story's last member, no later
    dated item can join it; the sweep moves such stories out of the way.
    Undated items, which come last and can join any story, look in both.
    """

    def __init__(self, window: timedelta, terms: int) -> None:
        self.reach = window // _MICROSECOND
        #: The highest mean weight each term has had in any story: a term's
        #: mean in a story only grows when a member with the term joins.
        self.peak = np.zeros(terms)
        self.stories: list[_Story] = []
        #: A term's slots in stories still live, in a dict for quick removal
        #: (the order of a term's slots changes no sum: a story has one each).
        self.live: dict[int, dict[int, None]] = {}
        self.old: dict[int, list[int]] = {}
        self.sums = np.zeros(1024)
        self.owner = np.zeros(1024, dtype=np.intp)
        self.used = 0
        self.sizes = np.zeros(64, dtype=np.int64)
        #: First and last dated member; first > last while there is none.
        self.first = np.full(64, _NEVER, dtype=np.int64)
        self.last = np.full(64, -_NEVER, dtype=np.int64)
        #: Stories the sweep moved out of the way (for good: see :meth:`sweep`).
        self.stale = np.zeros(64, dtype=bool)
        #: Scratch space by story number, zero between queries.
        self.scratch = np.zeros(64)
        self.swept: int | None = None

    def new_story(self, key: str) -> _Story:
        story = _Story(key, len(self.stories))
        self.stories.append(story)
        if story.number == len(self.sizes):
            size = 2 * len(self.sizes)
            self.sizes = _grown(self.sizes, size, 0)
            self.first = _grown(self.first, size, _NEVER)
            self.last = _grown(self.last, size, -_NEVER)
            self.stale = _grown(self.stale, size, False)
            self.scratch = np.zeros(size)
        return story

    def join(self, story: _Story, vector: _Vector, moment: int | None) -> None:
        """Add a member to ``story``: its weights to the sums, its time to the span."""
        fresh = [term for term in vector.terms if term not in story.slots]
        end = self.used + len(fresh)
        if end > len(self.sums):
            self.sums = _grown(self.sums, 2 * end, 0.0)
            self.owner = _grown(self.owner, 2 * end, 0)
        for slot, term in enumerate(fresh, start=self.used):
            story.slots[term] = slot
            self.live.setdefault(term, {})[slot] = None
        self.owner[self.used : end] = story.number
        self.used = end
        slots = [story.slots[term] for term in vector.terms]
        self.sums[slots] += vector.array
        self.sizes[story.number] += 1
        means = self.sums[slots] / self.sizes[story.number]
        self.peak[vector.terms] = np.maximum(self.peak[vector.terms], means)
        if moment is not None:
            self.first[story.number] = min(self.first[story.number], moment)
            self.last[story.number] = max(self.last[story.number], moment)

    def postings(self, term: int, moment: int | None) -> list[int]:
        """Slots of ``term`` in every story an item at ``moment`` may join."""
        live = self.live.get(term, {})
        return [*live] if moment is not None else [*live, *self.old.get(term, [])]

    def rare_slots(
        self, terms: list[int], moment: int | None
    ) -> tuple[list[int], list[int], list[int], np.ndarray]:
        """Split ``terms`` into rare ones and ones too common to propose stories.

        A term is common when :meth:`postings` would give more than
        :data:`CANDIDATES_PER_TERM` slots. Returns the places in ``terms`` of
        the rare terms and of the common ones, each rare term's count of
        slots, and those slots, term after term.
        """
        if moment is None:
            postings = [self.postings(term, moment) for term in terms]
        else:
            live = self.live
            postings = [live.get(term, _NO_SLOTS) for term in terms]
        counts = [len(slots) for slots in postings]
        rare = [p for p, count in enumerate(counts) if count <= CANDIDATES_PER_TERM]
        common = [p for p, count in enumerate(counts) if count > CANDIDATES_PER_TERM]
        rare_counts = [counts[place] for place in rare]
        found = np.fromiter(
            chain.from_iterable(postings[place] for place in rare),
            dtype=np.intp,
            count=sum(rare_counts),
        )
        return rare, common, rare_counts, found

    def near(self, numbers: np.ndarray, moment: int | None) -> np.ndarray:
        """Which of the stories ``numbers`` have a member within the window."""
        if moment is None:
            return np.ones(len(numbers), dtype=bool)
        first, last = self.first[numbers], self.last[numbers]
        return (first > last) | (
            (first - self.reach <= moment) & (moment <= last + self.reach)
        )

    def sweep(self, moment: int | None) -> None:
        """Move the stories no item from ``moment`` on can join to the old postings.

        Only stories that went stale since the last sweep are read, so a batch
        of new items spread over the history costs what its stories hold.
        """
        if moment is None or (
            self.swept is not None and moment - self.swept < self.reach
        ):
            return
        self.swept = moment
        count = len(self.stories)
        first, last = self.first[:count], self.last[:count]
        newly = (first <= last) & (last + self.reach < moment) & ~self.stale[:count]
        numbers = np.flatnonzero(newly).tolist()
        if not numbers:
            return
        # Stale for good: no dated item can reach them, and undated ones,
        # which could, come last and sweep nothing.
        self.stale[numbers] = True
        for number in numbers:
            for term, slot in self.stories[number].slots.items():
                del self.live[term][slot]
                self.old.setdefault(term, []).append(slot)


def cluster(
    items: Iterable[Item],
    *,
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
    readings: MutableMapping[ReadingKey, TextReading] | None = None,
) -> dict[str, str]:
    """Map every item id to a story key.

    Known items keep their story; a new story is keyed by the id of its
    oldest item. The result does not depend on the order of ``items``.
    ``readings``: texts already read, as :func:`vectorize` takes them.
    """
    items = sorted(items, key=_oldest_first)
    if not items:
        return {}
    matrix = vectorize([i.text for i in items], [i.lang for i in items], readings)
    vectors = _vectors(matrix)
    moments = [
        None if item.published is None else (item.published - _EPOCH) // _MICROSECOND
        for item in items
    ]
    stories: dict[str, _Story] = {}
    index = _Index(window, matrix.shape[1])
    assignment: dict[str, str] = {}

    def story(key: str) -> _Story:
        if key not in stories:
            stories[key] = index.new_story(key)
        return stories[key]

    def join(story: _Story, row: int) -> None:
        index.join(story, vectors[row], moments[row])
        assignment[items[row].id] = story.key

    for row, item in enumerate(items):
        if item.story is not None:
            join(story(item.story), row)
    for row, item in enumerate(items):
        if item.story is not None:
            continue
        index.sweep(moments[row])
        best = _best_story(vectors[row], index, moments[row], threshold)
        join(best or story(item.id), row)
    _split_events(items, vectors, assignment)
    return assignment


def _split_events(
    items: list[Item], vectors: list[_Vector], assignment: dict[str, str]
) -> None:
    """Give each further event in a story its own key in ``assignment``.

    ``items`` oldest first; a part is keyed by its oldest item (:func:`_events`).
    """
    members: dict[str, list[int]] = {}
    for row, item in enumerate(items):
        members.setdefault(assignment[item.id], []).append(row)
    for rows in members.values():
        known = [items[row].story is not None for row in rows]
        if len(rows) - sum(known) < SPLIT_MEMBERS:
            continue
        langs = [primary_language(items[row].lang) for row in rows]
        for part in _events(vectors, rows, known, langs)[1:]:
            for row in part:
                assignment[items[row].id] = items[part[0]].id


def _events(
    vectors: list[_Vector], rows: list[int], known: list[bool], langs: list[str]
) -> list[list[int]]:
    """``rows`` of one story as the events they report, oldest member first in each.

    The first group holds the story's known members (or its first row);
    rows already known never leave it. Split in two by average linkage on
    cosine similarity, and each part again, while :data:`SPLIT_RATIO` holds
    between the groups' reports in one language (``langs``; groups that
    share none stay one).
    """
    if len(rows) < 2 * SPLIT_MEMBERS:
        return [rows]
    sims = _similarities([vectors[row] for row in rows])
    others = sims[~np.eye(len(rows), dtype=bool)]
    if others.min() >= SPLIT_RATIO * others.max():
        return [rows]  # any two groups are closer than the ratio asks
    # Only here: scipy.cluster takes longer to import than most ingests split.
    from scipy.cluster.hierarchy import fcluster, linkage  # noqa: PLC0415
    from scipy.spatial.distance import squareform  # noqa: PLC0415

    distances = np.clip(1.0 - sims, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    labels = fcluster(
        linkage(squareform(distances, checks=False), "average"), 2, "maxclust"
    )
    first = known.index(True) if any(known) else 0
    stay = [i for i in range(len(rows)) if labels[i] == labels[first]]
    leave = [i for i in range(len(rows)) if labels[i] != labels[first]]
    # Reports in two languages share fewer terms whatever they report: only
    # pairs in one language tell two events apart.
    between = [sims[i, j] for i in stay for j in leave if langs[i] == langs[j]]
    if (
        min(len(stay), len(leave)) < SPLIT_MEMBERS
        or any(known[i] for i in leave)
        or not between
        or np.mean(between)
        >= SPLIT_RATIO * min(_within(sims, stay), _within(sims, leave))
    ):
        return [rows]
    return [
        *_events(
            vectors,
            [rows[i] for i in stay],
            [known[i] for i in stay],
            [langs[i] for i in stay],
        ),
        *_events(
            vectors,
            [rows[i] for i in leave],
            [False] * len(leave),
            [langs[i] for i in leave],
        ),
    ]


def _similarities(group: list[_Vector]) -> np.ndarray:
    """Cosine similarity of each pair of unit vectors in ``group``."""
    columns: dict[int, int] = {}
    for vector in group:
        for term in vector.terms:
            columns.setdefault(term, len(columns))
    dense = np.zeros((len(group), len(columns)))
    for row, vector in enumerate(group):
        dense[row, [columns[term] for term in vector.terms]] = vector.array
    return dense @ dense.T


def _within(sims: np.ndarray, group: list[int]) -> float:
    """Mean similarity between distinct members of ``group``."""
    block = sims[np.ix_(group, group)]
    return float((block.sum() - np.trace(block)) / (len(group) * (len(group) - 1)))


def cluster_records(
    records: Sequence[Mapping[str, object]],
    *,
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[str]:
    """The story of each ``{"id", "title", "text", "published"?, "lang"?}`` record.

    The batch form of :func:`cluster` behind ``newsdigest cluster``: the same
    text preparation as ingest, stories in the order of ``records``.
    """
    items = [
        Item(
            str(record["id"]),
            cluster_text(str(record.get("title") or ""), str(record.get("text") or "")),
            parse_time(record["published"]) if record.get("published") else None,
            str(record["lang"]) if record.get("lang") else None,
        )
        for record in records
    ]
    assignment = cluster(items, window=window, threshold=threshold)
    return [assignment[item.id] for item in items]


def vectorize(
    texts: Sequence[str],
    langs: Sequence[str | None],
    readings: MutableMapping[ReadingKey, TextReading] | None = None,
) -> csr_matrix:
    """Unit-length TF-IDF rows over :func:`analyse_leads` tokens.

    Anchors are weighted up, terms found only past the lead down. Texts
    found in ``readings`` are not read again; those read are added.
    """
    tokens, leads = analyse_leads(texts, langs, readings)
    matrix, terms = tfidf(tokens, leads=leads, body_weight=BODY_WEIGHT)
    boost = {"@": NAME_WEIGHT, "#": NUMBER_WEIGHT}
    weights = [boost.get(term[0], 1.0) for term in terms]
    from scipy.sparse import diags  # noqa: PLC0415 (0.1 s: only when clustering)

    return unit_rows((matrix @ diags(weights)).tocsr())


def _vectors(matrix: csr_matrix) -> list[_Vector]:
    """Each row's terms and weights, heaviest term first (ties: lower term)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    terms, weights = matrix.indices[order], matrix.data[order]
    bounds = matrix.indptr.tolist()
    return [
        _Vector(
            terms[start:end].tolist(), weights[start:end].tolist(), weights[start:end]
        )
        for start, end in pairwise(bounds)
    ]


def _best_story(
    vector: _Vector, index: _Index, moment: int | None, threshold: float
) -> _Story | None:
    """The story within the window most similar on average, if it reaches threshold.

    Dot products with each story's sum are added up term by term, heaviest
    first, from the postings, so only stories sharing a term are ever
    touched. A term found in more than :data:`CANDIDATES_PER_TERM` stories is
    too common to find an event by: it proposes none, and its share of the
    score is added only for stories that could still reach the threshold
    with it (at most the norm of such terms, or their peak means: see
    :func:`_common_dots`). Scores count to nine decimals; ties go to the
    smallest story key.
    """
    rare, common, counts, found = index.rare_slots(vector.terms, moment)
    owners = index.owner[found]
    shares = np.repeat(vector.array[rare], counts) * index.sums[found]
    # Story numbers from the lowest found: a dated item's candidates are the
    # stories of the last few days, whatever the history. Shares are added
    # in term order, as one loop would.
    low = int(owners.min()) if len(owners) else 0
    offsets = owners - low
    numbers = np.flatnonzero(np.bincount(offsets)) + low
    dots = np.bincount(offsets, weights=shares).astype(float, copy=False)[numbers - low]
    sizes = index.sizes[numbers]
    # The common terms can add to a story's mean no more than their norm.
    norm = math.sqrt(sum(vector.weights[p] ** 2 for p in common))
    hopeful = index.near(numbers, moment) & (
        dots >= (threshold - _SCORE_TOLERANCE - norm) * sizes
    )
    numbers, dots = _common_dots(
        vector,
        common,
        index,
        moment=moment,
        numbers=numbers[hopeful],
        dots=dots[hopeful],
        threshold=threshold,
    )
    sizes = index.sizes[numbers]
    kept = dots / sizes >= threshold - _SCORE_TOLERANCE
    best, best_score = None, threshold
    for number, dot, size in sorted(
        zip(
            numbers[kept].tolist(),
            dots[kept].tolist(),
            sizes[kept].tolist(),
            strict=True,
        ),
        key=lambda candidate: index.stories[candidate[0]].key,
    ):
        score = round(dot / size, 9)
        if (score > best_score or (score == best_score and best is None)) and (
            _shares_enough(vector, index.stories[number])
        ):
            best, best_score = index.stories[number], score
    return best


def _shares_enough(vector: _Vector, story: _Story) -> bool:
    """Whether the vector has :data:`MIN_SHARED_TERMS` terms the story has."""
    shared = 0
    for term in vector.terms:
        shared += term in story.slots
        if shared >= MIN_SHARED_TERMS:
            return True
    return False


def _common_dots(
    vector: _Vector,
    common: list[int],
    index: _Index,
    *,
    moment: int | None,
    numbers: np.ndarray,
    dots: np.ndarray,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The stories ``numbers`` that may still reach ``threshold``, and their dots.

    ``dots`` are what the rare terms gave; the common terms at ``common``
    add theirs term by term in the vector's order (into a sum of their own,
    added last, as one loop would). After each term, a story is dropped if
    even the rest of the terms at their peak means (:attr:`_Index.peak`)
    could not lift it to the threshold. Each story's own slot for a term is
    looked up, unless the term's postings (for a dated item, only stories
    within the window) are much fewer than the stories: then they are read.
    So the cost never grows with the history.
    """
    bounds = [
        vector.weights[place] * index.peak[vector.terms[place]] for place in common
    ]
    # rest[k]: what the terms from the k-th on can add at most.
    rest = [*list(accumulate(reversed(bounds)))[::-1], 0.0]
    sizes = index.sizes[numbers]
    shares = np.zeros(len(numbers))
    stories: list[_Story] | None = None
    for step, place in enumerate(common):
        able = dots + shares >= (threshold - _SCORE_TOLERANCE - rest[step]) * sizes
        if not able.all():
            numbers, dots, shares, sizes = (
                numbers[able],
                dots[able],
                shares[able],
                sizes[able],
            )
            if stories is not None:
                stories = list(compress(stories, able.tolist()))
        if not len(numbers):
            break
        term, weight = vector.terms[place], vector.weights[place]
        if moment is None or len(numbers) * 8 < len(index.live.get(term, ())):
            if stories is None:
                stories = [index.stories[n] for n in numbers.tolist()]
            found = [
                (row, slot)
                for row, story in enumerate(stories)
                if (slot := story.slots.get(term)) is not None
            ]
            if found:
                rows, slots = zip(*found, strict=True)
                shares[list(rows)] += weight * index.sums[list(slots)]
            continue
        posted = np.asarray(index.postings(term, moment), dtype=np.intp)
        index.scratch[index.owner[posted]] = index.sums[posted]
        shares += weight * index.scratch[numbers]
        index.scratch[index.owner[posted]] = 0.0
    return numbers, dots + shares


def _grown(array: np.ndarray, size: int, fill: float) -> np.ndarray:
    """``array`` lengthened to ``size``, new places set to ``fill``."""
    grown = np.full(size, fill, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _oldest_first(item: Item) -> tuple[bool, datetime, str]:
    """Dated items by time, then undated ones; ids break ties."""
    return (
        item.published is None,
        item.published or datetime.min.replace(tzinfo=UTC),
        item.id,
    )
