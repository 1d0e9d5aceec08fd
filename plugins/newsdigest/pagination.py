"""Listings the plugin splits into pages itself: the Wire's, an outlet's reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


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


def page_url(base: str, number: int) -> str:
    """``base`` for the first page, ``base/page/N/`` after it."""
    return base if number == 1 else f"{base}page/{number}/"


def paginate(items: Sequence[T], per_page: int, base: str) -> list[ListingPage[T]]:
    """Split ``items`` into pages of ``per_page``; an empty listing is one page."""
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
