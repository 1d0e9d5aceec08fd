"""Untrusted XML: entity declarations, and SVG files that could run script.

Feeds, OPML exports and logos come from outside. None needs XML entities,
which expat expands a hundredfold (5 MB became 475 MB):
:func:`prolog_declares_entities` finds them before anything else parses.
An SVG file opened on its own runs its scripts on the site's origin:
:func:`svg_problem` says why a logo could.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from pathlib import Path
from xml.parsers.expat import ErrorString

from newsdigest.errors import Problem

#: SVG elements that run script, or hold a web page that can.
ACTIVE_SVG_ELEMENTS = frozenset({"script", "foreignobject"})
#: The XHTML namespace, as ElementTree begins a tag with it: its elements in an
#: SVG file (a script, an iframe) are live when the file is opened on its own.
XHTML_TAG = "{http://www.w3.org/1999/xhtml}"
#: ASCII spaces and control characters, which browsers skip in a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20]")


class _PastTheProlog(Exception):
    """Raised by the prolog check's expat handlers to stop reading."""


def prolog_declares_entities(data: bytes) -> bool:
    """Whether ``data`` declares an XML entity before its root element.

    Read by expat, in the encoding ``data`` declares; False for a prolog
    expat cannot read, which the parser after this check cannot either.
    """
    expat = xml.parsers.expat.ParserCreate()

    def declared(*_declaration: object) -> None:
        raise _PastTheProlog(True)

    def root(*_element: object) -> None:
        raise _PastTheProlog(False)

    expat.EntityDeclHandler = declared
    expat.StartElementHandler = root
    try:
        expat.Parse(data, True)
    except _PastTheProlog as stop:
        return stop.args[0]
    except xml.parsers.expat.ExpatError:
        # So does the parser after this check (feedparser's loose one reads no DTD).
        pass
    return False


def svg_problem(path: Path) -> Problem | None:
    """Why the SVG file at ``path`` could run script on the site, if it could.

    A browser that opens an SVG file on its own (``/logos/<id>.svg``) runs
    its scripts on the site's origin. So the file is read as XML and
    refused for a ``<script>`` or ``<foreignObject>`` element, an XHTML
    element, an event attribute (``onload=``, or one ``attributeName``
    animates), a ``javascript:`` URL in any attribute, an ``xml-stylesheet``
    instruction (XSLT writes a page), XML entities (no logo needs them), or
    XML that cannot be read, and so cannot be checked. The build leaves such
    a file out (:func:`newsdigest.pelican.logos.leave_out_unsafe_svgs`).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = f"cannot read the file: {error.strerror or error}"
    else:
        reason = _svg_hazard(data)
    if reason is None:
        return None
    return Problem(path, 0, "svg", f"{reason}; the build leaves the file out")


def _svg_hazard(data: bytes) -> str | None:
    """What in the SVG document ``data`` could run script, if anything."""
    if prolog_declares_entities(data):
        return "XML entities (<!ENTITY>) could hide script, and no logo needs them"
    try:
        for event, node in ET.iterparse(io.BytesIO(data), events=("start", "pi")):
            found = _pi_hazard(node) if event == "pi" else _element_hazard(node)
            if found:
                return f"{found} could run script on the site"
    except ET.ParseError as error:
        what = f"{ErrorString(error.code)}, line {error.position[0]}"
        return f"not well-formed XML ({what}), so it cannot be checked for script"
    return None


def _pi_hazard(node: ET.Element) -> str | None:
    """An ``xml-stylesheet`` instruction: an XSLT one can write a whole page."""
    if (node.text or "").startswith("xml-stylesheet"):
        return "an xml-stylesheet instruction"
    return None


def _element_hazard(node: ET.Element) -> str | None:
    """The part of one SVG element that could run script, if any."""
    name = node.tag.rpartition("}")[2]
    if name.lower() in ACTIVE_SVG_ELEMENTS:
        return f"a <{name}> element"
    if node.tag.startswith(XHTML_TAG):
        return f"an XHTML <{name}> element"
    for attribute, value in node.attrib.items():
        local = attribute.rpartition("}")[2]
        if local.lower().startswith("on"):
            return f"an event attribute ({local}=)"
        if local == "attributeName" and value.strip().lower().startswith("on"):
            return f"animating an event attribute ({local}={value.strip()!r})"
        if "javascript:" in _URL_NOISE.sub("", value).lower():
            return f"a javascript: URL ({local}=)"
    return None
