"""The one sanitizer policy: feed text in, safe text or HTML out.

Everything a feed says is untrusted. Headlines and summaries become plain
text (then escaped wherever they land: Jinja autoescapes, Markdown bodies go
through :func:`escape_markdown`). Rendered HTML passes :func:`clean_html`,
which keeps a small set of closed tags and http(s)/mailto links only.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "p",
        "br",
        "em",
        "strong",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "blockquote",
        "q",
        "cite",
        "code",
        "h2",
        "h3",
        "h4",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow ugc"

_WHITESPACE = re.compile(r"\s+")
#: Where a shortened text may end: after a space, or after Chinese and
#: Japanese punctuation (their text has no spaces between words).
_BREAK = re.compile(r"[\s、，。；：！？）」』]")
#: Characters XML 1.0 forbids (one in a headline made the site's feeds and
#: news sitemap unreadable), and the other control characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Characters Python-Markdown gives meaning to anywhere in a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]{}!])")
# Things that only mean something at the start of a line.
_MARKDOWN_LINE_START = re.compile(r"^([ \t]*)(?:([#>+=\-])|(\d+)([.)]))", re.MULTILINE)
# Indentation Markdown would read as a code block.
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")
_UNCLOSED_COMMENT = re.compile(r"<!--(?!.*-->)", re.DOTALL)
# Block and line-break tags separate words; their removal must not glue them.
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|div|br|li|h[1-6]|tr|td|th|blockquote|ul|ol|table|section|article)\b)",
    re.IGNORECASE,
)


def clean_html(fragment: str) -> str:
    """Return ``fragment`` with only allowed tags, closed, and safe links."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
    )


def to_text(fragment: str | None, max_length: int | None = None) -> str:
    """Reduce untrusted HTML or text to one line of plain text.

    Tags are dropped (script and style with their content), entities decoded,
    control characters and runs of white space folded. With ``max_length`` the
    text is cut at a word boundary and ends with an ellipsis.
    """
    if not fragment:
        return ""
    # A lone surrogate cannot even be handed to the sanitizer.
    fragment = _CONTROL.sub(" ", fragment)
    # An unclosed "<!--" would swallow the rest as a comment: keep it as text.
    fragment = _UNCLOSED_COMMENT.sub("&lt;!--", fragment)
    fragment = _BLOCK_TAG.sub(" <", fragment)
    text = html.unescape(nh3.clean(fragment, tags=set()))
    text = _WHITESPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return shorten(text, max_length) if max_length is not None else text


def shorten(text: str, max_length: int) -> str:
    """``text`` in at most ``max_length`` characters, ending with an ellipsis if cut.

    Cut at the last break (a space, or Chinese or Japanese punctuation)
    within the last quarter of what fits; where there is none, as in text
    without spaces, at the length itself rather than lose most of the text.
    """
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 1]
    if not text[max_length - 1].isspace():
        breaks = [match.end() for match in _BREAK.finditer(cut)]
        if breaks and breaks[-1] >= len(cut) * 3 // 4:
            cut = cut[: breaks[-1]]
    return cut.rstrip(",;:.-–—、，。 ") + "…"


def escape_markdown(text: str) -> str:
    """Escape plain text so Python-Markdown shows it verbatim, never as markup."""
    escaped = _INDENT.sub("", _ENTITY.sub("&amp;", text).replace("<", "&lt;"))
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", escaped)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, number, dot = match.groups()
    if marker:
        return f"{indent}\\{marker}"
    return f"{indent}{number}\\{dot}"


def safe_url(url: str | None) -> str | None:
    """Return ``url`` stripped if it is an absolute http(s) URL, else ``None``."""
    if not url:
        return None
    candidate = _CONTROL.sub("", url).strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return candidate
