"""Outlet pages: ``outlets/<id>/`` for each registry outlet, and ``outlets/``.

An outlet page lists every report of the outlet, newest first, in pages of
``PAGINATED_TEMPLATES["outlet"]`` (``outlets/<id>/page/N/``, as the story
listings); without that entry, on one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator

from newsdigest.pagination import paginate
from newsdigest.pelican.listings import write_pages
from newsdigest.pelican.registry import load_outlets
from newsdigest.pelican.sitemap import updated
from newsdigest.records import Outlet, owner_key
from newsdigest.stories.coverage import Country, ReportView

OUTLET_URL = "outlets/{id}/"
OUTLETS_URL = "outlets/"
OUTLETS_SAVE_AS = "outlets/index.html"


@dataclass
class OutletPage:
    """One outlet with its country, sibling outlets and reports, for a template."""

    outlet: Outlet
    country: Country
    siblings: list[Outlet] = field(default_factory=list)
    #: (story, report) pairs, newest report first.
    reports: list[tuple[Article, ReportView]] = field(default_factory=list)


def outlet_pages(
    outlets: dict[str, Outlet], stories: list[Article]
) -> list[OutletPage]:
    """Every registry outlet with its siblings and reports, sorted by name."""
    pages = {
        key: OutletPage(outlet, Country.from_code(outlet.country))
        for key, outlet in outlets.items()
    }
    for page in pages.values():
        group = owner_key(page.outlet.owner_group)
        page.siblings = sorted(
            (
                o
                for o in outlets.values()
                if group
                and owner_key(o.owner_group) == group
                and o.id != page.outlet.id
            ),
            key=lambda o: o.name.casefold(),
        )
    for story in stories:
        for view in story.coverage.reports:
            if view.outlet.id in pages:
                pages[view.outlet.id].reports.append((story, view))
    for page in pages.values():
        page.reports.sort(
            key=lambda pair: (pair[1].report.published, pair[1].report.url),
            reverse=True,
        )
    return sorted(pages.values(), key=lambda p: (p.outlet.name.casefold(), p.outlet.id))


def reports_per_page(settings: dict[str, Any]) -> int | None:
    """Reports an outlet page holds, read as Pelican reads ``PAGINATED_TEMPLATES``."""
    if "outlet" not in settings["PAGINATED_TEMPLATES"]:
        return None
    return settings["PAGINATED_TEMPLATES"]["outlet"] or settings["DEFAULT_PAGINATION"]


class OutletGenerator(Generator):
    """Write one page per registry outlet and the outlet index."""

    def generate_context(self) -> None:
        """Read the registry; templates link the outlets in ``outlet_ids``."""
        self.outlets = load_outlets(self.context, self.settings)
        self.context["outlet_ids"] = set(self.outlets)

    def generate_output(self, writer: Any) -> None:
        """Write ``outlets/<id>/`` for each outlet, then ``outlets/``.

        An outlet's pages have its newest story's last change as sitemap date.
        """
        pages = outlet_pages(self.outlets, self.context.get("stories", []))
        template = self.get_template("outlet")
        changes = [
            max((updated(story) for story, _view in page.reports), default=None)
            for page in pages
        ]
        size = reports_per_page(self.settings)
        for page, lastmod in zip(pages, changes, strict=True):
            url = OUTLET_URL.format(id=page.outlet.id)
            # A new report moves the others along: every page changes with it.
            listing = paginate(page.reports, size or len(page.reports), url)
            write_pages(
                self,
                writer,
                template,
                listing,
                "reports_page",
                outlet_page=page,
                lastmod=lastmod,
            )
        writer.write_file(
            OUTLETS_SAVE_AS,
            self.get_template("outlets"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=OUTLETS_URL,
            outlet_pages=pages,
            lastmod=max(filter(None, changes), default=None),
        )
