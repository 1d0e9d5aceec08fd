"""Related stories: other stories about the same or a closely linked event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from newsdigest.stories.text import plain_words

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

DEFAULT_LIMIT = 5
DEFAULT_THRESHOLD = 0.12
DEFAULT_WINDOW = timedelta(days=14)
#: Rows compared per sparse product; each is compared only with its window.
BLOCK = 512
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Entry:
    """One story as related-story search sees it; ``group`` sets its own limit."""

    key: str
    text: str
    first: datetime
    last: datetime
    group: str = ""


def related(
    entries: list[Entry],
    *,
    limit: int = DEFAULT_LIMIT,
    threshold: float = DEFAULT_THRESHOLD,
    window: timedelta = DEFAULT_WINDOW,
) -> dict[str, list[str]]:
    """For each key, the most similar other entries, best first.

    Two entries are candidates when their time spans come within ``window``
    of each other; they are related when the cosine of their TF-IDF vectors
    over :func:`~newsdigest.stories.text.plain_words` reaches ``threshold``.
    Each entry keeps its best ``limit`` of every group. Scores count to six
    decimals and ties break on key, so the result is deterministic.
    """
    import numpy as np  # noqa: PLC0415 (only builds need it)

    from newsdigest.stories.vectors import tfidf, unit_rows  # noqa: PLC0415

    if len(entries) < 2:
        return {entry.key: [] for entry in entries}
    vectors = unit_rows(tfidf([plain_words(e.text) for e in entries], np.float32)[0])
    origin = entries[0].first
    first = np.array([(e.first - origin) // _MICROSECOND for e in entries])
    last = np.array([(e.last - origin) // _MICROSECOND for e in entries])
    reach = window // _MICROSECOND
    keys = sorted(range(len(entries)), key=lambda i: entries[i].key)
    key_rank = np.empty(len(entries), dtype=np.int64)
    key_rank[keys] = np.arange(len(entries))
    group = np.unique([e.group for e in entries], return_inverse=True)[1]
    by_first = np.argsort(first, kind="stable")
    sorted_first = first[by_first]
    found: list[list[str]] = [[] for _ in entries]
    for start in range(0, len(entries), BLOCK):
        rows = by_first[start : start + BLOCK]
        end = np.searchsorted(sorted_first, last[rows].max() + reach, "right")
        columns = by_first[:end]
        columns = columns[last[columns] >= first[rows].min() - reach]
        row, column, score = _pairs(vectors, rows, columns, threshold)
        near = (first[column] <= last[row] + reach) & (
            last[column] >= first[row] - reach
        )
        near &= row != column
        row, column, score = row[near], column[near], score[near]
        rounded = np.array([round(s, 6) for s in score.tolist()], dtype=np.float64)
        row, column = _best(
            row, column, rounded, group=group, key_rank=key_rank, limit=limit
        )
        for r, c in zip(row.tolist(), column.tolist(), strict=True):
            found[r].append(entries[c].key)
    return {entry.key: links for entry, links in zip(entries, found, strict=True)}


def _pairs(
    vectors: csr_matrix, rows: np.ndarray, columns: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entry pairs among ``rows`` × ``columns`` whose cosine reaches ``threshold``."""
    similarity = (vectors[rows] @ vectors[columns].T).tocoo()
    kept = similarity.data >= threshold
    return (
        rows[similarity.row[kept]],
        columns[similarity.col[kept]],
        similarity.data[kept],
    )


def _best(
    row: np.ndarray,
    column: np.ndarray,
    rounded: np.ndarray,
    *,
    group: np.ndarray,
    key_rank: np.ndarray,
    limit: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs each row keeps, ``limit`` per group, by row, score, then key."""
    import numpy as np  # noqa: PLC0415

    order = np.lexsort((key_rank[column], -rounded, group[column], row))
    row, column, rounded = row[order], column[order], rounded[order]
    new_cell = np.r_[
        True, (row[1:] != row[:-1]) | (group[column][1:] != group[column][:-1])
    ]
    starts = np.flatnonzero(new_cell)
    place = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)]))
    kept = place < limit
    row, column, rounded = row[kept], column[kept], rounded[kept]
    best = np.lexsort((key_rank[column], -rounded, row))
    return row[best], column[best]
