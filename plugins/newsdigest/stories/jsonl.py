"""The files of ``newsdigest cluster``: reports in, one story per report out.

Input is JSON Lines, one report a line:
``{"id", "title", "text", "published"?, "outlet"?, "url"?, "lang"?}``; any
field but ``id`` may be missing and unknown fields are ignored. Output is one
``{"id", "story"}`` line per input line, in input order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from newsdigest.content.frontmatter import write_atomic
from newsdigest.errors import InputError, Problem
from newsdigest.times import parse_time


def read_reports(path: Path) -> list[dict]:
    """Every report of a JSON Lines file; all problems at once, with line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError([Problem(path, 0, "file", "not UTF-8 text")]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise InputError([Problem(path, 0, "file", message)]) from None
    records: list[dict] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(path, number, "line", f"not JSON ({error.msg})"))
            continue
        if not isinstance(record, dict) or record.get("id") in (None, ""):
            problems.append(Problem(path, number, "id", "missing"))
            continue
        key = str(record["id"])
        if key in seen:
            message = f"{key!r} already used on line {seen[key]}"
            problems.append(Problem(path, number, "id", message))
            continue
        seen[key] = number
        if record.get("published"):
            try:
                record["published"] = parse_time(record["published"])
            except ValueError as error:
                problems.append(Problem(path, number, "published", str(error)))
                continue
        records.append(record)
    if problems:
        raise InputError(problems)
    return records


def write_assignments(
    path: Path, records: Sequence[dict], stories: Sequence[str]
) -> None:
    """One ``{"id", "story"}`` line per record, in order, written atomically."""
    lines = [
        json.dumps({"id": record["id"], "story": story}, ensure_ascii=False) + "\n"
        for record, story in zip(records, stories, strict=True)
    ]
    try:
        write_atomic(path, "".join(lines))
    except OSError as error:
        message = f"cannot write the file: {error.strerror or error}"
        raise InputError([Problem(path, 0, "file", message)]) from None
