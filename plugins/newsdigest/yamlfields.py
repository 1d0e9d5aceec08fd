"""Where each field of a YAML text is, and what YAML made of its values.

The validators of the registry, story and dispatch front matter check
loaded values; :func:`field_lines` tells them the file line of each field
(and the keys given twice), :func:`describe` how to name a value that is of
the wrong kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from newsdigest.errors import Problem

#: Where a field is: keys and list positions from the top of the YAML.
Where = tuple[str | int, ...]

_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a yes/no value"),
    ((int, float), "a number"),
    (date, "a date"),
    (list, "a list"),
    (dict, "a set of fields"),
    (str, "text"),
    (type(None), "an empty value"),
)
#: What a node loads as, for :func:`describe` of a node not loaded.
_NODE_KINDS: dict[type[Node], type] = {SequenceNode: list, MappingNode: dict}
_TAG_KINDS: dict[str, type] = {
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:timestamp": date,
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:null": type(None),
}


def describe(value: object) -> str:
    """Say what YAML made of a value, in an editor's words: "a yes/no value".

    A node (YAML not loaded yet) is described by what it loads as.
    """
    kind = type(value)
    if isinstance(value, Node):
        kind = _NODE_KINDS.get(type(value)) or _TAG_KINDS.get(value.tag, object)
    return next(
        (name for kinds, name in _KINDS if issubclass(kind, kinds)),
        "a value that is not text",
    )


def label(where: Where) -> str:
    """Name a field the way an editor finds it: ``reports[2].url``."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "front matter"


@dataclass(frozen=True)
class Repeat:
    """A key given again in the same mapping: YAML keeps the last one."""

    where: Where
    line: int
    first: int

    @property
    def message(self) -> str:
        """What is wrong, for the problem at :attr:`line`."""
        return f"given twice (first on line {self.first})"


@dataclass(frozen=True)
class FieldLines:
    """The file line of each field of a YAML text, and the keys given twice."""

    lines: dict[Where, int]
    #: The text of each scalar as written (``yes``, where the data has True).
    written: dict[Where, str]
    repeated: list[Repeat]

    def line(self, where: Where) -> int:
        """The file line of the field at ``where``, else of its nearest parent."""
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)

    def repeated_problems(self, path: Path | str) -> list[Problem]:
        """A problem for each key given twice, named by :func:`label`."""
        return [
            Problem(path, repeat.line, label(repeat.where), repeat.message)
            for repeat in self.repeated
        ]


def field_lines(root: Node | None, first_line: int) -> FieldLines:
    """Where every field under ``root`` is; the YAML starts on ``first_line``.

    A key given twice has the line of its last value, the one YAML keeps.
    The fields under an alias have no lines of their own: they are found on
    the line of the field that holds the alias.
    """
    found = FieldLines({}, {}, [])
    visited: set[int] = set()

    def walk(node: Node, where: Where) -> None:
        found.lines[where] = node.start_mark.line + first_line
        if isinstance(node, ScalarNode):
            found.written[where] = node.value
            return
        if id(node) in visited:  # an alias: its fields have their lines already
            return
        visited.add(id(node))
        if isinstance(node, MappingNode):
            firsts: dict[str, int] = {}
            kept: dict[str, tuple[int, Node]] = {}
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else str(key.tag)
                line = key.start_mark.line + first_line
                if name in firsts:
                    found.repeated.append(Repeat((*where, name), line, firsts[name]))
                firsts.setdefault(name, line)
                kept[name] = (line, value)
            for name, (line, value) in kept.items():
                walk(value, (*where, name))
                found.lines[(*where, name)] = line
        elif isinstance(node, SequenceNode):
            for number, item in enumerate(node.value):
                walk(item, (*where, number))

    if root is not None:
        walk(root, ())
    return found
