"""Listing pages: in a stable order, written page by page, without quadratic work.

:func:`settle_article_order` orders articles the same way in every build.
:func:`write_pages` writes the pages of a listing the plugin paginates
itself (the Wire's, an outlet's reports), each page as one template value.

Category, author and tag members:

For each category (and author, and tag) Pelican picks, from every article of
the site in date order, those ``in`` the category's list of articles: a
list lookup per article, so the work grows with articles times the size of
the category. At 10,000 stories that was about a second of a build (one
author holds every story), and it grows with the square. At
``article_generator_finalized`` each of those lists becomes a
:class:`Members` list, whose ``in`` is a set lookup: the same answer (by
identity, as a list of articles gives), in constant time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pelican.utils import order_content

from newsdigest.pagination import ListingPage


def settle_article_order(generator: Any) -> None:
    """Order articles the same way in every build (``article_generator_pretaxonomy``).

    Pelican reads files in set order, which changes from process to process, so
    articles that tie under ARTICLE_ORDER_BY (the same date) would swap places
    between two builds of the same content.
    """
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    for articles in (generator.articles, generator.hidden_articles, generator.drafts):
        # In place, by source path, then (a stable sort) by Pelican's order.
        articles.sort(key=lambda article: article.relative_source_path)
        order_content(articles, order_by)


def write_pages(
    generator: Any,
    writer: Any,
    template: Any,
    pages: Sequence[ListingPage[Any]],
    page_name: str,
    **values: Any,
) -> None:
    """Write each of ``pages``, as ``page_name`` to ``template``, with ``values``."""
    for page in pages:
        writer.write_file(
            page.save_as,
            template,
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            url=page.url,
            **{page_name: page},
            **values,
        )


class Members(list):
    """A list of articles whose ``in`` looks up a set of their identities.

    The set is built on the first lookup and again when the length changes;
    Pelican does not replace items of these lists in place.
    """

    def __init__(self, articles: Any = ()) -> None:
        super().__init__(articles)
        self._ids: set[int] = set()
        self._size = -1

    def __contains__(self, item: object) -> bool:
        if self._size != len(self):
            self._ids = {id(article) for article in self}
            self._size = len(self)
        return id(item) in self._ids


def index_listings(generator: Any) -> None:
    """Give categories, authors and tags :class:`Members` lists (in place)."""
    for name in ("categories", "authors"):
        pairs = getattr(generator, name)
        pairs[:] = [(key, Members(articles)) for key, articles in pairs]
    for tag, articles in generator.tags.items():
        generator.tags[tag] = Members(articles)
