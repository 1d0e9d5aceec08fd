"""Front matter checks that name the file line of every problem.

:func:`read_front_matter` parses a content file once into its data and the
line of every field; :func:`check_front_matter` holds the checks every
content file gets, :func:`story_problems` those of a story file. Each problem
is a :class:`~newsdigest.errors.Problem`, printed ``file:line: field: what``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from newsdigest.categories import CATEGORY_EMOJI
from newsdigest.content import frontmatter
from newsdigest.errors import InputError, Problem, did_you_mean
from newsdigest.normalize import canonical_url
from newsdigest.sanitize import safe_url
from newsdigest.times import parse_time
from newsdigest.yamlfields import FieldLines, Where, describe, field_lines, label

#: A field check: the value in, what is wrong with it (or None) out.
Check = Callable[[Any], str | None]

#: The front matter starts on the line after the opening ``---``.
_FIRST_LINE = 2
#: How close a name must be to a known one to be taken for a misspelling of it,
#: where that alone makes a problem (an editor may add fields and categories).
_CLOSE = 0.8
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
#: The fields of an editor's ``claims:`` entry that list outlet ids.
CLAIM_OUTLET_FIELDS = ("asserted_by", "disputed_by")


@dataclass(frozen=True)
class FrontMatter:
    """A content file's front matter as data, with the file line of each field."""

    path: Path
    meta: dict[str, Any]
    lines: FieldLines

    def line(self, where: Where) -> int:
        """The file line of the field at ``where``, else of its nearest parent."""
        return self.lines.line(where)

    def problem(self, where: Where, message: str) -> Problem:
        """A problem with the field at ``where``, on its line."""
        return Problem(self.path, self.line(where), label(where), message)


def read_front_matter(path: Path) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse a file's front matter; None and the problems if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, 0, "file", f"cannot read: {error.strerror}")]
    try:
        document = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "file", "not UTF-8 text; save it as UTF-8")]
    try:
        meta_text, _body = frontmatter.split(document, path)
        meta, root = frontmatter.load_yaml_tree(meta_text, path)
    except InputError as error:
        return None, error.problems
    lines = field_lines(root, _FIRST_LINE)
    return FrontMatter(path, meta, lines), lines.repeated_problems(path)


# -- field checks -----------------------------------------------------------


def text(value: object) -> str | None:
    """Check a text field."""
    if isinstance(value, str):
        return None if value.strip() else "is empty"
    if isinstance(value, list | dict):
        return f"expected text, got {describe(value)}"
    return f"`{value}` is read as {describe(value)}, not text; put it in quotes"


def category(value: object) -> str | None:
    """Check a category: text, and no near-misspelling of a known one.

    A category of the editor's own is fine; ``Helth`` would open a second
    health page beside ``Health``.
    """
    message = text(value)
    if message or value in CATEGORY_EMOJI:
        return message
    hint = did_you_mean(str(value), CATEGORY_EMOJI, cutoff=_CLOSE)
    return f'"{value}" is not a category we know{hint}' if hint else None


def moment(value: object) -> str | None:
    """Check a date and time field."""
    try:
        parse_time(value)
    except ValueError as error:
        return f"{error}; write it like '2026-11-20T08:15:00Z'"
    return None


def url(value: object) -> str | None:
    """Check an absolute http(s) URL field."""
    if not isinstance(value, str) or safe_url(value) is None:
        return f"{value!r} is not an http or https URL"
    try:
        canonical_url(value)
    except ValueError as error:
        return f"{value!r} is not a usable URL ({error})"
    return None


def slug(value: object) -> str | None:
    """Check a slug: one safe URL and file name segment."""
    if isinstance(value, str) and _SLUG.fullmatch(value):
        return None
    return (
        f"{value!r} cannot be a slug: use letters, digits, '-', '_' and '.' "
        "(not first), at most 200"
    )


def flag(value: object) -> str | None:
    """Check a true/false field."""
    return None if isinstance(value, bool) else f"{value!r} is not true or false"


def listed(value: object) -> str | None:
    """Check a list field (its items are checked one by one)."""
    return None if isinstance(value, list) else f"expected a list, got {value!r}"


def country(value: object) -> str | None:
    """Check an ISO 3166-1 two-letter country code."""
    if isinstance(value, str) and pycountry.countries.get(alpha_2=value.upper()):
        return None
    return f"{value!r} is not an ISO 3166-1 two-letter country code"


#: Fields every content file may have: name -> (check, required).
COMMON_FIELDS: dict[str, tuple[Check, bool]] = {
    "title": (text, True),
    "slug": (slug, False),
    "date": (moment, False),
    "modified": (moment, False),
}
STORY_FIELDS: dict[str, tuple[Check, bool]] = {
    **COMMON_FIELDS,
    "slug": (slug, True),
    "date": (moment, True),
    "category": (category, True),
    "summary": (text, False),
    "country": (country, False),
    "locked": (flag, False),
    "merged_into": (slug, False),
    "reports": (listed, True),
    "removed": (listed, False),
    "claims": (listed, False),
}
REPORT_FIELDS: dict[str, tuple[Check, bool]] = {
    "outlet": (text, True),
    "url": (url, True),
    "headline": (text, True),
    "published": (moment, True),
    "summary": (text, False),
    "guid": (text, False),
    "lang": (text, False),
    "undated": (flag, False),
}


def check_fields(
    front: FrontMatter,
    where: Where,
    values: Mapping[str, Any],
    fields: Mapping[str, tuple[Check, bool]],
) -> list[Problem]:
    """Check ``values`` against ``fields``; flag likely misspellings of them.

    Other fields are the editor's own and are left alone.
    """
    problems = []
    for name, (check, required) in fields.items():
        value = values.get(name)
        if value is None:
            if required:
                what = "missing" if name not in values else "is empty"
                problems.append(front.problem((*where, name), what))
            continue
        message = check(value)
        if message:
            problems.append(front.problem((*where, name), message))
    for name in values:
        if str(name) not in fields:
            hint = did_you_mean(str(name), fields, cutoff=_CLOSE)
            if hint:
                message = f'unknown field "{name}"{hint}'
                problems.append(front.problem((*where, name), message))
    return problems


def check_front_matter(front: FrontMatter) -> list[Problem]:
    """The checks every content file gets, whatever its kind."""
    return check_fields(front, (), front.meta, COMMON_FIELDS)


def story_problems(
    front: FrontMatter | None, problems: list[Problem], outlets: Collection[str] | None
) -> list[Problem]:
    """Every problem in one story file; outlet ids too when ``outlets`` is given.

    ``front`` and ``problems`` are what :func:`read_front_matter` made of the
    file: ``front`` is None if it could not be read.
    """
    if front is None:
        return problems
    meta = front.meta
    problems = problems + check_fields(front, (), meta, STORY_FIELDS)
    if "merged_into" in meta and meta["merged_into"] == meta.get("slug"):
        problems.append(front.problem(("merged_into",), "names this story itself"))
    reports, removed = meta.get("reports"), meta.get("removed")
    for number, entry in enumerate(reports if isinstance(reports, list) else []):
        problems += _report_problems(front, ("reports", number), entry, outlets)
    claims = meta.get("claims")
    for number, entry in enumerate(claims if isinstance(claims, list) else []):
        if found := claim_entry_problem(entry):
            problems.append(front.problem(("claims", number, *found[0]), found[1]))
        elif outlets is not None:
            where = ("claims", number)
            problems += _claim_outlet_problems(front, where, entry, outlets)
    problems += [
        front.problem(("removed", number), message)
        for number, value in enumerate(removed if isinstance(removed, list) else [])
        if (message := url(value))
    ]
    return sorted(problems, key=lambda problem: problem.line)


def _report_problems(
    front: FrontMatter, where: Where, entry: object, outlets: Collection[str] | None
) -> list[Problem]:
    """Problems in one entry of a story's ``reports:``."""
    if not isinstance(entry, dict):
        message = f"expected the fields of one report, got {describe(entry)}"
        return [front.problem(where, message)]
    problems = check_fields(front, where, entry, REPORT_FIELDS)
    outlet = entry.get("outlet")
    if outlets is not None and isinstance(outlet, str) and outlet not in outlets:
        hint = did_you_mean(outlet, outlets)
        message = f'"{outlet}" is not an outlet id in the registry{hint}'
        problems.append(front.problem((*where, "outlet"), message))
    return problems


def _claim_outlet_problems(
    front: FrontMatter, where: Where, entry: dict[str, Any], outlets: Collection[str]
) -> list[Problem]:
    """An editor's claim naming an outlet id the registry does not have."""
    problems = []
    for name in CLAIM_OUTLET_FIELDS:
        for number, outlet in enumerate(entry.get(name) or []):
            if outlet not in outlets:
                hint = did_you_mean(outlet, outlets)
                message = f'"{outlet}" is not an outlet id in the registry{hint}'
                problems.append(front.problem((*where, name, number), message))
    return problems


def claim_entry_problem(entry: object) -> tuple[tuple[str, ...], str] | None:
    """What is wrong with one editor's ``claims:`` entry: (field, message), or None."""
    if not isinstance(entry, dict):
        return (), "expected the fields of one claim (text, asserted_by, disputed_by)"
    text = entry.get("text")
    if not isinstance(text, str) or not text.strip():
        return ("text",), "needs the claim's text"
    for name in CLAIM_OUTLET_FIELDS:
        value = entry.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(i, str) for i in value)
        ):
            return (name,), "expected a list of outlet ids"
    return None
