"""Related stories: the vectorised search against a straightforward one."""

from __future__ import annotations

import functools
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdigest.stories import related as related_module
from newsdigest.stories import vectors as vectors_module
from newsdigest.stories.related import Entry, related
from newsdigest.stories.text import plain_words
from newsdigest.stories.vectors import tfidf, unit_rows

WORDS = [f"w{n}" for n in range(40)]
START = datetime(2026, 1, 1, tzinfo=UTC)


def reference(
    entries: list[Entry], limit: int, threshold: float, window: timedelta
) -> dict[str, list[str]]:
    """Every pair scored in Python: the best ``limit`` of each group, merged."""
    if len(entries) < 2:
        return {entry.key: [] for entry in entries}
    vectors = unit_rows(tfidf([plain_words(e.text) for e in entries], np.float32)[0])
    dense = vectors.toarray().astype(np.float64)
    similarity = dense @ dense.T
    result = {}
    for row, entry in enumerate(entries):
        by_group: dict[str, list[tuple[float, str]]] = {}
        for column, other in enumerate(entries):
            score = similarity[row, column]
            if column == row or score < threshold:
                continue
            if other.first - window > entry.last or entry.first - window > other.last:
                continue
            by_group.setdefault(other.group, []).append(
                (-round(float(score), 6), other.key)
            )
        best = [pair for pairs in by_group.values() for pair in sorted(pairs)[:limit]]
        result[entry.key] = [key for _score, key in sorted(best)]
    return result


def random_entries(rng: random.Random, count: int) -> list[Entry]:
    """Short texts from a small vocabulary, with spans over two months."""
    entries = []
    for number in range(count):
        first = START + timedelta(minutes=rng.randrange(60 * 24 * 60))
        last = first + timedelta(
            minutes=rng.choice([0, 30, 60 * 24 * rng.randrange(9)])
        )
        text = " ".join(rng.choices(WORDS, k=rng.randrange(1, 8)))
        group = rng.choice(["stories", "dispatches"])
        entries.append(Entry(f"{group}/e{number:04}", text, first, last, group))
    rng.shuffle(entries)
    return entries


@pytest.mark.parametrize("seed", range(12))
def test_matches_reference_on_random_entries(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(related_module, "BLOCK", rng.choice([1, 7, 64, 512]))
    monkeypatch.setattr(related_module, "PARALLEL_PAIRS", rng.choice([1, 10**9]))
    # Some or all terms scored apart (all: every pair found by lengths alone).
    monkeypatch.setattr(related_module, "COMMON_TERMS", rng.choice([0, 5, 40]))
    monkeypatch.setattr(related_module, "COMMON_USES", rng.choice([1, 30]))
    entries = random_entries(rng, rng.choice([30, 300, 700]))
    options = {
        "limit": rng.choice([1, 3, 5, 1000]),
        "threshold": rng.choice([0.05, 0.12, 0.3]),
        "window": timedelta(days=rng.choice([0, 3, 14])),
    }
    expected = reference(entries, **options)
    assert related(entries, **options, processes=2) == expected
    assert any(expected.values())


def test_ties_break_on_key() -> None:
    entries = [
        Entry(key, "flood river town", START, START) for key in ("c", "a", "b", "d")
    ]
    assert related(entries, limit=2) == {
        "c": ["a", "b"],
        "a": ["b", "c"],
        "b": ["a", "c"],
        "d": ["a", "b"],
    }


def test_window_and_groups_limit_candidates() -> None:
    later = START + timedelta(days=20)
    entries = [
        Entry("s/1", "flood river town", START, START, "s"),
        Entry("s/2", "flood river town", later, later, "s"),
        Entry("d/1", "flood river town", START, START, "d"),
        Entry("d/2", "flood river town", START, START, "d"),
    ]
    found = related(entries, limit=1, window=timedelta(days=14))
    assert found == {
        "s/1": ["d/1"],
        "s/2": [],
        "d/1": ["d/2", "s/1"],
        "d/2": ["d/1", "s/1"],
    }


def test_fewer_than_two_entries() -> None:
    assert related([]) == {}
    assert related([Entry("a", "flood", START, START)]) == {"a": []}


def test_a_second_search_of_the_same_entries_reuses_their_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build searches its items twice (links, threads), listed in other orders."""
    calls = []

    def counted_tfidf(*args, **kwargs):
        calls.append(1)
        return tfidf(*args, **kwargs)

    monkeypatch.setattr(vectors_module, "tfidf", counted_tfidf)
    fresh = functools.lru_cache(maxsize=1)(related_module._vectors.__wrapped__)
    monkeypatch.setattr(related_module, "_vectors", fresh)
    entries = random_entries(random.Random(7), 200)
    links = related(entries, threshold=0.12)
    threads = related(entries[::-1], threshold=0.3, window=timedelta(days=3))
    assert len(calls) == 1
    assert links == reference(entries, 5, 0.12, timedelta(days=14))
    assert threads == reference(entries, 5, 0.3, timedelta(days=3))
    assert list(threads) == [entry.key for entry in entries[::-1]]
