"""A new story's category from its reports' feed tags."""

from __future__ import annotations

import pytest

from newsdigest.categories import category_for


@pytest.mark.parametrize(
    ("tags", "fallback", "expected"),
    [
        # Halvorsen Bridge: its own country's outlets say Politics, others World.
        (
            ["Politics", "Politics", "World", "World", "World", "Politics"],
            None,
            "Politics",
        ),
        # Northway rail strike: two topics once each, World four times.
        (["Politics", "Business", "Welt", "World", "World", "Monde"], None, "Politics"),
        (["World", "international"], "Technology", "World"),  # no topic: World
        (["Climate", "Climate", "World"], None, "Climate"),
        ([], "Technology", "Technology"),
        (["Unknown"], None, "General"),
    ],
)
def test_world_is_a_section_and_counts_only_without_a_topic(tags, fallback, expected):
    assert category_for(tags, fallback) == expected
