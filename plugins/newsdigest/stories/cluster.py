"""Group reports about the same event: streaming, time-windowed, incremental.

Each new item, oldest first, joins the story whose members it is most similar
to on average, if that mean reaches the threshold and the story has a member
within the time window; otherwise it starts a new story. Items that already
belong to a story stay where they are, so history is never re-clustered and
story URLs never change.

Similarity is the cosine of TF-IDF vectors over the tokens of
:func:`newsdigest.stories.text.analyse`: stems in each report's language, and
names and numbers (the anchors that survive framing and translation) weighted
up. The mean over a story's members is the dot product with the sum of their
vectors, so each story keeps that sum, and an inverted index finds the only
stories that could reach the threshold: cost grows with the number of
reports, not with reports times stories.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from newsdigest.stories.text import analyse, cluster_text
from newsdigest.times import parse_time

#: Default settings; ``newsdigest ingest`` and ``newsdigest cluster`` share them.
DEFAULT_WINDOW = timedelta(days=3)
DEFAULT_THRESHOLD = 0.2
#: How much more a shared name (or small count), and a shared figure, counts
#: than a shared word. Figures count most: a person, a place or "40" recurs
#: across events, ``$14bn``, ``25%`` or ``41,000`` rarely does.
NAME_WEIGHT = 1.5
NUMBER_WEIGHT = 2.5
#: A term found in more stories than this proposes none as candidates.
CANDIDATES_PER_TERM = 100


@dataclass(frozen=True)
class Item:
    """Something to cluster: a report's id, text and time, and its story if known."""

    id: str
    text: str
    published: datetime | None = None
    lang: str | None = None
    story: str | None = None


@dataclass(eq=False)
class _Story:
    key: str
    size: int = 0
    sums: dict[int, float] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None

    def near(self, moment: datetime | None, window: timedelta) -> bool:
        if moment is None or self.first is None or self.last is None:
            return True
        return self.first - window <= moment <= self.last + window

    def add(self, vector: Mapping[int, float], moment: datetime | None) -> None:
        self.size += 1
        for term, weight in vector.items():
            self.sums[term] = self.sums.get(term, 0.0) + weight
        if moment is not None:
            self.first = moment if self.first is None else min(self.first, moment)
            self.last = moment if self.last is None else max(self.last, moment)


@dataclass
class _Index:
    """Stories by term: those a dated item can still reach, and older ones.

    Items come oldest first, so once the newest dated item is more than a
    window past a story's last member, no later dated item can join it; the
    sweep moves such stories out of the way. Undated items, which come last
    and can join any story, look in both.
    """

    window: timedelta
    live: dict[int, list[_Story]] = field(default_factory=dict)
    old: dict[int, list[_Story]] = field(default_factory=dict)
    swept: datetime | None = None

    def add(self, story: _Story, terms: Iterable[int]) -> None:
        for term in terms:
            self.live.setdefault(term, []).append(story)

    def stories(self, term: int, moment: datetime | None) -> list[_Story]:
        live = self.live.get(term, [])
        return live if moment is not None else live + self.old.get(term, [])

    def sweep(self, moment: datetime | None) -> None:
        if moment is None or (
            self.swept is not None and moment - self.swept < self.window
        ):
            return
        self.swept = moment
        for term, stories in self.live.items():
            stale = [s for s in stories if s.last and s.last + self.window < moment]
            if stale:
                self.old.setdefault(term, []).extend(stale)
                gone = set(stale)
                self.live[term] = [s for s in stories if s not in gone]


def cluster(
    items: Iterable[Item],
    *,
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, str]:
    """Map every item id to a story key.

    Known items keep their story; a new story is keyed by the id of the item
    that started it. The result does not depend on the order of ``items``.
    """
    items = sorted(items, key=_oldest_first)
    if not items:
        return {}
    vectors = _vectors(vectorize([i.text for i in items], [i.lang for i in items]))
    stories: dict[str, _Story] = {}
    index = _Index(window)
    assignment: dict[str, str] = {}

    def join(story: _Story, row: int) -> None:
        index.add(story, vectors[row].keys() - story.sums.keys())
        story.add(vectors[row], items[row].published)
        assignment[items[row].id] = story.key

    for row, item in enumerate(items):
        if item.story is not None:
            join(stories.setdefault(item.story, _Story(item.story)), row)
    for row, item in enumerate(items):
        if item.story is not None:
            continue
        index.sweep(item.published)
        best = _best_story(vectors[row], index, item.published, threshold)
        join(best or stories.setdefault(item.id, _Story(item.id)), row)
    return assignment


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


def vectorize(texts: Sequence[str], langs: Sequence[str | None]) -> csr_matrix:
    """Unit-length TF-IDF rows over :func:`analyse` tokens, anchors weighted up."""
    vectorizer = TfidfVectorizer(
        analyzer=_tokens, sublinear_tf=True, norm=None, dtype=np.float64
    )
    try:
        matrix = vectorizer.fit_transform(analyse(texts, langs))
    except ValueError:  # not one token in the whole batch
        return csr_matrix((len(texts), 0))
    boost = {"@": NAME_WEIGHT, "#": NUMBER_WEIGHT}
    weights = [boost.get(t[0], 1.0) for t in vectorizer.get_feature_names_out()]
    return normalize(matrix @ diags(weights)).tocsr()


def _tokens(tokens: list[str]) -> list[str]:
    """Analyser for tokens made beforehand by :func:`analyse`."""
    return tokens


def _vectors(matrix: csr_matrix) -> list[dict[int, float]]:
    """Each row as ``{term: weight}``, heaviest term first."""
    rows = []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        pairs = zip(
            matrix.indices[start:end].tolist(),
            matrix.data[start:end].tolist(),
            strict=True,
        )
        rows.append(dict(sorted(pairs, key=lambda pair: (-pair[1], pair[0]))))
    return rows


def _best_story(
    vector: dict[int, float], index: _Index, moment: datetime | None, threshold: float
) -> _Story | None:
    """The story within the window most similar on average, if it reaches threshold.

    Dot products with each story's sum are added up term by term from the
    index, so only stories sharing a term are ever touched. A term found in
    more than :data:`CANDIDATES_PER_TERM` stories is too common to find an
    event by: it proposes none, and its share of the score, at most the norm
    of such terms, is added only for stories that could still reach the
    threshold. Ties go to the smallest story key.
    """
    dots: dict[_Story, float] = {}
    common: list[tuple[int, float]] = []
    for term, weight in vector.items():
        postings = index.stories(term, moment)
        if len(postings) > CANDIDATES_PER_TERM:
            common.append((term, weight))
            continue
        for story in postings:
            dots[story] = dots.get(story, 0.0) + weight * story.sums[term]
    reach = threshold - math.sqrt(sum(weight * weight for _term, weight in common))
    hopeful = [story for story, dot in dots.items() if dot >= reach * story.size]
    best, best_score = None, threshold
    for story in sorted(hopeful, key=lambda story: story.key):
        if not story.near(moment, index.window):
            continue
        dot = dots[story]
        dot += sum(weight * story.sums.get(term, 0.0) for term, weight in common)
        score = round(dot / story.size, 9)
        if score > best_score or (score == best_score and best is None):
            best, best_score = story, score
    return best


def _oldest_first(item: Item) -> tuple[bool, datetime, str]:
    """Dated items by time, then undated ones; ids break ties."""
    return (
        item.published is None,
        item.published or datetime.min.replace(tzinfo=UTC),
        item.id,
    )
