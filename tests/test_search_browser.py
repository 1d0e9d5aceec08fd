"""Static search: Pagefind indexes the published site; the search page finds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from browserkit import WATCH_CSP, serve
from playwright.sync_api import Browser, expect
from scenes import KEEPER, add_last_years_story, bridge_site, dispatch_text, publish
from sitekit import Item

from newsdigest.search_index import BUNDLE, MANIFEST, RECENT, build_index

pytestmark = pytest.mark.browser
BRIDGE = "/stories/halvorsen-bridge-closed-after-inspectors-find-cracks/"
BRIDGE_TITLE = "Halvorsen Bridge closed after inspectors find cracks"
FERRY = "Halvorsen ferry makes its last crossing before the bridge opens"
#: Dispatches that all say "zeppelin": more than the search page lists at once.
MASTS = 23


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bridge site, last year's story and one from 2023, published for a
    local host and indexed by Pagefind (in three shards: recent, 2025, 2023)."""
    project = bridge_site(tmp_path_factory.mktemp("search"))
    add_last_years_story(project)
    when = datetime(2023, 6, 1, 9, 0, tzinfo=UTC)
    ferry = Item(FERRY, "https://ferry-news.example/last", when, "The ferry sailed.")
    project.add_outlet("ferry-news", [ferry], lean="Center")
    project.ingest()
    for number in range(MASTS):
        slug = f"zeppelin-mast-{number}"
        title = f"Zeppelin mooring mast {number} inspected"
        project.add_dispatch(dispatch_text(slug, title=title), slug)
    with serve(project.output) as url:
        publish(project.root, project.output, siteurl=url)
        build_index(project.output)
        manifest = project.output / BUNDLE / MANIFEST
        assert json.loads(manifest.read_text()) == {"shards": [RECENT, "2025", "2023"]}
        yield url


def test_reader_searches_from_the_nav_and_opens_a_story(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(site_url + "/")
    page.get_by_role("navigation", name="Site").get_by_role(
        "link", name="Search"
    ).click()
    page.get_by_label("Search stories and dispatches").fill("girders")
    page.get_by_role("button", name="Search").click()
    # Pagefind fetches and compiles its WebAssembly first: allow a loaded machine.
    expect(page.locator("#search-status")).to_have_text(
        "1 result for “girders”.", timeout=20_000
    )
    link = page.locator(".search-results a").first
    expect(link).to_have_attribute("href", BRIDGE)
    expect(page.locator(".search-results mark").first).to_have_text("girders")
    assert "q=girders" in page.url
    assert page.evaluate("window.cspViolations") == []
    link.click()
    expect(page).to_have_url(site_url + BRIDGE)
    page.close()


def test_search_finds_pages_in_every_shard_of_the_index(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(site_url + "/search/?q=lighthouse")
    expect(page.locator("#search-status")).to_have_text(
        "1 result for “lighthouse”.", timeout=20_000
    )
    expect(page.locator(".search-results a")).to_have_text([KEEPER])
    page.get_by_label("Search stories and dispatches").fill("Halvorsen")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_have_text(
        "3 results for “Halvorsen”.", timeout=20_000
    )
    titles = page.locator(".search-results a").all_text_contents()
    assert sorted(titles) == sorted([KEEPER, BRIDGE_TITLE, FERRY])
    assert page.evaluate("window.cspViolations") == []
    page.close()


def test_more_results_than_a_page_are_listed_on_asking(
    browser: Browser, site_url: str
) -> None:
    """The page listed 20 results and said there were 35, with no way to the rest."""
    page = browser.new_page()
    page.goto(site_url + "/search/?q=zeppelin")
    expect(page.locator("#search-status")).to_have_text(
        f"{MASTS} results for “zeppelin”; showing 20.", timeout=20_000
    )
    expect(page.locator(".search-results li")).to_have_count(20)
    page.get_by_role("button", name="More results").click()
    expect(page.locator(".search-results li")).to_have_count(MASTS)
    expect(page.locator("#search-status")).to_have_text(
        f"{MASTS} results for “zeppelin”."
    )
    expect(page.get_by_role("button", name="More results")).to_be_hidden()
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == page.locator(".search-results a").nth(20).text_content()
    page.close()


def test_words_typed_before_the_script_runs_are_searched(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    page.route("**/js/search.js", lambda route: route.abort())
    page.goto(site_url + "/search/")
    page.get_by_label("Search stories and dispatches").fill("girders")
    page.unroute("**/js/search.js")
    page.add_script_tag(url=site_url + "/theme/js/search.js", type="module")
    expect(page.locator("#search-status")).to_have_text(
        "1 result for “girders”.", timeout=20_000
    )
    expect(page.get_by_label("Search stories and dispatches")).to_have_value("girders")
    page.close()


def test_only_the_search_page_may_compile_webassembly(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    policies = []
    for path in ("/search/", BRIDGE):
        page.goto(site_url + path)
        meta = page.locator('meta[http-equiv="Content-Security-Policy"]')
        policies.append(meta.get_attribute("content") or "")
    assert "script-src 'self' 'wasm-unsafe-eval';" in policies[0]
    assert "wasm-unsafe-eval" not in policies[1]
    page.close()


def test_search_page_says_it_needs_javascript_without_it(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/search/?q=girders")
    expect(page.locator("#search-status")).to_contain_text("needs JavaScript")
    expect(page.get_by_role("link", name="All stories").last).to_be_visible()
    context.close()
