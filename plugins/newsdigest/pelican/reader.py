"""The one reader for ``.md`` files: YAML front matter, then Markdown.

Front matter comes through as data (lists of reports stay lists of records);
the few fields Pelican itself understands are normalised here, once.

``newsdigest check`` (which ``make html`` runs first) stops a build on bad
front matter; a build run without it (``make devserver``, ``pelican``) skips
what it cannot use and says why in check's own words, ``file:line: field:
what``: a file it cannot read at all, or a report whose link is not an
http(s) URL (a ``javascript:`` link never reaches a page).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from markdown import Markdown
from pelican.readers import BaseReader

from newsdigest.content import frontmatter
from newsdigest.content.storyfile import STORIES_DIR, report_from_meta
from newsdigest.errors import InputError, Problem
from newsdigest.pelican.settings import plugin_settings
from newsdigest.records import Report
from newsdigest.sanitize import clean_html, safe_url
from newsdigest.times import parse_time
from newsdigest.wire.dispatch import DESK_FIELDS, parse_dispatch, redact
from newsdigest.wire.records import DISPATCHES_DIR

logger = logging.getLogger(__name__)

#: Fields Pelican turns into its own objects (Category, Tag, …).
_PELICAN_FIELDS = ("category", "tags", "author", "authors", "status")


class FrontMatterReader(BaseReader):
    """Read Markdown with YAML front matter; the only reader for ``.md``."""

    enabled = True
    file_extensions = frontmatter.FILE_EXTENSIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        config = dict(self.settings["MARKDOWN"])
        config["extensions"] = [
            e
            for e in [
                *config.get("extensions", []),
                *config.get("extension_configs", {}),
            ]
            if e != "markdown.extensions.meta"
        ]
        self._markdown = Markdown(**config)
        self._sanitize = plugin_settings(self.settings)["NEWSDIGEST_SANITIZE_STORIES"]
        self._content_root = os.path.abspath(self.settings["PATH"])

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Return the body as HTML and the normalised metadata.

        A file that cannot be read is logged with what is wrong with it, and
        Pelican leaves it out.
        """
        kind = self._kind(source_path)
        try:
            return self._read(source_path, kind)
        except InputError as error:
            _log_problems(error.problems)
            raise
        except (KeyError, TypeError, ValueError):
            _log_problems(_problems(source_path, kind))
            raise

    def _read(self, source_path: str, kind: str) -> tuple[str, dict[str, Any]]:
        document = frontmatter.read(Path(source_path))
        content = self._html(document.body, kind)
        if kind == DISPATCHES_DIR:
            return content, self._dispatch(document, source_path)
        metadata = self._metadata(document.meta, source_path, kind)
        metadata["kind"] = kind
        if kind == STORIES_DIR:
            reports = metadata.get("reports") or []
            metadata.setdefault("summary", content)
            if reports and "modified" not in metadata:
                metadata["modified"] = max(r.published for r in reports)
        return content, metadata

    def _dispatch(
        self, document: frontmatter.Document, source_path: str
    ) -> dict[str, Any]:
        """Dispatch metadata: the desk's fields as one redacted record.

        Internal sources are reduced to "Internal intake" before anything is
        cached or rendered; status ``hidden`` keeps dispatches out of
        Pelican's story listings, so only the Wire lists them.
        """
        shared = {k: v for k, v in document.meta.items() if k not in DESK_FIELDS}
        metadata = self._metadata(shared, source_path, DISPATCHES_DIR)
        dispatch, problems = parse_dispatch(document, source_path)
        metadata.update(
            kind=DISPATCHES_DIR,
            status="hidden",
            dispatch=redact(dispatch),
            dispatch_problems=problems,
        )
        if dispatch.tldr:
            metadata["summary"] = self._html(dispatch.tldr, DISPATCHES_DIR)
        if dispatch.section:
            metadata["category"] = self.process_metadata("category", dispatch.section)
        return metadata

    def _html(self, markdown: str, kind: str) -> str:
        """Markdown as HTML, sanitized as the bodies of its kind are.

        Dispatches always are; stories are unless ``NEWSDIGEST_SANITIZE_STORIES``
        is off; pages are the site's own.
        """
        html = self._markdown.reset().convert(markdown)
        if kind == DISPATCHES_DIR or (kind == STORIES_DIR and self._sanitize):
            return clean_html(html)
        return html

    def _kind(self, source_path: str) -> str:
        """The content folder a file is in (``stories``, ``dispatches``, ``pages``)."""
        relative = Path(os.path.relpath(source_path, self._content_root))
        return relative.parts[0] if len(relative.parts) > 1 else "pages"

    def _metadata(
        self, meta: dict[str, Any], source_path: str, kind: str
    ) -> dict[str, Any]:
        """Pelican's metadata from front matter; ``summary:`` as the body is."""
        output: dict[str, Any] = {}
        for raw_name, value in meta.items():
            name = str(raw_name).lower()
            if value is None:
                continue
            if name in ("date", "modified"):
                output[name] = parse_time(value)
            elif name in _PELICAN_FIELDS or name == "slug":
                output[name] = self.process_metadata(
                    name, str(value) if name != "tags" else value
                )
            elif name == "summary":
                output[name] = self._html(str(value), kind)
            elif name == "reports":
                output[name] = _reports(value, source_path)
            else:
                output[name] = value
        return output


def _reports(entries: object, source_path: str) -> list[Report]:
    """Report records from front matter; a broken entry is skipped and logged.

    So is one whose link is not an http(s) URL.
    """
    reports, skipped = [], []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        try:
            report = report_from_meta(entry)
        except (KeyError, TypeError, ValueError):
            skipped.append(index)
            continue
        if safe_url(report.url) is None:
            skipped.append(index)
        else:
            reports.append(report)
    if skipped:
        _log_problems(_entry_problems(source_path, skipped), "; report left out")
    return reports


def _entry_problems(source_path: str, skipped: list[int]) -> list[Problem]:
    """What check finds wrong in the story's reports at ``skipped``."""
    found = _problems(source_path, STORIES_DIR)
    problems = []
    for index in skipped:
        field = f"reports[{index}]"
        mine = [problem for problem in found if problem.field.startswith(field)]
        problems += mine or [Problem(source_path, 0, field, "not a usable report")]
    return problems


def _problems(source_path: str, kind: str) -> list[Problem]:
    """What ``newsdigest check`` finds wrong in the file (without the registry)."""
    from newsdigest.check import check_file, kind_checkers  # noqa: PLC0415 (rare)

    return check_file(Path(source_path), kind, kind_checkers(None))[2]


def _log_problems(problems: list[Problem], consequence: str = "") -> None:
    for problem in problems:
        logger.error("%s%s", problem, consequence)
