"""Pelican plugin: reader, enrichment, country pages, the Wire, feeds and sitemaps.

``register()`` only connects signals; the work lives in plain functions.
"""

from __future__ import annotations

import logging
from typing import Any
from weakref import WeakKeyDictionary

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator

from newsdigest import buildrecord
from newsdigest.collector import collect_as_before, collect_less
from newsdigest.logcount import LogCount
from newsdigest.pelican.enrich import enrich_stories
from newsdigest.pelican.feeds import plan_feeds, plan_wire_feeds
from newsdigest.pelican.generators import BlindspotGenerator, CountryGenerator
from newsdigest.pelican.jinja import prepare_environment
from newsdigest.pelican.listings import index_listings, settle_article_order
from newsdigest.pelican.logos import leave_out_unsafe_svgs
from newsdigest.pelican.memo import Memo
from newsdigest.pelican.merges import fold_merged_stories, write_merged_pages
from newsdigest.pelican.outlets import OutletGenerator
from newsdigest.pelican.parallel import render_queued, writer_class
from newsdigest.pelican.publish import PublishGenerator, record_page
from newsdigest.pelican.readahead import (
    forget_gone_files,
    forget_reader_cache_of_other_code,
    read_ahead,
)
from newsdigest.pelican.reader import FrontMatterReader
from newsdigest.pelican.related import enrich_related
from newsdigest.pelican.reuse import save_reused_pages
from newsdigest.pelican.search import SearchGenerator
from newsdigest.pelican.settings import input_paths
from newsdigest.pelican.threads import ThreadGenerator, enrich_threads
from newsdigest.pelican.urls import freeze_urls
from newsdigest.pelican.wire import (
    WireGenerator,
    dispatch_articles,
    enrich_dispatches,
)
from newsdigest.pelican.writer import keep_previous_output, restore_unchanged_output


def add_reader(readers: Any) -> None:
    """Make the front-matter reader the one reader for Markdown files."""
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def add_generators(_pelican: Any) -> list[type[Generator]]:
    """Add the pages Pelican does not make, the Wire, feeds, sitemaps and 404.

    PublishGenerator stays last: its sitemap lists the pages written before it.
    """
    return [
        CountryGenerator,
        BlindspotGenerator,
        OutletGenerator,
        WireGenerator,
        ThreadGenerator,
        SearchGenerator,
        PublishGenerator,
    ]


def enrich(generators: list[Any]) -> None:
    """Run the cross-page work once all content has been read."""
    freeze_urls(generators)
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            context, settings = generator.context, generator.settings
            memo = Memo.for_settings(settings)
            enrich_stories(generator.articles, context, settings, memo)
            enrich_dispatches(generator.hidden_articles, context, settings)
            enrich_related(
                context["stories"],
                dispatch_articles(generator.hidden_articles),
                settings,
            )
            context["feeds"] = [
                *plan_feeds(context["stories"], settings),
                *plan_wire_feeds(context["dispatches"], settings),
            ]
            enrich_threads(context, settings, memo)
            memo.save()


def settle_listings(generator: ArticlesGenerator) -> None:
    """Order articles stably, then fold merged stories away (in that order)."""
    settle_article_order(generator)
    fold_merged_stories(generator)


#: Each running build's record and the errors logged since its start
#: (``initialized``), to its end.
_BUILDS: WeakKeyDictionary[Any, tuple[buildrecord.BuildRecord, LogCount]] = (
    WeakKeyDictionary()
)


def begin_build(pelican: Any) -> None:
    """Collect garbage less often; note what the build starts from.

    ``newsdigest-build`` compares the next build's inputs with the note.
    """
    collect_less()
    record = buildrecord.begin(pelican.settings, input_paths(pelican.settings))
    _BUILDS[pelican] = (record, LogCount(logging.ERROR).attach())


def finish_output(pelican: Any) -> None:
    """Render queued pages, give unchanged files their mtimes back, record the build.

    Also keeps the article pages' keys, for the next build to reuse pages. A
    build that logged an error is not recorded: the next one runs again.
    """
    try:
        render_queued(pelican)
        restore_unchanged_output(pelican)
        save_reused_pages(pelican)
        if (started := _BUILDS.pop(pelican, None)) is not None:
            record, errors = started
            errors.detach()
            if not errors.count:
                buildrecord.complete(record, pelican.settings)
    finally:
        collect_as_before()


def register() -> None:
    """Connect the plugin's receivers to Pelican's signals."""
    signals.initialized.connect(begin_build)
    signals.initialized.connect(forget_reader_cache_of_other_code)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(prepare_environment)
    signals.static_generator_finalized.connect(leave_out_unsafe_svgs)
    signals.get_generators.connect(add_generators)
    signals.all_generators_finalized.connect(enrich)
    signals.article_generator_pretaxonomy.connect(settle_listings)
    signals.article_generator_pretaxonomy.connect(forget_gone_files)
    signals.article_generator_finalized.connect(index_listings)
    signals.article_writer_finalized.connect(write_merged_pages)
    signals.content_written.connect(record_page)
    signals.article_generator_init.connect(keep_previous_output)
    signals.article_generator_preread.connect(read_ahead)
    signals.get_writer.connect(writer_class)
    signals.finalized.connect(finish_output)
