"""``newsdigest check``: every problem in the registry and content/, one a line.

``make html`` runs it first, so a mistake stops the build with
``file:line: field: what is wrong`` instead of a traceback or a page that
silently goes missing. Each content file goes to the checker for its kind
(its first folder under content/), or gets the checks common to every file
when its kind has none. Then come the checks that need every file at once:
a slug used twice, a ``merged_into`` naming no story or going round in a
loop, a report in two stories, a dispatch's ``related:`` naming nothing.
Last, every SVG file (an outlet's logo) that could run script on the site.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from newsdigest.content.frontmatter import FILE_EXTENSIONS
from newsdigest.content.storyfile import STORIES_DIR, merge_route
from newsdigest.content.validate import (
    FrontMatter,
    check_front_matter,
    read_front_matter,
    story_problems,
)
from newsdigest.errors import InputError, Problem
from newsdigest.pickles import code_version, keep, load_kept
from newsdigest.processes import cores, run_shared
from newsdigest.records import Outlet
from newsdigest.registry import load_registry
from newsdigest.untrusted_xml import svg_problem
from newsdigest.wire.dispatch import check_dispatch
from newsdigest.wire.records import DISPATCHES_DIR

#: Fewest content files worth reading in one process per core (forking and
#: sending each file's front matter back cost about a millisecond a process).
PARALLEL_FROM = 200
#: A kind's checker: every problem in one file of that kind, given the file,
#: its front matter as read (None if it could not be) and the problems found
#: reading it.
Checker = Callable[[Path, FrontMatter | None, list[Problem]], list[Problem]]


def kind_checkers(outlets: Mapping[str, Outlet] | None) -> dict[str, Checker]:
    """The checker for each kind of content; a new kind adds its checker here.

    ``outlets`` is None when the registry could not be read.
    """
    return {
        STORIES_DIR: functools.partial(_check_story, outlets=outlets),
        DISPATCHES_DIR: functools.partial(_check_dispatch, outlets=outlets),
    }


def _check_story(
    _path: Path,
    front: FrontMatter | None,
    problems: list[Problem],
    outlets: Mapping[str, Outlet] | None,
) -> list[Problem]:
    return story_problems(front, problems, outlets)


def _check_dispatch(
    path: Path,
    _front: FrontMatter | None,
    _problems: list[Problem],
    outlets: Mapping[str, Outlet] | None,
) -> list[Problem]:
    """A dispatch's own parser reads it again and says what reading it found."""
    return check_dispatch(path, outlets)


#: One file's own check: its kind, front matter (None if unreadable), problems.
FileCheck = tuple[str, FrontMatter | None, list[Problem]]


def check_project(
    sources: Path, content_dir: Path, kept: Path | None = None
) -> tuple[list[Problem], int]:
    """Check the registry and every content file; return problems and files read.

    ``kept``: where the last check's per-file results are kept (see above).
    """
    problems: list[Problem] = []
    outlets: dict[str, Outlet] | None = None
    try:
        outlets = load_registry(sources).outlets
    except InputError as error:
        problems += error.problems  # outlet ids cannot be checked without it
    if not content_dir.is_dir():
        problems.append(Problem(content_dir, 0, "folder", "no such folder"))
        return problems, 1
    checkers = kind_checkers(outlets)
    files = content_files(content_dir)
    inputs = _inputs(sources, content_dir)
    last = _load_checks(kept, inputs) if kept else {}
    stamps = {str(path): _stamp(path) for path in files}
    checks = {
        name: last[name][1]
        for name, stamp in stamps.items()
        if name in last and last[name][0] == stamp
    }
    unread = [path for path in files if str(path) not in checks]
    calls = [
        functools.partial(check_file, path, content_kind(path, content_dir), checkers)
        for path in unread
    ]
    processes = cores() if len(unread) >= PARALLEL_FROM else 1
    checks.update(zip(map(str, unread), run_shared(calls, processes), strict=True))
    if kept and (unread or last.keys() != stamps.keys()):
        keep(kept, (inputs, {n: (stamps[n], check) for n, check in checks.items()}))
    found: list[Problem] = []
    fronts: list[tuple[str, FrontMatter]] = []
    for path in files:
        kind, front, file_problems = checks[str(path)]
        found += file_problems
        if front is not None:
            fronts.append((kind, front))
    found += repeated_slugs(fronts) + story_links(fronts) + merge_loops(fronts)
    found += related_links(fronts) + svg_problems(content_dir)
    return problems + sorted(found, key=lambda p: (str(p.file), p.line)), len(files) + 1


def check_file(path: Path, kind: str, checkers: Mapping[str, Checker]) -> FileCheck:
    """One file's kind, front matter (None if unreadable) and own problems."""
    front, read_problems = read_front_matter(path)
    if kind in checkers:
        return kind, front, checkers[kind](path, front, read_problems)
    if front is not None:
        return kind, front, read_problems + check_front_matter(front)
    return kind, front, read_problems


def _inputs(sources: Path, content_dir: Path) -> tuple[str, ...]:
    """What every file's own check also depends on: the code, registry, folder."""
    try:
        registry = hashlib.sha256(sources.read_bytes()).hexdigest()
    except OSError:
        registry = ""
    return code_version(), registry, str(content_dir.resolve())


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _load_checks(
    kept: Path, inputs: tuple[str, ...]
) -> dict[str, tuple[tuple[int, int], FileCheck]]:
    """The kept per-file checks, if made with ``inputs``; else none."""
    found = load_kept(kept)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == inputs:
        return found[1]
    return {}


def content_files(content_dir: Path) -> list[Path]:
    """Every file under ``content_dir`` that the front-matter reader reads."""
    suffixes = {f".{extension}" for extension in FILE_EXTENSIONS}
    return sorted(
        path
        for path in content_dir.rglob("*")
        if path.suffix in suffixes and not path.is_dir()
    )


def content_kind(path: Path, content_dir: Path) -> str:
    """A file's kind: its first folder under content/ (``pages`` at the top)."""
    parts = path.relative_to(content_dir).parts
    return parts[0] if len(parts) > 1 else "pages"


def repeated_slugs(fronts: list[tuple[str, FrontMatter]]) -> list[Problem]:
    """Slugs two files of one kind share: both would be written to one URL."""
    first: dict[tuple[str, str], FrontMatter] = {}
    problems = []
    for kind, front in fronts:
        slug = front.meta.get("slug")
        if not isinstance(slug, str):
            continue
        if (kind, slug) in first:
            other = first[(kind, slug)]
            where = f"{other.path}:{other.line(('slug',))}"
            problems.append(
                front.problem(("slug",), f'"{slug}" is also used by {where}')
            )
        else:
            first[(kind, slug)] = front
    return problems


def story_links(fronts: list[tuple[str, FrontMatter]]) -> list[Problem]:
    """``merged_into`` naming no story, and reports that are in two stories."""
    stories = [front for kind, front in fronts if kind == STORIES_DIR]
    slugs = {front.meta.get("slug") for front in stories}
    problems = []
    holder: dict[str, str] = {}
    for front in stories:
        target = front.meta.get("merged_into")
        if isinstance(target, str) and target not in slugs:
            message = f'no story has the slug "{target}"'
            problems.append(front.problem(("merged_into",), message))
        reports = front.meta.get("reports")
        for number, entry in enumerate(reports if isinstance(reports, list) else []):
            url = entry.get("url") if isinstance(entry, dict) else None
            if not isinstance(url, str):
                continue
            where = ("reports", number, "url")
            if url in holder:
                message = f"this report is also at {holder[url]}; keep one"
                problems.append(front.problem(where, message))
            else:
                holder[url] = f"{front.path}:{front.line(where)}"
    return problems


def merge_loops(fronts: list[tuple[str, FrontMatter]]) -> list[Problem]:
    """Stories whose ``merged_into`` chain never ends: the build keeps them apart."""
    stories = {slug_of(front): front for kind, front in fronts if kind == STORIES_DIR}
    step = {
        slug: target
        for slug, front in stories.items()
        if isinstance(target := front.meta.get("merged_into"), str)
        and target in stories
    }
    problems = []
    for slug, target in step.items():
        route, loops = merge_route(slug, step)
        if loops and target != slug:  # validate names a self-merge
            loop = " → ".join([*route, step[route[-1]]])
            message = f"goes round in a loop of merges: {loop}"
            problems.append(stories[slug].problem(("merged_into",), message))
    return problems


def related_links(fronts: list[tuple[str, FrontMatter]]) -> list[Problem]:
    """Slugs in a dispatch's ``related:`` that no other story or dispatch has."""
    slugs = {(kind, slug_of(front)) for kind, front in fronts}
    problems = []
    for kind, front in fronts:
        related = front.meta.get("related")
        if kind != DISPATCHES_DIR or not isinstance(related, list):
            continue
        others = slugs - {(DISPATCHES_DIR, slug_of(front))}
        for number, slug in enumerate(related):
            if isinstance(slug, str) and others.isdisjoint(
                {(STORIES_DIR, slug), (DISPATCHES_DIR, slug)}
            ):
                message = f'no other dispatch or story has the slug "{slug}"'
                problems.append(front.problem(("related", number), message))
    return problems


def slug_of(front: FrontMatter) -> str:
    """A file's slug: its ``slug:``, else its file name."""
    slug = front.meta.get("slug")
    return slug if isinstance(slug, str) else front.path.stem


def svg_problems(content_dir: Path) -> list[Problem]:
    """The problem of each SVG file under ``content_dir`` that could run script."""
    return [
        problem
        for path in sorted(content_dir.rglob("*"))
        if path.suffix.lower() == ".svg" and (problem := svg_problem(path))
    ]
