"""Clustering quality against labels: pairwise and B-cubed precision and recall.

Both compare a predicted grouping with a gold one over the same items.
Pairwise counts pairs of items put together; B-cubed averages, item by item,
how much of its predicted story shares its gold event and the other way
round, so one large wrong merge costs less than under pairwise but many small
splits cost more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairwise(gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Share of predicted same-story pairs that are gold pairs, and of gold found.

    With no pair on a side, that side's score is 1: nothing claimed is wrong.
    """
    both = _pairs(Counter((gold[i], predicted[i]) for i in gold))
    claimed = _pairs(Counter(predicted[i] for i in gold))
    true = _pairs(Counter(gold.values()))
    return Scores(both / claimed if claimed else 1.0, both / true if true else 1.0)


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Item-averaged precision and recall of each item's story against its event."""
    if not gold:
        return Scores(1.0, 1.0)
    cells = Counter((gold[i], predicted[i]) for i in gold)
    events = Counter(gold.values())
    stories = Counter(predicted[i] for i in gold)
    precision = sum(n * n / stories[s] for (_e, s), n in cells.items()) / len(gold)
    recall = sum(n * n / events[e] for (e, _s), n in cells.items()) / len(gold)
    return Scores(precision, recall)


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())
