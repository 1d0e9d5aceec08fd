"""Accessibility, layout and weight of every page type, in Debian's Chromium.

axe-core (pinned in package.json, installed by ``npm ci``) checks each page in
light and dark; phone and desktop screenshots go to the test's tmp_path.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from browserkit import serve
from playwright.sync_api import Browser, Page
from sitekit import REPO, Item, Project

pytestmark = pytest.mark.browser
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
#: (light or dark, viewport): every page is checked in both schemes and sizes.
LOOKS = [("light", "desktop"), ("dark", "phone")]


def first_page(output: Path, folder: str) -> str:
    """The URL path of the first page under ``folder`` (sorted, for stability)."""
    index = sorted((output / folder).glob("*/index.html"))[0]
    return "/" + index.parent.relative_to(output).as_posix() + "/"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample site, built and served like a static host (404 included)."""
    project = Project(tmp_path_factory.mktemp("a11y"))
    project.add_sample()
    project.build()
    with serve(project.output) as url:
        yield url, project.output


def page_paths(output: Path) -> dict[str, str]:
    """One URL path per page type."""
    return {
        "home": "/",
        "story": first_page(output, "stories"),
        "dispatch": first_page(output, "dispatches"),
        "wire": "/wire/",
        "category": first_page(output, "category"),
        "country": first_page(output, "country"),
        "outlet": first_page(output, "outlets"),
        "outlets": "/outlets/",
        "search": "/search/",
        "blindspot": "/blindspot/",
        "thread": first_page(output, "threads"),
        "threads": "/threads/",
        "topic": first_page(output, "topics"),
        "topics": "/topics/",
        "archives": "/archives/",
        "categories": "/category/",
        "404": "/no-such-page/",
        "about": "/about/",
    }


def violations(page: Page) -> list[str]:
    """axe-core's violations on the page, whatever their impact, one line each.

    Moderate ones count too: cards under a page's h1 as h3s were a
    ``heading-order`` violation (moderate) on every listing page.
    """
    assert AXE.is_file(), f"{AXE} is missing: run `make install-test` (npm ci)"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "axe.run(document)"
        ".then(r => ({violations: r.violations, passes: r.passes.length}))"
    )
    assert results["passes"], "axe checked nothing"
    violations = results["violations"]
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for v in violations
        for node in v["nodes"]
    ]


@pytest.mark.parametrize(("scheme", "size"), LOOKS)
def test_every_page_type_passes_axe_and_fits(
    browser: Browser, sample: tuple[str, Path], tmp_path: Path, scheme: str, size: str
) -> None:
    url, output = sample
    # CSP forbids inline scripts; axe is injected inline, so only tests bypass it.
    context = browser.new_context(
        viewport=VIEWPORTS[size], color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for name, path in page_paths(output).items():
        page.goto(url + path)
        page.screenshot(
            path=str(tmp_path / f"{name}-{size}-{scheme}.png"), full_page=True
        )
        found = violations(page)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            found.append(f"horizontal overflow: scrollWidth {width[0]} > {width[1]}")
        if found:
            problems[name] = found
    context.close()
    assert problems == {}


def test_tab_reaches_the_skip_link_first_and_it_focuses_main(
    browser: Browser, sample: tuple[str, Path]
) -> None:
    url, output = sample
    page = browser.new_page()
    page.goto(url + first_page(output, "stories"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
    )
    page.close()


def test_story_with_twenty_reports_weighs_at_most_50_kb(project: Project) -> None:
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    leans = ["Left", "Lean Left", "Center", "Lean Right", "Right"]
    for n in range(20):
        outlet = f"outlet-{n:02d}"
        item = Item(
            title=f"Halvorsen Bridge closed after inspectors find cracks ({n})",
            link=f"https://{outlet}.example/bridge",
            published=t0 + timedelta(minutes=10 * n),
            description=(
                "Inspectors found cracks in two girders of the Halvorsen Bridge in "
                "Port Calloway; repairs could cost $310 million, commissioner "
                "Okafor said on Friday, and the bridge stays closed until spring."
            ),
            categories=("World",),
        )
        project.add_outlet(
            outlet,
            [item],
            name=f"The Outlet Number {n} Daily Chronicle",
            lean=leans[n % 5],
            ownership="Corporate",
            owner_group=f"Group {n}",
            country=["US", "CA", "GB", "FR"][n % 4],
        )
    project.ingest()
    output = project.build()
    (story,) = (output / "stories").glob("*/index.html")
    html = story.read_text(encoding="utf-8")
    assert html.count('class="report"') == 20
    css = output / "theme" / "css" / "site.css"
    weight = len(html.encode()) + css.stat().st_size
    assert weight <= 50 * 1024, f"{weight} bytes"
