"""Pelican plugin: the front-matter reader, story enrichment, country pages.

``register()`` only connects signals; the work lives in plain functions.
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator

from newsdigest.pelican.enrich import enrich_stories
from newsdigest.pelican.generators import CountryGenerator
from newsdigest.pelican.reader import FrontMatterReader


def add_reader(readers: Any) -> None:
    """Make the front-matter reader the one reader for Markdown files."""
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def add_generators(_pelican: Any) -> type[CountryGenerator]:
    """Add the country pages generator."""
    return CountryGenerator


def enrich(generators: list[Any]) -> None:
    """Run the cross-page work once all content has been read."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            enrich_stories(generator.articles, generator.context, generator.settings)


def register() -> None:
    """Connect the plugin's receivers to Pelican's signals."""
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(add_generators)
    signals.all_generators_finalized.connect(enrich)
