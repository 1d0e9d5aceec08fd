"""Developing-event threads: stories and dispatches about one event over days.

Two members are **linked** when a dispatch names the other in ``related:``,
or when each is among the other's strongly related items (the related-story
search, run at the thread threshold) and they share a name; either way only
while their times come within the window of each other. Members join in time
order: a newcomer joins the thread it is linked to, if it is linked to at
least two of its members while two of the thread's stories are within the
window (one will do while one is), or named by the desk; else it starts its
own thread. One shared
actor therefore cannot chain two events together. A thread is kept when it
holds two stories, or a story and a dispatch, at more than one time. Its slug
is its earliest story's, so it stays as members join.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_WINDOW = timedelta(days=3)
#: Links a newcomer needs into a thread with at least this many recent stories.
NEEDED_LINKS = 2


@dataclass(frozen=True)
class Member:
    """A story or dispatch as thread search sees it."""

    key: str
    slug: str
    story: bool
    first: datetime
    last: datetime
    names: frozenset[str] = frozenset()
    #: Keys of strongly related items (either direction will do).
    neighbours: tuple[str, ...] = ()
    #: Keys the desk named in ``related:`` (either direction will do).
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thread:
    """A developing event: its stable slug and member keys in time order."""

    slug: str
    keys: tuple[str, ...]


def threads(
    members: Sequence[Member], window: timedelta = DEFAULT_WINDOW
) -> list[Thread]:
    """Group ``members`` into threads, the one updated last first."""
    by_key = {m.key: m for m in members}
    similar = _symmetric((m.key, m.neighbours) for m in members)
    named = _symmetric((m.key, m.links) for m in members)
    home: dict[str, int] = {}
    grown: list[list[Member]] = []
    for member in sorted(members, key=lambda m: (m.first, m.key)):
        desk = named.get(member.key, set())
        scores: dict[int, tuple[bool, int]] = {}
        for key in sorted(similar.get(member.key, set()) | desk):
            other = by_key.get(key)
            if key not in home or other is None or not _near(member, other, window):
                continue
            if key in desk or other.names & member.names:
                by_desk, links = scores.get(home[key], (False, 0))
                scores[home[key]] = (by_desk or key in desk, links + 1)
        chosen = _choose(member, scores, grown, window)
        if chosen is None:
            chosen = len(grown)
            grown.append([])
        grown[chosen].append(member)
        home[member.key] = chosen
    kept = [_thread(group) for group in grown if _developing(group)]
    return sorted(kept, key=lambda t: (-_latest(t, by_key), t.slug))


def _choose(
    member: Member,
    scores: dict[int, tuple[bool, int]],
    grown: list[list[Member]],
    window: timedelta,
) -> int | None:
    """The thread ``member`` joins: named by the desk, or linked to enough members."""
    ranked = []
    for index, (by_desk, links) in scores.items():
        recent = sum(o.story and _near(member, o, window) for o in grown[index])
        if by_desk or links >= min(NEEDED_LINKS, recent):
            ranked.append(((by_desk, links / max(recent, 1), links, -index), index))
    return max(ranked)[1] if ranked else None


def _symmetric(pairs: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, set[str]]:
    """Links as given, and each also the other way."""
    both: dict[str, set[str]] = {}
    for key, others in pairs:
        for other in others:
            if other != key:
                both.setdefault(key, set()).add(other)
                both.setdefault(other, set()).add(key)
    return both


def _near(one: Member, other: Member, window: timedelta) -> bool:
    """The two time spans come within ``window`` of each other."""
    return one.first <= other.last + window and other.first <= one.last + window


def _developing(members: list[Member]) -> bool:
    """Two stories, or a story and a dispatch, at more than one time."""
    stories = sum(m.story for m in members)
    return stories >= 1 and len(members) >= 2 and len({m.first for m in members}) > 1


def _thread(members: list[Member]) -> Thread:
    ordered = sorted(members, key=lambda m: (m.first, m.key))
    earliest_story = next(m for m in ordered if m.story)
    return Thread(earliest_story.slug, tuple(m.key for m in ordered))


def _latest(thread: Thread, by_key: dict[str, Member]) -> float:
    return max(by_key[key].last for key in thread.keys).timestamp()
