"""Caches kept as pickles: the build's in ``CACHE_PATH``, the check's, ingest's.

Each is only a shortcut: a missing, unreadable or unwritable file costs the
next run time, never output. Writes are atomic (a temporary sibling, then
renamed), so a run stopped halfway leaves the last complete file. What is
kept says which code made it (:func:`code_version`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import Any

from newsdigest.filewrites import replace_file

logger = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parent


def load_kept(path: Path) -> Any:
    """What :func:`keep` left at ``path``; None if missing or unreadable."""
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # noqa: BLE001 (a broken cache is only slower)
        logger.debug("%s unreadable (%s); starting afresh", path, error)
        return None


def keep(path: Path, data: object) -> None:
    """Pickle ``data`` to ``path`` atomically; a failure only costs speed."""
    with contextlib.suppress(OSError):
        replace_file(path, pickle.dumps(data, protocol=5), sibling=".{name}-{random}")


def keep_versioned(path: Path, data: object) -> None:
    """:func:`keep` ``data`` with the :func:`code_version` that made it."""
    keep(path, (code_version(), data))


def load_versioned(path: Path) -> Any:
    """What :func:`keep_versioned` left at ``path``, if this code made it; else None."""
    found = load_kept(path)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == code_version():
        return found[1]
    return None


@cache
def code_version() -> str:
    """A digest of this package's source and Python's version: results' provenance."""
    hashed = hashlib.blake2b(sys.version.encode(), digest_size=20)
    for path in sorted(_PACKAGE.rglob("*.py")):
        hashed.update(str(path.relative_to(_PACKAGE)).encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()
