"""Group reports about the same event: streaming, time-windowed, incremental.

Each new item, oldest first, joins the story whose members it is most similar
to on average (TF-IDF cosine), if that mean reaches the threshold and the
story has a member within the time window; otherwise it starts a new story.
Items that already belong to a story stay where they are, so history is never
re-clustered and story URLs never change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

#: Default settings; ``newsdigest ingest`` and ``newsdigest cluster`` share them.
DEFAULT_WINDOW = timedelta(days=3)
DEFAULT_THRESHOLD = 0.2


@dataclass(frozen=True)
class Item:
    """Something to cluster: a report's id, text and time, and its story if known."""

    id: str
    text: str
    published: datetime | None = None
    lang: str | None = None
    story: str | None = None


@dataclass
class _Story:
    key: str
    rows: list[int]
    first: datetime | None
    last: datetime | None

    def near(self, moment: datetime | None, window: timedelta) -> bool:
        if moment is None or self.first is None or self.last is None:
            return True
        return self.first - window <= moment <= self.last + window

    def add(self, row: int, moment: datetime | None) -> None:
        self.rows.append(row)
        if moment is not None:
            self.first = moment if self.first is None else min(self.first, moment)
            self.last = moment if self.last is None else max(self.last, moment)


def cluster(
    items: Iterable[Item],
    *,
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, str]:
    """Map every item id to a story key.

    Known items keep their story; a new story is keyed by the id of the item
    that started it.
    """
    items = list(items)
    if not items:
        return {}
    vectors = _vectorize([item.text for item in items])
    stories: dict[str, _Story] = {}
    assignment: dict[str, str] = {}
    for row, item in enumerate(items):
        if item.story is not None:
            stories.setdefault(item.story, _Story(item.story, [], None, None)).add(
                row, item.published
            )
            assignment[item.id] = item.story
    new_rows = sorted(
        (row for row, item in enumerate(items) if item.story is None),
        key=lambda row: (
            items[row].published is None,
            items[row].published or datetime.min.replace(tzinfo=UTC),
            items[row].id,
        ),
    )
    for row in new_rows:
        item = items[row]
        best = _best_story(
            vectors,
            row,
            [s for s in stories.values() if s.near(item.published, window)],
        )
        if best is not None and best[1] >= threshold:
            story = stories[best[0]]
        else:
            story = stories.setdefault(item.id, _Story(item.id, [], None, None))
        story.add(row, item.published)
        assignment[item.id] = story.key
    return assignment


def _vectorize(texts: list[str]):
    vectorizer = TfidfVectorizer(
        sublinear_tf=True,
        strip_accents="unicode",
        stop_words="english",
        token_pattern=r"(?u)\b\w\w+\b",
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # every text empty or only stop words
        return (
            vectorizer.set_params(stop_words=None, token_pattern=r"(?u)\S+")
            .fit_transform([t or "-" for t in texts])
            .tocsr()
        )


def _best_story(
    vectors, row: int, candidates: list[_Story]
) -> tuple[str, float] | None:
    """The candidate with the highest mean cosine similarity to ``row``."""
    if not candidates:
        return None
    member_rows = np.fromiter((r for s in candidates for r in s.rows), dtype=np.int64)
    owners = np.repeat(np.arange(len(candidates)), [len(s.rows) for s in candidates])
    similarities = (vectors[member_rows] @ vectors[row].T).toarray().ravel()
    means = np.bincount(owners, weights=similarities) / np.bincount(owners)
    best = int(np.argmax(means))
    return candidates[best].key, float(means[best])
