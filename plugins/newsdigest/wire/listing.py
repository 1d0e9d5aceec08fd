"""The Wire's listings: newest first, split into pages, filtered by desk or section."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from newsdigest.slugs import make_slug

T = TypeVar("T")

WIRE_URL = "wire/"


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    """One page of a listing, with links to its neighbours."""

    number: int
    count: int
    url: str
    items: tuple[T, ...]
    previous_url: str | None = None
    next_url: str | None = None

    @property
    def save_as(self) -> str:
        """The output file of this page."""
        return f"{self.url}index.html"


@dataclass(frozen=True)
class Facet(Generic[T]):
    """The dispatches of one desk or one section, with the page that lists them."""

    name: str
    url: str
    items: tuple[T, ...]


def facet_url(facet: str, name: str) -> str:
    """The Wire page of one desk or section: ``wire/<facet>/<slug>/``."""
    return f"{WIRE_URL}{facet}/{make_slug(name)}/"


def page_url(base: str, number: int) -> str:
    """``base`` for the first page, ``base/page/N/`` after it."""
    return base if number == 1 else f"{base}page/{number}/"


def paginate(items: Sequence[T], per_page: int, base: str) -> list[ListingPage[T]]:
    """Split ``items`` into pages of ``per_page``; an empty listing is one page.

    Also the outlet pages' reports (``newsdigest.pelican.outlets``).
    """
    per_page = max(1, per_page)
    count = max(1, -(-len(items) // per_page))
    return [
        ListingPage(
            number=number,
            count=count,
            url=page_url(base, number),
            items=tuple(items[(number - 1) * per_page : number * per_page]),
            previous_url=page_url(base, number - 1) if number > 1 else None,
            next_url=page_url(base, number + 1) if number < count else None,
        )
        for number in range(1, count + 1)
    ]


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
