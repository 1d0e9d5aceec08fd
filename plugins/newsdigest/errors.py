"""Errors that point a person at the file, line and field to fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, printed as ``file:line: field: what``.

    Line 0 means the whole file (it could not be read): ``file: field: what``.
    """

    file: Path | str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        return f"{where}: {self.field}: {self.message}"


class NewsdigestError(Exception):
    """An input problem the user can fix; the CLI prints it without a traceback."""


class InputError(NewsdigestError):
    """One or more problems found in an input file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """``; did you mean "…"?`` with the choice nearest ``value``, or "".

    Case is ignored; a choice is near if :mod:`difflib` rates the two at
    least ``cutoff`` alike (0 to 1).
    """
    lowered = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=cutoff)
    return f'; did you mean "{lowered[close[0]]}"?' if close else ""
