"""Plain records of a dispatch: where, what happened when, and who says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsdigest.wire.dateline import dms

#: The folder of ``content/`` that dispatch files live in.
DISPATCHES_DIR = "dispatches"
#: A dispatch's editorial status, in the order it usually moves through them.
STATUSES: tuple[str, ...] = ("Developing", "Updated", "Final")
#: What kind of thing a source is; ``primary_source`` uses the same words.
SOURCE_KINDS: tuple[str, ...] = (
    "Outlet report",
    "Official statement",
    "Document",
    "Interview",
    "Internal intake",
)
#: The only thing a page ever says about an internal source.
INTERNAL = "Internal intake"


@dataclass(frozen=True)
class Location:
    """Where a dispatch is filed from, in decimal degrees."""

    lat: float
    lon: float
    name: str = ""

    @property
    def dateline(self) -> str:
        """The coordinates in degrees, minutes and seconds."""
        return dms(self.lat, self.lon)


@dataclass(frozen=True)
class Development:
    """One dated update in the life of a dispatch."""

    time: datetime
    text: str


@dataclass(frozen=True)
class Source:
    """One source a dispatch rests on."""

    name: str
    kind: str
    url: str | None = None
    #: A registry outlet id (or an outlet's name), for its owner group.
    outlet: str | None = None
    owner_group: str | None = None
    #: Intake the desk keeps to itself: pages only ever say "Internal intake".
    internal: bool = False
    #: The name of another source whose text this one republishes.
    copy_of: str | None = None


@dataclass(frozen=True)
class Dispatch:
    """The desk's fields of one dispatch file, as pages and checks use them."""

    title: str
    desk: str
    status: str
    date: datetime | None = None
    modified: datetime | None = None
    slug: str | None = None
    section: str | None = None
    location: Location | None = None
    tldr: str = ""
    primary_source: str | None = None
    intake_signals: int | None = None
    desk_window: str | None = None
    developments: tuple[Development, ...] = ()
    sources: tuple[Source, ...] = ()
    #: The rating the desk set by hand, if any; never above what sources allow.
    signal: str | None = None
    #: File line of ``signal:``, for the message that refuses an inflated one.
    signal_line: int = 0
    related: tuple[str, ...] = ()

    @property
    def latest_first(self) -> list[Development]:
        """Developments newest first; of those at the same time, the last in the file.

        Times are to the second (a hand-written one often to the minute), so
        developments added in a row can share one: the one added last (further
        down the file, where ``dispatch develop`` appends) is the latest.
        """
        ordered = sorted(
            enumerate(self.developments),
            key=lambda entry: (entry[1].time, entry[0]),
            reverse=True,
        )
        return [development for _, development in ordered]

    @property
    def first(self) -> datetime | None:
        """The earliest time the dispatch knows of."""
        times = [t for t in (self.date, *(d.time for d in self.developments)) if t]
        return min(times, default=None)

    @property
    def updated(self) -> datetime | None:
        """The latest development, modification or publication time."""
        times = [
            t
            for t in (self.date, self.modified, *(d.time for d in self.developments))
            if t
        ]
        return max(times, default=None)
