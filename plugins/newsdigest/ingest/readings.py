"""Text readings kept from one ingest to the next, beside the state store.

Clustering reads the text of every known report in the window again, with
the new ones (:func:`newsdigest.stories.text.analyse_leads`): most of a run
that adds a few reports, and all of the history when a feed brings old
reports, since the window then reaches back to them. A text's reading
depends on nothing but the text, its language and this package's code, so
``readings.pickle`` keeps this run's readings for the next. It keeps only
those the run used (the window moves on), is written atomically, and may be
deleted at any time: the next run reads the texts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsdigest.pickles import keep_versioned, load_versioned
from newsdigest.stories.text import ReadingKey, TextReading

READINGS_NAME = "readings.pickle"


def readings_path(state_path: Path) -> Path:
    """Where the readings are kept: next to the state store."""
    return state_path.with_name(READINGS_NAME)


def load_readings(path: Path) -> dict[ReadingKey, TextReading]:
    """The readings the last run kept, if this code made them; else none."""
    found = load_versioned(path)
    return found if isinstance(found, dict) else {}


def keep_readings(
    path: Path, readings: dict[ReadingKey, TextReading], used: Iterable[ReadingKey]
) -> None:
    """Keep the ``used`` of ``readings`` for the next run; a failure costs speed."""
    keep_versioned(path, {key: readings[key] for key in used})
