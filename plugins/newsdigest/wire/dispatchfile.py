"""Dispatch files on disk: scaffold a new one, add a development to one.

The desk owns every word of a dispatch file. A new development is spliced
into the YAML text next to the ones already there, and ``modified`` and
``status`` are changed in place, so comments and layout survive; the result
is parsed again and compared, and only if that fails is the front matter
written out afresh from its data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from newsdigest.content import frontmatter
from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.errors import InputError, NewsdigestError, Problem
from newsdigest.records import Outlet, Report
from newsdigest.slugs import unique_slug
from newsdigest.times import format_time
from newsdigest.wire.intake import intake_for_story, intake_source
from newsdigest.wire.records import DISPATCHES_DIR, STATUSES

logger = logging.getLogger(__name__)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Fields a new dispatch leaves for the desk to fill in, as YAML comments.
_HINTS = """\
# Fill these in as the dispatch takes shape (README: "Write a dispatch"):
# tldr: One or two sentences for a reader in a hurry.
# location: {name: Port Calloway, lat: 44.1037, lon: -69.1089}
# intake_signals: 1
# desk_window: "21:40-23:51 UTC"
# Add developments with: newsdigest dispatch develop SLUG "what happened"
"""


def find_by_slug(folder: Path, slug: str) -> Path | None:
    """The Markdown file under ``folder`` named ``<slug>.md`` or with that slug."""
    files = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    named = [p for p in files if p.stem == slug]
    if named:
        return named[0]
    for path in files:
        if frontmatter.read(path).meta.get("slug") == slug:
            return path
    return None


def sources_from_story(
    story: Mapping[str, Any], outlets: Mapping[str, Outlet]
) -> list[dict[str, str]]:
    """A story's reports as candidate sources, one per report.

    Reports of ``intake: internal`` outlets give one "Internal intake" source.
    """
    sources = []
    for report in story.get("reports") or []:
        outlet = outlets.get(str(report.get("outlet")))
        if outlet is not None and outlet.intake == "internal":
            if intake_source() not in sources:
                sources.append(intake_source())
            continue
        sources.append(
            {
                "name": outlet.name if outlet else str(report.get("outlet")),
                "outlet": str(report.get("outlet")),
                "url": str(report.get("url")),
                "kind": "Outlet report",
            }
        )
    return sources


def new_dispatch_text(
    title: str,
    slug: str,
    *,
    desk: str,
    section: str | None,
    now: datetime,
    story_slug: str | None = None,
    sources: list[dict[str, str]] | None = None,
) -> str:
    """The text of a new dispatch, with hints for the fields still to fill.

    Without a section the field is left out, as the page leaves out its kicker.
    """
    meta: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "date": format_time(now),
        "modified": format_time(now),
        "desk": desk,
        **({"section": section} if section else {}),
        "status": STATUSES[0],
    }
    text = frontmatter.dump_yaml(meta)
    if story_slug:
        text += frontmatter.dump_yaml({"related": [story_slug]})
    if sources:
        text += frontmatter.dump_yaml({"primary_source": sources[0]["kind"]})
        text += (
            f"# Candidate sources from the story {story_slug}: keep the ones used.\n"
        )
        text += frontmatter.dump_yaml({"sources": sources})
    body = "Write the dispatch here: what happened, what is known, what is not yet."
    return frontmatter.render(text + _HINTS, body)


def new_dispatch(
    content_dir: Path,
    title: str,
    *,
    desk: str,
    section: str | None,
    now: datetime,
    story_slug: str | None = None,
    outlets: Mapping[str, Outlet] | None = None,
    intake: list[Report] | None = None,
) -> Path:
    """Write a new dispatch file and return its path.

    With ``story_slug`` the story's reports become candidate sources and the
    story is listed under ``related:``; ``intake`` reports about the same
    event add one source that says only "Internal intake".
    """
    sources = None
    if story_slug:
        story = find_by_slug(content_dir / STORIES_DIR, story_slug)
        if story is None:
            msg = f'no story with slug "{story_slug}" in {content_dir / STORIES_DIR}'
            raise NewsdigestError(msg)
        meta = frontmatter.read(story).meta
        sources = sources_from_story(meta, outlets or {})
        if intake_for_story(meta, intake or []) and intake_source() not in sources:
            sources.append(intake_source())
    taken = {
        p.stem
        for folder in (DISPATCHES_DIR, STORIES_DIR)
        for p in (content_dir / folder).rglob("*.md")
    }
    slug = unique_slug(title, taken)
    path = content_dir / DISPATCHES_DIR / f"{now:%Y}" / f"{now:%m}" / f"{slug}.md"
    text = new_dispatch_text(
        title,
        slug,
        desk=desk,
        section=section,
        now=now,
        story_slug=story_slug,
        sources=sources,
    )
    frontmatter.write_atomic(path, text)
    return path


def develop_dispatch(
    content_dir: Path,
    slug: str,
    text: str,
    *,
    now: datetime,
    status: str | None = None,
) -> Path:
    """Add a development to the dispatch ``slug``; return the file's path."""
    path = find_by_slug(content_dir / DISPATCHES_DIR, slug)
    if path is None:
        msg = f'no dispatch with slug "{slug}" in {content_dir / DISPATCHES_DIR}'
        raise NewsdigestError(msg)
    original = path.read_text(encoding="utf-8")
    frontmatter.write_atomic(
        path, add_development(original, path, text, now=now, status=status)
    )
    return path


def add_development(
    text: str, path: Path, development: str, *, now: datetime, status: str | None
) -> str:
    """Return the dispatch text with a development added at ``now``.

    ``modified`` becomes ``now``. ``status`` becomes the one given; without
    one, a Final dispatch becomes Updated (it has moved on) and any other
    status stays.
    """
    document = frontmatter.parse(text, path)
    meta = document.meta
    if status is None:
        status = "Updated" if meta.get("status") == "Final" else meta.get("status")
    existing = meta.get("developments") or []
    if not isinstance(existing, list):
        problem = Problem(path, 0, "developments", "expected a list of updates")
        raise InputError([problem])
    entry = {"time": format_time(now), "text": development}
    changes = {"modified": format_time(now), "status": status}
    expected = {**meta, **changes, "developments": [*existing, entry]}
    edited = _append_item(document.meta_text, "developments", existing, entry)
    for key, value in changes.items():
        edited = _set_field(edited, key, value)
    if frontmatter.load_yaml(edited, path) == expected:
        return frontmatter.render(edited, document.body)
    logger.warning("%s: front matter rewritten; its comments could not be kept", path)
    return frontmatter.dump(expected, document.body)


def _entry(root: Node | None, key: str) -> tuple[Node, Node] | None:
    """The key and value nodes of a top-level field, if present."""
    if not isinstance(root, MappingNode):
        return None
    return next(
        ((k, v) for k, v in root.value if isinstance(k, ScalarNode) and k.value == key),
        None,
    )


def _set_field(text: str, key: str, value: object) -> str:
    """Set a top-level field's value in YAML text, keeping everything else."""
    line = frontmatter.dump_yaml({key: value})
    found = _entry(yaml.compose(text, Loader=_Loader), key)
    if found is None:
        return _with_newline(text) + line
    key_node, value_node = found
    start, end = key_node.start_mark.index, value_node.end_mark.index
    return text[:start] + line.rstrip("\n") + text[end:]


def _append_item(
    text: str, key: str, existing: list[Any], item: Mapping[str, Any]
) -> str:
    """Append an item to a top-level list, next to its last item if it has one."""
    found = _entry(yaml.compose(text, Loader=_Loader), key)
    if found is None or not (
        isinstance(found[1], SequenceNode)
        and found[1].value
        and not found[1].flow_style
    ):
        return _set_field(text, key, [*existing, item])
    sequence = found[1]
    first = sequence.value[0].start_mark
    line_start = text.rfind("\n", 0, first.index) + 1
    dash = text[line_start : first.index].rfind("-")
    block = frontmatter.dump_yaml([dict(item)])
    block = "".join(" " * dash + row for row in block.splitlines(keepends=True))
    end = _last_scalar(sequence).end_mark.index
    if end == 0 or text[end - 1] != "\n":
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    return _with_newline(text[:end]) + block + text[end:]


def _last_scalar(node: Node) -> Node:
    """The node written last inside ``node``."""
    while isinstance(node, MappingNode | SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _with_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"
