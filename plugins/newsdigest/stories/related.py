"""Related stories: other stories about the same or a closely linked event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

DEFAULT_LIMIT = 5
DEFAULT_THRESHOLD = 0.12
DEFAULT_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Entry:
    """One story as related-story search sees it."""

    key: str
    text: str
    first: datetime
    last: datetime


def related(
    entries: list[Entry],
    *,
    limit: int = DEFAULT_LIMIT,
    threshold: float = DEFAULT_THRESHOLD,
    window: timedelta = DEFAULT_WINDOW,
) -> dict[str, list[str]]:
    """For each story key, the most similar other stories, best first.

    Two stories are candidates when their time spans come within ``window``
    of each other; they are related when their TF-IDF cosine reaches
    ``threshold``. Ties break on key, so the result is deterministic.
    """
    if len(entries) < 2:
        return {entry.key: [] for entry in entries}
    vectors = TfidfVectorizer(
        sublinear_tf=True,
        strip_accents="unicode",
        stop_words="english",
        dtype=np.float32,
    ).fit_transform([e.text for e in entries])
    similarity = (vectors @ vectors.T).tocsr()
    result: dict[str, list[str]] = {}
    for row, entry in enumerate(entries):
        start, end = similarity.indptr[row], similarity.indptr[row + 1]
        scored = []
        for column, score in zip(
            similarity.indices[start:end], similarity.data[start:end], strict=True
        ):
            other = entries[column]
            if column == row or score < threshold:
                continue
            if other.first - window > entry.last or entry.first - window > other.last:
                continue
            scored.append((-round(float(score), 6), other.key))
        result[entry.key] = [key for _score, key in sorted(scored)[:limit]]
    return result
