"""Writes that leave a file alone when it already holds the bytes.

An unchanged file keeps its mtime and inode, so a sync uploads only what
changed; a changed one is written to a ``.partial`` sibling and renamed
over the old, so a reader never sees half a file. No Pelican here: the
search index's command uses these without loading the build.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Suffix of the file a changed output is written to before it is renamed.
PARTIAL_SUFFIX = ".partial"


def same_bytes(path: Path | str, data: bytes) -> bool:
    """Whether the regular file at ``path`` holds exactly ``data``."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False


def keep_or_restore(target: Path | str, data: bytes, previous: Path | None) -> bool:
    """Whether ``target`` holds ``data``, once ``previous`` is moved back if it does.

    ``previous`` is the old copy of ``target`` set aside by
    :func:`newsdigest.pelican.writer.keep_previous_output`; moving it back
    keeps its mtime.
    """
    if same_bytes(target, data):
        return True
    if previous is not None and same_bytes(previous, data):
        os.replace(previous, target)
        return True
    return False


def write_if_changed(
    target: Path | str, data: bytes, previous: Path | None = None
) -> bool:
    """Write ``data`` to ``target`` unless it holds it already; return whether it wrote.

    For files a generator writes itself rather than through the writer.
    ``previous`` is as for :func:`keep_or_restore`; a changed file is written
    to a ``.partial`` sibling and renamed over the old one.
    """
    if keep_or_restore(target, data, previous):
        return False
    replace_file(str(target), data)
    return True


def replace_file(target: str, data: bytes) -> None:
    """Write ``data`` to ``target``'s ``.partial`` sibling, then rename it over."""
    partial = f"{target}{PARTIAL_SUFFIX}"
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
