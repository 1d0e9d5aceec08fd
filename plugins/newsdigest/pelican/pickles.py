"""The build's own caches, kept as pickles in ``CACHE_PATH``.

Each is only a shortcut: a missing, unreadable or unwritable file costs the
next build time, never output. Writes are atomic (a temporary sibling, then
renamed), so a build stopped halfway leaves the last complete file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


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
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump(data, file, protocol=5)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
