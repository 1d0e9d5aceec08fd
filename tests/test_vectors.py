"""TF-IDF vectors: the weights, their layout, and row norms summed in order."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from newsdigest.stories.vectors import tfidf, unit_rows

DOCS = [["flood", "river", "flood"], ["river", "town"], [], ["town", "flood", "dam"]]


def test_weights_are_sublinear_tf_times_smoothed_idf():
    matrix, terms = tfidf(DOCS)
    assert terms == ["dam", "flood", "river", "town"]
    df = {"dam": 1, "flood": 2, "river": 2, "town": 2}
    for row, doc in enumerate(DOCS):
        expected = {
            term: (1 + math.log(doc.count(term))) * (math.log(5 / (1 + df[term])) + 1)
            for term in set(doc)
        }
        found = matrix.getrow(row).todok()
        assert {terms[c]: v for (_r, c), v in found.items()} == pytest.approx(
            expected, rel=1e-12
        )


def test_entries_of_a_row_follow_the_order_the_batch_first_used_each_term():
    matrix, terms = tfidf(DOCS)
    last = matrix.indptr[3], matrix.indptr[4]
    # "town" came before "flood" in the batch, and "dam" last.
    assert [terms[c] for c in matrix.indices[slice(*last)]] == ["flood", "town", "dam"]


def test_a_batch_without_tokens_has_no_columns():
    matrix, terms = tfidf([[], []])
    assert matrix.shape == (2, 0)
    assert terms == []
    assert unit_rows(matrix).nnz == 0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rows_are_scaled_by_norms_summed_one_entry_after_another(dtype):
    rng = random.Random(4)
    words = [f"w{n}" for n in range(60)]
    docs = [rng.choices(words, k=rng.randrange(0, 80)) for _ in range(40)]
    matrix, _terms = tfidf(docs, dtype)
    expected = []
    for row in range(matrix.shape[0]):
        data = matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]]
        total = 0.0
        for value in data:
            total += float(value * value)  # squared in the matrix's precision
        norm = math.sqrt(total) or 1.0
        expected += [dtype(float(value) / norm) for value in data]
    scaled = unit_rows(matrix)
    assert scaled.dtype == dtype
    assert scaled.data.tolist() == expected
    lengths = np.sqrt(scaled.multiply(scaled).sum(axis=1)).A1
    assert lengths[np.diff(scaled.indptr) > 0] == pytest.approx(1.0, rel=1e-6)


def test_terms_used_only_past_the_lead_weigh_less():
    docs = [["flood", "river", "town", "flood", "dam"], ["river", "dam"]]
    plain, terms = tfidf(docs)
    weighted, same_terms = tfidf(docs, leads=[2, 2], body_weight=0.25)
    assert same_terms == terms
    ratio = {terms[c]: weighted[0, c] / plain[0, c] for c in plain.getrow(0).indices}
    # "flood" is in the lead (and again later); "town" and "dam" only after it.
    assert ratio == pytest.approx({"flood": 1, "river": 1, "town": 0.25, "dam": 0.25})
    assert weighted.getrow(1).toarray() == pytest.approx(plain.getrow(1).toarray())
