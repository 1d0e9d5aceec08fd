"""The hand-editable sources registry: one YAML file that lists every outlet.

Every problem names the file, the line and the field, and all of them are
reported at once, so a person can fix the whole file in one pass.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

import pycountry
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from newsdigest.errors import InputError, Problem, did_you_mean
from newsdigest.records import INTAKES, LEANS, OUTLET_KINDS, OWNERSHIP_TYPES, Outlet
from newsdigest.yamlfields import FieldLines, describe, field_lines
from newsdigest.yamlfields import label as where_label

logger = logging.getLogger(__name__)

#: The fields of one registry entry, in the order they are written.
FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "home",
    "feeds",
    "country",
    "language",
    "lean",
    "lean_source",
    "ownership",
    "ownership_source",
    "owner_group",
    "category",
    "kind",
    "intake",
)
_REQUIRED = ("id", "name", "feeds")
_CHOICES: dict[str, tuple[str, ...]] = {
    "lean": LEANS,
    "ownership": OWNERSHIP_TYPES,
    "kind": OUTLET_KINDS,
    "intake": INTAKES,
}
_DEFAULTS = {
    "lean": "Unrated",
    "ownership": "Unknown",
    "kind": "news",
    "intake": "public",
}
_ID = re.compile(r"[a-z0-9-]+")
#: ISO 639-1 codes withdrawn in 1989 that feeds still give (Java wrote them
#: until Java 17), and the codes that replaced them.
WITHDRAWN_LANGUAGES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}
#: A BCP 47 variant subtag: ``1996`` in ``de-DE-1996``, ``rozaj`` in ``sl-rozaj``.
_VARIANT = re.compile(r"[a-z0-9]{5,8}|[0-9][a-z0-9]{3}", re.IGNORECASE)

_TAG = "tag:yaml.org,2002:"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Registry:
    """The outlets of one registry file, keyed by id in file order."""

    path: Path
    outlets: dict[str, Outlet]

    @property
    def public_outlets(self) -> dict[str, Outlet]:
        """The outlets pages may name: all but the desk's ``intake: internal`` ones."""
        return {key: o for key, o in self.outlets.items() if o.intake != "internal"}

    def feed_base(self) -> Path:
        """Return the folder that relative feed paths are relative to."""
        return self.path.parent


def load_registry(path: Path) -> Registry:
    """Read and check a registry file; raise InputError listing every problem."""
    return parse_registry(read_registry_text(path), path)


def read_registry_text(path: Path) -> str:
    """Return a registry file's text as stored; raise InputError if unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(path, 0, "file", "no such file")]) from None
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        raise InputError([Problem(path, 0, "file", message)]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "the file is not UTF-8 text; save it as UTF-8"
        raise InputError([Problem(path, line, "file", message)]) from None


def parse_registry(text: str, path: Path) -> Registry:
    """Check registry text read from ``path``; raise InputError listing problems."""
    root = _compose(text, path)
    checker = _Checker(path)
    outlets = checker.registry(root)
    checker.repeated(field_lines(root, first_line=1))
    if checker.problems:
        raise InputError(sorted(checker.problems, key=lambda problem: problem.line))
    logger.debug("Loaded %d outlets from %s", len(outlets), path)
    return Registry(path=path, outlets=outlets)


def feed_key(feed: str) -> str:
    """Return the form of a feed URL or path used to spot the same feed twice."""
    feed = feed.strip()
    try:
        parts = urlsplit(feed)
    except ValueError:
        return feed
    if parts.scheme.lower() in {"http", "https"}:
        return parts._replace(
            scheme=parts.scheme.lower(), netloc=parts.netloc.lower()
        ).geturl()
    return PurePosixPath(feed.replace("\\", "/")).as_posix()


def is_http_url(value: str) -> bool:
    """Tell whether ``value`` is an absolute http or https URL with a host."""
    if not value or any(character.isspace() for character in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(host)


def language_tag(value: str) -> str | None:
    """``value`` as a BCP 47 language tag in its usual case, or None if it is not one.

    ``zh_tw`` is ``zh-TW``, ``ZH-HANT`` ``zh-Hant``, ``FIL`` ``fil``. The
    language is an ISO 639 code (in two letters if it has them: ``eng`` is
    ``en``), then an optional ISO 15924 script, an optional region (ISO 3166-1,
    or three UN M.49 digits as in ``es-419``) and variants. Extensions and
    private use subtags are not taken.
    """
    if not value.isascii():
        return None
    primary, *rest = value.strip().replace("_", "-").split("-")
    language = _language_code(primary)
    if language is None:
        return None
    tag = [language]
    stage = 0  # 1 after a script, 2 after a region, 3 after a variant
    for part in rest:
        if stage < 1 and len(part) == 4 and pycountry.scripts.get(alpha_4=part):
            tag.append(part.title())
            stage = 1
        elif stage < 2 and (
            (len(part) == 2 and pycountry.countries.get(alpha_2=part))
            or (len(part) == 3 and part.isdigit())
        ):
            tag.append(part.upper())
            stage = 2
        elif _VARIANT.fullmatch(part):
            tag.append(part.lower())
            stage = 3
        else:
            return None
    return "-".join(tag)


def _language_code(code: str) -> str | None:
    """The ISO 639 code BCP 47 writes for the language ``code`` names, if any."""
    code = WITHDRAWN_LANGUAGES.get(code.lower(), code.lower())
    if len(code) == 2 and code.isalpha():
        found = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3 and code.isalpha():
        found = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(
            bibliographic=code
        )
    else:
        return None
    if found is None or found.type == "S":  # und, mul, zxx: no one language
        return None
    return getattr(found, "alpha_2", None) or found.alpha_3


def append_entries(
    text: str,
    path: Path,
    entries: Sequence[Mapping[str, object]],
    comment: str = "",
) -> str:
    """Return registry text with entries appended, the text before unchanged."""
    newline = "\r\n" if "\r\n" in text else "\n"
    head = text
    if head and not head.endswith("\n"):
        head += newline
    indent = _append_indent(_compose(text, path), path)
    if indent is None:
        head += "outlets:" + newline
        indent = 2
    margin = " " * indent
    lines: list[str] = [""]
    if comment:
        lines.append(margin + "# " + " ".join(comment.split()))
    for number, entry in enumerate(entries):
        if number:
            lines.append("")
        dumped = yaml.dump(
            [dict(entry)],
            Dumper=_EntryDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=float("inf"),
        )
        lines.extend(margin + line for line in dumped.splitlines())
    return head + newline.join(lines) + newline


class _EntryDumper(yaml.SafeDumper):
    """Indent nested lists under their key, as a person would write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Never write a list flush with its key."""
        return super().increase_indent(flow, False)


def _append_indent(root: Node | None, path: Path) -> int | None:
    """Return the column new ``- id:`` lines go at, or None to start ``outlets:``."""
    if root is None:
        return None
    problem = None
    outlets = None
    if isinstance(root, MappingNode) and not root.flow_style:
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == "outlets":
                outlets = value
    if outlets is None:
        problem = Problem(
            path, root.start_mark.line + 1, "outlets", "no `outlets:` list"
        )
    elif isinstance(outlets, SequenceNode) and not outlets.flow_style:
        return outlets.start_mark.column
    elif isinstance(outlets, ScalarNode) and outlets.tag == f"{_TAG}null":
        if not outlets.value:
            return 2
        message = (
            f"write `outlets:` with nothing after it, not `outlets: {outlets.value}`"
        )
        problem = Problem(path, outlets.start_mark.line + 1, "outlets", message)
    else:
        message = (
            "cannot append to this `outlets:`; write it as a list of `- id:` entries"
        )
        problem = Problem(path, outlets.start_mark.line + 1, "outlets", message)
    raise InputError([problem])


def _compose(text: str, path: Path) -> Node | None:
    """Parse YAML text into nodes that know their lines; raise InputError if bad."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        message = error.problem or ""
        if error.context:
            message = f"{message} ({error.context})" if message else error.context
        if "\t" in text and "tab" in message:
            message += "; indent with spaces, not tabs"
        raise InputError([Problem(path, line, "yaml", message or str(error))]) from None
    except yaml.YAMLError as error:
        position = getattr(error, "position", None)
        line = text[:position].count("\n") + 1 if isinstance(position, int) else 0
        raise InputError([Problem(path, line, "yaml", str(error))]) from None


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == f"{_TAG}null"


class _Checker:
    """Walk the composed YAML, collecting problems and building outlets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.ids: dict[str, int] = {}
        self.feeds: dict[str, tuple[str, int]] = {}
        #: How each outlet's fields are named, by its place in the list.
        self.labels: dict[int, str] = {}

    def problem(self, where: Node | int, field: str, message: str) -> None:
        line = where if isinstance(where, int) else _line(where)
        self.problems.append(Problem(self.path, line, field, message))

    def registry(self, root: Node | None) -> dict[str, Outlet]:
        if root is None:
            self.problem(
                1, "outlets", "the registry is empty; start it with `outlets:`"
            )
            return {}
        if not isinstance(root, MappingNode):
            message = f"expected `outlets:` and a list of outlets, got {describe(root)}"
            self.problem(root, "outlets", message)
            return {}
        fields = self.fields(root, "", ("outlets",))
        if "outlets" not in fields:
            self.problem(root, "outlets", "no `outlets:` list in the file")
            return {}
        items = fields["outlets"]
        if _is_empty(items):
            return {}
        if not isinstance(items, SequenceNode):
            message = (
                f"expected a list of outlets, each starting with `- id:`, "
                f"got {describe(items)}"
            )
            self.problem(items, "outlets", message)
            return {}
        outlets: dict[str, Outlet] = {}
        for index, item in enumerate(items.value):
            outlet = self.outlet(index, item)
            if outlet is not None:
                outlets[outlet.id] = outlet
        return outlets

    def fields(
        self, node: MappingNode, label: str, allowed: Sequence[str]
    ) -> dict[str, Node]:
        """Return a mapping's values by key; report odd and unknown keys.

        Of a key given twice the last value is kept, as YAML does;
        :meth:`repeated` reports it.
        """
        found: dict[str, Node] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag != f"{_TAG}str":
                shown = key.value if isinstance(key, ScalarNode) else describe(key)
                self.problem(key, f"{label}{shown}", "a field name must be a word")
                continue
            field = f"{label}{key.value}"
            if key.value not in allowed:
                hint = did_you_mean(key.value, allowed)
                self.problem(key, field, f'unknown field "{key.value}"{hint}')
            else:
                found[key.value] = value
        return found

    def repeated(self, places: FieldLines) -> None:
        """Report each key given twice, an outlet's named as its other fields."""
        for repeat in places.repeated:
            where = repeat.where
            outlet = where[1] if len(where) > 2 and where[0] == "outlets" else None
            if outlet in self.labels:
                field = f"{self.labels[outlet]}.{where_label(where[2:])}"
            else:
                field = where_label(where)
            self.problem(repeat.line, field, repeat.message)

    def outlet(self, index: int, node: Node) -> Outlet | None:
        label = f"outlets[{index}]"
        if not isinstance(node, MappingNode):
            message = f"expected the fields of one outlet, got {describe(node)}"
            self.problem(node, label, message)
            return None
        before = len(self.problems)
        outlet_id = self.outlet_id(node, label)
        if outlet_id is not None:
            label = outlet_id
        self.labels[index] = label
        fields = self.fields(node, f"{label}.", FIELDS)
        for field in _REQUIRED:
            if field not in fields:
                self.problem(
                    node, f"{label}.{field}", "missing; every outlet needs one"
                )
        values = {
            field: self.value(field, value, label)
            for field, value in fields.items()
            if field != "id"
        }
        if outlet_id is None or len(self.problems) > before:
            return None
        for field, default in _DEFAULTS.items():
            if values.get(field) is None:
                values[field] = default
        return Outlet(id=outlet_id, line=_line(node), **values)  # type: ignore[arg-type]

    def value(self, field: str, node: Node, label: str) -> object:
        """Return one checked field value, or None after noting a problem."""
        where = f"{label}.{field}"
        if field == "feeds":
            return self.feed_list(node, where, label)
        if field in _CHOICES:
            return self.choice(node, where, _CHOICES[field])
        checks = {"home": self.url, "country": self.country, "language": self.language}
        if field in checks:
            return checks[field](node, where)
        return self.text(node, where, required=field == "name")

    def outlet_id(self, node: MappingNode, label: str) -> str | None:
        value = next(
            (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == "id"),
            None,
        )
        if value is None:
            return None
        outlet_id = self.text(value, f"{label}.id", required=True)
        if outlet_id is None:
            return None
        if not _ID.fullmatch(outlet_id):
            message = f'"{outlet_id}" may use only lower-case letters, digits and "-"'
            self.problem(value, f"{label}.id", message)
            return None
        if outlet_id in self.ids:
            first = self.ids[outlet_id]
            self.problem(
                value, f"{outlet_id}.id", f"used twice (first on line {first})"
            )
            return outlet_id  # names the fields; the repeated outlet is not kept
        self.ids[outlet_id] = _line(value)
        return outlet_id

    def text(self, node: Node, field: str, *, required: bool = False) -> str | None:
        """Return a text value, or None (with a problem if required or not text)."""
        if _is_empty(node):
            if required:
                self.problem(node, field, "is empty")
            return None
        if not isinstance(node, ScalarNode):
            self.problem(node, field, f"expected text, got {describe(node)}")
            return None
        if node.tag != f"{_TAG}str":
            message = (
                f"`{node.value}` is read as {describe(node)}, not text; "
                f'write "{node.value}" in quotes'
            )
            self.problem(node, field, message)
            return None
        value = node.value.strip()
        if not value:
            if required:
                self.problem(node, field, "is empty")
            return None
        return value

    def url(self, node: Node, field: str) -> str | None:
        value = self.text(node, field)
        if value is not None and not is_http_url(value):
            self.problem(node, field, f'"{value}" is not an http or https URL')
            return None
        return value

    def feed_list(self, node: Node, field: str, label: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and not _is_empty(node):
            message = (
                "expected a list; put each feed on its own `- ` line under `feeds:`"
            )
            self.problem(node, field, message)
            return ()
        if not isinstance(node, SequenceNode) or not node.value:
            self.problem(node, field, "needs at least one feed URL or file")
            return ()
        feeds: list[str] = []
        for index, item in enumerate(node.value):
            where = f"{field}[{index}]"
            feed = self.text(item, where, required=True)
            if feed is None:
                continue
            if not (is_http_url(feed) or _is_relative_path(feed)):
                message = (
                    f'"{feed}" is neither an http or https URL nor a file path '
                    "relative to the registry's folder"
                )
                self.problem(item, where, message)
                continue
            key = feed_key(feed)
            if key in self.feeds:
                owner, line = self.feeds[key]
                self.problem(
                    item, where, f"feed already listed for {owner} on line {line}"
                )
                continue
            self.feeds[key] = (label, _line(item))
            feeds.append(feed)
        return tuple(feeds)

    def country(self, node: Node, field: str) -> str | None:
        value = self.text(node, field)
        if value is None:
            return None
        code = value.upper()
        if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
            return code
        hint = ""
        if code == "UK":
            hint = '; the United Kingdom is "GB"'
        else:
            try:
                match = pycountry.countries.lookup(value)
            except LookupError:
                match = None
            if match is not None:
                hint = f'; did you mean "{match.alpha_2}" ({match.name})?'
        message = f'"{value}" is not an ISO 3166-1 two-letter country code{hint}'
        self.problem(node, field, message)
        return None

    def language(self, node: Node, field: str) -> str | None:
        value = self.text(node, field)
        if value is None:
            return None
        tag = language_tag(value)
        if tag is not None:
            return tag
        hint = ""
        for guess in (re.split(r"[-_]", value)[0], value):
            code = language_tag(guess)
            try:
                match = pycountry.languages.lookup(code or guess)
            except LookupError:
                continue
            code = code or language_tag(match.alpha_3)
            if code is not None:
                hint = f'; did you mean "{code}" ({match.name})?'
                break
        message = (
            f'"{value}" is not a BCP 47 language tag such as "en", "pt-BR" or '
            f'"zh-Hant"{hint}'
        )
        self.problem(node, field, message)
        return None

    def choice(self, node: Node, field: str, choices: Sequence[str]) -> str | None:
        value = self.text(node, field)
        if value is None or value in choices:
            return value
        listed = ", ".join(choices)
        message = f'"{value}" is not one of: {listed}{did_you_mean(value, choices)}'
        self.problem(node, field, message)
        return None


def _is_relative_path(value: str) -> bool:
    if any(character in value for character in "\n\r\t"):
        return False
    if "://" in value or PureWindowsPath(value).drive:
        return False
    return not value.startswith(("/", "\\", "~")) and not urlsplit(value).scheme
