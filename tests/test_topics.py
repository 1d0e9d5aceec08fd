"""Which names a story or dispatch carries as a topic, not in passing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdigest.stories.topics import (
    Item,
    item_names,
    scan_item,
    topic_names,
    topics,
)

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
#: A bridge story in many reports, each naming its place and people.
BRIDGE = [
    (
        "Halvorsen Bridge closed after cracks found",
        (
            "Inspectors in Port Calloway found cracked girders. Commissioner Renata "
            "Okafor said repairs cost $310 million."
        ),
    ),
    (
        "Halvorsen Bridge repair bill could reach $310 million",
        "Port Calloway's bridge is shut. Renata Okafor told reporters so.",
    ),
    (
        "Cracked U.S. bridge a warning for Canada's ageing crossings too",
        "Maine's Halvorsen Bridge closed after cracks were found in two girders.",
    ),
]


def story(key: str, day: float, title: str, *reports: tuple[str, str]) -> Item:
    """A story as :func:`newsdigest.pelican.threads._item` builds it."""
    texts = [(title, None)]
    for headline, summary in reports:
        texts += [(headline, "en"), (summary, "en")]
    return Item(key, tuple(texts), T0 + timedelta(days=day))


def dispatch(key: str, day: float, title: str, body: str) -> Item:
    return Item(key, ((title, None), (body, None)), T0 + timedelta(days=day), False)


def carried(items: list[Item]) -> dict[str, set[str]]:
    """Each item's names as topics, folded."""
    names = item_names(items)
    return {
        item.key: set(topic_names(scan_item(item), names[item.key])) for item in items
    }


def test_one_report_of_many_naming_a_place_in_passing_makes_no_topic() -> None:
    items = [
        story("stories/bridge", 0, BRIDGE[0][0], *BRIDGE),
        story(
            "stories/tariff",
            1,
            "Canada threatens counter-tariffs",
            ("Canada threatens counter-tariffs", "Ottawa named the goods."),
        ),
    ]
    names = item_names(items)
    assert "canada" in names["stories/bridge"]  # still there for related stories
    assert carried(items)["stories/bridge"] == {
        "halvorsen bridge",
        "port calloway",
        "renata okafor",
    }


def test_a_single_report_names_its_topics_in_headline_or_first_sentence() -> None:
    items = [
        story(
            "stories/market",
            0,
            "Market reopens",
            (
                "Market reopens",
                (
                    "Stalls on Weir Street in Port Calloway reopened. Vendors thanked "
                    "Commissioner Renata Okafor, and Dale Harrington sent flowers."
                ),
            ),
        ),
        story(
            "stories/abbreviated",
            1,
            "Inspections ordered",
            (
                "Inspections ordered",
                (
                    "The U.S. state of Maine and Dr. Renata Okafor ordered scans. "
                    "Port Calloway waits."
                ),
            ),
        ),
        dispatch(
            "dispatches/desk",
            2,
            "Desk note on the bridge",
            "Renata Okafor spoke to us. Port Calloway was quiet.",
        ),
    ]
    assert carried(items) == {
        "stories/market": {"weir street", "port calloway"},
        "stories/abbreviated": {"maine", "renata okafor"},
        "dispatches/desk": {"renata okafor"},
    }


def test_a_headline_naming_someone_by_surname_counts_for_the_full_name() -> None:
    later = "Inspectors found cracks. Commissioner Renata Okafor wants scans."
    items = [
        story(
            "stories/sentence", 0, "Okafor orders inspections", ("Inspections", later)
        ),
        story("stories/title", 1, "Okafor Orders Bridge Inspections", ("Scans", later)),
        story("stories/neither", 2, "Inspections ordered", ("Inspections", later)),
    ]
    assert carried(items) == {
        "stories/sentence": {"renata okafor"},
        "stories/title": {"renata okafor"},
        "stories/neither": set(),
    }


def test_two_reports_naming_it_anywhere_count() -> None:
    items = [
        story(
            "stories/two",
            0,
            "Bridge shut for repairs",
            ("Bridge shut", "Cracks were found. Port Calloway must wait."),
            ("Repairs due", "Girders failed. Commuters in Port Calloway wait."),
            ("Repair bill", "It will cost $310 million."),
        ),
        story(
            "stories/one",
            1,
            "Ferry fares rise",
            ("Ferry fares rise", "Tickets cost more. Port Calloway shrugs."),
            ("Fares up", "Riders pay $2 more from Monday."),
        ),
    ]
    assert carried(items) == {"stories/two": {"port calloway"}, "stories/one": set()}


def test_topic_pages_leave_out_stories_naming_it_in_passing() -> None:
    okafor = "Commissioner Renata Okafor said so."
    items = [
        story("stories/a", 0, "Okafor closes the bridge", ("Bridge shut", okafor)),
        story("stories/b", 1, "Okafor seeks $310 million", ("Repairs", okafor)),
        story("stories/c", 2, "Renata Okafor opens ferry terminal", ("Ferry", "Yes.")),
        story(
            "stories/d",
            3,
            "Market reopens",
            ("Market reopens", f"Stalls reopened. {okafor}"),
            ("Stalls back", "Vendors were glad."),
        ),
        dispatch("dispatches/e", 4, "Desk note", "The bridge is shut. " + okafor),
    ]
    (topic,) = topics(items, item_names(items), min_stories=3)
    assert (topic.name, topic.stories) == ("Renata Okafor", 3)
    assert topic.keys == ("stories/c", "stories/b", "stories/a")
    assert topics(items, item_names(items), min_stories=4) == []


def test_a_surname_alone_counts_for_the_one_full_name_it_ends() -> None:
    items = [
        story(
            "stories/defends",
            0,
            "Claire Dubreuil defends the pension law",
            (
                "Claire Dubreuil defends the pension law",
                "Minister Claire Dubreuil spoke.",
            ),
        ),
        story(
            "stories/passes",
            1,
            "Dubreuil law passes by nine votes",
            ("Dubreuil law passes by nine votes", "Deputies backed Dubreuil."),
        ),
    ]
    (topic,) = topics(items, item_names(items), min_stories=2)
    assert (topic.name, topic.keys) == (
        "Claire Dubreuil",
        ("stories/passes", "stories/defends"),
    )


def test_a_surname_ending_two_full_names_counts_for_neither() -> None:
    items = [
        story(
            "stories/a", 0, "Anna Smith wins", ("Anna Smith wins", "So Anna Smith won.")
        ),
        story(
            "stories/b", 1, "Ben Smith loses", ("Ben Smith loses", "So Ben Smith lost.")
        ),
        story("stories/c", 2, "Smith fined", ("Smith fined", "A court fined Smith.")),
    ]
    assert topics(items, item_names(items), min_stories=2) == []
