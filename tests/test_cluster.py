"""Grouping reports about the same event into stories."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
from bench import cluster_bench
from bench.cluster_bench import synthetic
from sitekit import REPO

from newsdigest.stories import cluster as cluster_module
from newsdigest.stories.cluster import DEFAULT_WINDOW, Item, cluster

START = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def _at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


# Three events, each told in different words, plus lookalikes sharing one
# generic word with another event ("Japan", "budget", "Tuesday").
NEWS = {
    "quake-1": "Magnitude 6.8 earthquake strikes Hokkaido. Buildings damaged in "
    "Sapporo, Japan.",
    "quake-2": "Strong 6.8 earthquake shakes northern Japan as Sapporo residents "
    "flee buildings in Hokkaido.",
    "quake-3": "Hokkaido earthquake of magnitude 6.8 leaves Sapporo without power.",
    "vote-1": "Japan parliament votes on defence budget in Tokyo.",
    "budget-1": "Ontario unveils 2026 budget with C$4bn for Toronto schools.",
    "budget-2": "Ontario budget: Toronto schools get C$4bn, teachers union "
    "unimpressed.",
    "fire-1": "Warehouse fire in Lyon injures three workers on Tuesday.",
    "rob-1": "Bank robbery in Oslo: suspect arrested on Tuesday.",
}


def _news_items() -> list[Item]:
    return [
        Item(key, text, _at(number * 0.5))
        for number, (key, text) in enumerate(NEWS.items())
    ]


def _groups(assignment: dict[str, str]) -> set[frozenset[str]]:
    stories: dict[str, set[str]] = {}
    for item, story in assignment.items():
        stories.setdefault(story, set()).add(item)
    return {frozenset(members) for members in stories.values()}


def test_empty_input_gives_empty_mapping():
    assert cluster([]) == {}


def test_every_item_gets_a_story():
    assignment = cluster(_news_items())
    assert set(assignment) == set(NEWS)


def test_same_event_in_different_words_joins_one_story():
    assignment = cluster(_news_items())
    assert assignment["quake-1"] == assignment["quake-2"] == assignment["quake-3"]
    assert assignment["budget-1"] == assignment["budget-2"]


def test_different_events_sharing_a_generic_word_stay_apart():
    assert _groups(cluster(_news_items())) == {
        frozenset({"quake-1", "quake-2", "quake-3"}),
        frozenset({"vote-1"}),
        frozenset({"budget-1", "budget-2"}),
        frozenset({"fire-1"}),
        frozenset({"rob-1"}),
    }


def test_different_events_sharing_only_a_figure_or_a_year_stay_apart():
    """One shared term, however heavy, does not make an event."""
    items = [
        Item("buses", "Council approves 150 new buses for Leeds", _at(0), "en"),
        Item("beds", "Hospital in Cork adds 150 beds to winter ward", _at(1), "en"),
        Item(
            "budget",
            "Parliament approves the state budget for 2027. Parliament approved "
            "the 2027 state budget overnight in a third reading.",
            _at(2),
            "en",
        ),
        Item(
            "mars",
            "Space agency plans Mars sample return for 2027. The agency said "
            "the mission to return Mars samples could launch in 2027.",
            _at(3),
            "en",
        ),
    ]
    assert len(set(cluster(items).values())) == 4


def test_new_story_is_keyed_by_its_oldest_item():
    assignment = cluster(_news_items())
    assert assignment["quake-2"] == "quake-1"
    assert assignment["budget-2"] == "budget-1"
    assert assignment["rob-1"] == "rob-1"


def test_items_are_taken_oldest_first_whatever_the_input_order():
    items = _news_items()
    # budget-2 listed first but published later still joins budget-1's story.
    assignment = cluster([items[5], *items[:5], *items[6:]])
    assert assignment["budget-2"] == "budget-1"


def test_identical_text_outside_the_window_starts_a_new_story():
    text = "Magnitude 6.8 earthquake strikes Hokkaido near Sapporo"
    assignment = cluster(
        [
            Item("old", text, START),
            Item("new", text, START + DEFAULT_WINDOW + timedelta(hours=1)),
        ]
    )
    assert assignment == {"old": "old", "new": "new"}


def test_identical_text_inside_the_window_joins():
    text = "Magnitude 6.8 earthquake strikes Hokkaido near Sapporo"
    assignment = cluster(
        [
            Item("old", text, START),
            Item("new", text, START + DEFAULT_WINDOW - timedelta(hours=1)),
        ]
    )
    assert assignment == {"old": "old", "new": "old"}


def test_window_is_measured_from_the_storys_newest_member():
    text = "Magnitude 6.8 earthquake strikes Hokkaido near Sapporo"
    day = timedelta(days=2)
    assignment = cluster(
        [
            Item("a", text, START),
            Item("b", text, START + day),
            Item("c", text, START + 2 * day),
        ]
    )
    assert set(assignment.values()) == {"a"}


def test_custom_window_and_threshold_are_honoured():
    text = "Magnitude 6.8 earthquake strikes Hokkaido near Sapporo"
    items = [Item("a", text, START), Item("b", text, _at(2))]
    assert cluster(items, window=timedelta(hours=1))["b"] == "b"
    loose = [
        Item("a", "Sapporo earthquake", START, "en"),
        Item("b", "Sapporo earthquake leaves ferries idle at dawn", _at(1), "en"),
    ]
    assert cluster(loose, threshold=0.01)["b"] == "a"
    assert cluster(loose, threshold=1.01)["b"] == "b"


def test_known_items_keep_their_story_even_when_dissimilar():
    assignment = cluster(
        [
            Item("k1", "Hokkaido earthquake", START, story="quake"),
            Item("k2", "Ontario school budget", START, story="quake"),
        ]
    )
    assert assignment == {"k1": "quake", "k2": "quake"}


def test_new_item_joins_a_known_story():
    known = [
        Item("k1", NEWS["quake-1"], START, story="2026-03-03-hokkaido-quake"),
        Item("k2", NEWS["budget-1"], START, story="2026-03-03-ontario-budget"),
    ]
    fresh = [Item("n1", NEWS["quake-3"], _at(5)), Item("n2", NEWS["budget-2"], _at(6))]
    assignment = cluster([*known, *fresh])
    assert assignment == {
        "k1": "2026-03-03-hokkaido-quake",
        "k2": "2026-03-03-ontario-budget",
        "n1": "2026-03-03-hokkaido-quake",
        "n2": "2026-03-03-ontario-budget",
    }


def test_new_item_does_not_join_a_known_story_outside_the_window():
    known = [Item("k1", NEWS["quake-1"], START, story="old-quake")]
    fresh = [Item("n1", NEWS["quake-1"], START + timedelta(days=30))]
    assert cluster([*known, *fresh])["n1"] == "n1"


def test_undated_items_can_still_join():
    assignment = cluster(
        [
            Item("dated", NEWS["quake-1"], START),
            Item("undated", NEWS["quake-3"], None),
        ]
    )
    assert assignment["undated"] == "dated"


def test_texts_of_only_stop_words_or_nothing_do_not_crash():
    assignment = cluster(
        [Item("a", "", START), Item("b", "the and of", _at(1)), Item("c", "", _at(2))]
    )
    assert set(assignment) == {"a", "b", "c"}


_CLUSTER_IN_A_CHILD = """
import json, sys
from datetime import datetime
from newsdigest.stories.cluster import Item, cluster
rows = json.load(sys.stdin)
print(json.dumps(cluster([Item(i, t, datetime.fromisoformat(w)) for i, t, w in rows])))
"""


def test_result_does_not_depend_on_the_hash_seed():
    """Sets of text iterate in hash order, which differs from process to process."""
    items = _news_items()
    rows = [(item.id, item.text, item.published.isoformat()) for item in items]
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    child = subprocess.run(
        [sys.executable, "-c", _CLUSTER_IN_A_CHILD],
        input=json.dumps(rows),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert json.loads(child.stdout) == cluster(items)


def test_result_does_not_depend_on_input_order():
    expected = cluster(_news_items())
    shuffler = random.Random(20260303)
    for _ in range(5):
        items = _news_items()
        shuffler.shuffle(items)
        assert cluster(items) == expected


def test_result_does_not_depend_on_order_of_known_items():
    known = [
        Item("k1", NEWS["quake-1"], START, story="quake"),
        Item("k2", NEWS["budget-1"], _at(1), story="budget"),
        Item("k3", NEWS["fire-1"], _at(2), story="fire"),
        Item("k4", NEWS["quake-2"], _at(3), story="quake"),
    ]
    fresh = [
        Item("n1", NEWS["quake-3"], _at(5)),
        Item("n2", NEWS["budget-2"], _at(6)),
        Item("n3", NEWS["rob-1"], _at(7)),
    ]
    expected = cluster([*known, *fresh])
    assert expected["n1"] == "quake"
    assert expected["n2"] == "budget"
    assert expected["n3"] == "n3"
    assert cluster([*reversed(known), *fresh]) == expected
    assert cluster([*fresh, *known]) == expected


def test_tie_between_known_stories_does_not_depend_on_input_order():
    known = [
        Item("k1", "alpha gamma", START, story="story-one"),
        Item("k2", "beta delta", START, story="story-two"),
    ]
    fresh = [Item("n1", "alpha beta", _at(1))]
    assert cluster([*known, *fresh])["n1"] == cluster([*known[::-1], *fresh])["n1"]


def test_unrelated_events_sharing_only_attribution_boilerplate_stay_apart():
    background = [
        "Apple reports record iPhone sales in China, analysts said on Tuesday.",
        "Heatwave grips Seville as temperatures reach 44C.",
        "Kenya central bank holds rates at 12 percent, officials said.",
        "Chelsea sign Brazilian striker for 60 million pounds.",
        "Nasa delays Artemis launch over heat shield, the agency said on Tuesday.",
        "Dutch farmers block motorways in protest over nitrogen rules.",
        "Parliament in Canberra passes housing bill after late-night sitting.",
        "Wildfire near Athens forces evacuation of coastal villages, officials said.",
        "Samsung unveils foldable phone with bigger battery.",
        "Chile copper output falls for third month, ministry said on Tuesday.",
        "Toyota recalls 1 million cars over airbag fault.",
        "Storm Ciaran leaves 200,000 homes without power in Brittany.",
    ]
    items = [Item(f"bg-{n}", text, _at(n * 0.1)) for n, text in enumerate(background)]
    items += [
        Item(
            "fire",
            "Fire destroys warehouse in Lyon, officials said on Tuesday.",
            _at(3),
        ),
        Item(
            "robbery",
            "Suspect arrested after bank robbery in Oslo, officials said on Tuesday.",
            _at(4),
        ),
    ]
    assignment = cluster(items)
    assert assignment["fire"] == "fire"
    assert assignment["robbery"] == "robbery"


def test_pruning_candidates_never_changes_a_story(monkeypatch):
    """Stories dropped before their score is known could not have won."""
    items, _events = synthetic(3000)
    # Terms in more than two stories are common (and pruned on), so most are.
    monkeypatch.setattr(cluster_module, "CANDIDATES_PER_TERM", 2)
    pruned = cluster(items)
    # So wide a tolerance that every candidate is scored to the end.
    monkeypatch.setattr(cluster_module, "_SCORE_TOLERANCE", 1.0)
    assert cluster(items) == pruned


def test_a_batch_spread_over_the_history_joins_as_recorded(monkeypatch):
    """Speed work on the sweep must not move a report: 200 new items among 5,800
    known ones over twelve days, their stories as first recorded."""
    monkeypatch.setattr(cluster_bench, "REPORTS_PER_DAY", 500)
    items, _events = cluster_bench.synthetic(6000)
    first = cluster(items)
    new = set(random.Random(5).sample([item.id for item in items], 200))
    batch = [
        item if item.id in new else replace(item, story=first[item.id])
        for item in items
    ]
    assignment = cluster(batch)
    recorded = json.loads(
        (REPO / "tests" / "data" / "cluster_update.json").read_text(encoding="utf-8")
    )
    assert {key: assignment[key] for key in sorted(new)} == recorded


def test_the_sweep_moves_only_stories_no_later_item_can_reach():
    """A dated item sees the stories of its window once; an undated one every
    story once, however many sweeps went by."""
    day = timedelta(days=1) // timedelta(microseconds=1)
    index = cluster_module._Index(timedelta(days=3), terms=2)
    vector = cluster_module._Vector([0, 1], [0.6, 0.8], np.array([0.6, 0.8]))
    for name, moment in [("early", 0), ("middle", 5 * day), ("late", 20 * day)]:
        index.join(index.new_story(name), vector, moment)

    def owners(moment: int | None) -> list[str]:
        slots = index.postings(0, moment)
        return sorted(index.stories[index.owner[slot]].key for slot in slots)

    index.sweep(2 * day)  # nothing is more than three days old yet
    assert owners(2 * day) == ["early", "late", "middle"]
    index.sweep(7 * day)
    assert owners(7 * day) == ["late", "middle"]
    index.sweep(9 * day)  # within three days of the last sweep: nothing read
    assert owners(9 * day) == ["late", "middle"]
    index.sweep(30 * day)
    assert owners(30 * day) == []
    assert owners(None) == ["early", "late", "middle"]
    rare, common, counts, found = index.rare_slots([1, 0], None)
    assert (rare, common, counts) == ([0, 1], [], [3, 3])
    assert len(set(found.tolist())) == 6


def test_the_scale_bench_searches_related_stories_among_the_stories_found(
    monkeypatch,
):
    searched = []
    real_related = cluster_bench.related

    def related(entries, **options):
        searched.append(sorted(entry.key for entry in entries))
        return real_related(entries, **options)

    items, _events = synthetic(400)
    assignment = cluster(items)
    entries = cluster_bench.story_entries(items, assignment)
    assert sorted(entry.key for entry in entries) == sorted(set(assignment.values()))
    first = next(e for e in entries if e.key == assignment[items[0].id])
    assert items[0].text.split(". ")[0] in first.text
    monkeypatch.setattr(cluster_bench, "related", related)
    row = cluster_bench.measure(400)
    assert row["reports"] == 400 and row["stories"] == len(entries)
    assert searched == [sorted(entry.key for entry in entries)]
    assert row["related"] > 0 and row["peak_mib"] > 0
