"""A synthetic newsroom for the benchmark: registry, RSS feeds, follow-up feeds.

Everything is made from a seed, so the same spec gives the same bytes. No
real text: headlines and summaries are pseudo-words built from syllables.
Each event has its own rare keywords (so the real clustering can find it) and
borrows common filler words (so texts look like prose to TF-IDF). Events
arrive at a steady rate per day, as a newsroom's do, and each is covered by a
few outlets within hours. The desk's own feed (a ``kind: dispatch`` outlet)
follows some of the events with dispatches, a few of them developed later.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

#: Values the registry accepts, cycled through by outlet number.
LEANS = (
    "Far Left",
    "Left",
    "Lean Left",
    "Center",
    "Lean Right",
    "Right",
    "Far Right",
    "Unrated",
)
OWNERSHIPS = ("Corporate", "Independent", "Non-profit", "State / Public")
COUNTRIES = ("US", "GB", "CA", "AU", "IE", "NZ", "IN", "ZA")
CATEGORIES = (
    "Politics",
    "World",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Climate",
    "Sports",
    "Culture",
)
START = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
#: Keywords per event, and how many of them a headline carries.
EVENT_WORDS = 8
HEADLINE_WORDS = 6
SUMMARY_FILLER = 22
#: The desk's feed, relative to the registry, and its site.
DESK_FEED = "feeds/desk.xml"
DESK_HOME = "https://desk.synthetic.example/"
#: Statuses a development moves a dispatch to (the first item's is the default).
DEVELOPED = ("Updated", "Final")


@dataclass(frozen=True)
class Spec:
    """What to generate; the defaults are the benchmark's."""

    stories: int = 2000
    outlets: int = 50
    #: Outlets per event are drawn from this range (mean 5).
    coverage: tuple[int, int] = (3, 7)
    stories_per_day: int = 50
    #: Every ``two_feed_every``-th outlet splits its items over two feeds.
    two_feed_every: int = 3
    seed: int = 8
    #: Dispatches in the desk's feed, each about one event.
    dispatches: int = 200


@dataclass(frozen=True)
class Event:
    """One thing that happened, as the synthetic world knows it."""

    number: int
    keywords: tuple[str, ...]
    when: datetime
    category: str
    outlets: tuple[int, ...]


@dataclass(frozen=True)
class FeedItem:
    """One RSS item of one outlet's feed."""

    title: str
    link: str
    published: datetime
    description: str
    category: str


def pseudo_words(rng: random.Random, count: int, syllables: int) -> list[str]:
    """``count`` distinct made-up words of ``syllables`` syllables each."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(syllables)))
    return sorted(words)


def outlet_id(number: int) -> str:
    """The registry id of outlet ``number``."""
    return f"outlet-{number:03d}"


def feed_paths(spec: Spec, number: int) -> list[str]:
    """The feed files of outlet ``number``, relative to the registry."""
    base = f"feeds/{outlet_id(number)}"
    if number % spec.two_feed_every == 0:
        return [f"{base}-main.xml", f"{base}-more.xml"]
    return [f"{base}.xml"]


def events(spec: Spec) -> list[Event]:
    """The events of the synthetic world, oldest first."""
    rng = random.Random(spec.seed)
    rare = pseudo_words(rng, max(4 * spec.stories, 2000), 4)
    low, high = spec.coverage
    day = timedelta(days=1) / spec.stories_per_day
    return [
        Event(
            number=number,
            keywords=tuple(rng.sample(rare, EVENT_WORDS)),
            when=START + number * day + timedelta(minutes=rng.randrange(60)),
            category=rng.choice(CATEGORIES),
            outlets=tuple(
                sorted(rng.sample(range(spec.outlets), rng.randint(low, high)))
            ),
        )
        for number in range(spec.stories)
    ]


def report_item(
    event: Event, outlet: int, rng: random.Random, filler: list[str], delay: timedelta
) -> FeedItem:
    """Outlet ``outlet``'s report of ``event``, published ``delay`` after it."""
    headline = rng.sample(event.keywords, HEADLINE_WORDS) + rng.sample(filler, 2)
    rng.shuffle(headline)
    body = [*event.keywords, *rng.choices(filler, k=SUMMARY_FILLER)]
    rng.shuffle(body)
    when = event.when + delay
    return FeedItem(
        title=" ".join(headline).capitalize(),
        link=(
            f"https://{outlet_id(outlet)}.example/{when:%Y/%m}/"
            f"e{event.number:06d}-{'-'.join(headline[:3])}"
        ),
        published=when,
        description=" ".join(body).capitalize() + ".",
        category=event.category,
    )


def filler_words(spec: Spec) -> list[str]:
    """The common words every text borrows from."""
    return pseudo_words(random.Random(spec.seed + 1), 300, 2)


def empty_feeds(spec: Spec) -> dict[str, list[FeedItem]]:
    """Every feed path of the registry, with no items yet."""
    return {
        path: [] for number in range(spec.outlets) for path in feed_paths(spec, number)
    }


def initial_feeds(spec: Spec) -> dict[str, list[FeedItem]]:
    """Every feed file's items: all reports of every event."""
    rng = random.Random(spec.seed + 1)
    filler = filler_words(spec)
    feeds = empty_feeds(spec)
    for event in events(spec):
        for outlet in event.outlets:
            delay = timedelta(minutes=rng.randrange(10, 600))
            feeds[rng.choice(feed_paths(spec, outlet))].append(
                report_item(event, outlet, rng, filler, delay)
            )
    return feeds


def follow_up_feeds(spec: Spec, round_number: int) -> dict[str, list[FeedItem]]:
    """Feed files for update ``round_number``: one new report on 1% of the events.

    Round ``k`` touches the events whose number is ``k`` modulo 100, so
    successive rounds touch different stories. The new report comes from an
    outlet that had not covered the event, 11 to 20 hours after it.
    """
    rng = random.Random(spec.seed * 1000 + round_number)
    filler = filler_words(spec)
    feeds = empty_feeds(spec)
    for event in events(spec):
        if event.number % 100 != round_number % 100:
            continue
        newcomers = [o for o in range(spec.outlets) if o not in event.outlets]
        outlet = rng.choice(newcomers)
        delay = timedelta(hours=11 + rng.randrange(10))
        feeds[rng.choice(feed_paths(spec, outlet))].append(
            report_item(event, outlet, rng, filler, delay)
        )
    return feeds


def rss(title: str, items: list[FeedItem]) -> str:
    """An RSS 2.0 document holding ``items``, newest first."""
    entries = "".join(
        "<item>"
        f"<title>{escape(item.title)}</title>"
        f"<link>{escape(item.link)}</link>"
        f"<description>{escape(item.description)}</description>"
        f"<pubDate>{format_datetime(item.published)}</pubDate>"
        f'<guid isPermaLink="true">{escape(item.link)}</guid>'
        f"<category>{escape(item.category)}</category>"
        "</item>\n"
        for item in sorted(items, key=lambda i: (i.published, i.link), reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://synthetic.example/</link>"
        "<description>Synthetic benchmark feed; not real news.</description>"
        f"<language>en</language>\n{entries}</channel></rss>\n"
    )


def desk_items(spec: Spec) -> list[FeedItem]:
    """The desk's feed: ``spec.dispatches`` dispatches spread over the events.

    Each dispatch is an item whose GUID is its id, written an hour or two
    after its event in the event's words; a third of them get a later item
    with the same GUID (a development), whose category moves the status on.
    """
    rng = random.Random(spec.seed + 3)
    filler = filler_words(spec)
    world = events(spec)
    items = []
    for number in range(spec.dispatches):
        event = world[number * len(world) // spec.dispatches]
        link = f"{DESK_HOME}dispatches/d{number:05d}"
        when = event.when + timedelta(minutes=rng.randrange(60, 180))
        title = rng.sample(event.keywords, 4) + rng.sample(filler, 1)
        items.append(
            FeedItem(
                " ".join(title).capitalize(),
                link,
                when,
                _desk_text(event, rng, filler),
                event.category,
            )
        )
        if number % 3 == 0:
            later = when + timedelta(hours=rng.randrange(2, 30))
            text = _desk_text(event, rng, filler)
            status = rng.choice(DEVELOPED)
            items.append(FeedItem(items[-1].title, link, later, text, status))
    return items


def _desk_text(event: Event, rng: random.Random, filler: list[str]) -> str:
    words = [*rng.sample(event.keywords, 3), *rng.choices(filler, k=12)]
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def registry_text(spec: Spec) -> str:
    """The sources registry of the synthetic outlets (and the desk's feed)."""
    rng = random.Random(spec.seed + 2)
    names = pseudo_words(rng, spec.outlets, 3)
    lines = [
        "# Synthetic benchmark outlets: invented names, not real news.",
        "outlets:",
    ]
    for number in range(spec.outlets):
        lines += [
            f"  - id: {outlet_id(number)}",
            f"    name: The {names[number].capitalize()} Courier",
            f"    home: https://{outlet_id(number)}.example/",
            "    feeds:",
            *(f"      - {path}" for path in feed_paths(spec, number)),
            f"    country: {COUNTRIES[number % len(COUNTRIES)]}",
            "    language: en",
            f"    lean: {LEANS[number % len(LEANS)]}",
            '    lean_source: "Synthetic rating"',
            f"    ownership: {OWNERSHIPS[number % len(OWNERSHIPS)]}",
            '    ownership_source: "Synthetic rating"',
            f"    owner_group: Group {number // 2:03d}",
        ]
    if spec.dispatches:
        lines += [
            "  - id: desk",
            "    name: The Synthetic Desk",
            f"    home: {DESK_HOME}",
            "    feeds:",
            f"      - {DESK_FEED}",
            "    kind: dispatch",
        ]
    return "\n".join(lines) + "\n"


def write_feeds(root: Path, feeds: dict[str, list[FeedItem]]) -> None:
    """Write each feed file under ``root`` (feed paths are relative to it)."""
    for path, items in feeds.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rss(f"Synthetic {Path(path).stem}", items), encoding="utf-8")


def write_newsroom(root: Path, spec: Spec) -> Path:
    """Write ``sources.yaml``, the initial feeds and the desk's feed under ``root``.

    Returns the registry's path.
    """
    root.mkdir(parents=True, exist_ok=True)
    write_feeds(root, initial_feeds(spec))
    if spec.dispatches:
        write_feeds(root, {DESK_FEED: desk_items(spec)})
    registry = root / "sources.yaml"
    registry.write_text(registry_text(spec), encoding="utf-8")
    return registry
