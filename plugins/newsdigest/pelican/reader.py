"""The one reader for ``.md`` files: YAML front matter, then Markdown.

Front matter comes through as data (lists of reports stay lists of records);
the few fields Pelican itself understands are normalised here, once.
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
from newsdigest.pelican.settings import plugin_settings
from newsdigest.records import Report
from newsdigest.sanitize import clean_html
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
        """Return the body as HTML and the normalised metadata."""
        document = frontmatter.read(Path(source_path))
        kind = self._kind(source_path)
        content = self._markdown.reset().convert(document.body)
        if kind == DISPATCHES_DIR or (kind == STORIES_DIR and self._sanitize):
            content = clean_html(content)
        if kind == DISPATCHES_DIR:
            return content, self._dispatch(document, source_path)
        metadata = self._metadata(document.meta, source_path)
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
        metadata = self._metadata(shared, source_path)
        dispatch, problems = parse_dispatch(document, source_path)
        metadata.update(
            kind=DISPATCHES_DIR,
            status="hidden",
            dispatch=redact(dispatch),
            dispatch_problems=problems,
        )
        if dispatch.tldr:
            tldr = self._markdown.reset().convert(dispatch.tldr)
            metadata["summary"] = clean_html(tldr)
        if dispatch.section:
            metadata["category"] = self.process_metadata("category", dispatch.section)
        return metadata

    def _kind(self, source_path: str) -> str:
        """The content folder a file is in (``stories``, ``dispatches``, ``pages``)."""
        relative = Path(os.path.relpath(source_path, self._content_root))
        return relative.parts[0] if len(relative.parts) > 1 else "pages"

    def _metadata(self, meta: dict[str, Any], source_path: str) -> dict[str, Any]:
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
                output[name] = self._markdown.reset().convert(str(value))
            elif name == "reports":
                output[name] = _reports(value, source_path)
            else:
                output[name] = value
        return output


def _reports(entries: object, source_path: str) -> list[Report]:
    """Report records from front matter; a broken entry is skipped and logged."""
    reports = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        try:
            reports.append(report_from_meta(entry))
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("%s: reports[%d]: skipped (%s)", source_path, index, error)
    return reports
