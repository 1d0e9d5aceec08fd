"""A real reader: Debian's Chromium, driven by Playwright, on a served site."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browserkit import serve
from playwright.sync_api import Browser, expect
from sitekit import REPO, Project

from newsdigest.ingest.run import run_ingest
from newsdigest.registry import load_registry

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("browser"))
    run_ingest(load_registry(REPO / "sources.yaml"), project.content, project.state)
    (project.root / "sources.yaml").write_text(
        (REPO / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    project.build()
    with serve(project.output) as url:
        yield url


def test_reader_opens_a_story_from_the_home_page(
    browser: Browser, site_url: str, tmp_path
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Top Stories")
    first = page.locator(".card-title a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    for heading in (
        "How each side covered it",
        "Covered around the world",
        "Bias read",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"^\d+ reports?$"))
    ).to_be_visible()
    expect(page.locator("svg.lean-bar").first).to_be_visible()
    # The optional script turned absolute times into relative ones; the
    # absolute time stays in the datetime attribute and the title.
    first_time = page.locator("time").first
    expect(first_time).to_have_text(re.compile(r"ago|just now"))
    assert first_time.get_attribute("datetime")
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)
    assert errors == []
    assert all(url.startswith(site_url) for url in requests), requests
    page.get_by_role("link", name="← Back to feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Top Stories")


def test_story_page_reads_without_javascript(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/")
    page.locator(".card-title a").first.click()
    expect(page.locator("time").first).to_contain_text("UTC")
    expect(page.get_by_role("heading", name="How each side covered it")).to_be_visible()
    context.close()
