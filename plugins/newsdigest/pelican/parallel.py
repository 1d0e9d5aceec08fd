"""Render pages on every core.

Rendering templates is most of a build's output phase, and pages do not depend
on each other once the content is read and enriched. :class:`ParallelWriter`
lets Pelican drive the writer as usual (pagination, its checks against writing
one file twice, ``content_written``) but defers each page's
``template.render``: the page is queued instead. When the build finishes,
:func:`render_queued` forks ``NEWSDIGEST_RENDER_PROCESSES`` processes that
render their share of the queue and write it as
:class:`~newsdigest.pelican.writer.KeepUnchangedWriter` does (unchanged bytes
keep their file). Forked processes see the finished context as it is (copy on
write), so nothing is pickled, and the files are the bytes a one-process build
writes. Feeds are written at once, as before.
"""

from __future__ import annotations

import io
import logging
import os
import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pelican.writers import Writer

from newsdigest.pelican.reuse import CardKey, PageReuse, StoredPage
from newsdigest.pelican.settings import plugin_settings
from newsdigest.pelican.writer import KeepUnchangedWriter, PendingOutput
from newsdigest.processes import ProcessFailed, cores, run_shared

logger = logging.getLogger(__name__)

#: Writers with queued pages, rendered by :func:`render_queued`.
_WRITERS: weakref.WeakSet[ParallelWriter] = weakref.WeakSet()


class RenderError(RuntimeError):
    """A page failed to render in one of the rendering processes."""


@dataclass
class _Page:
    """A page whose rendering waits: what Pelican would have rendered, and where."""

    template: Any
    context: dict[str, Any]
    localcontext: dict[str, Any]
    #: Set when Pelican opens the page's file.
    output: PendingOutput = field(init=False)

    def render(self, reuse: PageReuse) -> dict[CardKey, str]:
        """Render and write the page, as Pelican's writer would have.

        Returns the story cards rendered for it (for ``reuse`` to keep).
        """
        if self.localcontext["localsiteurl"]:
            self.context["localsiteurl"] = self.localcontext["localsiteurl"]
        text = self.template.render(self.localcontext)
        with self.output as output:
            output.write(text)
        return reuse.take_rendered_cards()


class _QueuedTemplate:
    """Stands in for a template: ``render`` queues the page and returns nothing."""

    def __init__(self, template: Any, context: dict[str, Any], writer: ParallelWriter):
        self._template = template
        self._context = context
        self._writer = writer

    def render(self, localcontext: dict[str, Any]) -> str:
        """Note the page for the writer, which learns its file next."""
        self._writer.rendering = _Page(self._template, self._context, localcontext)
        return ""


class ParallelWriter(KeepUnchangedWriter):
    """:class:`KeepUnchangedWriter` whose pages render in several processes."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings)
        #: The page Pelican is writing, between its render and opening its file.
        self.rendering: _Page | None = None
        self._queue: dict[str, _Page] = {}
        _WRITERS.add(self)

    def write_file(self, name: str, template: Any, context: dict, *args, **kwargs):
        """Pelican's ``write_file``, with the page queued instead of rendered.

        A page reusing its last output (:mod:`newsdigest.pelican.reuse`) has
        nothing to render and is written at once.
        """
        template = self.reuse.template_for(name, template, context, kwargs)
        if not isinstance(template, StoredPage):
            template = _QueuedTemplate(template, context, self)
        return Writer.write_file(self, name, template, context, *args, **kwargs)

    def _open_w(self, filename: str, encoding: str, override: bool = False):
        """Queue the page being written; a feed is opened as usual."""
        output = super()._open_w(filename, encoding, override)
        page, self.rendering = self.rendering, None
        if page is None:
            return output
        if output.skipped:  # Pelican keeps an earlier, overriding write
            output.discard()
        else:
            page.output = output
            # A later write of the same file replaces the earlier, as in order.
            self._queue.pop(filename, None)
            self._queue[filename] = page
        return io.StringIO()

    def render_queued(self) -> None:
        """Render every queued page, one share per process; raise if any failed."""
        pages, self._queue = list(self._queue.values()), {}
        renders = [partial(page.render, self.reuse) for page in pages]
        try:
            cards = run_shared(renders, render_processes(self.settings))
        except ProcessFailed as failure:
            for page in pages:  # those not reached keep their old file
                page.output.discard()
            raise RenderError(str(failure)) from None
        for rendered in cards:
            self.reuse.cards.update(rendered)


def render_processes(settings: dict[str, Any]) -> int:
    """How many processes render pages and compute per-story results.

    The setting, else one per core.
    """
    if not hasattr(os, "fork"):
        return 1
    wanted = plugin_settings(settings)["NEWSDIGEST_RENDER_PROCESSES"]
    return max(1, wanted or cores())


def render_queued(_pelican: Any = None) -> None:
    """Render the pages every writer queued (at ``finalized``)."""
    for writer in list(_WRITERS):
        writer.render_queued()


def writer_class(pelican: Any) -> type[KeepUnchangedWriter] | None:
    """The writer for Pelican to use; None (Pelican's own) if the setting says so."""
    settings = pelican.settings
    if not plugin_settings(settings)["NEWSDIGEST_KEEP_UNCHANGED_OUTPUT"]:
        return None
    return ParallelWriter if render_processes(settings) > 1 else KeepUnchangedWriter
