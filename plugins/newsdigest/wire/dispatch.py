"""Dispatch front matter to records, with every problem's file, line and field.

The same parse serves the build (which refuses a dispatch with problems) and
``newsdigest check`` (through :func:`check_dispatch`). Parsing never raises
for a bad value: it notes a problem and carries on, so one pass reports all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from newsdigest.content.frontmatter import Document, read
from newsdigest.errors import InputError, Problem, did_you_mean
from newsdigest.records import Outlet
from newsdigest.sanitize import safe_url
from newsdigest.times import parse_time
from newsdigest.wire.records import (
    INTERNAL,
    SOURCE_KINDS,
    STATUSES,
    Development,
    Dispatch,
    Location,
    Source,
)
from newsdigest.wire.signal import (
    LEVELS,
    find_outlet,
    fold_name,
    is_internal,
    rank,
    signal_read,
)
from newsdigest.yamlfields import Where, describe, field_lines, label

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Fields only dispatches have; the reader keeps them out of Pelican's metadata.
DESK_FIELDS: tuple[str, ...] = (
    "desk",
    "section",
    "status",
    "location",
    "tldr",
    "primary_source",
    "intake_signals",
    "desk_window",
    "developments",
    "sources",
    "signal",
    "related",
    # Ingest's: the desk item's id, and a person's ``locked: true`` that stops it.
    "ingest_id",
    "locked",
)
#: Every field a dispatch may have; any other is a mistake.
FIELDS: tuple[str, ...] = ("title", "slug", "date", "modified", *DESK_FIELDS)
_SOURCE_FIELDS = ("name", "url", "outlet", "owner_group", "kind", "internal", "copy_of")


def parse_dispatch(
    document: Document, path: Path | str
) -> tuple[Dispatch, list[Problem]]:
    """The dispatch a document describes, and what is wrong with it."""
    check = _Checker(path, document.meta_text)
    check.problems += check.places.repeated_problems(path)
    meta = document.meta
    check.unknown_fields(meta, (), FIELDS, "a dispatch")
    signal = check.choice(meta.get("signal"), ("signal",), LEVELS)
    dispatch = Dispatch(
        title=check.text(meta.get("title"), ("title",), required=True) or "",
        desk=check.text(meta.get("desk"), ("desk",), required=True) or "",
        status=check.choice(meta.get("status"), ("status",), STATUSES, required=True)
        or STATUSES[0],
        date=check.time(meta.get("date"), ("date",), required=True),
        modified=check.time(meta.get("modified"), ("modified",)),
        slug=check.text(meta.get("slug"), ("slug",)),
        section=check.text(meta.get("section"), ("section",)),
        location=check.location(meta.get("location")),
        tldr=check.text(meta.get("tldr"), ("tldr",)) or "",
        primary_source=check.choice(
            meta.get("primary_source"), ("primary_source",), SOURCE_KINDS
        ),
        intake_signals=check.count(meta.get("intake_signals"), ("intake_signals",)),
        desk_window=check.text(meta.get("desk_window"), ("desk_window",)),
        developments=check.developments(meta.get("developments")),
        sources=check.sources(meta.get("sources")),
        signal=signal,
        signal_line=check.places.line(("signal",)),
        related=check.related(meta.get("related")),
    )
    return dispatch, sorted(check.problems, key=lambda p: p.line)


def signal_problems(
    dispatch: Dispatch, path: Path | str, outlets: Mapping[str, Outlet]
) -> list[Problem]:
    """Problems the rating shows: an unknown ``outlet:``, a ``signal:`` too high.

    An outlet the registry lacks has no owner group to share, so it would
    count as an independent origin; with no outlets (the registry could not
    be read) no outlet is checked.
    """
    problems = outlet_problems(dispatch, path, outlets)
    if dispatch.signal is None:
        return problems
    read = signal_read(dispatch.sources, outlets)
    if rank(dispatch.signal) <= rank(read.supported):
        return problems
    lower = " or lower" if rank(read.supported) else ""
    message = (
        f'"{dispatch.signal}" is higher than the sources support. {read.explanation} '
        f'Set it to "{read.supported}"{lower}, or add a source that is '
        "independent of the others."
    )
    return [*problems, Problem(path, dispatch.signal_line, "signal", message)]


def outlet_problems(
    dispatch: Dispatch, path: Path | str, outlets: Mapping[str, Outlet]
) -> list[Problem]:
    """A problem for each counted source whose ``outlet:`` names no outlet.

    Only a dispatch with such a source is read again, for the lines.
    """
    unknown = {
        source.outlet
        for source in dispatch.sources
        if source.outlet and not source.internal and not find_outlet(source, outlets)
    }
    if not unknown or not outlets:
        return []
    document = read(Path(path))
    check = _Checker(path, document.meta_text)
    entries = document.meta.get("sources")
    names = [*(outlet.name for outlet in outlets.values()), *outlets]  # ids win ties
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        outlet = entry.get("outlet") if isinstance(entry, dict) else None
        wanted = outlet.strip() if isinstance(outlet, str) else None
        if wanted in unknown:
            check.problem(
                ("sources", index, "outlet"),
                f'"{wanted}" is neither an outlet id nor an outlet name '
                f"in the registry{did_you_mean(wanted, names)}",
            )
    return check.problems


def check_dispatch(
    path: Path | str, outlets: Mapping[str, Outlet] | None = None
) -> list[Problem]:
    """Every problem in one dispatch file; pass the registry's outlets if loaded."""
    try:
        document = read(Path(path))
    except InputError as error:
        return list(error.problems)
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(path, 0, "file", f"cannot read the file: {error}")]
    dispatch, problems = parse_dispatch(document, path)
    return [*problems, *signal_problems(dispatch, path, outlets or {})]


def redact(dispatch: Dispatch, outlets: Mapping[str, Outlet] | None = None) -> Dispatch:
    """The dispatch with internal sources reduced to one "Internal intake".

    Internal are sources marked so and, given the registry's ``outlets``,
    those from an ``intake: internal`` outlet. Their names and URLs are
    dropped here, before anything reaches a page. Copies of an internal source
    point at the placeholder, so the signal rating is the same before and after.
    """
    hidden = [is_internal(source, outlets or {}) for source in dispatch.sources]
    if not any(hidden):
        return dispatch
    first: dict[str, bool] = {}
    for source, internal in zip(dispatch.sources, hidden, strict=True):
        first.setdefault(fold_name(source.name), internal)
    sources: list[Source] = []
    for source, internal in zip(dispatch.sources, hidden, strict=True):
        if internal:
            if not any(s.internal for s in sources):
                sources.append(Source(name=INTERNAL, kind=INTERNAL, internal=True))
        elif source.copy_of and first.get(fold_name(source.copy_of)):
            sources.append(replace(source, copy_of=INTERNAL))
        else:
            sources.append(source)
    return replace(dispatch, sources=tuple(sources))


class _Checker:
    """Check loaded front-matter values, naming lines from the composed YAML."""

    def __init__(self, path: Path | str, meta_text: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.places = field_lines(yaml.compose(meta_text, Loader=_Loader), 2)

    def problem(self, where: Where, message: str) -> None:
        """Note one problem at a field's line."""
        line = self.places.line(where)
        self.problems.append(Problem(self.path, line, label(where), message))

    def unknown_fields(
        self, fields: Mapping[Any, Any], where: Where, known: tuple[str, ...], what: str
    ) -> None:
        """Flag every field not in ``known``, naming the nearest and all of them."""
        for name in fields:
            if name in known:
                continue
            self.problem(
                (*where, str(name)),
                f'unknown field "{name}"{did_you_mean(str(name), known)} '
                f"({what} has: {', '.join(known)})",
            )

    def text(
        self, value: object, where: Where, *, required: bool = False
    ) -> str | None:
        """A text value, or None (with a problem if required or not text)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, "missing; every dispatch needs one")
            return None
        if not isinstance(value, str):
            raw = self.places.written.get(where, str(value))
            self.problem(
                where,
                f"`{raw}` is read as {describe(value)}, not text; "
                f'write "{raw}" in quotes',
            )
            return None
        return value.strip()

    def choice(
        self,
        value: object,
        where: Where,
        choices: tuple[str, ...],
        *,
        required: bool = False,
    ) -> str | None:
        """One of ``choices``, or None with a problem suggesting the nearest."""
        text = self.text(value, where, required=required)
        if text is None or text in choices:
            return text
        hint = did_you_mean(text, choices)
        self.problem(where, f'"{text}" is not one of: {", ".join(choices)}{hint}')
        return None

    def time(
        self, value: object, where: Where, *, required: bool = False
    ) -> datetime | None:
        """An aware UTC time, or None with a problem."""
        if value is None or value == "":
            if required:
                self.problem(where, "missing; every dispatch needs one")
            return None
        try:
            return parse_time(value)
        except ValueError as error:
            self.problem(where, str(error))
            return None

    def number(self, value: object, where: Where) -> float | None:
        """A decimal number, or None with a problem."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, "needs a decimal number such as 43.6615")
            return None
        return float(value)

    def count(self, value: object, where: Where) -> int | None:
        """A whole number of zero or more, or None with a problem."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(where, "needs a whole number, 0 or more")
            return None
        return value

    def items(self, value: object, where: Where, what: str) -> list[Any]:
        """A list's items, or none with a problem if it is not a list."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"expected a list of {what}, one per `- ` line")
            return []
        return value

    def fields(self, value: object, where: Where, what: str) -> dict[str, Any] | None:
        """A mapping's fields, or None with a problem if it is not one."""
        if isinstance(value, dict):
            return value
        self.problem(where, f"expected the fields of {what}")
        return None

    def location(self, value: object) -> Location | None:
        """The dateline's place; both coordinates must be valid."""
        if value is None:
            return None
        fields = self.fields(value, ("location",), "a place: name, lat and lon")
        if fields is None:
            return None
        name = self.text(fields.get("name"), ("location", "name")) or ""
        lat = self.number(fields.get("lat"), ("location", "lat"))
        lon = self.number(fields.get("lon"), ("location", "lon"))
        if lat is not None and not -90 <= lat <= 90:
            self.problem(("location", "lat"), f"{lat} is not between -90 and 90")
            lat = None
        if lon is not None and not -180 <= lon <= 180:
            self.problem(("location", "lon"), f"{lon} is not between -180 and 180")
            lon = None
        if lat is None or lon is None:
            return None
        return Location(lat, lon, name)

    def developments(self, value: object) -> tuple[Development, ...]:
        """Each ``{time, text}`` entry that is complete."""
        found = []
        for index, entry in enumerate(self.items(value, ("developments",), "updates")):
            where = ("developments", index)
            fields = self.fields(entry, where, "one update: time and text")
            if fields is None:
                continue
            time = self.time(fields.get("time"), (*where, "time"), required=True)
            text = self.text(fields.get("text"), (*where, "text"), required=True)
            if time is not None and text is not None:
                found.append(Development(time, text))
        return tuple(found)

    def sources(self, value: object) -> tuple[Source, ...]:
        """Each source entry that has a name and a kind."""
        found = []
        entries = self.items(value, ("sources",), "sources")
        for index, entry in enumerate(entries):
            source = self.source(entry, ("sources", index))
            if source is not None:
                found.append(source)
        self.copies(found, entries)
        return tuple(found)

    def source(self, entry: object, where: Where) -> Source | None:
        """One source, or None with problems."""
        fields = self.fields(entry, where, "one source: name, kind, …")
        if fields is None:
            return None
        self.unknown_fields(fields, where, _SOURCE_FIELDS, "a source")
        internal = fields.get("internal", False)
        if not isinstance(internal, bool):
            self.problem((*where, "internal"), "needs true or false")
            internal = False
        name = self.text(fields.get("name"), (*where, "name"), required=True)
        kind = self.choice(
            fields.get("kind", INTERNAL if internal else None),
            (*where, "kind"),
            SOURCE_KINDS,
            required=True,
        )
        url = self.text(fields.get("url"), (*where, "url"))
        if url is not None and safe_url(url) is None:
            self.problem((*where, "url"), f'"{url}" is not an http or https URL')
            url = None
        if name is None or kind is None:
            return None
        return Source(
            name=name,
            kind=kind,
            url=url,
            outlet=self.text(fields.get("outlet"), (*where, "outlet")),
            owner_group=self.text(fields.get("owner_group"), (*where, "owner_group")),
            internal=internal or kind == INTERNAL,
            copy_of=self.text(fields.get("copy_of"), (*where, "copy_of")),
        )

    def copies(self, sources: list[Source], entries: list[Any]) -> None:
        """Every ``copy_of`` must name another source, and never lead back."""
        copy_of: dict[str, str | None] = {}
        for source in sources:
            copy_of.setdefault(fold_name(source.name), _fold_or_none(source.copy_of))
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("copy_of"), str):
                continue
            where = ("sources", index, "copy_of")
            own = _fold_or_none(str(entry.get("name", "")))
            target = _fold_or_none(entry["copy_of"])
            if target not in copy_of:
                message = f'no source named "{entry["copy_of"]}" in this dispatch'
                self.problem(where, message)
                continue
            seen = {own}
            while target is not None and target not in seen:
                seen.add(target)
                target = copy_of.get(target)
            if target is not None:
                self.problem(
                    where,
                    "copies go round in a circle; one source must be the original",
                )

    def related(self, value: object) -> tuple[str, ...]:
        """Slugs of related dispatches or stories."""
        slugs = []
        for index, item in enumerate(self.items(value, ("related",), "slugs")):
            slug = self.text(item, ("related", index))
            if slug is not None:
                slugs.append(slug)
        return tuple(slugs)


def _fold_or_none(text: str | None) -> str | None:
    return fold_name(text) if text else None
