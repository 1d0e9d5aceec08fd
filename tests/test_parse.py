"""Feed bodies to sanitized reports: RSS 2.0, Atom, RSS 1.0, and broken ones."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsdigest.ingest.parse import MAX_ENTRIES, ParsedFeed, parse_feed
from newsdigest.records import Outlet

FETCHED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
LOCATION = "https://daily.example/feed.xml"
OUTLET = Outlet(
    id="daily",
    name="The Daily",
    feeds=(LOCATION,),
    language="fr",
)
#: The outlet as a registry entry that gives no language.
UNSPOKEN = replace(OUTLET, language=None)

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>The Daily</title><link>https://daily.example/</link>
<language>en-GB</language>
<item>
  <title>Storm &amp; flood hit the coast</title>
  <link>https://Daily.example/storm?utm_source=rss&amp;id=1#top</link>
  <description>&lt;p&gt;Heavy &lt;b&gt;rain&lt;/b&gt; fell.&lt;/p&gt;
    &lt;script&gt;alert(1)&lt;/script&gt;</description>
  <pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate>
  <guid isPermaLink="false">daily-storm-1</guid>
  <category>World</category>
  <category>Weather</category>
</item>
<item>
  <title>Second item</title>
  <link>https://daily.example/second</link>
  <pubDate>Mon, 02 Mar 2026 08:30:00 GMT</pubDate>
</item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
<title>Atom Daily</title><id>urn:daily</id><updated>2026-03-03T10:00:00Z</updated>
<entry>
  <title type="html">Atom &lt;em&gt;title&lt;/em&gt;</title>
  <link rel="alternate" href="https://daily.example/atom-1"/>
  <id>urn:uuid:0b1c</id>
  <updated>2026-03-03T08:00:00Z</updated>
  <published>2026-03-03T07:30:00Z</published>
  <summary type="html">&lt;p&gt;Short summary&lt;/p&gt;</summary>
  <category term="Politics"/>
</entry>
<entry>
  <title>Content only</title>
  <link href="https://daily.example/atom-2"/>
  <id>https://daily.example/atom-2</id>
  <updated>2026-03-02T08:00:00Z</updated>
  <content type="html">&lt;p&gt;Body text&lt;/p&gt;</content>
</entry>
</feed>
"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://daily.example/">
  <title>RDF Daily</title><link>https://daily.example/</link>
  <description>d</description><dc:language>es-ES</dc:language>
  <items><rdf:Seq><rdf:li rdf:resource="https://daily.example/rdf-1"/></rdf:Seq></items>
</channel>
<item rdf:about="https://daily.example/rdf-1">
  <title>RDF item</title>
  <link>https://daily.example/rdf-1</link>
  <description>RDF description</description>
  <dc:date>2026-03-01T10:00:00+00:00</dc:date>
  <dc:subject>Science</dc:subject>
</item>
</rdf:RDF>
"""


def _parse(body: bytes, outlet: Outlet = OUTLET) -> ParsedFeed:
    return parse_feed(body, outlet, location=LOCATION, fetched_at=FETCHED)


def _rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>T</title><link>https://daily.example/</link>"
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    ).encode()


DATED = "<pubDate>Tue, 03 Mar 2026 09:00:00 GMT</pubDate>"


# --- well-formed feeds -----------------------------------------------------


def test_rss2_item_becomes_a_sanitized_report():
    result = _parse(RSS2, UNSPOKEN)
    assert result.failure is None
    assert result.problems == []
    first = result.reports[0]
    assert first.outlet == "daily"
    assert first.headline == "Storm & flood hit the coast"
    assert first.summary == "Heavy rain fell."
    assert first.url == "https://daily.example/storm?id=1"
    assert first.published == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert first.guid == "daily-storm-1"
    assert first.lang == "en-GB"
    assert first.tags == ("World", "Weather")
    assert first.undated is False


def test_rss2_keeps_feed_order_and_every_item():
    result = _parse(RSS2)
    assert [r.headline for r in result.reports] == [
        "Storm & flood hit the coast",
        "Second item",
    ]
    assert result.reports[1].published == datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def test_atom_entry_becomes_a_report():
    result = _parse(ATOM, UNSPOKEN)
    assert result.failure is None
    assert result.problems == []
    first, second = result.reports
    assert first.headline == "Atom title"
    assert first.summary == "Short summary"
    assert first.url == "https://daily.example/atom-1"
    # published wins over updated
    assert first.published == datetime(2026, 3, 3, 7, 30, tzinfo=UTC)
    assert first.guid == "urn:uuid:0b1c"
    assert first.lang == "de"
    assert first.tags == ("Politics",)
    # content is used when there is no summary; updated when no published
    assert second.summary == "Body text"
    assert second.published == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_rss1_item_becomes_a_report():
    result = _parse(RSS1, UNSPOKEN)
    assert result.failure is None
    [report] = result.reports
    assert report.headline == "RDF item"
    assert report.summary == "RDF description"
    assert report.url == "https://daily.example/rdf-1"
    assert report.published == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert report.lang == "es-ES"
    assert report.tags == ("Science",)


def test_outlet_language_is_used_when_feed_gives_none():
    result = _parse(
        _rss(f"<title>A</title><link>https://daily.example/a</link>{DATED}")
    )
    assert result.reports[0].lang == "fr"


def _in_language(channel: str, item: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        f"<language>{channel}</language><item><title>A</title>"
        f"<link>https://daily.example/a</link>{DATED}{item}</item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("channel", "lang"),
    [
        ("fil", "fil"),  # Filipino, not Finnish
        ("zh-tw", "zh-TW"),
        ("zh_Hant", "zh-Hant"),
        ("PT-BR", "pt-BR"),
        ("iw", "he"),
        ("en-UK", "en"),  # no such region: the language alone
        ("English", None),
        ("und", None),
    ],
)
def test_feed_language_tags_are_kept_in_bcp47_case(
    channel: str, lang: str | None
) -> None:
    assert _parse(_in_language(channel), UNSPOKEN).reports[0].lang == lang


@pytest.mark.parametrize(
    ("registry", "channel", "lang"),
    [
        ("ar", "en-US", "ar"),  # a CMS's default does not outrank the registry
        ("zh", "zh-TW", "zh-TW"),  # a tag that narrows the registry's is kept
        ("zh-Hant", "zh-TW", "zh-Hant"),
        ("pt-BR", "pt", "pt-BR"),
    ],
)
def test_the_registrys_language_outranks_the_channels(
    registry: str, channel: str, lang: str
) -> None:
    outlet = replace(OUTLET, language=registry)
    assert _parse(_in_language(channel), outlet).reports[0].lang == lang


def test_an_items_own_language_outranks_the_registrys() -> None:
    body = _in_language("en-US", "<dc:language>en-GB</dc:language>")
    outlet = replace(OUTLET, language="ar")
    assert _parse(body, outlet).reports[0].lang == "en-GB"


def test_summary_equal_to_headline_is_dropped():
    result = _parse(
        _rss(
            "<title>Same words</title><description>Same words</description>"
            f"<link>https://daily.example/a</link>{DATED}"
        )
    )
    assert result.reports[0].summary == ""


def test_entry_without_title_uses_its_text_as_headline():
    result = _parse(
        _rss(
            "<description>&lt;p&gt;Only a description here&lt;/p&gt;</description>"
            f"<link>https://daily.example/a</link>{DATED}"
        )
    )
    assert result.reports[0].headline == "Only a description here"


def test_permalink_guid_stands_in_for_a_missing_link():
    result = _parse(
        _rss(
            '<title>Guid only</title><guid isPermaLink="true">'
            f"https://daily.example/g?utm_source=x</guid>{DATED}"
        )
    )
    assert result.reports[0].url == "https://daily.example/g"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("<link>/storm</link>", "https://daily.example/storm"),
        ("<link>storm?id=2</link>", "https://daily.example/storm?id=2"),
        ('<guid isPermaLink="true">/storm/3</guid>', "https://daily.example/storm/3"),
        (
            '<link xml:base="https://other.example/a/">b</link>',
            "https://other.example/a/b",
        ),
    ],
)
def test_relative_links_resolve_against_the_feed_url(item: str, expected: str):
    feed = _parse(_rss(f"<title>Storm</title>{item}{DATED}"))
    assert [report.url for report in feed.reports] == [expected]


def test_a_guid_that_is_no_permalink_is_no_link_even_if_it_looks_relative():
    body = _rss(f'<title>Storm</title><guid isPermaLink="false">storm-4</guid>{DATED}')
    feed = _parse(body)
    assert feed.reports == []
    assert "no http(s) link" in feed.problems[0]


def test_very_long_headline_is_truncated():
    result = _parse(
        _rss(
            f"<title>{'word ' * 200}</title><link>https://daily.example/a</link>{DATED}"
        )
    )
    headline = result.reports[0].headline
    assert len(headline) <= 300
    assert headline.endswith("…")


# --- hostile content -------------------------------------------------------


def test_title_with_img_onerror_becomes_plain_text():
    result = _parse(
        _rss(
            "<title>&lt;img src=x onerror=alert(1)&gt;Evil &lt;b&gt;title&lt;/b&gt;"
            f"</title><link>https://daily.example/e</link>{DATED}"
        )
    )
    headline = result.reports[0].headline
    assert headline == "Evil title"
    assert "<" not in headline
    assert "onerror" not in headline


def test_cdata_title_with_markup_becomes_plain_text():
    result = _parse(
        _rss(
            "<title><![CDATA[<img src=x onerror=alert(1)><b>Bold</b> news]]></title>"
            f"<link>https://daily.example/c</link>{DATED}"
        )
    )
    assert result.reports[0].headline == "Bold news"


def test_javascript_link_is_refused_and_named():
    result = _parse(
        _rss(f"<title>Click me</title><link>javascript:alert(1)</link>{DATED}")
    )
    assert result.reports == []
    assert result.problems == ["entry 1 ('Click me'): no http(s) link; skipped"]


def test_summary_script_is_dropped():
    result = _parse(
        _rss(
            "<title>T</title><description>&lt;script&gt;steal()&lt;/script&gt;Fine"
            f"</description><link>https://daily.example/a</link>{DATED}"
        )
    )
    assert result.reports[0].summary == "Fine"


# --- problems --------------------------------------------------------------


def test_entry_without_link_is_skipped_with_a_problem_naming_it():
    result = _parse(
        _rss(
            f"<title>Has link</title><link>https://daily.example/a</link>{DATED}",
            f"<title>No link here</title><description>x</description>{DATED}",
        )
    )
    assert [r.headline for r in result.reports] == ["Has link"]
    [problem] = result.problems
    assert problem.startswith("entry 2 ('No link here')")
    assert "link" in problem
    assert "skipped" in problem


def test_entry_without_title_or_text_is_skipped():
    result = _parse(_rss(f"<link>https://daily.example/a</link>{DATED}"))
    assert result.reports == []
    assert result.problems == ["entry 1: no title or text; skipped"]


def test_undated_entry_is_dated_when_seen_and_flagged():
    result = _parse(_rss("<title>Undated</title><link>https://daily.example/u</link>"))
    [report] = result.reports
    assert report.published == FETCHED
    assert report.undated is True
    [problem] = result.problems
    assert "entry 1 ('Undated')" in problem
    assert "no date" in problem


def test_unparseable_date_counts_as_undated():
    result = _parse(
        _rss(
            "<title>Odd date</title><link>https://daily.example/u</link>"
            "<pubDate>sometime last week</pubDate>"
        )
    )
    assert result.reports[0].undated is True
    assert result.reports[0].published == FETCHED


def test_future_date_is_clamped_to_fetch_time_with_a_problem():
    result = _parse(
        _rss(
            "<title>From the future</title><link>https://daily.example/f</link>"
            "<pubDate>Tue, 03 Mar 2099 10:00:00 GMT</pubDate>"
        )
    )
    [report] = result.reports
    assert report.published == FETCHED
    assert report.undated is True  # the date it gave is not usable
    [problem] = result.problems
    assert "entry 1 ('From the future')" in problem
    assert "future" in problem


@pytest.mark.parametrize(
    ("pub_date", "day"),
    [
        ("Mon, 01 Jan 0001 00:00:00 GMT", "0001-01-01"),  # Go's and .NET's zero
        ("Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01"),  # a zero timestamp
    ],
)
def test_a_stand_in_for_no_date_is_dated_when_seen(pub_date: str, day: str):
    """Year 1 made the ingest's window arithmetic overflow: every run failed."""
    result = _parse(
        _rss(
            "<title>Zero time</title><link>https://daily.example/z</link>"
            f"<pubDate>{pub_date}</pubDate>"
        )
    )
    [report] = result.reports
    assert report.published == FETCHED
    assert report.undated is True
    [problem] = result.problems
    assert f"entry 1 ('Zero time'): dated {day}, a stand-in" in problem


@pytest.mark.parametrize(
    ("pub_date", "country", "utc"),
    [
        ("Tue, 03 Mar 2026 18:30:00 JST", None, "2026-03-03T09:30"),
        ("Tue, 03 Mar 2026 10:00:00 CET", None, "2026-03-03T09:00"),
        ("Tue, 03 Mar 2026 11:15:00 NPT", None, "2026-03-03T05:30"),
        ("Tue, 03 Mar 2026 11:00:00 IST", "IN", "2026-03-03T05:30"),
        ("Tue, 03 Mar 2026 11:00:00 IST", "IE", "2026-03-03T10:00"),
        ("Tue, 03 Mar 2026 06:00:00 EST", None, "2026-03-03T11:00"),  # feedparser's
        ("2026/03/03 18:00:00 +0900", None, "2026-03-03T09:00"),
        ("2026/03/03 08:45", None, "2026-03-03T08:45"),
    ],
)
def test_zone_abbreviations_and_slashed_dates_are_read_right(
    pub_date: str, country: str | None, utc: str
) -> None:
    """feedparser read JST as UTC and 2026/03/03 as the first of the month."""
    body = _rss(
        "<title>Timed</title><link>https://daily.example/t</link>"
        f"<pubDate>{pub_date}</pubDate>"
    )
    outlet = Outlet(id="daily", name="The Daily", feeds=(LOCATION,), country=country)
    result = parse_feed(body, outlet, location=LOCATION, fetched_at=FETCHED)
    [report] = result.reports
    assert report.published.isoformat(timespec="minutes") == f"{utc}+00:00"
    assert (report.undated, result.problems) == (False, [])


@pytest.mark.parametrize(
    "pub_date",
    [
        "Tue, 03 Mar 2026 11:00:00 XYZT",
        "2026/13/03",
        # Past the calendar's ends once the offset is taken off: once an
        # OverflowError that stopped the whole ingest.
        "0001/01/01 00:00 +0100",
        "9999/12/31 23:00 -0200",
        "Mon, 01 Jan 0001 00:30:00 JST",
        "Fri, 31 Dec 9999 23:00:00 HST",
    ],
)
def test_a_zone_or_date_no_one_knows_is_dated_when_seen(pub_date: str) -> None:
    result = _parse(
        _rss(
            "<title>Timed</title><link>https://daily.example/t</link>"
            f"<pubDate>{pub_date}</pubDate>"
        )
    )
    [report] = result.reports
    assert (report.published, report.undated) == (FETCHED, True)
    [problem] = result.problems
    assert problem.endswith("; dated when first seen")
    assert "XYZT" in problem or pub_date in problem


def test_slightly_ahead_clock_is_tolerated():
    result = _parse(
        _rss(
            "<title>Ahead</title><link>https://daily.example/f</link>"
            "<pubDate>Tue, 03 Mar 2026 12:59:00 GMT</pubDate>"
        )
    )
    assert result.reports[0].published == datetime(2026, 3, 3, 12, 59, tzinfo=UTC)
    assert result.problems == []


def test_html_page_is_a_failure_with_no_reports():
    result = _parse(
        b"<!DOCTYPE html><html><head><title>Home</title></head>"
        b"<body><h1>Welcome</h1><p>Not a feed</p></body></html>"
    )
    assert result.reports == []
    assert result.failure is not None
    assert "not a feed" in result.failure


def test_garbage_is_a_failure_with_no_reports():
    result = _parse(b"\x00\x01 this is not xml {")
    assert result.reports == []
    assert result.failure is not None


def test_feed_with_no_items_is_neither_failure_nor_problem():
    result = _parse(_rss())
    assert result == ParsedFeed()


def test_empty_body_is_a_failure_not_a_crash():
    result = _parse(b"")
    assert result.reports == []
    assert result.failure is not None


def test_one_broken_entry_does_not_lose_the_others():
    result = _parse(
        _rss(
            f"<title>Good one</title><link>https://daily.example/1</link>{DATED}",
            f"<title>Bad port</title><link>https://daily.example:99999/x</link>{DATED}",
            f"<title>No link</title>{DATED}",
            f"<title>Good two</title><link>https://daily.example/2</link>{DATED}",
        )
    )
    assert [r.headline for r in result.reports] == ["Good one", "Good two"]
    assert len(result.problems) == 2
    assert result.problems[0].startswith("entry 2")
    assert result.problems[1].startswith("entry 3")
    assert result.failure is None


def test_a_feed_gives_at_most_max_entries_the_first_in_its_order():
    """A hostile feed of 20,000 items made as many story files in one run."""
    items = [
        f"<title>Item {n}</title><link>https://daily.example/{n}</link>{DATED}"
        for n in range(MAX_ENTRIES + 20)
    ]
    result = _parse(_rss(*items))
    assert len(result.reports) == MAX_ENTRIES
    assert result.reports[-1].headline == f"Item {MAX_ENTRIES - 1}"
    assert result.problems == [
        f"read the first {MAX_ENTRIES} of {MAX_ENTRIES + 20} entries; 20 left out"
    ]
    json_items = [
        {"id": str(n), "url": f"/{n}", "title": "T"} for n in range(MAX_ENTRIES + 1)
    ]
    assert len(_parse(_json_feed(*json_items)).reports) == MAX_ENTRIES


def test_truncated_feed_yields_what_could_be_read():
    body = _rss(
        f"<title>First</title><link>https://daily.example/1</link>{DATED}",
        f"<title>Second</title><link>https://daily.example/2</link>{DATED}",
    )
    result = _parse(body[: body.index(b"</item>", body.index(b"Second"))])
    assert [r.headline for r in result.reports] == ["First", "Second"]
    assert result.failure is None
    assert any("not well-formed" in p for p in result.problems)


# --- entity declarations ---------------------------------------------------

ITEM = f"<item><title>Hello</title><link>https://daily.example/h</link>{DATED}</item>"
REFUSED = "refused: the feed declares XML entities"


def _with_prolog(prolog: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0">'
        f"<channel><title>T</title>{ITEM}</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ENTITY big "xxxx">]>',
        "<!DOCTYPE rss [<!ENTITY % param \"<!ENTITY big 'x'>\"> %param;]>",
        # Past feedparser's own prolog split (its first "<" and letter).
        '<!-- <b>old</b> --><!DOCTYPE rss [<!ENTITY big "xxxx">]>',
        '<!DOCTYPE rss SYSTEM "<x" [<!ENTITY big "xxxx">]>',
        # On lines of their own, as feedparser lifts entities out for itself.
        '\n<!DOCTYPE rss [\n  <!ELEMENT rss ANY>\n  <!ENTITY big "xxxx">\n]>',
    ],
)
def test_a_feed_declaring_entities_is_refused(prolog: str) -> None:
    result = _parse(_with_prolog(prolog))
    assert result.failure is not None and result.failure.startswith(REFUSED)
    assert result.reports == []


def test_a_declaration_hidden_in_utf16_is_refused() -> None:
    body = _with_prolog('<!DOCTYPE rss [<!ENTITY big "xxxx">]>')
    body = body.replace(b'encoding="utf-8"', b'encoding="utf-16"')
    result = _parse(body.decode().encode("utf-16"))
    assert result.failure is not None and result.failure.startswith(REFUSED)


def test_an_item_writing_about_entity_declarations_is_read() -> None:
    body = _rss(
        "<title>How XML bombs work</title><link>https://daily.example/x</link>"
        '<description><![CDATA[A feed can declare <!ENTITY lol "lol"> and '
        "repeat it.]]></description>" + DATED
    )
    result = _parse(body)
    assert result.failure is None
    assert [r.headline for r in result.reports] == ["How XML bombs work"]
    assert result.reports[0].summary.startswith("A feed can declare")


# --- encodings as browsers read them ---------------------------------------


def _encoded(encoding: str, headline: str, codec: str, declare: bool = True) -> bytes:
    declaration = f' encoding="{encoding}"' if declare else ""
    return (
        f'<?xml version="1.0"{declaration}?><rss version="2.0"><channel><title>T'
        f"</title><item><title>{headline}</title><link>https://daily.example/e"
        f"</link>{DATED}</item></channel></rss>"
    ).encode(codec)


@pytest.mark.parametrize(
    ("encoding", "headline", "codec"),
    [
        # Windows extensions: IBM and NEC kanji, circled numbers, Hangul.
        ("Shift_JIS", "東京の髙島屋が改装オープン", "cp932"),
        ("shift_jis", "①宮﨑で記録的大雨", "cp932"),
        ("EUC-KR", "똠양꿍 축제 서울서 개막", "cp949"),
        ("GBK", "𠮷野家 镕 €", "gb18030"),
        ("Big5", "香港嘅天氣", "big5hkscs"),
        ("US-ASCII", "“Quoted” – café", "cp1252"),
        ("ISO-8859-1", "“Quoted” – café", "cp1252"),
    ],
)
def test_a_feed_decodes_as_a_browser_decodes_its_label(
    encoding: str, headline: str, codec: str
) -> None:
    result = _parse(_encoded(encoding, headline, codec))
    assert [r.headline for r in result.reports] == [headline]
    assert result.problems == []


def test_the_servers_charset_is_widened_as_the_declarations_is() -> None:
    body = _encoded("", "똠양꿍 축제 서울서 개막", "cp949", declare=False)
    result = parse_feed(
        body,
        OUTLET,
        location=LOCATION,
        fetched_at=FETCHED,
        content_type="text/xml; charset=EUC-KR",
    )
    assert [r.headline for r in result.reports] == ["똠양꿍 축제 서울서 개막"]
    assert result.problems == []


@pytest.mark.parametrize(
    ("body", "headline"),
    [
        # Shift_JIS reads the wave dash as U+301C, Windows-31J as U+FF5E:
        # a feed that decodes as declared is read as it always was.
        (_encoded("Shift_JIS", "10〜20日", "shift_jis"), "10〜20日"),
        # UTF-8 in spite of its label: feedparser reads it as UTF-8.
        (_encoded("Shift_JIS", "東京の髙島屋", "utf-8"), "東京の髙島屋"),
        # A byte order mark outranks the label.
        (b"\xef\xbb\xbf" + _encoded("EUC-KR", "똠양꿍", "utf-8"), "똠양꿍"),
    ],
)
def test_a_feed_that_decodes_today_reads_the_same(body: bytes, headline: str) -> None:
    assert [r.headline for r in _parse(body).reports] == [headline]


# --- JSON Feed -------------------------------------------------------------


def _json_feed(*items: object, version: str = "1.1", **fields: object) -> bytes:
    return json.dumps(
        {
            "version": f"https://jsonfeed.org/version/{version}",
            "title": "The Daily",
            "home_page_url": "https://daily.example/",
            **fields,
            "items": list(items),
        }
    ).encode()


JSON_ITEM = {
    "id": "daily-storm-1",
    "url": "https://Daily.example/storm?utm_source=json&id=1",
    "title": "Storm &amp; flood <b>hit</b> the coast",
    "summary": "Heavy rain fell.",
    "content_html": "<p>Heavy <b>rain</b> fell.</p><script>alert(1)</script>",
    "date_published": "2026-03-03T10:00:00+01:00",
    "date_modified": "2026-03-03T11:00:00Z",
    "tags": ["World", "Weather"],
}


@pytest.mark.parametrize("version", ["1", "1.1"])
def test_json_feed_item_becomes_a_sanitized_report(version: str) -> None:
    result = _parse(_json_feed(JSON_ITEM, version=version), UNSPOKEN)
    assert result.failure is None
    assert result.problems == []
    [report] = result.reports
    assert report.outlet == "daily"
    assert report.headline == "Storm & flood hit the coast"
    assert report.summary == "Heavy rain fell."
    assert report.url == "https://daily.example/storm?id=1"
    assert report.published == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert report.guid == "daily-storm-1"
    assert report.lang is None
    assert report.tags == ("World", "Weather")
    assert report.undated is False


def test_json_feed_content_stands_in_for_a_missing_title_and_summary() -> None:
    html_only = {"id": "1", "url": "/a", "content_html": "<p>Only <i>HTML</i></p>"}
    text_only = {"id": "2", "url": "/b", "content_text": "Only text, <b> and all"}
    result = _parse(_json_feed(html_only, text_only))
    assert [(r.headline, r.url) for r in result.reports] == [
        ("Only HTML", "https://daily.example/a"),  # resolved against the feed
        ("Only text, and all", "https://daily.example/b"),
    ]


def test_json_feed_dates_are_read_as_rss_dates_are() -> None:
    result = _parse(
        _json_feed(
            {"id": "1", "url": "/1", "title": "Modified only",
             "date_modified": "2026-03-02T08:00:00Z"},
            {"id": "2", "url": "/2", "title": "No zone",
             "date_published": "2026-03-02T08:00:00"},
            {"id": "3", "url": "/3", "title": "Undated"},
            {"id": "4", "url": "/4", "title": "Not a date",
             "date_published": "yesterday"},
            {"id": "5", "url": "/5", "title": "Future",
             "date_published": "2027-01-01T00:00:00Z"},
        )
    )  # fmt: skip
    published = [(r.published, r.undated) for r in result.reports]
    assert published == [
        (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), False),
        (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), False),
        (FETCHED, True),
        (FETCHED, True),
        (FETCHED, True),
    ]
    assert [p.split(":")[0] for p in result.problems] == [
        "entry 3 ('Undated')",
        "entry 4 ('Not a date')",
        "entry 5 ('Future')",
    ]


def test_json_feed_links_must_be_http() -> None:
    result = _parse(
        _json_feed(
            {"id": "1", "url": "javascript:alert(1)", "title": "Script"},
            {
                "id": "https://daily.example/permalink",
                "title": "Id is the link",
                "date_published": "2026-03-03T09:00:00Z",
            },
            {"id": 42, "title": "No link"},
        )
    )
    assert [(r.headline, r.url) for r in result.reports] == [
        ("Id is the link", "https://daily.example/permalink")
    ]
    assert [p.split(":")[0] for p in result.problems] == [
        "entry 1 ('Script')",
        "entry 3 ('No link')",
    ]


def test_json_feed_languages_rank_as_rss_ones_do() -> None:
    items = (
        {"id": "1", "url": "/1", "title": "Feed's", "date_published": "2026-03-03"},
        {"id": "2", "url": "/2", "title": "Own", "language": "en-GB"},
    )
    body = _json_feed(*items, language="zh-tw")
    assert [r.lang for r in _parse(body, UNSPOKEN).reports] == ["zh-TW", "en-GB"]
    assert [r.lang for r in _parse(body).reports] == ["fr", "en-GB"]


def test_a_json_feed_item_that_is_no_object_is_skipped() -> None:
    result = _parse(_json_feed(42, {"id": "1", "url": "/1", "title": "Kept"}))
    assert [r.headline for r in result.reports] == ["Kept"]
    assert result.problems[0] == "entry 1: unreadable (not a JSON object: 42); skipped"


def test_a_json_feed_with_no_items_is_neither_failure_nor_problem() -> None:
    assert _parse(_json_feed()) == ParsedFeed()
    assert _parse(b"\xef\xbb\xbf\n" + _json_feed()) == ParsedFeed()  # a UTF-8 BOM


@pytest.mark.parametrize(
    ("body", "failure"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
         "not a readable JSON Feed: Expecting value"),
        (b'\n{"title": "Not a feed"}', "not a feed: JSON, but no JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}',
         "not a readable JSON Feed: its items are not a list"),
        (b'{"version": 1}', "not a feed: JSON, but no JSON Feed"),
        (b"{" * 100_000, "not a readable JSON Feed"),
    ],
)  # fmt: skip
def test_json_that_is_no_json_feed_says_so(body: bytes, failure: str) -> None:
    result = _parse(body)
    assert result.reports == []
    assert result.failure is not None and result.failure.startswith(failure)
