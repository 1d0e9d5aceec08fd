"""Pages Pelican does not make by itself: one page per country, the Blindspot page."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

COUNTRY_URL = "country/{code}/"
COUNTRY_SAVE_AS = "country/{code}/index.html"
BLINDSPOT_URL = "blindspot/"
BLINDSPOT_SAVE_AS = "blindspot/index.html"


class CountryGenerator(Generator):
    """Write ``country/<code>/`` for every country that has stories.

    Paginated like Pelican's own listings when ``PAGINATED_TEMPLATES`` has
    ``country``.
    """

    def generate_context(self) -> None:
        """Nothing to read: countries come from stories after enrichment."""

    def generate_output(self, writer: Any) -> None:
        """Write one page per country from the enriched context."""
        template = self.get_template("country")
        for country, stories in self.context.get("story_countries", []):
            writer.write_file(
                COUNTRY_SAVE_AS.format(code=country.code.lower()),
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=COUNTRY_URL.format(code=country.code.lower()),
                country=country,
                articles=stories,
                template_name="country",
            )


class BlindspotGenerator(Generator):
    """Write ``blindspot/``: the stories one side missed, newest first."""

    def generate_context(self) -> None:
        """Nothing to read: blindspots come from stories after enrichment."""

    def generate_output(self, writer: Any) -> None:
        """Write the one listing page, also when no story is a blindspot."""
        writer.write_file(
            BLINDSPOT_SAVE_AS,
            self.get_template("blindspot"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=BLINDSPOT_URL,
            articles=self.context.get("blindspot_stories", []),
            template_name="blindspot",
        )
