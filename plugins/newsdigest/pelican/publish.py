"""What a published site needs besides its pages.

The story feeds, the sitemaps, robots.txt and the 404 page, written by
:class:`PublishGenerator`; the pages for the sitemap are recorded as Pelican
writes them (:func:`record_page`). Files keep their bytes and mtime when
their content did not change, like every other output (see ``writer.py``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from newsdigest.filewrites import write_if_changed
from newsdigest.pelican.feeds import FORMATS, render_feed
from newsdigest.pelican.settings import plugin_settings
from newsdigest.pelican.sitemap import (
    absolute,
    news_items,
    render_news_sitemap,
    render_robots,
    render_sitemap,
    sitemap_page,
    url_path,
)
from newsdigest.pelican.writer import previous_output_path

logger = logging.getLogger(__name__)

#: Context key of the pages written in this build, for the sitemap.
PAGES = "sitemap_pages"


def check_options(options: dict[str, Any], settings: dict[str, Any]) -> None:
    """Log settings that cannot work as given; the build goes on without them."""
    for name in options["NEWSDIGEST_FEED_FORMATS"]:
        if name not in FORMATS:
            logger.error(
                "NEWSDIGEST_FEED_FORMATS: %r is not one of: %s",
                name,
                ", ".join(FORMATS),
            )
    wants_absolute = options["NEWSDIGEST_FEED_FORMATS"] or any(
        options[key] for key in ("NEWSDIGEST_SITEMAP", "NEWSDIGEST_NEWS_SITEMAP")
    )
    if wants_absolute and "://" not in settings["SITEURL"]:
        logger.warning(
            "Feeds and sitemaps need absolute links, but SITEURL is %r: "
            "turn them on in publishconf.py, with an absolute SITEURL",
            settings["SITEURL"],
        )


class PublishGenerator(Generator):
    """Write the feeds, sitemaps, robots.txt and the 404 page.

    Pelican runs plugin generators in the order they are added: this one must
    come after every generator that writes pages, so the sitemap lists them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = plugin_settings(self.settings)

    def generate_context(self) -> None:
        """Start this build's page record; give templates the CSP and URL paths."""
        check_options(self.options, self.settings)
        self.context[PAGES] = []
        self.context["content_security_policy"] = self.options["NEWSDIGEST_CSP"]
        self.context["url_path"] = url_path

    def generate_output(self, writer: Any) -> None:
        """Write the 404 page, then the files made from the rest of the site."""
        if self.options["NEWSDIGEST_404"]:
            # Served at any depth: its links must not be relative.
            writer.write_file(
                self.options["NEWSDIGEST_404"],
                self.get_template("404"),
                self.context,
                relative_urls=False,
                noindex=True,
            )
        for feed in self.context.get("feeds", []):
            for file in feed.files:
                text = render_feed(feed, file, self.settings)
                self._write(writer, file.path, text)
        self._write_sitemaps(writer)

    def _write_sitemaps(self, writer: Any) -> None:
        siteurl = self.settings["SITEURL"]
        sitemaps = []
        if self.options["NEWSDIGEST_SITEMAP"]:
            sitemaps.append(self.options["NEWSDIGEST_SITEMAP"])
            pages = render_sitemap(self.context[PAGES], siteurl)
            self._write(writer, sitemaps[-1], pages)
        if self.options["NEWSDIGEST_NEWS_SITEMAP"]:
            sitemaps.append(self.options["NEWSDIGEST_NEWS_SITEMAP"])
            items = news_items(
                [
                    *self.context.get("articles", []),
                    *self.context.get("hidden_articles", []),
                ],
                self.options["NEWSDIGEST_NEWS_SITEMAP_DAYS"],
            )
            self._write(
                writer,
                sitemaps[-1],
                render_news_sitemap(
                    items,
                    siteurl,
                    self.settings["SITENAME"],
                    self.settings["DEFAULT_LANG"],
                ),
            )
        if self.options["NEWSDIGEST_ROBOTS_TXT"]:
            self._write(
                writer,
                self.options["NEWSDIGEST_ROBOTS_TXT"],
                render_robots(absolute(siteurl, path) for path in sitemaps),
            )

    def _write(self, writer: Any, relative: str, text: str) -> None:
        """Write a file of this generator's own, as ``writer``'s output.

        Noted with the writer's pages, so a later build that no longer makes
        it (``make html`` after ``make publish``: no feeds, no sitemaps)
        deletes it.
        """
        path = Path(self.output_path) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        previous = previous_output_path(self.settings) / relative
        if write_if_changed(path, text.encode("utf-8"), previous):
            logger.info("Writing %s", path)
        if note := getattr(writer, "note_written", None):  # Pelican's keeps none
            note(str(path))


def record_page(_path: str, context: dict[str, Any]) -> None:
    """Note a page Pelican wrote, for the sitemap (``content_written``)."""
    pages = context.get(PAGES)
    if pages is not None and (page := sitemap_page(context)) is not None:
        pages.append(page)
