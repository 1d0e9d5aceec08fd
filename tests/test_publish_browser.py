"""The published site in Debian's Chromium: the CSP blocks nothing it needs.

The site is built as ``make publish`` builds it, with ``SITEURL`` set to a
local server that, like static hosts, answers missing paths with 404.html.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from browserkit import WATCH_CSP, serve
from playwright.sync_api import Browser
from scenes import bridge_site, publish

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = bridge_site(tmp_path_factory.mktemp("published-browser"))
    with serve(project.output) as url:
        publish(project.root, project.output, siteurl=url)
        yield url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/stories/halvorsen-bridge-closed-after-inspectors-find-cracks/",
        "/category/technology/",
        "/country/us/",
        "/archives/",
        "/no/such/page/",
    ],
)
def test_pages_load_everything_under_the_content_security_policy(
    browser: Browser, site_url: str, path: str
) -> None:
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    loaded: dict[str, int] = {}
    page.on("response", lambda r: loaded.__setitem__(r.url, r.status))
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    assert page.evaluate("window.cspViolations") == []
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    assert loaded[f"{site_url}/theme/css/site.css"] == 200
    assert loaded[f"{site_url}/theme/js/time.js"] == 200
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 0
    # A page naming no icon made browsers ask for /favicon.ico: a 404 a visit.
    assert page.locator('link[rel="icon"]').count() == 1
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(urljoin(page.url, icon)).status == 200
    if path == "/no/such/page/":
        assert loaded[site_url + path] == 404
        assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    page.close()


def test_json_ld_is_read_as_data_on_a_story_page(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(
        f"{site_url}/stories/halvorsen-bridge-closed-after-inspectors-find-cracks/"
    )
    text = page.locator('script[type="application/ld+json"]').text_content()
    assert json.loads(text or "")["@type"] == "NewsArticle"
    assert page.evaluate("window.cspViolations") == []
    page.close()
