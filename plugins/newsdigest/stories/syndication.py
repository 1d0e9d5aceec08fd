"""Syndicated copies: one wire text republished by several outlets.

Within a story, two reports are copies when their word 3-shingles overlap
by at least :data:`COPY_THRESHOLD` (Jaccard), over the whole text or over
the lead alone (outlets often rewrite a wire headline but keep its lead).
Independent reporting on one event shares names and figures but hardly ever
three words in a row, so the line between the two is wide. Copies form one
group whose **origin** is the earliest report: a story page counts a group as
one source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from newsdigest.records import Report
from newsdigest.stories.text import cluster_text, fold

#: Jaccard overlap of word 3-shingles from which two reports are copies.
COPY_THRESHOLD = 0.5
#: Fewest words a lead needs to be compared on its own.
MIN_LEAD_WORDS = 12

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CopyGroup:
    """Reports carrying one text: the earliest is the origin, the rest copies."""

    origin: str
    copies: tuple[str, ...]


def copy_groups(reports: Sequence[Report]) -> list[CopyGroup]:
    """Groups of two or more copies among a story's reports, by origin time.

    Reports are named by URL. A report copied by nobody is in no group, so
    the number of independent sources is ``len(reports)`` minus the copies.
    """
    order = sorted(reports, key=lambda r: (r.published, r.url))
    texts = [_shingles(cluster_text(r.headline, r.summary)) for r in order]
    leads = [_shingles(r.summary) for r in order]
    parent = list(range(len(order)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for one, other in combinations(range(len(order)), 2):
        if _jaccard(texts[one], texts[other]) >= COPY_THRESHOLD or (
            min(len(leads[one]), len(leads[other])) >= MIN_LEAD_WORDS - 2
            and _jaccard(leads[one], leads[other]) >= COPY_THRESHOLD
        ):
            parent[max(root(one), root(other))] = min(root(one), root(other))
    groups: dict[int, list[Report]] = {}
    for node, report in enumerate(order):
        groups.setdefault(root(node), []).append(report)
    return [
        CopyGroup(members[0].url, tuple(r.url for r in members[1:]))
        for _first, members in sorted(groups.items())
        if len(members) > 1
    ]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [fold(word) for word in _WORD.findall(text)]
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _jaccard(one: set, other: set) -> float:
    union = len(one | other)
    return len(one & other) / union if union else 0.0
