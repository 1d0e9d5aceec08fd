"""The reader's path through the site, by clicking the links a reader sees."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browserkit import serve
from playwright.sync_api import Browser, Page, expect
from scenes import CONTRACT, CRACKED_GIRDERS, SCANS, reader_site, story_slug
from sitekit import Project

pytestmark = pytest.mark.browser

SCANS_TITLE = "Halvorsen Bridge inspectors order scans of two sister spans"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Project]]:
    """The reader site, served; yields its base URL and the project."""
    project = reader_site(tmp_path_factory.mktemp("navigation"))
    with serve(project.output) as url:
        yield url, project


def expect_page(page: Page, url: str, heading: str) -> None:
    """The browser is at ``url`` and the page's one ``<h1>`` reads ``heading``."""
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_reader_goes_from_home_through_stories_and_a_dispatch_to_the_wire(
    browser: Browser, site: tuple[str, Project]
) -> None:
    url, project = site
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "/")
    expect_page(page, url + "/", "Top Stories")

    page.locator(".card-title").get_by_role("link", name=CONTRACT).click()
    expect_page(page, f"{url}/stories/{story_slug(project, 'contract')}/", CONTRACT)

    related = page.get_by_role("region", name="Related stories")
    related.get_by_role("link", name=CRACKED_GIRDERS).click()
    expect_page(
        page, f"{url}/stories/{story_slug(project, 'cracked')}/", CRACKED_GIRDERS
    )
    expect(page.get_by_role("heading", name="How each side covered it")).to_be_visible()

    dispatches = page.get_by_role("region", name="Related dispatches")
    dispatches.get_by_role("link", name=SCANS_TITLE).click()
    expect_page(page, f"{url}/dispatches/{SCANS}/", SCANS_TITLE)
    expect(page.get_by_role("heading", name="03 · Source and signal")).to_be_visible()
    back_to_story = page.get_by_role("region", name="Related stories")
    expect(back_to_story.get_by_role("link", name=CRACKED_GIRDERS)).to_be_visible()

    nav = page.get_by_role("navigation", name="Site")
    nav.get_by_role("link", name="The Wire").click()
    expect_page(page, f"{url}/wire/", "The Wire")
    expect(
        page.locator(".card-title").get_by_role("link", name=SCANS_TITLE)
    ).to_be_visible()
    assert errors == []
    page.close()
