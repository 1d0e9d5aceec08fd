"""The one slug function: safe, short, unique file and URL names."""

from __future__ import annotations

import re

from slugify import slugify

MAX_LENGTH = 80
#: Names Windows will not create a file for, whatever the extension.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$")


def make_slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; never empty or reserved."""
    slug = slugify(text, max_length=MAX_LENGTH, word_boundary=True, save_order=True)
    if not slug:
        return "story"
    if _RESERVED.match(slug):
        return f"{slug}-story"
    return slug


def unique_slug(text: str, taken: set[str]) -> str:
    """A slug for ``text`` not in ``taken`` (adds -2, -3, … when needed)."""
    base = make_slug(text)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
