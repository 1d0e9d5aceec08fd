"""File writes: atomic ones, and ones that leave a file alone if it holds the bytes.

:func:`replace_file` is the one way a file is replaced: written to a
temporary sibling, then renamed over the old, so a reader never sees half a
file. An unchanged file keeps its mtime and inode, so a sync uploads only
what changed; a changed output is written to a ``.partial`` sibling. No
Pelican here: the search index's command uses these without loading the build.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
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
    replace_file(target, data)
    return True


def replace_file(
    target: Path | str,
    data: bytes | str,
    *,
    sibling: str = "{name}" + PARTIAL_SUFFIX,
    fsync: bool = False,
    mode: int | None = None,
    before_replace: Callable[[], object] | None = None,
) -> None:
    """Write ``data`` (text as UTF-8) to a sibling of ``target``, then rename it over.

    A reader sees the old file or the new one, never half of one; the sibling
    is removed if anything fails, and missing folders are made. ``sibling``
    names it, ``{name}`` standing for ``target``'s name: one with ``{random}``
    is a new file no other writer is using (:func:`tempfile.mkstemp`, so only
    its owner may read it), else it is made with the umask's mode. ``mode``
    then sets its mode; ``fsync`` puts its bytes on disk before the rename, so
    a crash leaves the old file or the whole new one. ``before_replace`` runs
    just before the rename; what it raises stops it.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    handle, temporary = _create_sibling(target, sibling)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            if fsync:
                file.flush()
                os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _create_sibling(target: Path, sibling: str) -> tuple[int, str]:
    """Open the file :func:`replace_file` names ``sibling`` for writing: fd, path."""
    if "{random}" not in sibling:
        path = str(target.with_name(sibling.format(name=target.name)))
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666), path
    prefix, _, suffix = sibling.partition("{random}")
    return tempfile.mkstemp(
        prefix=prefix.format(name=target.name),
        suffix=suffix.format(name=target.name),
        dir=target.parent,
    )
