"""Outlet logos: an image in the content's logos folder named after the outlet.

An editor adds ``content/logos/<outlet id>.svg`` (or ``.webp``, ``.png``,
``.jpg``, ``.jpeg``, ``.gif``); Pelican copies the folder as static files and
pages show the image next to the outlet's name. No logo is ever fetched from
an outlet's site: pages make no third-party requests. An SVG file that could
run script (:func:`newsdigest.untrusted_xml.svg_problem`) is no logo and is not copied.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsdigest.errors import Problem
from newsdigest.untrusted_xml import svg_problem

logger = logging.getLogger(__name__)

#: Image types a logo may be, the preferred first when an outlet has several.
LOGO_SUFFIXES = (".svg", ".webp", ".png", ".jpg", ".jpeg", ".gif")


def find_logos(content: Path, folder: str) -> dict[str, str]:
    """Outlet id -> the logo's path from the site root, for ``content/folder``."""
    found: dict[str, str] = {}
    directory = content / folder
    if not directory.is_dir():
        return found
    rank = {suffix: place for place, suffix in enumerate(LOGO_SUFFIXES)}
    files = sorted(
        (
            path
            for path in directory.iterdir()
            if path.suffix.lower() in rank and not _unsafe_svg(path)
        ),
        key=lambda path: (path.stem, rank[path.suffix.lower()]),
    )
    for path in files:
        found.setdefault(path.stem, f"{folder}/{path.name}")
    return found


def outlet_logo(logos: dict[str, str], outlet: Any) -> str | None:
    """The path of ``outlet``'s logo from the site root, if it has one."""
    return logos.get(outlet.id)


def leave_out_unsafe_svgs(generator: Any) -> None:
    """Copy no static SVG file that could run script; log each as an error.

    Connected to ``static_generator_finalized``. A browser that opens such a
    file on its own runs its scripts on the site's origin. A copy an earlier
    build left in the output is deleted.
    """
    kept = []
    for static in generator.staticfiles:
        problem = _unsafe_svg(Path(static.source_path))
        if problem is None:
            kept.append(static)
            continue
        logger.error("%s", problem)
        (Path(generator.output_path) / static.save_as).unlink(missing_ok=True)
    generator.staticfiles[:] = kept  # the list the context's "staticfiles" is


def _unsafe_svg(path: Path) -> Problem | None:
    """The problem of ``path`` if it is an SVG file that could run script.

    Each generator finds the logos again: a file is read once while its
    size and mtime stay as they were.
    """
    if path.suffix.lower() != ".svg":
        return None
    try:
        stat = path.stat()
    except OSError:
        return svg_problem(path)
    return _svg_problem_as_of(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1024)
def _svg_problem_as_of(path: Path, _size: int, _mtime_ns: int) -> Problem | None:
    """:func:`svg_problem` of ``path`` as it is at that size and mtime."""
    return svg_problem(path)
