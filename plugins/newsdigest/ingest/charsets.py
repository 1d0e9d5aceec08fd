"""The charset a feed is read in: the one declared, widened as browsers widen it.

Browsers follow the WHATWG Encoding Standard, which reads a page labelled
``Shift_JIS`` as Windows-31J (cp932), ``EUC-KR`` as Windows-949 (cp949),
``GB2312`` or ``GBK`` as GB18030, ``Big5`` as Big5-HKSCS and ``ISO-8859-1``
or ``US-ASCII`` as Windows-1252: the encodings publishers' tools really
write. Python's codecs of those labels are the narrower standards, so a
Shift_JIS feed with ``髙``, ``①`` or ``﨑`` in it failed to decode and
feedparser fell back to ISO-8859-2, mojibake.
"""

from __future__ import annotations

import codecs

from feedparser.encodings import RE_XML_PI_ENCODING

#: Python's codec for each encoding a browser reads instead of the one a
#: label names, by the Encoding Standard's labels of that encoding.
WIDER: dict[str, str] = {
    **dict.fromkeys(
        ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
         "windows-31j", "x-sjis"),
        "cp932",
    ),
    **dict.fromkeys(
        ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean",
         "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
        "cp949",
    ),
    **dict.fromkeys(
        ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312",
         "gb_2312-80", "gbk", "iso-ir-58", "x-gbk"),
        "gb18030",
    ),
    **dict.fromkeys(
        ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"
    ),
    **dict.fromkeys(
        ("ansi_x3.4-1968", "ascii", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
         "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987",
         "l1", "latin1", "us-ascii", "x-cp1252"),
        "cp1252",
    ),
}  # fmt: skip
#: How UTF-8, UTF-16 and UTF-32 bodies may start (feedparser reads them so).
_BYTE_ORDER_MARKS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_as(body: bytes, charset: str | None) -> str | None:
    """The charset to give feedparser for ``body``; ``charset`` is the server's.

    ``charset`` (None: feedparser reads the XML declaration's), unless
    ``body`` does not decode in the declared one and does in the encoding a
    browser reads for its label (:data:`WIDER`), which is then returned. So
    a body that decodes as declared is read as before, and so is one that is
    UTF-8 in spite of its label (feedparser falls back to UTF-8, as such
    feeds need) or starts with a byte order mark.
    """
    if body.startswith(_BYTE_ORDER_MARKS):
        return charset
    declared = charset
    if declared is None:
        found = RE_XML_PI_ENCODING.match(body)
        declared = found[1].decode("ascii", "replace") if found else None
    wider = WIDER.get((declared or "").strip().lower())
    if wider is None or _decodes(body, declared) or _decodes(body, "utf-8"):
        return charset
    return wider if _decodes(body, wider) else charset


def _decodes(body: bytes, encoding: str | None) -> bool:
    """Whether ``body`` is text in ``encoding`` (False for one Python lacks)."""
    try:
        codecs.decode(body, encoding or "", "strict")
    except (UnicodeDecodeError, LookupError):
        return False
    return True
