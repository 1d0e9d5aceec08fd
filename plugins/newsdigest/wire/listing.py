"""The Wire's listings by desk and by section, and their URLs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from newsdigest.slugs import make_slug

T = TypeVar("T")

WIRE_URL = "wire/"


@dataclass(frozen=True)
class Facet(Generic[T]):
    """The dispatches of one desk or one section, with the page that lists them."""

    name: str
    url: str
    items: tuple[T, ...]


def facet_url(facet: str, name: str) -> str:
    """The Wire page of one desk or section: ``wire/<facet>/<slug>/``."""
    return f"{WIRE_URL}{facet}/{make_slug(name)}/"


def facets(
    items: Sequence[T], name_of: Callable[[T], str | None], facet: str
) -> list[Facet[T]]:
    """Group ``items`` by a name (desk or section), sorted by name."""
    groups: dict[str, tuple[str, list[T]]] = {}
    for item in items:
        name = name_of(item)
        if name:
            groups.setdefault(facet_url(facet, name), (name, []))[1].append(item)
    return [
        Facet(name, url, tuple(members))
        for url, (name, members) in sorted(
            groups.items(), key=lambda pair: pair[1][0].casefold()
        )
    ]
