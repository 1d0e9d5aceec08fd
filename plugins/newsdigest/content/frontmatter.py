"""Markdown files with YAML front matter: the one reader and writer.

A document is ``---``, YAML, ``---``, then a Markdown body. Writes are atomic
(temporary file in the same folder, then rename) and skipped when the bytes
would not change, so unchanged pages keep their mtimes.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from newsdigest.errors import InputError, NewsdigestError, Problem
from newsdigest.filewrites import replace_file

logger = logging.getLogger(__name__)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
FENCE = "---"
#: The extensions of the files read as front matter and Markdown (by the
#: build's reader and by ``newsdigest check``).
FILE_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
#: Prefix of temporary files: hidden, so pelicanconf's IGNORE_FILES [".*"] skips them.
TEMP_PREFIX = ".#"


@dataclass
class Document:
    """Front matter as data, the Markdown body as text."""

    meta: dict[str, Any]
    body: str
    #: The YAML text as it stands in the file (for edits that keep comments).
    meta_text: str = ""

    def text(self) -> str:
        """The whole document as text, front matter written out from ``meta``."""
        return dump(self.meta, self.body)


def split(text: str, path: Path | str) -> tuple[str, str]:
    """Split a document into its YAML text and body; error if no front matter.

    A byte order mark before the first fence is left out.
    """
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FENCE:
        raise InputError(
            [Problem(path, 1, "front matter", "file must start with a '---' line")]
        )
    # Only an unindented fence closes: YAML wraps a long value onto indented
    # lines, and a feed's text ending " ---" may wrap to a line "    ---".
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            return "".join(lines[1:number]), "".join(lines[number + 1 :]).lstrip("\n")
    raise InputError([Problem(path, 1, "front matter", "no closing '---' line")])


def load_yaml(meta_text: str, path: Path | str) -> dict[str, Any]:
    """Parse front matter YAML; errors name the file line (fence counted)."""
    return load_yaml_tree(meta_text, path)[0]


def load_yaml_tree(
    meta_text: str, path: Path | str
) -> tuple[dict[str, Any], yaml.Node | None]:
    """:func:`load_yaml`, and the node tree the data was built from.

    One parse gives both: the nodes know each field's line.
    """
    loader = _Loader(meta_text)
    root = None
    try:
        root = loader.get_single_node()
        meta = None if root is None else loader.construct_document(root)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        raise InputError([Problem(path, line, "yaml", reason)]) from error
    except ValueError as error:  # a date YAML reads that no calendar has: 2026-13-40
        line = _impossible_date_line(root)
        message = f"{error}; quote the value if it is not meant as a date"
        raise InputError([Problem(path, line, "yaml", message)]) from error
    finally:
        loader.dispose()
    if meta is None:
        return {}, root
    if not isinstance(meta, dict):
        raise InputError(
            [Problem(path, 2, "front matter", "must be a mapping of fields")]
        )
    return meta, root


def _impossible_date_line(root: yaml.Node | None) -> int:
    """File line of the first date under ``root`` that has no such day, else 1."""
    constructor = yaml.constructor.SafeConstructor()
    pending, seen = [root], set()
    while pending:
        node = pending.pop(0)
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif node.tag == "tag:yaml.org,2002:timestamp":
            try:
                constructor.construct_yaml_timestamp(node)
            except ValueError:
                return node.start_mark.line + 2
    return 1


def parse(text: str, path: Path | str) -> Document:
    """Parse a whole document from text."""
    meta_text, body = split(text, path)
    return Document(load_yaml(meta_text, path), body, meta_text)


def read(path: Path) -> Document:
    """Read and parse a document from disk."""
    return parse(path.read_text(encoding="utf-8-sig"), path)


def dump_yaml(data: Any) -> str:
    """Serialise data as block-style YAML, keys in the given order."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )


def render(meta_text: str, body: str) -> str:
    """Join YAML text and a body into a document."""
    body = body.strip("\n")
    return (
        f"{FENCE}\n{meta_text}{FENCE}\n\n{body}\n"
        if body
        else f"{FENCE}\n{meta_text}{FENCE}\n"
    )


def dump(meta: dict[str, Any], body: str) -> str:
    """Serialise a document from data."""
    return render(dump_yaml(meta), body)


def append_to_list(text: str, path: Path | str, field: str, entries: list[Any]) -> str:
    """``text`` with ``entries`` appended to the front matter list ``field``.

    A block list grows at its end, in its own indentation, and a missing field
    is added at the end of the front matter, so every other byte of the file
    stays. Any other form (a flow list ``[...]``) is written out again from
    data, which loses the front matter's comments; a warning says so.
    """
    meta_text, body = split(text, path)
    meta, root = load_yaml_tree(meta_text, path)
    merged = {**meta, field: [*(meta.get(field) or []), *entries]}
    insertion = _insertion(meta_text, root, field, entries)
    if insertion is not None:
        at = len(text.splitlines(keepends=True)[0]) + insertion[0]
        edited = text[:at] + insertion[1] + text[at:]
        with contextlib.suppress(InputError):
            if parse(edited, path).meta == merged:
                return edited
    logger.warning(
        "%s: %s: cannot grow in place (write it as a block list, one '- ' line "
        "per entry), so the front matter was written out again from its data "
        "and its comments were lost",
        path,
        field,
    )
    return dump(merged, body)


def _insertion(
    meta_text: str, root: yaml.Node | None, field: str, entries: list[Any]
) -> tuple[int, str] | None:
    """Where in ``meta_text`` (parsed: ``root``) to add ``entries`` to ``field``.

    And the YAML to add. That is after the list's last entry and the comments
    indented under it, in the list's indentation; for a missing field, a new
    list at the end. None if ``field`` is not a block list.
    """
    pairs = root.value if root is not None else []
    names = [key.value if isinstance(key, ScalarNode) else None for key, _ in pairs]
    if field not in names:
        return _back_over(meta_text, len(meta_text)), dump_yaml({field: entries})
    number = names.index(field)
    key, value = pairs[number]
    if not isinstance(value, SequenceNode) or value.flow_style or not value.value:
        return None
    margin = " " * value.start_mark.column
    lines = dump_yaml(entries).splitlines(keepends=True)
    block = "".join(margin + line if line.strip() else line for line in lines)
    if number + 1 == len(pairs):
        return _back_over(meta_text, len(meta_text)), block
    following = pairs[number + 1][0].start_mark.index
    end = meta_text.rfind("\n", 0, following) + 1
    return _back_over(meta_text, end, key.start_mark.column), block


def _back_over(meta_text: str, end: int, column: int | None = None) -> int:
    """Move ``end`` back over blank lines and comments of the next field.

    Those comments are the ones indented no deeper than ``column``, if given.
    """
    while end > 0:
        start = meta_text.rfind("\n", 0, end - 1) + 1
        line = meta_text[start:end]
        shallow = column is not None and len(line) - len(line.lstrip()) <= column
        if line.strip() and not (shallow and line.lstrip().startswith("#")):
            break
        end = start
    return end


class ChangedMeanwhile(Exception):
    """The file changed on disk after it was read: someone saved it."""


#: How often :func:`update` re-reads a file that keeps changing under it.
UPDATE_ATTEMPTS = 5


def update(path: Path, change: Callable[[str], str]) -> str | None:
    r"""Rewrite ``path`` with ``change(text)`` without losing a save made meanwhile.

    If the file changes between reading and replacing (an editor saved it),
    the change is applied again to the new text. ``change`` sees ``\n`` line
    ends; the file keeps its own (``\r\n`` if most of its lines end so) and
    its byte order mark. Returns the text written, or None when the bytes
    were already that.
    """
    for _attempt in range(UPDATE_ATTEMPTS):
        original = path.read_bytes()
        mark = "\ufeff" if original.startswith(codecs.BOM_UTF8) else ""
        crlf = original.count(b"\r\n") * 2 > original.count(b"\n")
        changed = change(original.decode("utf-8-sig").replace("\r\n", "\n"))
        text = mark + (changed.replace("\n", "\r\n") if crlf else changed)
        try:
            return text if write_atomic(path, text, expected=original) else None
        except ChangedMeanwhile:
            continue
    msg = f"{path} kept changing while it was being updated; try again"
    raise ChangedMeanwhile(msg)


def write_atomic(path: Path, text: str, *, expected: bytes | None = None) -> bool:
    """Write ``text`` to ``path`` atomically; return False if it was unchanged.

    With ``expected``, the bytes the caller read, raise :class:`ChangedMeanwhile`
    instead of replacing a file that no longer holds them. A write that fails
    raises :class:`NewsdigestError` naming ``path`` (not its temporary sibling).
    """
    data = text.encode("utf-8")
    with contextlib.suppress(FileNotFoundError):
        current = path.read_bytes()
        if expected is not None and current != expected:
            raise ChangedMeanwhile(str(path))
        if current == data:
            return False
    try:
        replace_file(
            path,
            data,
            sibling=f"{TEMP_PREFIX}{{random}}.tmp",
            fsync=True,
            mode=0o644,
            before_replace=None
            if expected is None
            else partial(_holds, path, expected),
        )
    except OSError as error:  # a full disk, a read-only folder: name the file
        raise NewsdigestError(f"{path}: cannot write: {error.strerror}") from None
    return True


def _holds(path: Path, expected: bytes) -> None:
    """Raise :class:`ChangedMeanwhile` if ``path`` no longer holds ``expected``."""
    if path.read_bytes() != expected:
        raise ChangedMeanwhile(str(path))
