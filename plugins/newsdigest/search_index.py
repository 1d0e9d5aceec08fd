"""Build the static search index: ``python -m newsdigest.search_index OUTPUT``.

Run after the Pelican build (``make html`` and ``make publish`` do): Pagefind
indexes the story and dispatch pages into ``OUTPUT/pagefind/``, which the
``search/`` page's script queries in the browser.

Pagefind's time grows with the pages it indexes (about 3 s for 2,000
stories) and it has no incremental mode, so pages are indexed in shards,
each a Pagefind bundle of its own in ``OUTPUT/pagefind/<shard>/``, which the
search page merges (``shards.json`` names them, newest first): the pages
dated in the month of the newest page or the month before are ``recent``,
older ones go to the shard of their year. An ingest changes recent pages,
so only that shard is indexed again; a year's shard is indexed again when
one of its pages changes, or once a month when a month leaves ``recent``.

Pagefind rewrites every file of a bundle on each run, but its output is
byte-identical for identical pages and its index files are named by content
hash. So it writes into a scratch folder, and only the files whose bytes
changed are written into ``OUTPUT/pagefind/``: unchanged files keep their
mtime, and a sync uploads only what a change of content touched.

With ``--record FILE`` (``make html`` and ``make publish`` keep it in
``cache/``), the run notes a digest of each shard's pages (sizes and mtimes),
each page's month, and the size and mtime of every bundle file; the next run
reads only the pages not as noted for their month, indexes only the shards
whose pages are not as noted (all of them if the bundle is not), and stops
at once when none changed. Pagefind reads a shard from a folder of
hard links to its pages, kept beside the record between runs. Without a
record every shard is indexed, from folders made afresh.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from newsdigest.buildrecord import files_under
from newsdigest.content.frontmatter import write_atomic
from newsdigest.filewrites import write_if_changed

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
#: Where the shards' bundles go under the output folder (Pagefind's default).
BUNDLE = "pagefind"
#: The file in ``BUNDLE`` naming the shards, newest first, for the search page.
MANIFEST = "shards.json"
#: The shard of the pages of the newest two months.
RECENT = "recent"
#: The file Pagefind's script reads first in a shard; it names the index files.
ENTRY = "pagefind-entry.json"
#: Where a story or dispatch page says when it was published (``when()``).
_PUBLISHED = re.compile(rb'<time datetime="(\d{4})-(\d{2})-[^"]*" class="published"')


def build_index(output: Path, record: Path | None = None) -> bool:
    """Index the built site with Pagefind (the ``pagefind[extended]`` package).

    With ``record``, only the shards whose pages changed since the run that
    wrote it (every shard if the bundle is not as it left it). Return
    whether the index changed.
    """
    noted = _read_record(record) if record is not None else None
    noted_months = _noted(noted, "pages")
    months = page_months(output, noted_months)
    shards = page_shards(months)
    digests = {name: _digest(pages) for name, pages in shards.items()}
    noted_digests = _noted_digests(noted, output)
    changed = noted_digests != digests
    if changed:
        _index_shards(output, shards, digests, noted_digests, record)
    if record is not None and (changed or noted_months != months):
        state = {"shards": digests, "bundle": _bundle_state(output), "pages": months}
        write_atomic(record, json.dumps(state))
    return changed


def _index_shards(
    output: Path,
    shards: dict[str, list[tuple[str, int, int]]],
    digests: dict[str, str],
    noted: dict[str, str] | None,
    record: Path | None,
) -> None:
    """Index the shards whose digests are not as ``noted``; drop stale shards."""
    with tempfile.TemporaryDirectory(prefix="pagefind-") as scratch:
        sites = _sites_folder(record) if record is not None else Path(scratch)
        for name, pages in shards.items():
            if (noted or {}).get(name) != digests[name]:
                site = None if len(shards) == 1 else sites / name
                _index(output, name, pages, site)
        _keep_only(output / BUNDLE, list(shards))
        _keep_only(sites, [] if len(shards) == 1 else list(shards), manifest=False)


def page_months(
    output: Path, noted: Mapping[str, object] | None = None
) -> dict[str, list[int]]:
    """Each page Pagefind indexes: its size, mtime and published year and month.

    As ``[size, mtime, year, month]`` by path under ``output`` (year and month
    0 for a page that gives no date). A page is read for its date unless
    ``noted`` has it with the same size and mtime: a run that finds nothing
    changed reads no page.
    """
    months = {}
    for folder in ("stories", "dispatches"):
        for name, stat in files_under(output / folder):
            if not name.endswith(".html"):
                continue
            page = f"{folder}/{name}"
            known = (noted or {}).get(page)
            stamp = [stat.st_size, stat.st_mtime_ns]
            if isinstance(known, list) and len(known) == 4 and known[:2] == stamp:
                months[page] = known
                continue
            found = _PUBLISHED.search((output / page).read_bytes())
            year, month = (int(found[1]), int(found[2])) if found else (0, 0)
            months[page] = [*stamp, year, month]
    return months


def page_shards(
    months: Mapping[str, list[int]],
) -> dict[str, list[tuple[str, int, int]]]:
    """The pages of ``months`` (as :func:`page_months` gives them) by shard.

    Newest shard first; each page as its path, size and mtime. A page that
    gives no published date goes to the recent shard.
    """
    dated = [(year, month) for _size, _mtime, year, month in months.values() if year]
    newest = max(dated, default=None)
    shards: dict[str, list[tuple[str, int, int]]] = {}
    for page, (size, mtime, year, month) in months.items():
        shard = _shard((year, month) if year else None, newest)
        shards.setdefault(shard, []).append((page, size, mtime))
    years = sorted((name for name in shards if name != RECENT), reverse=True)
    return {name: shards[name] for name in [RECENT, *years] if name in shards}


def _shard(month: tuple[int, int] | None, newest: tuple[int, int] | None) -> str:
    """The shard of a page of ``month`` (year, month), ``newest`` the site's last."""
    if month is None or newest is None:
        return RECENT
    year, number = newest
    previous = (year, number - 1) if number > 1 else (year - 1, 12)
    return RECENT if month >= previous else str(month[0])


def _index(
    output: Path, shard: str, pages: list[tuple[str, int, int]], site: Path | None
) -> None:
    """Index ``pages`` (as :func:`page_shards` gives them) into ``shard``'s bundle.

    Pagefind reads a folder: the shard's pages are linked into ``site``
    (:func:`_update_site`), or, with None, the shard is the whole site and
    ``output`` is read.
    """
    if site is not None:
        _update_site(output, pages, site)
    with tempfile.TemporaryDirectory(prefix="pagefind-") as fresh:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(output if site is None else site),
                "--output-path",
                fresh,
                "--glob",
                INDEXED,
                "--exclude-selectors",
                NOT_INDEXED,
                "--silent",
            ],
            check=True,
        )
        update_bundle(Path(fresh), output / BUNDLE / shard)


def _sites_folder(record: Path) -> Path:
    """Where the shards' sites are kept between runs: beside ``record``.

    Linking thousands of pages into a new folder, one folder per page, took
    0.2 to 3.5 s at 10,000 stories on a disk as busy as Pagefind leaves it;
    kept, a run links again only the pages that changed.
    """
    return record.with_name(f"{record.stem}-sites")


def _update_site(output: Path, pages: list[tuple[str, int, int]], site: Path) -> None:
    """Make ``site`` hold exactly ``pages`` of ``output``, linking only new bytes.

    A page whose file in ``site`` has its size and mtime is left as it is.
    """
    wanted = {page: (size, mtime) for page, size, mtime in pages}
    for page, stat in files_under(site):
        if wanted.get(page) == (stat.st_size, stat.st_mtime_ns):
            del wanted[page]
            continue
        path = site / page
        path.unlink()
        if page not in wanted:
            with contextlib.suppress(OSError):  # empty now: the page is gone
                path.parent.rmdir()
    for page in wanted:
        _link(output / page, site / page)


def _link(source: Path, target: Path) -> None:
    """Make ``target`` hold ``source``: a hard link, or a copy with its mtime."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links there
        shutil.copy2(source, target)


def _keep_only(folder: Path, shards: list[str], *, manifest: bool = True) -> None:
    """Remove from ``folder`` everything but the folders of ``shards``.

    With ``manifest``, first name ``shards`` in the manifest, and keep it: what
    is stale goes after it, so the search page never names a missing shard.
    """
    if manifest:
        folder.mkdir(parents=True, exist_ok=True)
        write_if_changed(folder / MANIFEST, json.dumps({"shards": shards}).encode())
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.name in shards or (manifest and path.name == MANIFEST):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


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


def _digest(pages: list[tuple[str, int, int]]) -> str:
    """A digest of Pagefind's version and options and of ``pages``."""
    text = json.dumps([version("pagefind"), INDEXED, NOT_INDEXED, pages])
    return hashlib.sha256(text.encode()).hexdigest()


def _bundle_state(output: Path) -> dict[str, list[int]]:
    """Each file of the bundle: its size and mtime."""
    return {
        name: [stat.st_size, stat.st_mtime_ns]
        for name, stat in files_under(output / BUNDLE)
    }


def _noted_digests(noted: object, output: Path) -> dict[str, str] | None:
    """The shards' digests a record noted, if the bundle is as it left it."""
    if _noted(noted, "bundle") != _bundle_state(output):
        return None
    return _noted(noted, "shards")


def _noted(noted: object, key: str) -> dict | None:
    """The mapping a record (``noted``, as read) keeps under ``key``, if any."""
    found = noted.get(key) if isinstance(noted, dict) else None
    return found if isinstance(found, dict) else None


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
