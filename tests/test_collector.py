"""A build collects garbage less often, and puts the thresholds back."""

from __future__ import annotations

import gc

from pelican import signals
from sitekit import NOW, Item, Project

from newsdigest.collector import BUILD_THRESHOLD


def test_a_build_raises_the_threshold_and_puts_it_back(project: Project) -> None:
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []

    def note(_generators: object) -> None:
        during.append(gc.get_threshold())

    signals.all_generators_finalized.connect(note)
    project.add_outlet(
        "harbor-ledger", [Item("Harbor bridge closed", "https://h.example/a", NOW)]
    )
    project.ingest()
    project.build()
    assert during == [(BUILD_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before
