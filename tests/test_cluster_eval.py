"""Scoring a clustering against labels, and the labelled sets in eval/."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sitekit import REPO

from newsdigest.stories import cluster as cluster_module
from newsdigest.stories.cluster import Item, cluster, cluster_records
from newsdigest.stories.evaluate import Scores, bcubed, pairwise
from newsdigest.stories.text import cluster_text

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}


def test_perfect_clustering_scores_one_everywhere():
    assert pairwise(GOLD, GOLD) == Scores(1.0, 1.0)
    assert bcubed(GOLD, GOLD) == Scores(1.0, 1.0)
    assert pairwise(GOLD, GOLD).f1 == 1.0


def test_story_keys_need_not_match_event_names():
    renamed = {item: f"story-{event}" for item, event in GOLD.items()}
    assert pairwise(GOLD, renamed) == Scores(1.0, 1.0)
    assert bcubed(GOLD, renamed) == Scores(1.0, 1.0)


def test_everything_in_one_story():
    merged = dict.fromkeys(GOLD, "all")
    # Gold pairs: 3 (a-b, a-c, b-c); claimed pairs: 10; all 3 found.
    assert pairwise(GOLD, merged) == Scores(3 / 10, 1.0)
    # Items a-c: 3/5 of their story is their event; d and e: 1/5 each.
    assert bcubed(GOLD, merged) == Scores(pytest.approx((3 * 3 / 5 + 2 / 5) / 5), 1.0)


def test_every_item_alone():
    alone = {item: item for item in GOLD}
    assert pairwise(GOLD, alone) == Scores(1.0, 0.0)
    assert pairwise(GOLD, alone).f1 == 0.0
    # a-c find 1/3 of their event, d and e all of theirs.
    assert bcubed(GOLD, alone) == Scores(1.0, pytest.approx((3 * 1 / 3 + 2) / 5))


def test_one_item_split_off_and_one_wrongly_joined():
    predicted = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}
    scores = pairwise(GOLD, predicted)
    assert scores == Scores(1 / 2, 1 / 3)  # a-b right, c-d wrong; a-b of 3 found
    assert scores.f1 == pytest.approx(0.4)
    cubed = bcubed(GOLD, predicted)
    assert cubed.precision == pytest.approx((1 + 1 + 0.5 + 0.5 + 1) / 5)
    assert cubed.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)


def test_only_labelled_items_are_scored():
    predicted = {**GOLD, "unlabelled": "x"}
    assert pairwise(GOLD, predicted) == Scores(1.0, 1.0)


def _labelled(name: str) -> list[dict]:
    lines = (REPO / "eval" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize(
    ("name", "items", "events"),
    [("headlines.jsonl", 150, 40), ("fulltext.jsonl", 60, 20)],
)
def test_labelled_sets_are_big_enough_and_well_formed(name, items, events):
    records = _labelled(name)
    assert len(records) >= items
    assert len({r["event"] for r in records}) >= events
    assert len({r["id"] for r in records}) == len(records)
    assert {r["lang"] for r in records} == {"en", "fr", "de", "es"}
    assert all(r["title"] and r["event"] for r in records)


@pytest.mark.parametrize(
    ("name", "pairwise_f1", "bcubed_f1"),
    [("headlines.jsonl", 0.8, 0.88), ("fulltext.jsonl", 0.82, 0.92)],
)
def test_default_clustering_keeps_its_quality_on_the_labelled_sets(
    name, pairwise_f1, bcubed_f1
):
    records = _labelled(name)
    gold = {r["id"]: r["event"] for r in records}
    predicted = dict(zip(gold, cluster_records(records), strict=True))
    assert pairwise(gold, predicted).f1 >= pairwise_f1
    assert bcubed(gold, predicted).f1 >= bcubed_f1
    assert max(Counter(predicted.values()).values()) <= 8  # no runaway story


@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
@pytest.mark.parametrize("name", ["headlines.jsonl", "fulltext.jsonl"])
def test_labelled_sets_cluster_into_exactly_the_recorded_stories(name, dated):
    """Speed work must not move a single report: the stories, key by key."""
    records = _labelled(name)
    if not dated:
        records = [{k: v for k, v in r.items() if k != "published"} for r in records]
    stories: dict[str, list[str]] = {}
    for record, key in zip(records, cluster_records(records), strict=True):
        stories.setdefault(key, []).append(record["id"])
    recorded = json.loads(
        (REPO / "tests" / "data" / "cluster_stories.json").read_text(encoding="utf-8")
    )
    label = name if dated else f"{name}, undated"
    assert stories == recorded[label]


def test_a_follow_up_retelling_the_earlier_event_in_its_body_starts_its_own_story(
    monkeypatch,
):
    """Mexico's retaliation recalls Pryce's steel tariff past its lead, undated."""
    records = [
        r
        for r in _labelled("fulltext.jsonl")
        if r["event"] in {"pryce-steel-tariff", "mexico-retaliation"}
    ]
    gold = {r["id"]: r["event"] for r in records}
    predicted = dict(zip(gold, cluster_records(records), strict=True))
    assert pairwise(gold, predicted) == Scores(1.0, 1.0)
    monkeypatch.setattr(cluster_module, "BODY_WEIGHT", 1.0)  # the body as the lead
    predicted = dict(zip(gold, cluster_records(records), strict=True))
    assert pairwise(gold, predicted).precision < 1.0


@pytest.mark.parametrize(
    "events",
    [("continental-final", "ashford-sacking"), ("pryce-steel-tariff", "pryce-hearing")],
)
def test_a_follow_up_told_by_several_reports_is_split_from_the_event_it_recalls(
    events, monkeypatch
):
    """Its first report joins on the names alone; its second shows two events."""
    records = [
        {k: v for k, v in r.items() if k != "published"}
        for r in _labelled("fulltext.jsonl")
    ]

    def scores() -> Scores:
        keys = [r["id"] for r in records]
        stories = dict(zip(keys, cluster_records(records), strict=True))
        gold = {r["id"]: r["event"] for r in records if r["event"] in events}
        return pairwise(gold, {key: stories[key] for key in gold})

    assert scores() == Scores(1.0, 1.0)
    monkeypatch.setattr(cluster_module, "SPLIT_RATIO", 0.0)  # never split
    assert scores().precision < 1.0


def test_reports_a_story_already_holds_stay_when_new_ones_split_off(monkeypatch):
    records = _labelled("fulltext.jsonl")
    items = [
        Item(
            r["id"],
            cluster_text(r["title"], r["text"]),
            None,
            r["lang"],
            story="the-final" if r["event"] == "continental-final" else None,
        )
        for r in records
    ]
    sacking = [r["id"] for r in records if r["event"] == "ashford-sacking"]
    final = [r["id"] for r in records if r["event"] == "continental-final"]
    assignment = cluster(items)
    assert {assignment[key] for key in final} == {"the-final"}
    assert {assignment[key] for key in sacking} == {sacking[0]}
    monkeypatch.setattr(cluster_module, "SPLIT_RATIO", 0.0)  # never split
    assert {cluster(items)[key] for key in sacking} == {"the-final"}
