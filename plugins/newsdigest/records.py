"""Plain records that flow through the pipeline: outlets, reports, stories.

The registry, ingest, stories, content files and the Pelican plugin take
and return these records (README.md's Layout says how data moves). A feed's
validators for conditional GET are here too, as fetch and the ingest store
both use them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

#: The seven-point lean scale plus Unrated, in display order, with the score
#: the bias read averages (negative is left, positive is right).
LEAN_SCORES: dict[str, int | None] = {
    "Far Left": -3,
    "Left": -2,
    "Lean Left": -1,
    "Center": 0,
    "Lean Right": 1,
    "Right": 2,
    "Far Right": 3,
    "Unrated": None,
}
LEANS: tuple[str, ...] = tuple(LEAN_SCORES)

#: Ownership types an outlet may have.
OWNERSHIP_TYPES: tuple[str, ...] = (
    "State / Public",
    "Non-profit",
    "Independent",
    "Corporate",
    "Private individual",
    "Unknown",
)

#: What an outlet's feeds are for: public news, or the desk's own dispatches.
OUTLET_KINDS: tuple[str, ...] = ("news", "dispatch")
#: Who an outlet's reports are for: the public site, or only the desk.
INTAKES: tuple[str, ...] = ("public", "internal")


@dataclass(frozen=True)
class Outlet:
    """One publisher from the sources registry."""

    id: str
    name: str
    feeds: tuple[str, ...]
    home: str | None = None
    country: str | None = None
    language: str | None = None
    lean: str = "Unrated"
    ownership: str = "Unknown"
    owner_group: str | None = None
    lean_source: str | None = None
    ownership_source: str | None = None
    category: str | None = None
    kind: str = "news"
    #: "internal": reports feed the desk's intake log, never the public site.
    intake: str = "public"
    #: Line of the entry in the registry file, for error messages.
    line: int = 0

    @property
    def independence(self) -> str:
        """What makes the outlet an independent source: its owner group, else itself.

        Outlets whose groups have the same :func:`owner_key` share an owner.
        """
        owner = owner_key(self.owner_group)
        return f"owner:{owner}" if owner else f"outlet:{self.id}"


def owner_key(owner_group: str | None) -> str:
    """An owner group as compared: case, accents and runs of spaces ignored.

    ``"Tidewater  Média Group"`` and ``"tidewater media group"`` are one
    owner; a blank group is none (``""``).
    """
    folded = (owner_group or "").casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.split())


@dataclass
class Report:
    """One outlet's item about an event, already sanitized to plain text."""

    outlet: str
    url: str
    headline: str
    published: datetime
    summary: str = ""
    guid: str | None = None
    lang: str | None = None
    #: Category words the feed gave the entry (not written to content).
    tags: tuple[str, ...] = ()
    #: True when the feed gave no usable date (none, or one in the future) and
    #: ``published`` is the time the report was first seen.
    undated: bool = False


@dataclass
class Story:
    """One event made of reports; the front matter of a story file."""

    slug: str
    title: str
    date: datetime
    category: str
    reports: list[Report] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class Validators:
    """What a server told us last time, for conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
