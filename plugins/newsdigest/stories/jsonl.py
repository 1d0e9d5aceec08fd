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

from newsdigest.errors import InputError, Problem
from newsdigest.times import parse_time


def read_reports(path: Path) -> list[dict]:
    """Every report of a JSON Lines file; all problems at once, with line numbers."""
    records: list[dict] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(
                    Problem(path, number, "line", f"not JSON ({error.msg})")
                )
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
    """One ``{"id", "story"}`` line per record, in order."""
    with path.open("w", encoding="utf-8") as handle:
        for record, story in zip(records, stories, strict=True):
            line = {"id": record["id"], "story": story}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
