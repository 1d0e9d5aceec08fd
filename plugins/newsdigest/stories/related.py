"""Related stories: other stories about the same or a closely linked event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from newsdigest.processes import run_shared
from newsdigest.stories.text import plain_words

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

DEFAULT_LIMIT = 5
DEFAULT_THRESHOLD = 0.12
DEFAULT_WINDOW = timedelta(days=14)
#: Rows compared per sparse product; each is compared only with its window.
BLOCK = 512
#: From this many entry pairs within the window on, the processes share the
#: blocks: at 19 million (a 10,000-story site) sharing gained nothing, at 174
#: million (100,000 synthetic reports) two took 30% off.
PARALLEL_PAIRS = 50_000_000
#: Terms scored apart as a dense block (see :class:`_Split`): at most this
#: many, each used by at least :data:`COMMON_USES` entries.
COMMON_TERMS = 128
COMMON_USES = 256
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
    processes: int = 1,
) -> dict[str, list[str]]:
    """For each key, the most similar other entries, best first.

    Two entries are candidates when their time spans come within ``window``
    of each other; they are related when the cosine of their TF-IDF vectors
    over :func:`~newsdigest.stories.text.plain_words` reaches ``threshold``.
    Each entry keeps its best ``limit`` of every group. Scores count to six
    decimals and ties break on key, so the result is deterministic; it does
    not depend on the order of ``entries`` either (keys are unique), nor on
    ``processes``, which share the work from :data:`PARALLEL_PAIRS` on.
    """
    if len(entries) < 2:
        return {entry.key: [] for entry in entries}
    by_key = sorted(entries, key=lambda entry: entry.key)
    vectors = _vectors(tuple(entry.text for entry in by_key))
    search = _Search(by_key, vectors, window, limit, threshold)
    blocks = [search.window(start) for start in range(0, len(by_key), BLOCK)]
    compared = sum(len(rows) * len(columns) for rows, columns in blocks)
    processes = processes if compared >= PARALLEL_PAIRS else 1
    found: dict[str, list[str]] = {entry.key: [] for entry in by_key}
    for row, column in run_shared(
        [partial(search.links, *block) for block in blocks], processes
    ):
        for r, c in zip(row.tolist(), column.tolist(), strict=True):
            found[by_key[r].key].append(by_key[c].key)
    return {entry.key: found[entry.key] for entry in entries}


@lru_cache(maxsize=1)
def _vectors(texts: tuple[str, ...]) -> _Split:
    """The texts' unit TF-IDF vectors, split; kept for the next search.

    A build searches the same stories and dispatches twice (related links,
    then threads), with different thresholds and windows.
    """
    import numpy as np  # noqa: PLC0415 (only builds need it)

    from newsdigest.stories.vectors import tfidf, unit_rows  # noqa: PLC0415

    words = [plain_words(text) for text in texts]
    return _Split(unit_rows(tfidf(words, np.float32)[0]))


class _Search:
    """What every block of the search reads: vectors, times, groups.

    ``entries`` come sorted by key, so an entry's index is its rank by key.
    """

    def __init__(
        self,
        entries: list[Entry],
        vectors: _Split,
        window: timedelta,
        limit: int,
        threshold: float,
    ):
        import numpy as np  # noqa: PLC0415

        self.vectors, self.limit, self.threshold = vectors, limit, threshold
        origin = entries[0].first
        self.first = np.array([(e.first - origin) // _MICROSECOND for e in entries])
        self.last = np.array([(e.last - origin) // _MICROSECOND for e in entries])
        self.reach = window // _MICROSECOND
        self.group = np.unique([e.group for e in entries], return_inverse=True)[1]
        self.by_first = np.argsort(self.first, kind="stable")
        self.sorted_first = self.first[self.by_first]

    def window(self, start: int) -> tuple[np.ndarray, np.ndarray]:
        """The :data:`BLOCK` entries from ``start`` in date order, and others.

        The others are the entries whose spans come within the window of
        any of the first.
        """
        import numpy as np  # noqa: PLC0415

        first, last, reach = self.first, self.last, self.reach
        rows = self.by_first[start : start + BLOCK]
        end = np.searchsorted(self.sorted_first, last[rows].max() + reach, "right")
        columns = self.by_first[:end]
        return rows, columns[last[columns] >= first[rows].min() - reach]

    def links(
        self, rows: np.ndarray, columns: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The links of ``rows`` among ``columns`` (see :meth:`window`).

        As (entry, related entry) index pairs, by entry and then best first.
        """
        import numpy as np  # noqa: PLC0415

        first, last, reach = self.first, self.last, self.reach
        row, column, score = _pairs(self.vectors, rows, columns, self.threshold)
        near = (first[column] <= last[row] + reach) & (
            last[column] >= first[row] - reach
        )
        near &= row != column
        row, column, score = row[near], column[near], score[near]
        rounded = np.array([round(s, 6) for s in score.tolist()], dtype=np.float64)
        return _best(row, column, rounded, group=self.group, limit=self.limit)


class _Split:
    """Entry vectors with the :data:`COMMON_TERMS` most used terms kept apart.

    ``rare`` holds the other terms' weights (sparse), ``common`` the common
    terms' (dense, a row per entry) and ``common_length`` each entry's length
    over them. Weights are widened to double precision, where products of the
    single-precision weights are exact: a score summed in two parts differs
    from one summed at once far below the six decimals scores are ranked by.
    """

    def __init__(self, vectors: csr_matrix):
        import numpy as np  # noqa: PLC0415

        vectors = vectors.astype(np.float64)
        uses = np.bincount(vectors.indices, minlength=vectors.shape[1])
        common = np.argsort(-uses, kind="stable")[:COMMON_TERMS]
        common = common[uses[common] >= COMMON_USES]
        self.common = vectors[:, common].toarray()
        # Weights are positive: zeroing the common ones leaves the rare ones.
        self.rare = vectors.copy()
        self.rare.data[np.isin(self.rare.indices, common)] = 0.0
        self.rare.eliminate_zeros()
        self.common_length = np.sqrt(np.einsum("ij,ij->i", self.common, self.common))


def _pairs(
    vectors: _Split, rows: np.ndarray, columns: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entry pairs among ``rows`` × ``columns`` whose cosine reaches ``threshold``.

    A pair's score is its rare terms' part plus its common terms' part, and
    the common part is at most the product of the two entries' lengths over
    the common terms. So a sparse product over the rare terms alone finds
    the pairs that share one (at 100,000 reports, a quarter of the pairs a
    product over all terms gives); those that could still reach the
    threshold, and those whose common lengths alone could, are scored in
    full (one pair in 140). The pairs are those a product over all terms
    finds.
    """
    import numpy as np  # noqa: PLC0415

    # A bound a little under the threshold, so rounding never drops a pair.
    reachable = threshold * (1 - 1e-9)
    row_length = vectors.common_length[rows]
    column_length = vectors.common_length[columns]
    shared = (vectors.rare[rows] @ vectors.rare[columns].T).tocoo()
    row, column, rare_part = shared.row, shared.col, shared.data
    could = rare_part + row_length[row] * column_length[column] >= reachable
    row, column, rare_part = row[could], column[could], rare_part[could]
    long_row, long_column = _long_pairs(row_length, column_length, reachable)
    width = np.int64(len(columns))  # pair numbers past 2**31 stay exact
    unseen = ~np.isin(long_row * width + long_column, row * width + column)
    row = np.concatenate([row, long_row[unseen]])
    column = np.concatenate([column, long_column[unseen]])
    rare_part = np.concatenate([rare_part, np.zeros(np.count_nonzero(unseen))])
    common = vectors.common
    score = rare_part + np.einsum(
        "ij,ij->i", common[rows[row]], common[columns[column]]
    )
    kept = score >= threshold
    return rows[row[kept]], columns[column[kept]], score[kept]


def _long_pairs(
    row_length: np.ndarray, column_length: np.ndarray, reachable: float
) -> tuple[np.ndarray, np.ndarray]:
    """The (row, column) index pairs whose lengths multiply to ``reachable`` or more."""
    import numpy as np  # noqa: PLC0415

    longest = np.argsort(-column_length, kind="stable")
    needed = np.full(len(row_length), np.inf)
    np.divide(reachable, row_length, out=needed, where=row_length > 0)
    counts = np.searchsorted(-column_length[longest], -needed, side="right")
    row = np.repeat(np.arange(len(row_length)), counts)
    starts = np.cumsum(counts) - counts
    return row, longest[np.arange(len(row)) - np.repeat(starts, counts)]


def _best(
    row: np.ndarray,
    column: np.ndarray,
    rounded: np.ndarray,
    *,
    group: np.ndarray,
    limit: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs each row keeps, ``limit`` per group, by row, score, then key.

    Entries are numbered in key order (see :class:`_Search`).
    """
    import numpy as np  # noqa: PLC0415

    order = np.lexsort((column, -rounded, group[column], row))
    row, column, rounded = row[order], column[order], rounded[order]
    new_cell = np.r_[
        True, (row[1:] != row[:-1]) | (group[column][1:] != group[column][:-1])
    ]
    starts = np.flatnonzero(new_cell)
    place = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)]))
    kept = place < limit
    row, column, rounded = row[kept], column[kept], rounded[kept]
    best = np.lexsort((column, -rounded, row))
    return row[best], column[best]
