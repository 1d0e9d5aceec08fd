"""The plugin's settings, with their documented defaults, in one place.

Each can be set in ``pelicanconf.py``; :func:`plugin_settings` overlays the
user's values on the defaults without changing the user's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsdigest.categories import CATEGORY_EMOJI

DEFAULTS: dict[str, Any] = {
    # The sources registry; a relative path is taken from the folder above PATH.
    "NEWSDIGEST_SOURCES": "sources.yaml",
    # Category name -> emoji, merged over the built-in vocabulary.
    "NEWSDIGEST_CATEGORY_EMOJI": {},
    # How many stories the home page ranks, and how fast a story's rank halves.
    "NEWSDIGEST_TOP_STORIES": 30,
    "NEWSDIGEST_RANK_HALF_LIFE_HOURS": 24.0,
    # Related stories: how many, how similar, and how far apart in days.
    "NEWSDIGEST_RELATED_LIMIT": 5,
    "NEWSDIGEST_RELATED_THRESHOLD": 0.12,
    "NEWSDIGEST_RELATED_WINDOW_DAYS": 14,
    # Pass story bodies (text that came from feeds) through the sanitizer.
    "NEWSDIGEST_SANITIZE_STORIES": True,
}


def plugin_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The defaults overlaid with whatever the user set."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    merged["NEWSDIGEST_CATEGORY_EMOJI"] = {
        **CATEGORY_EMOJI,
        **merged["NEWSDIGEST_CATEGORY_EMOJI"],
    }
    return merged


def sources_path(settings: dict[str, Any]) -> Path:
    """Where the registry is, resolving a relative path against the project."""
    path = Path(plugin_settings(settings)["NEWSDIGEST_SOURCES"])
    return path if path.is_absolute() else Path(settings["PATH"]).parent / path
