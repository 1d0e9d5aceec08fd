"""Printing a story or a dispatch: black on white, no site chrome, source URLs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserkit import serve
from playwright.sync_api import Browser, Page, expect
from scenes import SCANS, reader_site, story_slug

pytestmark = pytest.mark.browser

WHITE = "rgb(255, 255, 255)"
BLACK = "rgb(0, 0, 0)"
#: For each printed page: the list that must print, and one source link in it.
PRINTED = {
    "story": (".report-list", "https://harbor.example/bridge"),
    "dispatch": (".origins", "https://transport.example/notice"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The reader site, served; yields the URL of its closure story and dispatch."""
    project = reader_site(tmp_path_factory.mktemp("print"))
    with serve(project.output) as url:
        yield {
            "story": f"{url}/stories/{story_slug(project, 'cracked')}/",
            "dispatch": f"{url}/dispatches/{SCANS}/",
        }


@pytest.fixture
def dark_page(browser: Browser) -> Iterator[Page]:
    """A page for a reader whose screen prefers the dark colour scheme."""
    context = browser.new_context(color_scheme="dark")
    yield context.new_page()
    context.close()


def style(page: Page, selector: str, pseudo: str | None = None) -> dict[str, str]:
    """The computed colours, page-break rule and generated content of ``selector``."""
    return page.locator(selector).first.evaluate(
        "(el, pseudo) => { const s = getComputedStyle(el, pseudo);"
        " return {background: s.backgroundColor, color: s.color,"
        " breakInside: s.breakInside, content: s.content}; }",
        pseudo,
    )


@pytest.mark.parametrize("kind", PRINTED)
def test_printed_page_is_dark_text_on_white_without_site_chrome(
    dark_page: Page, site: dict[str, str], kind: str
) -> None:
    page = dark_page
    page.goto(site[kind])
    assert style(page, "body")["background"] != WHITE  # the screen is dark
    page.emulate_media(media="print")
    body = style(page, "body")
    assert body["background"] == WHITE
    assert body["color"] == BLACK
    for chrome in ("nav", ".skip-link", ".site-footer", ".back"):
        expect(page.locator(chrome)).to_be_hidden()
    listing, _source = PRINTED[kind]
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(listing)).to_be_visible()
    assert style(page, f"{listing} > li")["breakInside"] == "avoid"


@pytest.mark.parametrize("kind", PRINTED)
def test_printed_source_links_show_their_address(
    dark_page: Page, site: dict[str, str], kind: str
) -> None:
    page = dark_page
    page.goto(site[kind])
    listing, source = PRINTED[kind]
    link = f'{listing} a[href="{source}"]'
    assert style(page, link, "::after")["content"] == "none"
    page.emulate_media(media="print")
    assert style(page, link, "::after")["content"] == f'" ({source})"'
    assert style(page, ".related a", "::after")["content"] == "none"


def test_story_prints_to_a_pdf(dark_page: Page, site: dict[str, str]) -> None:
    page = dark_page
    page.goto(site["story"])
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    assert b"/Type /Page" in pdf
    assert len(pdf) > 5_000
