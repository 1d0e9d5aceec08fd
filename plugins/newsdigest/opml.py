"""Import a feed reader's OPML export into the sources registry.

Imported outlets start Unrated with Unknown ownership; a person rates them
later by editing the registry. An outline the registry already has, by feed,
home page or name, is skipped with a warning naming that outlet. The existing
registry text is never rewritten: new entries are appended after it.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable
from pathlib import Path
from urllib.parse import urlsplit
from xml.parsers.expat import ErrorString

from slugify import slugify

from newsdigest.errors import InputError, Problem
from newsdigest.filewrites import replace_file
from newsdigest.records import Outlet
from newsdigest.registry import (
    Registry,
    append_entries,
    feed_key,
    is_http_url,
    parse_registry,
    read_registry_text,
)
from newsdigest.untrusted_xml import prolog_declares_entities

logger = logging.getLogger(__name__)

#: The ``lean_source`` and ``ownership_source`` of every imported outlet.
NOT_YET_RATED = "Imported from OPML; not yet rated"

_ID_LENGTH = 60


def outlets_from_opml(
    path: Path,
    *,
    taken_ids: Collection[str] = (),
    known_outlets: Iterable[Outlet] = (),
) -> list[dict[str, object]]:
    """Return registry entries for the feeds of an OPML file, in document order.

    Outlines that are one of ``known_outlets`` (by feed, home page or name)
    are left out; outlines of one new home page (a paper's world and business
    feeds) are one outlet with their feeds.
    """
    feeds, sites, names = _known(known_outlets)
    seen: set[str] = set()
    found: list[tuple[str, str | None, list[str]]] = []
    new_sites: dict[str, list[str]] = {}  # a new outlet's feeds, by home page
    for outline in _read_opml(path).iter("outline"):
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        feed = attributes.get("xmlurl", "").strip()
        if not feed:
            continue
        home = attributes.get("htmlurl", "").strip()
        name = (
            _one_line(attributes.get("title"))
            or _one_line(attributes.get("text"))
            or _host(home if is_http_url(home) else feed)
        )
        if not is_http_url(feed):
            logger.warning(
                "Skipping %r from %s: its feed %r is not an http or https URL",
                name,
                path,
                feed,
            )
            continue
        key = feed_key(feed)
        if key in feeds:
            logger.warning(
                "Skipping %r from %s: its feed %s is already %s's in the registry",
                name,
                path,
                feed,
                feeds[key],
            )
            continue
        if key in seen:
            logger.info("Skipping %r from %s: listed twice", name, path)
            continue
        seen.add(key)
        site = _site_key(home) if is_http_url(home) else None
        by_site = sites.get(site) if site else None
        same = by_site or names.get(_name_key(name))
        if same:
            logger.warning(
                "Skipping %r from %s: the registry already has it as %s (same %s), "
                "so its feed %s was not added; add it to %s's feeds by hand "
                "if it is that outlet's",
                name,
                path,
                same,
                "home page" if by_site else "name",
                feed,
                same,
            )
            continue
        if home and not site:
            logger.info("Ignoring %r's home page %r: not http or https", name, home)
        if site in new_sites:
            logger.info("%r from %s: another feed of %s's outlet", name, path, home)
            new_sites[site].append(feed)
            continue
        found.append((name, home if site else None, [feed]))
        if site:
            new_sites[site] = found[-1][2]
    if not found:
        logger.warning("No new http or https feeds in %s", path)
    taken = set(taken_ids)
    entries: list[dict[str, object]] = []
    for name, home, outlet_feeds in found:
        outlet_id = _unique_id(name, taken)
        taken.add(outlet_id)
        entry: dict[str, object] = {"id": outlet_id, "name": name}
        if home:
            entry["home"] = home
        entry.update(
            feeds=outlet_feeds,
            lean="Unrated",
            lean_source=NOT_YET_RATED,
            ownership="Unknown",
            ownership_source=NOT_YET_RATED,
        )
        entries.append(entry)
    return entries


def import_opml(
    opml_path: Path, registry_path: Path, *, dry_run: bool = False
) -> list[str]:
    """Append an OPML file's new feeds to the registry; return the ids added."""
    original = read_registry_text(registry_path) if registry_path.exists() else None
    registry = None
    if original is not None and _has_content(original):
        registry = parse_registry(original, registry_path)
    entries = outlets_from_opml(
        opml_path,
        taken_ids=registry.outlets if registry else (),
        known_outlets=registry.outlets.values() if registry else (),
    )
    ids = [str(entry["id"]) for entry in entries]
    if not entries:
        return []
    comment = f"Imported from {opml_path.name}; lean and ownership not yet rated."
    text = append_entries(original or "", registry_path, entries, comment=comment)
    _check_result(text, registry_path, registry, ids)
    if dry_run:
        logger.info("Would add %d outlets to %s: %s", len(ids), registry_path, ids)
        return ids
    _replace(registry_path, text.encode("utf-8"), original)
    logger.info("Added %d outlets from %s to %s", len(ids), opml_path, registry_path)
    return ids


def _read_opml(path: Path) -> ET.Element:
    """Parse an OPML file; raise InputError naming the line of any XML error.

    A file that declares XML entities is refused, as a feed is
    (:func:`~newsdigest.untrusted_xml.prolog_declares_entities`): expat never
    fetches external ones, but stops only a 100-fold blow-up, and one 5 MB
    entity used 95 times took minutes and gigabytes; an OPML export never
    needs them.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(path, 0, "file", "no such file")]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise InputError([Problem(path, 0, "file", message)]) from None
    if prolog_declares_entities(data):
        message = (
            "refused: the file declares XML entities (<!ENTITY>), "
            "which can expand to gigabytes"
        )
        raise InputError([Problem(path, 0, "xml", message)])
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line, column = error.position
        message = f"{ErrorString(error.code)} (column {column + 1})"
        raise InputError([Problem(path, line, "xml", message)]) from None
    if root.tag != "opml":
        message = f"not an OPML file: the document is <{root.tag}>, not <opml>"
        raise InputError([Problem(path, 0, "opml", message)])
    return root


def _known(
    outlets: Iterable[Outlet],
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Map the outlets' feeds, home pages and names, as compared, to their ids."""
    feeds: dict[str, str] = {}
    sites: dict[str, str] = {}
    names: dict[str, str] = {}
    for outlet in outlets:
        for feed in outlet.feeds:
            feeds.setdefault(feed_key(feed), outlet.id)
        if outlet.home:
            sites.setdefault(_site_key(outlet.home), outlet.id)
        names.setdefault(_name_key(outlet.name), outlet.id)
    return feeds, sites, names


def _site_key(url: str) -> str:
    """Return a home page's host and path, without scheme, "www.", final "/" or case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower()


def _name_key(name: str) -> str:
    return _one_line(name).casefold()


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or "Unnamed outlet"


def _unique_id(name: str, taken: Collection[str]) -> str:
    base = slugify(name, max_length=_ID_LENGTH, word_boundary=True) or "outlet"
    outlet_id = base
    number = 2
    while outlet_id in taken:
        outlet_id = f"{base}-{number}"
        number += 1
    return outlet_id


def _has_content(text: str) -> bool:
    """Tell whether registry text holds anything but blank lines and comments."""
    return any(
        line.strip() and not line.lstrip().startswith("#")
        for line in text.lstrip("\ufeff").splitlines()
    )


def _check_result(
    text: str, path: Path, before: Registry | None, ids: list[str]
) -> None:
    """Make sure the new registry text loads and adds exactly ``ids``."""
    expected = [*(before.outlets if before else ()), *ids]
    try:
        after = list(parse_registry(text, path).outlets)
    except InputError as error:
        found = "; ".join(
            f"line {problem.line}: {problem.field}: {problem.message}"
            for problem in error.problems
        )
        message = f"importing would break the registry, so it was not changed: {found}"
        raise InputError([Problem(path, 0, "file", message)]) from error
    if after != expected:
        message = "importing would not add the outlets cleanly, so it was not changed"
        raise InputError([Problem(path, 0, "file", message)])


def _replace(path: Path, data: bytes, original: str | None) -> None:
    """Write ``data`` to ``path`` atomically, unless the file changed meanwhile."""
    target = path.resolve() if path.is_symlink() else path
    current = target.read_bytes() if target.exists() else None
    if current != (original.encode("utf-8") if original is not None else None):
        message = "the registry changed while importing; run the import again"
        raise InputError([Problem(path, 0, "file", message)])
    mode = target.stat().st_mode & 0o7777 if current is not None else 0o644
    replace_file(target, data, sibling=".{name}.{random}.tmp", fsync=True, mode=mode)
