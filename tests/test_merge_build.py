"""Real builds honour ``merged_into``: one story page, the other's URL redirects."""

from __future__ import annotations

import logging

import pytest
from sitekit import Project

A = "harbor-bridge-closed"
B = "bridge-shut-for-repairs"
C = "port-commuters-stranded"


def write_story(
    project: Project, slug: str, title: str, urls: list[str], extra: str = ""
) -> None:
    """Write a hand-made story file whose reports come from ``harbor-ledger``."""
    reports = "".join(
        f"- outlet: harbor-ledger\n  headline: {title} ({number})\n  url: {url}\n"
        f"  published: '2026-11-20T0{number}:00:00Z'\n"
        for number, url in enumerate(urls, 1)
    )
    text = (
        f"---\ntitle: {title}\nslug: {slug}\ndate: '2026-11-20T08:00:00Z'\n"
        f"category: World\n{extra}reports:\n{reports}---\n\n{title}, in short.\n"
    )
    path = project.content / "stories" / "2026" / "11" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def merged_site(project: Project) -> Project:
    """Story B merged into A, C merged into B (a chain), built for publishing."""
    project.add_outlet("harbor-ledger", [], lean="Center")
    write_story(project, A, "Harbor bridge closed", ["https://h.example/1"])
    write_story(
        project,
        B,
        "Bridge shut for repairs",
        ["https://h.example/1", "https://h.example/2"],
        f"merged_into: {A}\n",
    )
    write_story(
        project,
        C,
        "Port commuters stranded",
        ["https://h.example/3"],
        f"merged_into: {B}\n",
    )
    project.build(
        SITEURL="https://news.example",
        RELATIVE_URLS=False,
        NEWSDIGEST_FEED_FORMATS=("atom",),
        NEWSDIGEST_SITEMAP="sitemap.xml",
        NEWSDIGEST_NEWS_SITEMAP="news-sitemap.xml",
    )
    return project


def test_merged_reports_appear_once_on_the_target_page(merged_site: Project) -> None:
    html = merged_site.page(f"stories/{A}/index.html")
    assert "3 reports" in html
    assert html.count('<li class="report">') == 3
    for url in ("https://h.example/1", "https://h.example/2", "https://h.example/3"):
        assert html.count(f'<h3><a href="{url}"') == 1


def test_merged_story_url_redirects_to_its_target(merged_site: Project) -> None:
    for slug in (B, C):
        html = merged_site.page(f"stories/{slug}/index.html")
        target = f"https://news.example/stories/{A}/"
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
        assert f'<link rel="canonical" href="{target}">' in html
        assert '<meta http-equiv="Content-Security-Policy"' in html
        assert "<script" not in html
        assert "Harbor bridge closed" in html


def test_merged_stories_are_listed_nowhere(merged_site: Project) -> None:
    listings = [
        "index.html",
        "archives/index.html",
        "category/world/index.html",
        "country/us/index.html",
        "feeds/all.atom.xml",
        "sitemap.xml",
        "news-sitemap.xml",
    ]
    for relative in listings:
        text = merged_site.page(relative)
        assert f"/stories/{A}/" in text, relative
        assert f"/stories/{B}/" not in text and f"/stories/{C}/" not in text, relative


@pytest.mark.parametrize(
    ("merged_into", "message"),
    [("nowhere", 'no story has the slug "nowhere"'), (B, "goes round in a loop")],
)
def test_unfollowable_merge_is_logged_and_story_kept(
    project: Project,
    caplog: pytest.LogCaptureFixture,
    merged_into: str,
    message: str,
) -> None:
    project.add_outlet("harbor-ledger", [], lean="Center")
    write_story(project, A, "Harbor bridge closed", ["https://h.example/1"])
    write_story(
        project,
        B,
        "Bridge shut for repairs",
        ["https://h.example/2"],
        f"merged_into: {merged_into}\n",
    )
    if merged_into == B:
        write_story(
            project,
            C,
            "Port commuters stranded",
            ["https://h.example/3"],
            f"merged_into: {B}\n",
        )
    with caplog.at_level(logging.ERROR):
        project.build()
    path = project.content / "stories" / "2026" / "11" / f"{B}.md"
    assert f"{path}:6: merged_into: {message}" in caplog.text
    html = project.page(f"stories/{B}/index.html")
    assert "<h1>Bridge shut for repairs</h1>" in html
    assert "1 report" in html
    assert f"/stories/{B}/" in project.page("index.html")


def test_merge_target_is_as_recent_as_its_newest_merged_report(
    merged_site: Project,
) -> None:
    sitemap = merged_site.page("sitemap.xml")
    entry = sitemap.split(f"/stories/{A}/</loc>")[1].split("</url>")[0]
    assert "<lastmod>2026-11-20T02:00:00" in entry  # B's second report
