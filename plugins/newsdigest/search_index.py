"""Build the static search index: ``python -m newsdigest.search_index OUTPUT``.

Run after the Pelican build (``make html`` and ``make publish`` do): Pagefind
indexes the story and dispatch pages into ``OUTPUT/pagefind/``, which the
``search/`` page's script queries in the browser.

Pagefind rewrites every file of its bundle on each run, but its output is
byte-identical for identical pages and its index files are named by content
hash. So it writes into a scratch folder, and only the files whose bytes
changed are written into ``OUTPUT/pagefind/``: unchanged files keep their
mtime, and a sync uploads only what a change of content touched.

Pagefind takes about 3 s for 2,000 stories however little changed. With
``--record FILE`` (``make html`` and ``make publish`` keep it in ``cache/``),
the run notes the size and mtime of every indexed page and of every bundle
file; the next run finds them all as noted (the build kept every unchanged
page's file, as after an ingest that found nothing new) and stops there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from newsdigest.buildrecord import files_under, inputs_digest
from newsdigest.content.frontmatter import write_atomic
from newsdigest.pelican.writer import write_if_changed

#: The pages Pagefind indexes, and the parts of them it leaves out. A page is
#: found by its own words, once: not by what every page shows (header, footer,
#: the way back, the explanations of the bias read, the blindspot rule, the
#: claims check and the signal rule, outlets' ownership and lean badges), not
#: by the headlines of the stories and dispatches it links to as related, and
#: not by a story's coverage by side and by country, which list the headlines
#: of its reports again. Otherwise "true" would find every story whose bias
#: read ends "not whether the story is true".
INDEXED = "{stories,dispatches}/**/*.html"
NOT_INDEXED = ", ".join(
    (
        ".site-header",
        ".site-footer",
        ".skip-link",
        ".back",
        ".story .sides",
        ".story .world",
        ".story .lede",
        ".headline-source",
        ".blindspot-rule",
        ".bias-read",
        ".claim-count",
        ".report-meta .badge",
        ".copy-note",
        ".related",
        ".signal-rule",
    )
)
#: Where the bundle goes under the output folder (Pagefind's default).
BUNDLE = "pagefind"
#: The file the search script reads first; it names the current index files.
ENTRY = "pagefind-entry.json"


def build_index(output: Path, record: Path | None = None) -> bool:
    """Index the built site with Pagefind (the ``pagefind[extended]`` package).

    With ``record``, only if the pages or the bundle changed since the run
    that wrote it; return whether Pagefind ran.
    """
    if record is not None and _read_record(record) == _state(output):
        return False
    _index(output)
    if record is not None:
        write_atomic(record, json.dumps(_state(output)))
    return True


def _index(output: Path) -> None:
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


def _state(output: Path) -> dict[str, object]:
    """What a run indexes and leaves behind, as sizes and mtimes.

    A digest of Pagefind's version and options and of each indexed page, and
    each file of the bundle.
    """
    options = f"{version('pagefind')}\0{INDEXED}\0{NOT_INDEXED}\0"
    pages = inputs_digest([str(output / "stories"), str(output / "dispatches")])
    bundle = output / BUNDLE
    return {
        "pages": hashlib.sha256((options + pages).encode()).hexdigest(),
        "bundle": {
            path.relative_to(bundle).as_posix(): [stat.st_size, stat.st_mtime_ns]
            for path, stat in files_under(bundle)
        },
    }


def _read_record(record: Path) -> object:
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    """``python -m newsdigest.search_index OUTPUT [--record FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("output", type=Path, help="the built site")
    parser.add_argument(
        "--record", type=Path, help="skip Pagefind if all is as this file noted"
    )
    args = parser.parse_args(argv)
    if not build_index(args.output, args.record):
        print(f"{args.output / BUNDLE} is up to date")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
