"""Pelican's reader cache: filled on every core, and kept to the files there are.

Pelican reads each file when its generator comes to it, in one process: the
YAML and Markdown of 2,000 stories take about a second. At the first file an
articles generator reads (``article_generator_preread``), :func:`read_ahead`
has the files Pelican's reader cache does not hold read by
``NEWSDIGEST_RENDER_PROCESSES`` processes and puts what the reader returned in
that cache, where Pelican finds it next. The reader is a pure function of the
file, so nothing changes but the time.

Only with Pelican's reader cache on (``CACHE_CONTENT``,
``CONTENT_CACHING_LAYER = "reader"``) and from :data:`READ_AHEAD_FROM` files.
A file whose reading fails or logs a warning is left to Pelican, which reads
it and reports it as always.

Pelican keeps a cache entry for every file it ever read and loads and saves
them all on every build, so stories deleted, renamed or merged away, and a
site folder moved (entries are keyed by absolute path), would make every
later build slower. Once the articles are read
(``article_generator_pretaxonomy``), :func:`forget_gone_files` drops the
entries of files that are no longer there, before Pelican saves the cache.

Pelican keys an entry by its file's mtime only, so after an upgrade of this
package (a sanitizer fixed, say) or of the settings or libraries the reader
uses, every unchanged file would keep what the old code made of it. At
``initialized``, :func:`forget_reader_cache_of_other_code` deletes the
reader caches unless the stamp beside them names this code, these
libraries and these :data:`READER_SETTINGS` (:data:`STAMP_NAME`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import weakref
from functools import partial
from pathlib import Path
from typing import Any

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from newsdigest.buildrecord import library_versions
from newsdigest.filewrites import replace_file
from newsdigest.logcount import LogCount
from newsdigest.pelican.parallel import render_processes
from newsdigest.pickles import code_version
from newsdigest.processes import run_shared

logger = logging.getLogger(__name__)

#: The file in ``CACHE_PATH`` naming the code and settings the reader caches
#: were made with.
STAMP_NAME = "newsdigest-readers.stamp"
#: The settings what the reader makes of a file depends on (other settings,
#: such as ``OUTPUT_PATH`` for ``make publish``, leave the caches be).
READER_SETTINGS = (
    "MARKDOWN",
    "NEWSDIGEST_SANITIZE_STORIES",
    "TIMEZONE",
    "DEFAULT_LANG",
)
#: Pelican's reader caches in ``CACHE_PATH``, one per generator.
READER_CACHES = "*-Readers"
#: Fewest unread files worth sharing among processes.
READ_AHEAD_FROM = 64
#: Generators whose files were read ahead already.
_DONE: weakref.WeakSet[Any] = weakref.WeakSet()


def forget_reader_cache_of_other_code(pelican: Any) -> None:
    """Delete Pelican's reader caches if other code or settings made them."""
    settings = pelican.settings
    if not settings.get("CACHE_CONTENT"):
        return
    folder = Path(settings["CACHE_PATH"])
    reading = {name: settings.get(name) for name in READER_SETTINGS}
    stamp = json.dumps(
        [code_version(), library_versions(), reading], sort_keys=True, default=repr
    )
    try:
        if (folder / STAMP_NAME).read_text(encoding="utf-8") == stamp:
            return
    except OSError:
        pass
    for cache in folder.glob(READER_CACHES):
        cache.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        replace_file(folder / STAMP_NAME, stamp)


def read_ahead(generator: Any) -> None:
    """Fill the reader cache with the generator's unread files (once per generator).

    Pelican calls this inside its read of one file, which an error here would
    make it skip: so an error is logged and the files are read as always.
    """
    if generator in _DONE:
        return
    _DONE.add(generator)
    try:
        _fill_cache(generator)
    except Exception as error:  # noqa: BLE001 (reading one by one still works)
        logger.warning("reading ahead failed (%s); files are read one by one", error)


def _fill_cache(generator: Any) -> None:
    """Read the unread files on every core into the generator's reader cache."""
    settings = generator.settings
    if not (
        settings.get("CACHE_CONTENT")
        and settings.get("CONTENT_CACHING_LAYER") == "reader"
    ):
        return
    readers = generator.readers
    unread = [
        (path, readers.readers[fmt])
        for path in _article_files(generator)
        if (fmt := file_suffix(path)) in readers.readers
        and readers.get_cached_data(path, None) is None
    ]
    if len(unread) < READ_AHEAD_FROM:
        return
    calls = [partial(_read, reader, path) for path, reader in unread]
    # Only forked processes read, so the warnings they hold back (and Pelican's
    # memory of messages already logged) stay out of this one.
    read = run_shared(calls, render_processes(settings), here=False)
    for (path, _reader), result in zip(unread, read, strict=True):
        if result is not None:
            readers.cache_data(path, result)


def forget_gone_files(generator: Any) -> None:
    """Drop the reader cache's entries for files not among the generator's now."""
    cache = getattr(generator.readers, "_cache", None)  # FileDataCacher's own dict
    if not isinstance(cache, dict):
        return
    there = set(_article_files(generator))
    for path in [path for path in cache if path not in there]:
        del cache[path]


def _article_files(generator: Any) -> list[str]:
    """The absolute paths of the article files, as the reader cache keys them."""
    settings = generator.settings
    return [
        os.path.abspath(os.path.join(generator.path, name))
        for name in generator.get_files(
            settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]
        )
    ]


def _read(reader: Any, path: str) -> tuple[str, dict[str, Any]] | None:
    """What ``reader`` makes of ``path``; None if it failed or had a warning."""
    warned = LogCount(logging.WARNING)
    logging.getLogger().handlers = [warned]  # in a forked process: for good
    try:
        content, metadata = reader.read(path)
    except Exception:  # noqa: BLE001 (Pelican reads it again and reports it)
        return None
    return None if warned.count else (content, _filter_discardable_metadata(metadata))
