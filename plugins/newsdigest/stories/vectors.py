"""TF-IDF vectors of token lists, on numpy and scipy.sparse.

The weights scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` gives
(smoothed IDF), computed in the same order down to the last bit: entries of a
row in the order the batch first used each term, columns in term order, row
norms summed one entry after another. Scores built on them, and so story
assignments and related-story lists, stay exactly what they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


def tfidf(
    docs: Sequence[Sequence[str]],
    dtype: type[np.floating] = np.float64,
    *,
    leads: Sequence[int] | None = None,
    body_weight: float = 1.0,
) -> tuple[csr_matrix, list[str]]:
    """Sublinear TF times smoothed IDF of each doc's tokens; the terms by column.

    With ``leads``, a term that doc ``i`` uses only after its first
    ``leads[i]`` tokens weighs ``body_weight`` times as much (document
    frequencies still count every token). Rows are not normalised (see
    :func:`unit_rows`). A batch without a single token gives a matrix with no
    columns.
    """
    first_seen: dict[str, int] = {}
    ids = [first_seen.setdefault(t, len(first_seen)) for doc in docs for t in doc]
    lengths = [len(doc) for doc in docs]
    vocabulary = len(first_seen)
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    # One entry per (doc, term), by doc and then by when the batch first saw the term.
    keys = doc_of * max(vocabulary, 1) + np.asarray(ids, dtype=np.int64)
    pairs, counts = np.unique(keys, return_counts=True)
    rows, seen = np.divmod(pairs, max(vocabulary, 1))
    terms = sorted(first_seen)
    column = np.empty(vocabulary, dtype=np.int32)
    column[[first_seen[term] for term in terms]] = np.arange(vocabulary)

    data = counts.astype(dtype)
    np.log(data, out=data)
    data += 1.0
    df = np.bincount(seen, minlength=vocabulary).astype(dtype) + 1.0
    idf = np.full_like(df, len(docs) + 1)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[seen]
    if leads is not None:
        sizes = np.asarray(lengths, dtype=np.int64)
        ends = np.cumsum(sizes) - sizes + np.asarray(leads, dtype=np.int64)
        in_lead = np.arange(len(keys)) < np.repeat(ends, sizes)
        body = np.ones(len(pairs), dtype=bool)
        # Every lead key is among the pairs; sorted, they are found sooner.
        body[np.searchsorted(pairs, np.sort(keys[in_lead]))] = False
        data[body] *= body_weight
    indptr = np.zeros(len(docs) + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=len(docs)), out=indptr[1:])
    from scipy.sparse import csr_matrix  # noqa: PLC0415 (0.1 s: only when vectorising)

    matrix = csr_matrix(
        (data, column[seen], indptr), shape=(len(docs), vocabulary), copy=False
    )
    return matrix, terms


def unit_rows(matrix: csr_matrix) -> csr_matrix:
    """Scale each non-empty row to unit length, in place; return the matrix.

    Squares are taken in the matrix's own precision and summed in double
    precision, one entry after another, as scikit-learn's ``normalize`` does.
    """
    lengths = np.diff(matrix.indptr)
    squares = matrix.data * matrix.data
    sums = np.zeros(len(lengths))
    for place in range(lengths.max(initial=0)):
        rows = np.flatnonzero(lengths > place)
        sums[rows] += squares[matrix.indptr[rows] + place]
    norms = np.sqrt(sums)
    norms[norms == 0.0] = 1.0
    matrix.data = (matrix.data / np.repeat(norms, lengths)).astype(matrix.dtype)
    return matrix
