"""The signal rating: how well a dispatch's sources back it up.

The rating is worked out from the sources, never typed in. Sources that are
not independent of each other count once: outlets with one owner, copies of
the same text, and every piece of internal intake (a source marked internal,
or one from an ``intake: internal`` outlet). An editor may set a lower
rating by hand, never a higher one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from newsdigest.records import Outlet, owner_key
from newsdigest.wire.records import Source

#: The levels, lowest first.
LEVELS: tuple[str, ...] = (
    "Unverified",
    "Single-source",
    "Corroborated",
    "Strong",
    "Confirmed",
)
#: Independent origins a dispatch needs for Strong (and for Confirmed).
STRONG_ORIGINS = 3
#: Source kinds that put a claim on the record; one is needed for Confirmed.
ON_RECORD_KINDS = frozenset({"Official statement", "Document"})

#: The rule printed on every dispatch page.
RULE = (
    "Our desk does not choose a signal rating; it follows from the sources. "
    "Sources count once when they share an owner, when one republishes "
    "another's text, and when they are internal intake. No listed source: "
    "Unverified. One independent source: Single-source. Two: Corroborated. "
    "Three or more: Strong. Three or more with an official statement or a "
    "document among them: Confirmed. A dispatch that rests on one source is "
    "never rated Strong or Confirmed, however often that source is repeated; "
    "its rating rises only when a second, independent source backs it up. "
    "Editors may rate a dispatch below what its sources allow, never above."
)


@dataclass(frozen=True)
class Origin:
    """Sources that count as one independent source."""

    sources: tuple[Source, ...]
    #: The owner they share, when that is why they count once.
    owner: str | None = None

    @property
    def on_record(self) -> bool:
        """Whether an official statement or a document is among the sources."""
        return any(s.kind in ON_RECORD_KINDS and not s.internal for s in self.sources)


@dataclass(frozen=True)
class SignalRead:
    """A dispatch's rating, what its sources support, and why."""

    level: str
    supported: str
    origins: tuple[Origin, ...]
    explanation: str

    @property
    def lowered(self) -> bool:
        """Whether the desk set the rating below what the sources support."""
        return self.level != self.supported


def rank(level: str) -> int:
    """The position of a level on the scale, 0 for Unverified."""
    return LEVELS.index(level)


def fold_name(text: str) -> str:
    """A name as compared: case and runs of white space ignored."""
    return " ".join(text.casefold().split())


def find_outlet(source: Source, outlets: Mapping[str, Outlet]) -> Outlet | None:
    """The registry outlet a source names, by id or by name."""
    if not source.outlet:
        return None
    wanted = fold_name(source.outlet)
    return outlets.get(source.outlet) or next(
        (o for o in outlets.values() if fold_name(o.name) == wanted), None
    )


def is_internal(source: Source, outlets: Mapping[str, Outlet]) -> bool:
    """Whether a source is internal intake: marked so, or from an internal outlet.

    An outlet with ``intake: internal`` feeds the desk, never the site.
    """
    if source.internal:
        return True
    outlet = find_outlet(source, outlets)
    return outlet is not None and outlet.intake == "internal"


def resolve(source: Source, outlets: Mapping[str, Outlet]) -> Source:
    """The source as the registry sees it.

    Internal intake if its outlet is internal; else with its owner group filled
    in from the registry.
    """
    if is_internal(source, outlets):
        return replace(source, internal=True)
    outlet = find_outlet(source, outlets)
    if source.owner_group or outlet is None or not outlet.owner_group:
        return source
    return replace(source, owner_group=outlet.owner_group)


def origins(
    sources: Iterable[Source], outlets: Mapping[str, Outlet] | None = None
) -> list[Origin]:
    """Group sources into independent origins, in the order they first appear.

    A copy joins the origin of the text it copies and adds nothing of its own,
    so adding any source can only add an origin, never merge two.
    """
    resolved = [resolve(s, outlets or {}) for s in sources]
    by_name: dict[str, Source] = {}
    for source in resolved:
        by_name.setdefault(fold_name(source.name), source)
    groups: dict[str, list[Source]] = {}
    for source in resolved:
        groups.setdefault(_origin_key(source, by_name, outlets or {}), []).append(
            source
        )
    return [
        Origin(tuple(members), _shared_owner(members)) for members in groups.values()
    ]


def supported_level(found: list[Origin]) -> str:
    """The highest level a set of independent origins supports."""
    count = len(found)
    if count >= STRONG_ORIGINS:
        return "Confirmed" if any(o.on_record for o in found) else "Strong"
    return LEVELS[count]


def signal_read(
    sources: Iterable[Source],
    outlets: Mapping[str, Outlet] | None = None,
    set_by_desk: str | None = None,
) -> SignalRead:
    """Rate a dispatch's sources; a desk rating counts only when it is lower."""
    found = origins(sources, outlets)
    supported = supported_level(found)
    level = supported
    if set_by_desk in LEVELS and rank(set_by_desk) < rank(supported):
        level = set_by_desk
    return SignalRead(level, supported, tuple(found), _explain(found, supported, level))


def _origin_key(
    source: Source,
    by_name: Mapping[str, Source],
    outlets: Mapping[str, Outlet],
    seen: frozenset[int] = frozenset(),
) -> str:
    """What makes a source independent: its owner, or the text it copies."""
    if source.internal:
        return "internal"
    original = by_name.get(fold_name(source.copy_of or ""))
    if original is not None and original is not source and id(source) not in seen:
        return _origin_key(original, by_name, outlets, seen | {id(source)})
    if owner := owner_key(source.owner_group):
        return f"owner:{owner}"
    outlet = find_outlet(source, outlets)
    if outlet is not None:
        return outlet.independence
    return "outlet:" + fold_name(source.outlet or source.name)


def _shared_owner(members: list[Source]) -> str | None:
    """The owner group every original source names (as written first), if one."""
    originals = _originals(members)
    if len({owner_key(s.owner_group) for s in originals}) != 1:
        return None
    return originals[0].owner_group if owner_key(originals[0].owner_group) else None


def _originals(members: Iterable[Source]) -> list[Source]:
    return [s for s in members if not s.internal and not s.copy_of]


def _explain(found: list[Origin], supported: str, level: str) -> str:
    """Say in plain words how the rating follows from the sources."""
    if not found:
        text = "No source is listed yet, so the dispatch is Unverified."
    else:
        total = sum(len(o.sources) for o in found)
        text = (
            f"{_count(total, 'source')} from "
            f"{_count(len(found), 'independent origin')}."
        )
        for origin in found:
            text += _why_one(origin)
        if len(found) >= STRONG_ORIGINS and any(o.on_record for o in found):
            text += " An official statement or a document is among them."
        text += f" That supports {supported}."
    if level != supported:
        text += f" The desk has rated it {level}, below what the sources support."
    return text


def _why_one(origin: Origin) -> str:
    """Say why the sources of one origin count once ("" for a lone source)."""
    if len(origin.sources) == 1:
        return ""
    internal = [s for s in origin.sources if s.internal]
    originals = [s.name for s in _originals(origin.sources)]
    copies = [s for s in origin.sources if s.copy_of and not s.internal]
    parts = []
    if len(internal) > 1:
        parts.append(f"{_count(len(internal), 'internal intake item')} count as one")
    if len(originals) > 1:
        owner = f"share an owner ({origin.owner})" if origin.owner else "are one outlet"
        parts.append(f"{_join(originals)} {owner}")
    parts.extend(f"{s.name} republishes {s.copy_of}" for s in copies)
    return " " + "; ".join(parts) + "."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
