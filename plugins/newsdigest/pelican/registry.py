"""The build's sources registry: read once, shared by every step that needs it."""

from __future__ import annotations

import logging
from typing import Any

from newsdigest.errors import InputError
from newsdigest.pelican.settings import sources_path
from newsdigest.records import Outlet
from newsdigest.registry import Registry, load_registry

logger = logging.getLogger(__name__)


#: Where a build keeps the registry it read, so it is read and reported once.
_REGISTRY_KEY = "newsdigest_registry"


def build_registry(
    context: dict[str, Any], settings: dict[str, Any]
) -> Registry | None:
    """The registry, read once per build; a broken one is logged, not raised."""
    if _REGISTRY_KEY not in context:
        try:
            context[_REGISTRY_KEY] = load_registry(sources_path(settings))
        except InputError as error:
            for problem in error.problems:
                logger.error("%s", problem)
            context[_REGISTRY_KEY] = None
    return context[_REGISTRY_KEY]


def load_outlets(
    context: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Outlet]:
    """The outlets pages may name (not the desk's internal intake)."""
    registry = build_registry(context, settings)
    return registry.public_outlets if registry else {}
