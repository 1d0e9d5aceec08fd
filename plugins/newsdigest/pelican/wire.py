"""The Wire in the build: check dispatches, rate them, list them.

Dispatches are Pelican articles with status ``hidden``: their pages are
written, but Pelican's story listings (home, archives, categories, feeds)
leave them out. :class:`WireGenerator` lists them instead, at ``/wire/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator

from newsdigest.errors import InputError, Problem
from newsdigest.pagination import paginate
from newsdigest.pelican.listings import write_pages
from newsdigest.pelican.registry import build_registry
from newsdigest.pelican.settings import plugin_settings
from newsdigest.pelican.sitemap import updated
from newsdigest.records import Outlet
from newsdigest.wire.dispatch import check_dispatch, redact, signal_problems
from newsdigest.wire.listing import WIRE_URL, facet_url, facets
from newsdigest.wire.records import DISPATCHES_DIR
from newsdigest.wire.signal import RULE, signal_read

#: Stands in for a dispatch's missing date: older than any other.
OLDEST = datetime.min.replace(tzinfo=UTC)


def enrich_dispatches(
    articles: list[Article], context: dict[str, Any], settings: dict[str, Any]
) -> None:
    """Refuse dispatches with problems; rate and order the rest."""
    options = plugin_settings(settings)
    registry = build_registry(context, settings)
    outlets = registry.outlets if registry else {}
    dispatches = dispatch_articles(articles)
    problems = _problems(dispatches, context, settings, outlets)
    if problems:
        raise InputError(problems)
    for article in dispatches:
        # The reader redacts without the registry: now its internal outlets too.
        dispatch = article.dispatch = redact(article.dispatch, outlets)
        article.signal_read = signal_read(dispatch.sources, outlets, dispatch.signal)
        note = options["NEWSDIGEST_DESK_NOTE"]
        article.desk_note = note.replace("{desk}", dispatch.desk)
        article.desk_url = facet_url("desk", dispatch.desk)
        article.section_url = (
            facet_url("section", dispatch.section) if dispatch.section else None
        )
    context["dispatches"] = wire_order(dispatches)
    context["signal_rule"] = RULE


def dispatch_articles(articles: list[Article]) -> list[Article]:
    """The dispatches among ``articles`` (Pelican's hidden ones), in their order."""
    return [a for a in articles if a.metadata.get("kind") == DISPATCHES_DIR]


def wire_order(dispatches: list[Article]) -> list[Article]:
    """Newest first by latest development, then by slug."""
    by_slug = sorted(dispatches, key=lambda a: a.slug)
    return sorted(by_slug, key=lambda a: a.dispatch.updated or OLDEST, reverse=True)


class WireGenerator(Generator):
    """Write ``/wire/`` and one listing per desk and per section, paginated."""

    def generate_context(self) -> None:
        """Nothing to read: dispatches come from the articles after enrichment."""

    def generate_output(self, writer: Any) -> None:
        """Write every page of every Wire listing."""
        dispatches = self.context.get("dispatches", [])
        per_page = plugin_settings(self.settings)["NEWSDIGEST_WIRE_PER_PAGE"]
        desks = facets(dispatches, lambda a: a.dispatch.desk, "desk")
        sections = facets(dispatches, lambda a: a.dispatch.section, "section")
        listings = [
            ("The Wire", None, WIRE_URL, dispatches),
            *((facet.name, "Desk", facet.url, facet.items) for facet in desks),
            *((facet.name, "Section", facet.url, facet.items) for facet in sections),
        ]
        template = self.get_template("wire")
        for title, facet, url, members in listings:
            # Any new development can move items across a listing's pages.
            lastmod = max(map(updated, members), default=None)
            write_pages(
                self,
                writer,
                template,
                paginate(members, per_page, url),
                "wire_page",
                wire_title=title,
                wire_facet=facet,
                wire_desks=desks,
                wire_sections=sections,
                lastmod=lastmod,
            )


def _problems(
    dispatches: list[Article],
    context: dict[str, Any],
    settings: dict[str, Any],
    outlets: Mapping[str, Outlet],
) -> list[Problem]:
    """Problems of every dispatch, including files Pelican could not read."""
    problems = []
    for article in dispatches:
        problems += article.metadata.get("dispatch_problems", [])
        problems += signal_problems(article.dispatch, article.source_path, outlets)
    for relative, content in context.get("generated_content", {}).items():
        if content is None and PurePosixPath(relative).parts[:1] == (DISPATCHES_DIR,):
            problems += check_dispatch(Path(settings["PATH"]) / relative, outlets)
    return problems
