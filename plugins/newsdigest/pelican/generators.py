"""Pages Pelican does not make by itself: one page per country."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

COUNTRY_URL = "country/{code}/"
COUNTRY_SAVE_AS = "country/{code}/index.html"


class CountryGenerator(Generator):
    """Write ``country/<code>/`` for every country that has stories."""

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
            )
