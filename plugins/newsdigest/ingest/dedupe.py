"""When two feed items are the same report.

The same report is the same canonical URL (tracking parameters, anchors and
host case removed: :func:`~newsdigest.normalize.canonical_url`), the same
outlet's GUID, or the same outlet's identical headline published at the same
second. The headline catches a report republished under a new URL and GUID,
which keeps its date; a recurring headline ("Morning briefing", "Live
updates") published again is a new report. Each report yields the keys it is
known by.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from newsdigest.normalize import normalize_headline
from newsdigest.records import Report
from newsdigest.times import format_time


def report_keys(report: Report) -> list[str]:
    """Every key this report is known by, for the seen-reports store.

    An undated report's time is when it was first seen, which tells nothing
    about the item, so its headline is no key.
    """
    keys = [f"url:{report.url}"]
    if report.guid:
        keys.append(f"guid:{report.outlet}:{report.guid}")
    headline = normalize_headline(report.headline)
    if headline and not report.undated:
        published = format_time(report.published)
        keys.append(f"title:{report.outlet}:{published}:{headline}")
    return keys


def keys_before_routes(report: Report) -> list[str]:
    """Keys that, all seen, show an earlier version stored this report.

    Versions that stripped every fragment stored a report linked by a hash
    route under the URL without it, and knew it by the outlet's headline
    alone. A report with a GUID is known by it, so it has none of these keys;
    nor has a report without a route.
    """
    parts = urlsplit(report.url)
    headline = normalize_headline(report.headline)
    if report.guid or not parts.fragment or not headline:
        return []
    before = urlunsplit(parts._replace(fragment=""))
    return [f"url:{before}", f"title:{report.outlet}:{headline}"]
