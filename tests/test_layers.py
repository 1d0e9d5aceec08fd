"""The package's layers import one way, as README.md's Layout says."""

from __future__ import annotations

import ast
from pathlib import Path

import newsdigest

PACKAGE = Path(newsdigest.__file__).parent
#: Top first; a module may import from its own layer and those after it. The
#: top-level modules not named here make up the bottom layer.
LAYERS = (
    {"cli"},
    {"pelican"},
    {"check", "opml", "search_index"},
    {"ingest"},
    {"wire"},
    {"stories"},
    {"content"},
)


def layer(part: str) -> int:
    """The index in :data:`LAYERS` of a first name under ``newsdigest``."""
    return next((n for n, names in enumerate(LAYERS) if part in names), len(LAYERS))


def imported(path: Path) -> set[str]:
    """First names under ``newsdigest`` that the module at ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        found |= {m.split(".")[1] for m in modules if m.startswith("newsdigest.")}
    return found


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = [
        f"{path.relative_to(PACKAGE)} imports newsdigest.{name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for name in imported(path)
        if layer(name) < layer(path.relative_to(PACKAGE).with_suffix("").parts[0])
    ]
    assert not upward
