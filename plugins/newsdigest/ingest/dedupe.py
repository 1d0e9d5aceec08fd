"""When two feed items are the same report.

The same report is the same canonical URL (tracking parameters, anchors and
host case removed: :func:`~newsdigest.normalize.canonical_url`), the same
outlet's GUID, or the same outlet's identical headline. Each report yields the
keys it is known by.
"""

from __future__ import annotations

from newsdigest.normalize import normalize_headline
from newsdigest.records import Report


def report_keys(report: Report) -> list[str]:
    """Every key this report is known by, for the seen-reports store."""
    keys = [f"url:{report.url}"]
    if report.guid:
        keys.append(f"guid:{report.outlet}:{report.guid}")
    headline = normalize_headline(report.headline)
    if headline:
        keys.append(f"title:{report.outlet}:{headline}")
    return keys
