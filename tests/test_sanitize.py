"""The sanitizer policy: feed text in, safe text or HTML out."""

from __future__ import annotations

import html
import re

import markdown
import pytest

from newsdigest.sanitize import LINK_REL, clean_html, escape_markdown, safe_url, to_text

# --- to_text ---------------------------------------------------------------


def test_tags_are_dropped_but_their_text_kept():
    assert to_text("<p>Storm <b>hits</b> <i>coast</i></p>") == "Storm hits coast"


def test_script_and_style_content_never_survives():
    text = to_text(
        "Hello<script>alert('x')</script><style>p { color: red }</style> world"
    )
    assert text == "Hello world"
    assert "alert" not in text
    assert "color" not in text


def test_unclosed_script_swallows_nothing_before_it():
    assert to_text("Before <script>alert(1)") == "Before"


def test_event_handlers_never_survive():
    text = to_text('<div onmouseover="steal()">Title</div><img src=x onerror=alert(1)>')
    assert text == "Title"
    assert "steal" not in text
    assert "onerror" not in text


def test_entities_are_decoded_once():
    assert to_text("Tom &amp; Jerry &eacute;t&eacute; &#8212; &lt;b&gt;") == (
        "Tom & Jerry été — <b>"
    )
    # A double-escaped entity is decoded only one level.
    assert to_text("&amp;lt;") == "&lt;"


def test_whitespace_and_control_characters_fold_to_single_spaces():
    assert to_text("  one\n\ttwo \r\n three\x07four\xa0five  ") == (
        "one two three four five"
    )


def test_characters_xml_forbids_are_removed():
    assert to_text("budget \uffff\ufffe\ud800 &#xFFFF;vote") == "budget vote"


def test_plain_text_angle_brackets_survive():
    assert to_text("3 < 5 and 7 > 2") == "3 < 5 and 7 > 2"


def test_unclosed_comment_opener_is_kept_as_text():
    assert to_text("Breaking <!-- news continues here") == (
        "Breaking <!-- news continues here"
    )


def test_closed_comment_is_dropped_and_later_unclosed_one_kept():
    assert to_text("a <!-- hidden --> b <!-- c") == "a b <!-- c"


@pytest.mark.parametrize("empty", [None, "", "   ", "<p></p>"])
def test_empty_input_gives_empty_text(empty):
    assert to_text(empty) == ""


def test_truncation_cuts_on_a_word_boundary_with_ellipsis():
    text = to_text("The quick brown fox jumps over the lazy dog", 18)
    assert text == "The quick brown…"
    assert len(text) <= 18


def test_truncation_keeps_a_word_that_ends_exactly_at_the_limit():
    # "The quick brown fox…" is exactly 20 characters.
    assert to_text("The quick brown fox jumps over the lazy dog", 20) == (
        "The quick brown fox…"
    )


def test_truncation_never_exceeds_max_length():
    sentence = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    for limit in range(2, len(sentence) + 3):
        text = to_text(sentence, limit)
        assert len(text) <= limit
        if len(sentence) > limit:
            assert text.endswith("…")
            kept = text.removesuffix("…")
            assert sentence.startswith(kept)
            if limit > len("alpha…"):
                # Whole words only once the first word fits.
                assert sentence[len(kept)] == " "
        else:
            assert text == sentence


def test_text_without_spaces_is_cut_at_the_limit_not_at_an_early_space():
    """Chinese and Japanese have no spaces between words: keep what fits."""
    chinese = "新华社北京11月25日电 国务院总理今天主持召开国务院常务会议" * 5
    text = to_text(chinese, 40)
    assert len(text) == 40
    assert text == chinese[:39] + "…"
    japanese = (
        "大阪市で25日朝に停電があり、およそ5万戸が影響を受けた。さらに多くの家庭で"
    )
    assert (
        to_text(japanese, 30)
        == "大阪市で25日朝に停電があり、およそ5万戸が影響を受けた…"
    )


def test_truncation_drops_trailing_punctuation_before_ellipsis():
    assert to_text("Markets fall, investors worry about rates", 15) == "Markets fall…"


def test_short_text_is_not_truncated():
    assert to_text("Short title", 300) == "Short title"


def test_block_tags_and_line_breaks_separate_words():
    assert to_text("<p>First paragraph.</p><p>Second one.</p>") == (
        "First paragraph. Second one."
    )
    assert to_text("Line one<br>Line two") == "Line one Line two"


# --- clean_html ------------------------------------------------------------


def _hrefs(fragment: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', fragment)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_javascript_and_data_links_never_survive(href):
    cleaned = clean_html(f'<a href="{href}">click</a>')
    assert "href" not in cleaned
    assert "script" not in cleaned.lower()
    assert "data:" not in cleaned
    assert "click" in cleaned


def test_http_https_and_mailto_links_survive_with_rel():
    cleaned = clean_html(
        '<a href="https://example.org/a">a</a>'
        '<a href="http://example.org/b">b</a>'
        '<a href="mailto:desk@example.org">m</a>'
    )
    assert _hrefs(cleaned) == [
        "https://example.org/a",
        "http://example.org/b",
        "mailto:desk@example.org",
    ]
    assert cleaned.count(f'rel="{LINK_REL}"') == 3


def test_links_lose_event_handlers_target_and_style():
    cleaned = clean_html(
        '<a href="https://example.org/" onclick="steal()" target="_blank" '
        'style="color:red">x</a>'
    )
    assert cleaned == f'<a href="https://example.org/" rel="{LINK_REL}">x</a>'


def test_img_with_onerror_is_removed():
    cleaned = clean_html('<p>Hi<img src="x" onerror="alert(1)"></p>')
    assert cleaned == "<p>Hi</p>"


def test_script_is_removed_with_its_content():
    cleaned = clean_html("<p>Hi</p><script>alert(1)</script>")
    assert cleaned == "<p>Hi</p>"


def test_svg_onload_never_survives():
    cleaned = clean_html("<svg onload=alert(1)><circle r=1></circle></svg><p>ok</p>")
    assert "svg" not in cleaned
    assert "onload" not in cleaned
    assert "alert" not in cleaned
    assert "<p>ok</p>" in cleaned


def test_iframe_object_embed_and_forms_are_removed():
    cleaned = clean_html(
        '<iframe src="https://evil.example/"></iframe>'
        '<object data="x"></object><embed src="x">'
        '<form action="https://evil.example/"><input name="a"></form>'
    )
    for tag in ("iframe", "object", "embed", "form", "input"):
        assert f"<{tag}" not in cleaned


def test_style_attributes_and_ids_are_removed():
    cleaned = clean_html('<p style="position:fixed" id="x" class="y">text</p>')
    assert cleaned == "<p>text</p>"


def test_unclosed_paragraphs_and_items_are_closed():
    assert clean_html("<p>one<p>two") == "<p>one</p><p>two</p>"
    assert clean_html("<ul><li>a<li>b</ul>") == "<ul><li>a</li><li>b</li></ul>"


def test_disallowed_heading_keeps_its_text_allowed_one_stays():
    assert clean_html("<h1>Big</h1><h2>Sub</h2>") == "Big<h2>Sub</h2>"


def test_mutation_xss_payload_leaves_no_markup_that_runs():
    cleaned = clean_html(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'
    )
    for tag in ("<img", "<style", "<math", "<noscript", "<table"):
        assert tag not in cleaned


# --- escape_markdown -------------------------------------------------------

HOSTILE_HEADLINES = [
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<!-- ",
    "# heading",
    "1. item",
    "> quote",
    "*emph* _u_ `code`",
    "![img](http://x)",
    "&lt;b&gt;",
    "<http://evil>",
    "- item",
    "+ item",
    "2024) numbered",
    "***",
    "---",
    "[ref]: http://evil.example",
    "Tom & Jerry &amp; co",
    "&#60;script&#62;",
    "back\\slash \\*not emph\\*",
    "<a href='https://evil.example'>x</a>",
    "<img src=x onerror=alert(1)>",
    "{: .class} [^1] *[HTML]: abbr",
    "```python",
    "<desk@example.org>",
]
FORBIDDEN_TAGS = (
    "<a",
    "<script",
    "<img",
    "<h1",
    "<h2",
    "<ol",
    "<ul",
    "<hr",
    "<blockquote",
    "<em",
    "<strong",
    "<code",
    "<pre",
    "<sup",
    "<abbr",
    "<!--",
)


@pytest.mark.parametrize("extensions", [[], ["markdown.extensions.extra"]])
@pytest.mark.parametrize("headline", HOSTILE_HEADLINES)
def test_hostile_headline_renders_as_its_own_text(headline, extensions):
    rendered = markdown.markdown(
        escape_markdown(headline), extensions=extensions, output_format="html"
    )
    assert rendered.startswith("<p>")
    assert rendered.endswith("</p>")
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    for tag in FORBIDDEN_TAGS:
        assert tag not in inner.lower()
    assert "<" not in inner
    assert html.unescape(inner) == headline


def test_plain_words_are_left_alone():
    assert escape_markdown("Parliament votes on budget") == (
        "Parliament votes on budget"
    )


def test_multi_line_plain_text_is_never_markup():
    text = "Title\n===\n# second\n    indented"
    rendered = markdown.markdown(escape_markdown(text))
    assert "<h1" not in rendered
    assert "<pre" not in rendered


# --- safe_url --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=1#c",
        "http://example.org/",
        "HTTPS://Example.org/Path",
    ],
)
def test_absolute_http_urls_are_accepted(url):
    assert safe_url(url) == url


def test_surrounding_whitespace_is_stripped():
    assert safe_url("  https://example.org/x \n") == "https://example.org/x"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "relative/path",
        "../up",
        "ftp://example.org/file",
        "mailto:desk@example.org",
        "file:///etc/passwd",
        "http://",
        "https:example.org",
        "http://[::1",
        "java\tscript:alert(1)",
        "java\x00script:alert(1)",
        "jav\nascript:alert(1)",
        "\x01javascript:alert(1)",
        "",
        None,
    ],
)
def test_everything_but_absolute_http_urls_is_refused(url):
    assert safe_url(url) is None


def test_control_characters_inside_http_scheme_are_removed_not_kept():
    url = safe_url("ht\ttps://example.org/a\x0b")
    assert url == "https://example.org/a"
    assert not re.search(r"[\x00-\x1f\x7f]", url)
