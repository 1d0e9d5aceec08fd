"""The benchmark's floor: bare ``feedparser.parse`` of every feed file in a folder.

Called the way ingest calls it (no HTML sanitizing, no relative-URI pass), so
the ratio ingest/parse is what our own work costs on top of parsing.

    python -m bench.parse_feeds FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

import feedparser


def parse_all(folder: Path) -> int:
    """Parse every ``*.xml`` file under ``folder``; return the number of entries."""
    return sum(
        len(
            feedparser.parse(
                path.read_bytes(), sanitize_html=False, resolve_relative_uris=False
            ).entries
        )
        for path in sorted(folder.rglob("*.xml"))
    )


if __name__ == "__main__":
    sys.stdout.write(f"{parse_all(Path(sys.argv[1]))} entries\n")
