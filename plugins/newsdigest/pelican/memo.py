"""Per-story results kept from one build to the next.

Finding these results is most of a build's cross-page work. :class:`Memo`
keeps each under its kind and a digest of everything it was computed from and
of this package's code, in ``<CACHE_PATH>/newsdigest-memo.pickle``, so a
rebuild computes them again only for the items whose inputs changed, sharing
them among ``NEWSDIGEST_RENDER_PROCESSES`` processes when there are many (a
first build). The kinds, and what each is keyed on:

- ``names``, the names a story or dispatch carries
  (:mod:`newsdigest.pelican.threads`): its own texts with their languages
  (its title, and a story's report headlines and summaries or a dispatch's
  TL;DR or body) and whether it is a story.
- ``copies``, which of a story's reports are syndicated copies
  (:mod:`newsdigest.pelican.enrich`, as are the next two): each report's URL,
  date, headline and summary.
- ``claims``, the claims extracted from a story whose editor wrote none: its
  coverage (its reports, their outlets from the registry, and copies) and the
  site's ``DEFAULT_LANG``.
- ``country``, a story's country: the editor's ``country:`` and its coverage.

So an edit to an outlet in the registry computes claims and countries again
for that outlet's stories. Results a build did not ask for are dropped when it
saves, so the file holds one build's worth.

The memo is on when ``CACHE_CONTENT`` and ``LOAD_CONTENT_CACHE`` are (as for
Pelican's own cache); deleting it only makes the next build slower. Results
are small and plain (strings, tuples), never pages or reports, so a memo
result and a fresh one render the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from newsdigest.pelican.parallel import render_processes
from newsdigest.pickles import keep_versioned, load_versioned
from newsdigest.processes import run_shared

#: The memo's file name in ``CACHE_PATH``.
MEMO_NAME = "newsdigest-memo.pickle"
#: Fewest results to compute before several processes share them.
PARALLEL_FROM = 64
T = TypeVar("T")


class Memo:
    """Results by (kind, digest of inputs); see the module docstring."""

    def __init__(self, path: Path | None = None, processes: int = 1):
        self.path = path
        self.processes = processes
        self._stored = (load_versioned(path) or {}) if path else {}
        self._used: dict[tuple[str, str], Any] = {}

    @classmethod
    def for_settings(cls, settings: dict[str, Any]) -> Memo:
        """The build's memo: kept in ``CACHE_PATH`` if caching is on, else none."""
        processes = render_processes(settings)
        if settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE"):
            return cls(Path(settings["CACHE_PATH"]) / MEMO_NAME, processes)
        return cls(None, processes)

    def results(
        self, kind: str, jobs: Sequence[tuple[object, Callable[[], T]]]
    ) -> list[T]:
        """Each ``(inputs, compute)`` job's result: kept for ``kind`` or computed.

        ``inputs`` is everything ``compute`` reads, as plain data whose
        ``repr`` tells it apart (strings, numbers, dates, tuples, dataclasses).
        What is not kept is computed in several processes from
        :data:`PARALLEL_FROM` results: forking costs about a millisecond.
        """
        keys = [(kind, digest(inputs)) for inputs, _compute in jobs]
        missing: dict[tuple[str, str], Callable[[], T]] = {}
        for key, (_inputs, compute) in zip(keys, jobs, strict=True):
            if key in self._stored:
                self._used[key] = self._stored[key]
            elif key not in self._used:
                missing[key] = compute
        processes = self.processes if len(missing) >= PARALLEL_FROM else 1
        results = run_shared(list(missing.values()), processes)
        self._used.update(zip(missing, results, strict=True))
        return [self._used[key] for key in keys]

    def save(self) -> None:
        """Keep this build's results (atomically); a failure only costs speed."""
        if self.path is None or self._used == self._stored:
            return
        keep_versioned(self.path, self._used)


def digest(inputs: object) -> str:
    """A digest of ``repr(inputs)``."""
    return hashlib.blake2b(repr(inputs).encode(), digest_size=20).hexdigest()
