"""Developing-event threads and topics, on small hand-made cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdigest.stories.threads import Member, threads
from newsdigest.stories.topics import Item, item_names, topics

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
WINDOW = timedelta(days=3)


def story(slug: str, day: float, names: str, *neighbours: str) -> Member:
    moment = T0 + timedelta(days=day)
    return Member(
        f"stories/{slug}",
        slug,
        True,
        moment,
        moment + timedelta(hours=6),
        frozenset(names.split()),
        tuple(f"stories/{n}" for n in neighbours),
    )


def dispatch(slug: str, day: float, links: tuple[str, ...] = ()) -> Member:
    moment = T0 + timedelta(days=day)
    return Member(f"dispatches/{slug}", slug, False, moment, moment, links=links)


def grouped(members: list[Member]) -> dict[str, list[str]]:
    return {t.slug: list(t.keys) for t in threads(members, WINDOW)}


def test_follow_up_two_days_later_joins_the_thread() -> None:
    members = [
        story("bridge-closed", 0, "halvorsen okafor"),
        story("bridge-contract", 2, "halvorsen brackwater", "bridge-closed"),
        story("cup-final", 1, "ashcombe"),
    ]
    assert grouped(members) == {
        "bridge-closed": ["stories/bridge-closed", "stories/bridge-contract"]
    }


def test_similar_text_without_a_shared_name_is_no_thread() -> None:
    members = [
        story("fire-north", 0, "corrowong"),
        story("fire-south", 1, "tallis", "fire-north"),
    ]
    assert grouped(members) == {}


def test_same_person_in_two_events_does_not_chain_them() -> None:
    members = [
        story("bridge-closed", 0, "halvorsen okafor"),
        story("bridge-scans", 1, "halvorsen okafor", "bridge-closed"),
        # Okafor again, similar to the latest bridge story only: another event.
        story("ferry-opens", 2, "okafor weir", "bridge-scans"),
        story("ferry-crowds", 3, "okafor weir", "ferry-opens"),
    ]
    assert grouped(members) == {
        "bridge-closed": ["stories/bridge-closed", "stories/bridge-scans"],
        "ferry-opens": ["stories/ferry-opens", "stories/ferry-crowds"],
    }


def test_a_member_linked_to_two_of_the_thread_joins() -> None:
    members = [
        story("bridge-closed", 0, "halvorsen"),
        story("bridge-scans", 1, "halvorsen", "bridge-closed"),
        story("bridge-contract", 2, "halvorsen", "bridge-closed", "bridge-scans"),
    ]
    assert grouped(members) == {
        "bridge-closed": [
            "stories/bridge-closed",
            "stories/bridge-scans",
            "stories/bridge-contract",
        ]
    }


def test_window_is_measured_from_the_previous_members_last_time() -> None:
    # bridge-closed spans 6 hours: a member 3 days after its end still joins.
    inside = story("bridge-contract", 3.25, "halvorsen", "bridge-closed")
    outside = story("bridge-contract", 3.25 + 1 / 24 / 60, "halvorsen", "bridge-closed")
    first = story("bridge-closed", 0, "halvorsen")
    assert grouped([first, inside]) == {
        "bridge-closed": ["stories/bridge-closed", "stories/bridge-contract"]
    }
    assert grouped([first, outside]) == {}


def test_slug_stays_when_a_later_member_joins() -> None:
    members = [
        story("bridge-closed", 0, "halvorsen"),
        story("bridge-scans", 1, "halvorsen", "bridge-closed"),
    ]
    before = threads(members, WINDOW)
    after = threads(
        [
            *members,
            story("bridge-contract", 2, "halvorsen", "bridge-scans", "bridge-closed"),
        ],
        WINDOW,
    )
    assert [t.slug for t in before] == [t.slug for t in after] == ["bridge-closed"]
    assert after[0].keys == (*before[0].keys, "stories/bridge-contract")


def test_dispatch_joins_by_the_desks_link_alone_and_the_story_names_it() -> None:
    members = [
        dispatch("first-word", -0.5, ("stories/bridge-closed",)),
        story("bridge-closed", 0, "halvorsen"),
        dispatch("repair-contract", 2, ("stories/bridge-closed",)),
        dispatch("unlinked", 2),
    ]
    assert grouped(members) == {
        "bridge-closed": [
            "dispatches/first-word",
            "stories/bridge-closed",
            "dispatches/repair-contract",
        ]
    }


def test_no_thread_without_a_story_or_at_one_time() -> None:
    two_dispatches = [
        dispatch("one", 0),
        dispatch("two", 1, ("dispatches/one",)),
    ]
    same_time = [
        story("bridge-closed", 0, "halvorsen"),
        dispatch("same-hour", 0, ("stories/bridge-closed",)),
    ]
    assert grouped(two_dispatches) == {}
    assert grouped(same_time) == {}


def item(key: str, day: float, *texts: str, is_story: bool = True) -> Item:
    return Item(
        key,
        tuple((text, "en") for text in texts),
        T0 + timedelta(days=day),
        is_story,
    )


def test_names_are_capitalised_runs_without_titles_or_sentence_starts() -> None:
    items = [
        item(
            "stories/a",
            0,
            "Inspectors close Halvorsen Bridge",
            "The bridge in Port Calloway is shut. Commissioner Renata Okafor said "
            "repairs cost $310 million; Okafor's office agreed.",
        ),
        item("stories/b", 1, "Ashcombe Rovers Lift The Northern Cup", "Fans cheered."),
        item("stories/c", 2, "Indian lab hails vaccine", "The Indian trial ended."),
    ]
    names = item_names(items)
    assert names["stories/a"] == {
        "halvorsen bridge": "Halvorsen Bridge",
        "port calloway": "Port Calloway",
        "renata okafor": "Renata Okafor",
    }
    assert names["stories/b"] == {}
    assert names["stories/c"] == {}


def test_topic_lists_the_stories_and_dispatches_naming_it_newest_first() -> None:
    items = [
        item("stories/a", 0, "Pay deal", "Talks with Priya Castellanos stall."),
        item("stories/b", 2, "Law passes", "Minister Priya Castellanos won the vote."),
        item("stories/c", 1, "Vote due", "A vote, says Priya Castellanos, is near."),
        item(
            "dispatches/d",
            3,
            "Desk note",
            "Priya Castellanos spoke to us.",
            is_story=False,
        ),
        item("stories/e", 1, "Cup final", "Ashcombe Rovers beat Dunmore Athletic."),
    ]
    names = item_names(items)
    assert topics(items, names, min_stories=4) == []
    (topic,) = topics(items, names, min_stories=3)
    assert (topic.slug, topic.name, topic.stories) == (
        "priya-castellanos",
        "Priya Castellanos",
        3,
    )
    assert topic.keys == ("dispatches/d", "stories/b", "stories/c", "stories/a")
