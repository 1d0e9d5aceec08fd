"""Publishing: feeds, sitemaps, robots.txt, page metadata, 404, reproducible builds.

Sites are built the way ``make publish`` builds them: Pelican's command line
with ``publishconf.py``, in a separate process, on small real projects.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import feedparser
import pytest
from scenes import (
    BRIDGE,
    BUDGET,
    LIBRARY,
    SITE,
    T0,
    bridge_site,
    publish,
    retitle,
    slug_of,
)
from sitekit import REPO, Item, Project, contents

from newsdigest.pelican.sitemap import (
    NEWS_SITEMAP_LIMIT,
    SitemapPage,
    news_items,
    render_robots,
    sitemap_page,
    url_path,
)

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
#: An editor's title that tries to end the JSON-LD script early.
HOSTILE_TITLE = 'Choir "wins" </script><script>alert(1)</script> & <!-- more'
#: An editor's summary that tries to put markup into every feed reader.
HOSTILE_SUMMARY = "Library opens <img src=x onerror=alert(1)><script>alert(2)</script>"


def output_file(output: Path, url: str) -> Path:
    """The file a URL under SITE is served from."""
    assert url.startswith(f"{SITE}/"), url
    path = output / url.removeprefix(f"{SITE}/")
    return path / "index.html" if url.endswith("/") else path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The bridge site, with a hostile hand-edited title and summary, published."""
    project = bridge_site(tmp_path_factory.mktemp("published"))
    retitle(project, "choir", HOSTILE_TITLE)
    summarize(project, "library", HOSTILE_SUMMARY)
    output = publish(project.root, project.output)
    return SimpleNamespace(project=project, output=output)


def summarize(project: Project, word: str, summary: str) -> None:
    """Give the story whose file name holds ``word`` a ``summary:``, by hand."""
    story = next(p for p in project.story_files() if word in p.stem)
    text = story.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    story.write_text(
        text.replace(title, f"{title}\nsummary: {json.dumps(summary)}"), "utf-8"
    )


def feed_files(output: Path, pattern: str) -> list[Path]:
    return sorted((output / "feeds").rglob(pattern))


# Feeds


def test_feeds_are_written_for_all_stories_each_category_and_country(
    site: SimpleNamespace,
) -> None:
    names = {
        p.relative_to(site.output / "feeds").as_posix()
        for p in feed_files(site.output, "*")
        if p.is_file()
    }
    for stem in (
        "all",
        "category/technology",
        "category/culture",
        "category/world",
        "country/us",
        "country/ca",
    ):
        assert {f"{stem}.atom.xml", f"{stem}.rss.xml", f"{stem}.json"} <= names
    assert len(names) == 18


@pytest.mark.parametrize("pattern", ["*.atom.xml", "*.rss.xml"])
def test_every_feed_parses_cleanly_and_links_into_the_site(
    site: SimpleNamespace, pattern: str
) -> None:
    for path in feed_files(site.output, pattern):
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert output_file(site.output, parsed.feed.link).is_file()
        assert parsed.entries, path
        for entry in parsed.entries:
            assert output_file(site.output, entry.link).is_file()
            assert entry.id == entry.link
            assert entry.title and entry.summary and entry.published_parsed


def test_story_entry_carries_title_link_summary_and_latest_report(
    site: SimpleNamespace,
) -> None:
    parsed = feedparser.parse((site.output / "feeds/all.atom.xml").read_bytes())
    bridge = next(e for e in parsed.entries if e.title == BRIDGE)
    slug = slug_of(site.project, "halvorsen")
    assert bridge.link == f"{SITE}/stories/{slug}/"
    assert "cracks in two girders" in bridge.summary
    assert bridge.published == "2026-11-20T08:00:00+00:00"
    assert bridge.updated == "2026-11-20T12:00:00+00:00"  # the third report
    assert parsed.feed.updated == "2026-11-21T09:00:00+00:00"  # newest entry
    # Newest first; the two stories of the same time in URL order.
    assert [e.title for e in parsed.entries] == [
        HOSTILE_TITLE,
        LIBRARY,
        BRIDGE,
        BUDGET,
    ]


def test_feed_text_round_trips_exactly(site: SimpleNamespace) -> None:
    for name in ("all.atom.xml", "all.rss.xml"):
        parsed = feedparser.parse((site.output / "feeds" / name).read_bytes())
        assert HOSTILE_TITLE in [e.title for e in parsed.entries]


def test_an_editors_summary_reaches_feeds_sanitized(site: SimpleNamespace) -> None:
    """Feed readers render an entry's summary as HTML: it passes the sanitizer."""
    feeds = site.output / "feeds"
    atom = ET.parse(feeds / "all.atom.xml").getroot()
    atom_ns = "{http://www.w3.org/2005/Atom}"
    rss = ET.parse(feeds / "all.rss.xml").getroot()
    items = json.loads((feeds / "all.json").read_text("utf-8"))["items"]
    summaries = {
        "atom": [e.findtext(f"{atom_ns}summary") for e in atom.iter(f"{atom_ns}entry")],
        "rss": [i.findtext("description") for i in rss.iter("item")],
        "json": [item["content_html"] for item in items],
    }
    for name, texts in summaries.items():
        (library,) = [text for text in texts if "Library opens" in text]
        assert library == "<p>Library opens </p>", name


def test_category_and_country_feeds_hold_only_their_stories(
    site: SimpleNamespace,
) -> None:
    def titles(name: str) -> list[str]:
        parsed = feedparser.parse((site.output / "feeds" / name).read_bytes())
        return [e.title for e in parsed.entries]

    assert titles("category/technology.atom.xml") == [BRIDGE]
    assert titles("country/ca.rss.xml") == [HOSTILE_TITLE]
    assert titles("country/us.atom.xml") == [
        LIBRARY,
        BRIDGE,
        BUDGET,
    ]


def test_json_feed_follows_version_1_1_and_matches_atom(
    site: SimpleNamespace,
) -> None:
    for path in feed_files(site.output, "*.json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"] == f"{SITE}/{path.relative_to(site.output)}"
        assert output_file(site.output, feed["home_page_url"]).is_file()
        atom = feedparser.parse(path.with_suffix(".atom.xml").read_bytes())
        assert [i["id"] for i in feed["items"]] == [e.id for e in atom.entries]
        for item in feed["items"]:
            assert item["url"] == item["id"]
            assert output_file(site.output, item["url"]).is_file()
            assert item["title"] and item["content_html"] and item["summary"]
            for key in ("date_published", "date_modified"):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item[key])


def test_feed_ids_stay_when_a_story_gets_a_new_report(tmp_path: Path) -> None:
    project = bridge_site(tmp_path)
    first = publish(project.root, tmp_path / "first")
    project.add_outlet(
        "late-gazette",
        [
            Item(
                "Halvorsen Bridge closed after inspectors find cracks in girders",
                "https://late-gazette.example/bridge",
                T0 + timedelta(days=1, hours=6),
                "Inspectors found cracks in two girders of the Halvorsen Bridge.",
                categories=("Technology",),
            )
        ],
        lean="Center",
        country="US",
    )
    project.ingest()
    second = publish(project.root, tmp_path / "second")

    def entries(output: Path) -> dict[str, str]:
        parsed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
        return {e.id: e.updated for e in parsed.entries}

    before, after = entries(first), entries(second)
    assert before.keys() == after.keys()
    bridge = f"{SITE}/stories/{slug_of(project, 'halvorsen')}/"
    assert after[bridge] == "2026-11-21T14:00:00+00:00"
    assert before[bridge] == "2026-11-20T12:00:00+00:00"


def test_pages_link_their_feeds_in_head_and_footer(site: SimpleNamespace) -> None:
    home = (site.output / "index.html").read_text(encoding="utf-8")
    category = (site.output / "category/technology/index.html").read_text("utf-8")
    country = (site.output / "country/us/index.html").read_text("utf-8")
    all_atom = f'href="{SITE}/feeds/all.atom.xml"'
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert home.count(all_atom) == 2  # <head> and footer
    assert f"{SITE}/feeds/category/technology.atom.xml" not in home
    assert category.count(f'href="{SITE}/feeds/category/technology.rss.xml"') == 2
    assert country.count(f'href="{SITE}/feeds/country/us.json"') == 2
    for page in (home, category, country):
        for href in re.findall(rf'href="({SITE}/feeds/[^"]+)"', page):
            assert (site.output / href.removeprefix(f"{SITE}/")).is_file()


def test_development_build_writes_no_feeds_or_sitemaps(project: Project) -> None:
    project.add_outlet("solo", [Item(BRIDGE, "https://solo.example/a", T0, "Cracks.")])
    project.ingest()
    output = project.build()
    assert not (output / "feeds").exists()
    assert not (output / "sitemap.xml").exists()
    assert not (output / "news-sitemap.xml").exists()
    assert (output / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\n"
    )
    assert "feed-links" not in project.page("index.html")


def test_a_development_build_after_publishing_deletes_its_feeds_and_sitemaps(
    tmp_path: Path,
) -> None:
    """make html after make publish left 60 feeds and both sitemaps, all for
    the published address, in output/: only pages were noted as outputs."""
    project = bridge_site(tmp_path / "site")
    publish(project.root, project.output)
    assert (project.output / "feeds" / "all.atom.xml").is_file()
    assert (project.output / "sitemap.xml").is_file()
    project.build(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    assert not (project.output / "feeds").exists()
    assert not (project.output / "sitemap.xml").exists()
    assert not (project.output / "news-sitemap.xml").exists()
    assert "Sitemap" not in (project.output / "robots.txt").read_text("utf-8")
    assert (project.output / "stories" / slug_of(project, "bridge")).is_dir()


# Sitemaps and robots.txt


def sitemap(output: Path, name: str) -> ET.Element:
    return ET.fromstring((output / name).read_bytes())


def test_sitemap_lists_every_page_once_with_content_dates(
    site: SimpleNamespace,
) -> None:
    urls = sitemap(site.output, "sitemap.xml").findall(f"{SM}url")
    locs = [u.findtext(f"{SM}loc") for u in urls]
    assert len(locs) == len(set(locs))
    pages = {
        f"{SITE}/{url_path(p.relative_to(site.output).as_posix())}"
        for p in site.output.rglob("*.html")
        if p.name != "404.html"
    }
    assert set(locs) == pages
    lastmod = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urls}
    bridge = f"{SITE}/stories/{slug_of(site.project, 'halvorsen')}/"
    assert lastmod[bridge] == "2026-11-20T12:00:00Z"
    assert lastmod[f"{SITE}/"] == "2026-11-21T09:00:00Z"
    assert lastmod[f"{SITE}/category/technology/"] == "2026-11-20T12:00:00Z"
    # An outlet page changes with its own stories, the Wire with dispatches.
    assert lastmod[f"{SITE}/outlets/right-post/"] == "2026-11-20T12:00:00Z"
    assert lastmod[f"{SITE}/outlets/left-daily/"] == "2026-11-21T09:00:00Z"
    assert lastmod[f"{SITE}/outlets/"] == "2026-11-21T09:00:00Z"
    assert lastmod[f"{SITE}/wire/"] is None  # no dispatches


def test_news_sitemap_holds_the_two_days_before_the_newest_item(
    site: SimpleNamespace,
) -> None:
    urls = sitemap(site.output, "news-sitemap.xml").findall(f"{SM}url")
    titles = [u.findtext(f"{NEWS}news/{NEWS}title") for u in urls]
    assert titles == [HOSTILE_TITLE, LIBRARY, BRIDGE]
    first = urls[0].find(f"{NEWS}news")
    assert first.findtext(f"{NEWS}publication/{NEWS}name") == "newsdigest sample"
    assert first.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert first.findtext(f"{NEWS}publication_date") == "2026-11-21T09:00:00Z"
    for url in urls:
        assert output_file(site.output, url.findtext(f"{SM}loc")).is_file()


def test_publishing_without_siteurl_stops_with_a_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    pelican = str(Path(sys.executable).parent / "pelican")
    output = tmp_path / "output"
    command = [pelican, str(tmp_path), "-o", str(output), "-s", "publishconf.py"]
    result = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "publishconf.py: set SITEURL to the site's address" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_news_sitemap_leaves_out_stories_no_feed_dated() -> None:
    day = datetime(2026, 11, 20, tzinfo=UTC)

    def story(slug: str, date: datetime, dated: bool) -> SimpleNamespace:
        coverage = SimpleNamespace(last_dated=date if dated else None)
        return SimpleNamespace(url=slug, date=date, coverage=coverage)

    first_seen_today = story("undated", day + timedelta(days=4), dated=False)
    fresh = story("fresh", day, dated=True)
    older = story("older", day - timedelta(days=1), dated=True)
    dispatch = SimpleNamespace(url="dispatch", date=day - timedelta(hours=2))
    items = news_items([first_seen_today, older, fresh, dispatch], days=2)
    # The window ends at the newest dated item, not at the undated one.
    assert [a.url for a in items] == ["fresh", "dispatch", "older"]


def test_sitemap_dates_come_from_what_a_page_shows() -> None:
    day = datetime(2026, 11, 20, tzinfo=UTC)
    story = SimpleNamespace(date=day, modified=day + timedelta(hours=5))
    draft = SimpleNamespace(date=day, status="draft")
    about = SimpleNamespace(status="published")
    cases = [
        ({"article": story}, "stories/a/index.html", "stories/a/", story.modified),
        ({"page": about}, "about/index.html", "about/", None),
        ({"articles": [draft, story]}, "index.html", "", story.modified),
        ({"lastmod": day, "articles": [story]}, "wire/index.html", "wire/", day),
    ]
    for context, output, path, lastmod in cases:
        page = sitemap_page({**context, "output_file": output})
        assert page == SitemapPage(path, lastmod)
    assert sitemap_page({"article": draft, "output_file": "drafts/x.html"}) is None
    assert sitemap_page({"noindex": True, "output_file": "404.html"}) is None


def test_news_window_counts_back_from_the_newest_item_and_caps_at_1000() -> None:
    newest = datetime(2020, 1, 10, tzinfo=UTC)
    items = [
        SimpleNamespace(date=newest - timedelta(minutes=n), url=f"s/{n}/")
        for n in range(1200)
    ]
    items.append(SimpleNamespace(date=newest - timedelta(days=3), url="old/"))
    chosen = news_items(reversed(items), days=2)
    assert len(chosen) == NEWS_SITEMAP_LIMIT
    assert chosen[0].url == "s/0/"
    assert all(a.url != "old/" for a in chosen)
    assert news_items([], days=2) == []


def test_robots_txt_names_both_sitemaps(site: SimpleNamespace) -> None:
    assert (site.output / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\n\n"
        f"Sitemap: {SITE}/sitemap.xml\nSitemap: {SITE}/news-sitemap.xml\n"
    )
    assert render_robots([]) == "User-agent: *\nAllow: /\n"


# What pages say about themselves


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


def meta(html: str, key: str) -> list[str]:
    """The content of every <meta name|property=key> in ``html``."""
    return re.findall(rf'<meta (?:name|property)="{key}" content="([^"]*)">', html)


def test_story_page_has_news_article_json_ld(site: SimpleNamespace) -> None:
    slug = slug_of(site.project, "halvorsen")
    html = (site.output / f"stories/{slug}/index.html").read_text(encoding="utf-8")
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', head(html), re.S
    )
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == BRIDGE
    assert data["url"] == data["mainEntityOfPage"] == f"{SITE}/stories/{slug}/"
    assert data["datePublished"] == "2026-11-20T08:00:00+00:00"
    assert data["dateModified"] == "2026-11-20T12:00:00+00:00"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "newsdigest sample",
        "url": f"{SITE}/",
    }
    assert data["author"] == {"@type": "Organization", "name": "The newsdigest desk"}
    assert data["articleSection"] == "Technology"
    assert "cracks in two girders" in data["description"]


def test_json_ld_cannot_be_closed_by_a_headline(site: SimpleNamespace) -> None:
    slug = slug_of(site.project, "choir")
    html = (site.output / f"stories/{slug}/index.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">')
    block = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "&" not in block
    assert json.loads(block)["headline"] == HOSTILE_TITLE
    assert "<script>alert(1)" not in html


def test_every_page_has_csp_canonical_open_graph_and_twitter_tags(
    site: SimpleNamespace,
) -> None:
    for path in site.output.rglob("*.html"):
        html = head(path.read_text(encoding="utf-8"))
        csp = re.findall(
            r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html
        )
        assert len(csp) == 1, path
        assert "script-src &#39;self&#39;" in csp[0]
        assert html.index("Content-Security-Policy") < html.index('rel="stylesheet"')
        assert meta(html, "og:site_name") == ["newsdigest sample"]
        assert len(meta(html, "og:title")) == 1
        assert len(meta(html, "og:description")) == 1
        assert meta(html, "twitter:card") == ["summary"]
        if path.name == "404.html":
            assert meta(html, "robots") == ["noindex"]
            assert 'rel="canonical"' not in html
            continue
        url = f"{SITE}/{url_path(path.relative_to(site.output).as_posix())}"
        assert f'<link rel="canonical" href="{url}">' in html
        assert meta(html, "og:url") == [url]


def test_story_open_graph_is_an_article_with_its_dates(site: SimpleNamespace) -> None:
    slug = slug_of(site.project, "halvorsen")
    html = head((site.output / f"stories/{slug}/index.html").read_text("utf-8"))
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == [BRIDGE]
    assert meta(html, "article:published_time") == ["2026-11-20T08:00:00+00:00"]
    assert meta(html, "article:modified_time") == ["2026-11-20T12:00:00+00:00"]
    assert meta(head((site.output / "index.html").read_text("utf-8")), "og:type") == [
        "website"
    ]


def test_pages_have_no_inline_scripts_or_styles(site: SimpleNamespace) -> None:
    for path in site.output.rglob("*.html"):
        tags = re.findall(r"<[a-z][^>]*>", path.read_text(encoding="utf-8"))
        for tag in tags:
            if tag.startswith("<script"):
                assert "src=" in tag or 'type="application/ld+json"' in tag, tag
            assert not tag.startswith("<style"), (path, tag)
            assert not re.search(r"\s(?:style|on[a-z]+)\s*=", tag), (path, tag)


# The 404 page


def test_404_page_sits_at_the_root_and_works_at_any_depth(
    site: SimpleNamespace, project: Project
) -> None:
    published = (site.output / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in published
    assert f'href="{SITE}/"' in published
    project.add_outlet("solo", [Item(BRIDGE, "https://solo.example/a", T0, "x")])
    project.ingest()
    html = project.build().joinpath("404.html").read_text(encoding="utf-8")
    # Served for /any/missing/path, so its links start at the root.
    links = re.findall(r'(?:href|src)="([^"#]+)"', html)
    assert links
    assert all(link.startswith("/") for link in links), links


# Reproducible output


def test_two_builds_of_the_same_content_are_byte_identical(
    site: SimpleNamespace, tmp_path: Path
) -> None:
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copytree(site.project.content, twin / "content")
    shutil.copy(site.project.sources, twin / "sources.yaml")
    shutil.copytree(site.project.root / "feeds", twin / "feeds")
    # Another folder and another hash seed: set and dict order change.
    again = contents(publish(twin, twin / "output", seed=4242))
    first = contents(site.output)
    assert again.keys() == first.keys()
    assert [name for name in first if first[name] != again[name]] == []


# make publish and the deploy targets


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """``make -n``: what the target would run, without running it."""
    return subprocess.run(
        ["make", "-n", "-C", str(REPO), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_publish_builds_with_publishconf() -> None:
    run = make("publish")
    assert run.returncode == 0, run.stderr
    assert "newsdigest-build content -o output -s publishconf.py" in run.stdout


@pytest.mark.parametrize(
    ("target", "variable", "command"),
    [
        (
            "deploy-rsync",
            "RSYNC_TARGET=deploy@host.example:/var/www/news",
            (
                "rsync -rlptvz --checksum --delete output/ "
                "deploy@host.example:/var/www/news/"
            ),
        ),
        (
            "deploy-s3",
            "S3_BUCKET=news-site",
            "aws s3 sync output/ s3://news-site/ --delete",
        ),
        (
            "deploy-gh-pages",
            "GH_PAGES_BRANCH=gh-pages",
            (
                ".venv/bin/ghp-import --no-jekyll --push --remote origin "
                '--branch gh-pages --message "Publish the site" output'
            ),
        ),
    ],
)
def test_deploy_targets_publish_then_upload(
    target: str, variable: str, command: str
) -> None:
    run = make(target, variable)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    build = lines.index(
        ".venv/bin/newsdigest-build content -o output -s publishconf.py"
    )
    upload = next(i for i, line in enumerate(lines) if line.startswith(command))
    assert build < upload


def test_s3_endpoint_is_passed_for_other_s3_hosts() -> None:
    run = make("deploy-s3", "S3_BUCKET=b", "S3_ENDPOINT=https://s3.host.example")
    assert "--endpoint-url https://s3.host.example" in run.stdout


@pytest.mark.parametrize(
    ("target", "variable"),
    [("deploy-rsync", "RSYNC_TARGET"), ("deploy-s3", "S3_BUCKET")],
)
def test_deploy_without_a_destination_stops_before_building(
    target: str, variable: str
) -> None:
    run = make(target)
    assert run.returncode != 0
    assert f"{variable} is not set" in run.stderr
    assert "pelican" not in run.stdout
