"""Outlet logos: an image in the content's logos folder named after the outlet.

An editor adds ``content/logos/<outlet id>.svg`` (or ``.webp``, ``.png``,
``.jpg``, ``.jpeg``, ``.gif``); Pelican copies the folder as static files and
pages show the image next to the outlet's name. No logo is ever fetched from
an outlet's site: pages make no third-party requests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
        (path for path in directory.iterdir() if path.suffix.lower() in rank),
        key=lambda path: (path.stem, rank[path.suffix.lower()]),
    )
    for path in files:
        found.setdefault(path.stem, f"{folder}/{path.name}")
    return found


def outlet_logo(logos: dict[str, str], outlet: Any) -> str | None:
    """The path of ``outlet``'s logo from the site root, if it has one."""
    return logos.get(outlet.id)
