"""The clustering newsdigest shipped before issue 4, frozen for side-by-side scores.

English stop words, no stemming, no anchors, one TF-IDF over the batch; the
same streaming mean-similarity assignment and defaults (3 days, 0.2). Kept
only so that ``make eval-clustering`` can show what changed; nothing in the
package imports it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from newsdigest.stories.cluster import Item
from newsdigest.stories.text import plain_words
from newsdigest.stories.vectors import tfidf, unit_rows


def cluster(
    items: list[Item], *, window: timedelta = timedelta(days=3), threshold: float = 0.2
) -> dict[str, str]:
    """Map every item id to a story key, as the original ``cluster()`` did."""
    # scikit-learn's default TfidfVectorizer with English stop words, as it was.
    words = [plain_words(item.text) for item in items]
    vectors = unit_rows(tfidf(words, np.float32)[0])
    members: dict[str, list[int]] = {}
    spans: dict[str, tuple[datetime | None, datetime | None]] = {}
    assignment: dict[str, str] = {}
    order = sorted(
        range(len(items)),
        key=lambda row: (
            items[row].published is None,
            items[row].published or datetime.min.replace(tzinfo=UTC),
            items[row].id,
        ),
    )
    for row in order:
        item = items[row]
        near = [
            key
            for key, (first, last) in spans.items()
            if item.published is None
            or first is None
            or last is None
            or first - window <= item.published <= last + window
        ]
        best, best_score = None, -1.0
        for key in near:
            score = float((vectors[members[key]] @ vectors[row].T).mean())
            if score > best_score:
                best, best_score = key, score
        key = best if best is not None and best_score >= threshold else item.id
        members.setdefault(key, []).append(row)
        first, last = spans.get(key, (None, None))
        if item.published is not None:
            first = item.published if first is None else min(first, item.published)
            last = item.published if last is None else max(last, item.published)
        spans[key] = (first, last)
        assignment[item.id] = key
    return assignment
