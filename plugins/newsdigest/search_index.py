"""Build the static search index: ``python -m newsdigest.search_index OUTPUT``.

Run after the Pelican build (``make html`` and ``make publish`` do): Pagefind
indexes the story and dispatch pages into ``OUTPUT/pagefind/``, which the
``search/`` page's script queries in the browser.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: The pages Pagefind indexes, and the parts of them it leaves out.
INDEXED = "{stories,dispatches}/**/*.html"
NOT_INDEXED = ".site-header, .site-footer, .skip-link"


def build_index(output: Path) -> None:
    """Index the built site with Pagefind (the ``pagefind[extended]`` package)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(output),
            "--glob",
            INDEXED,
            "--exclude-selectors",
            NOT_INDEXED,
            "--silent",
        ],
        check=True,
    )


if __name__ == "__main__":
    build_index(Path(sys.argv[1]))
