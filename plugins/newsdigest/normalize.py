"""Canonical forms of URLs and headlines: the same page or title, the same string.

Used wherever reports are matched: ingest's dedupe, story files' known URLs,
front matter checks, and the category words of feed tags.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|"
    r"yclid|_hsenc|_hsmi|mkt_tok|ref|ref_src|cmpid|ito|ns_\w+|at_\w+|rss|taid)$",
    re.IGNORECASE,
)
#: Fragment marks of a hash route (``#/article/1``, ``#!/article/1``): a page
#: of its own in a single-page site, unlike an anchor within a page.
ROUTE_MARKS = "/!"
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def canonical_url(url: str) -> str:
    """Normalise a URL so the same page always gets the same string.

    Host and scheme case, default ports, tracking parameters and anchors go;
    a fragment that is a route (:data:`ROUTE_MARKS`) names the page, so it stays.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMETERS.match(key)
    ]
    path = parts.path or "/"
    fragment = parts.fragment if _is_route(parts.fragment) else ""
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), fragment))


def _is_route(fragment: str) -> bool:
    """Whether a URL's fragment is a hash route to a page other than the home."""
    route = fragment.lstrip(ROUTE_MARKS)
    return bool(route) and route != fragment


def normalize_headline(headline: str) -> str:
    """Fold case, punctuation and spacing out of a headline."""
    return _NON_WORD.sub(" ", headline.casefold()).strip()
