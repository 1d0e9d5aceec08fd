"""Build the static search index: ``python -m newsdigest.search_index OUTPUT``.

Run after the Pelican build (``make html`` and ``make publish`` do): Pagefind
indexes the story and dispatch pages into ``OUTPUT/pagefind/``, which the
``search/`` page's script queries in the browser.

Pagefind rewrites every file of its bundle on each run, but its output is
byte-identical for identical pages and its index files are named by content
hash. So it writes into a scratch folder, and only the files whose bytes
changed are written into ``OUTPUT/pagefind/``: unchanged files keep their
mtime, and a sync uploads only what a change of content touched.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from newsdigest.pelican.writer import write_if_changed

#: The pages Pagefind indexes, and the parts of them it leaves out.
INDEXED = "{stories,dispatches}/**/*.html"
NOT_INDEXED = ".site-header, .site-footer, .skip-link"
#: Where the bundle goes under the output folder (Pagefind's default).
BUNDLE = "pagefind"
#: The file the search script reads first; it names the current index files.
ENTRY = "pagefind-entry.json"


def build_index(output: Path) -> None:
    """Index the built site with Pagefind (the ``pagefind[extended]`` package)."""
    with tempfile.TemporaryDirectory(prefix="pagefind-") as scratch:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(output),
                "--output-path",
                scratch,
                "--glob",
                INDEXED,
                "--exclude-selectors",
                NOT_INDEXED,
                "--silent",
            ],
            check=True,
        )
        update_bundle(Path(scratch), output / BUNDLE)


def update_bundle(fresh: Path, bundle: Path) -> None:
    """Make ``bundle`` hold exactly the files of ``fresh``, writing only changed ones.

    The entry file goes last and stale files go after it, so a reader of the
    live folder never gets an entry naming index files not yet written.
    """
    produced = sorted(
        (path.relative_to(fresh) for path in fresh.rglob("*") if path.is_file()),
        key=lambda relative: (relative.as_posix() == ENTRY, relative.as_posix()),
    )
    for relative in produced:
        target = bundle / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(target, (fresh / relative).read_bytes())
    kept = set(produced)
    for path in sorted(bundle.rglob("*"), reverse=True):  # files before folders
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
        elif not path.is_dir() and path.relative_to(bundle) not in kept:
            path.unlink()


if __name__ == "__main__":
    build_index(Path(sys.argv[1]))
