"""The Wire's own feeds: every dispatch, newest development first, in three formats."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from sitekit import NOW, Item, Project

from newsdigest.content import frontmatter

SITE = "https://news.example.org"
FORMATS = ("wire.atom.xml", "wire.rss.xml", "wire.json")
SECRET_NAME = "Night tip line caller Quillfeather"
SECRET_URL = "https://tips.internal.example/quillfeather"


def dispatch(slug: str, date: str, developments: list[str], **extra: object) -> str:
    """A dispatch file's text with one development per time given."""
    meta = {
        "title": f"Dispatch {slug}",
        "slug": slug,
        "date": date,
        "desk": "Americas Desk",
        "section": "Infrastructure",
        "status": "Developing",
        "developments": [{"time": t, "text": f"Update at {t}."} for t in developments],
        **extra,
    }
    return frontmatter.dump(meta, f"Body of {slug}.")


@pytest.fixture
def site(project: Project) -> Project:
    """Three dispatches: the oldest has the latest development; one has intake."""
    project.add_outlet(
        "harbor", [Item("Bridge closed", "https://h.example/1", NOW)], name="Harbor"
    )
    project.ingest()
    project.add_dispatch(
        dispatch("old-but-moving", "2026-11-01T09:00:00Z", ["2026-11-21T10:00:00Z"]),
        "old-but-moving",
    )
    project.add_dispatch(
        dispatch(
            "quiet",
            "2026-11-10T09:00:00Z",
            [],
            tldr="Scans are ordered.",
            sources=[{"name": SECRET_NAME, "url": SECRET_URL, "internal": True}],
        ),
        "quiet",
    )
    project.add_dispatch(
        dispatch("middle", "2026-11-05T09:00:00Z", ["2026-11-15T09:00:00Z"]), "middle"
    )
    project.build(
        SITEURL=SITE,
        RELATIVE_URLS=False,
        NEWSDIGEST_FEED_FORMATS=("atom", "rss", "json"),
    )
    return project


def served(output: Path, url: str) -> Path:
    """The file a URL under SITE is served from."""
    assert url.startswith(f"{SITE}/"), url
    path = output / url.removeprefix(f"{SITE}/")
    return path / "index.html" if url.endswith("/") else path


def test_wire_feeds_list_dispatches_by_latest_development(site: Project) -> None:
    expected = [
        f"{SITE}/dispatches/{slug}/" for slug in ("old-but-moving", "middle", "quiet")
    ]
    for name in ("wire.atom.xml", "wire.rss.xml"):
        parsed = feedparser.parse((site.output / "feeds" / name).read_bytes())
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert [e.id for e in parsed.entries] == expected
        assert [e.link for e in parsed.entries] == expected
        assert served(site.output, parsed.feed.link) == site.output / "wire/index.html"
        for entry in parsed.entries:
            assert served(site.output, entry.link).is_file()
    json_feed = json.loads((site.output / "feeds/wire.json").read_text("utf-8"))
    assert [item["id"] for item in json_feed["items"]] == expected
    assert json_feed["feed_url"] == f"{SITE}/feeds/wire.json"


def test_entry_dates_follow_developments(site: Project) -> None:
    atom = feedparser.parse((site.output / "feeds/wire.atom.xml").read_bytes())
    assert atom.feed.updated == "2026-11-21T10:00:00+00:00"
    moving = atom.entries[0]
    assert moving.updated == "2026-11-21T10:00:00+00:00"
    assert moving.published == "2026-11-01T09:00:00+00:00"
    assert [t.term for t in moving.tags] == ["Infrastructure"]
    assert "Scans are ordered." in atom.entries[2].summary


def test_entry_id_stays_when_a_development_arrives(site: Project) -> None:
    path = site.content / "dispatches/2026/11/middle.md"
    document = frontmatter.read(path)
    document.meta["developments"].append(
        {"time": "2026-11-22T08:00:00Z", "text": "Later."}
    )
    path.write_text(frontmatter.dump(document.meta, document.body), "utf-8")
    site.build(
        SITEURL=SITE,
        RELATIVE_URLS=False,
        NEWSDIGEST_FEED_FORMATS=("atom", "rss", "json"),
    )
    atom = feedparser.parse((site.output / "feeds/wire.atom.xml").read_bytes())
    assert atom.entries[0].id == f"{SITE}/dispatches/middle/"
    assert atom.entries[0].updated == "2026-11-22T08:00:00+00:00"


def test_wire_page_links_its_feeds_in_head(site: Project) -> None:
    head = site.page("wire/index.html").split("</head>", 1)[0]
    for name in FORMATS:
        assert f'href="{SITE}/feeds/{name}"' in head
    assert "feeds/wire" not in site.page("index.html").split("</head>", 1)[0]


def test_story_feeds_hold_no_dispatches(site: Project) -> None:
    all_atom = feedparser.parse((site.output / "feeds/all.atom.xml").read_bytes())
    assert [e.title for e in all_atom.entries] == ["Bridge closed"]


def test_internal_intake_never_reaches_a_feed(site: Project) -> None:
    for path in (site.output / "feeds").rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            assert SECRET_NAME not in text, path
            assert "quillfeather" not in text.lower(), path


def test_no_dispatches_no_wire_feed(project: Project) -> None:
    project.add_outlet(
        "harbor", [Item("Bridge closed", "https://h.example/1", NOW)], name="Harbor"
    )
    project.ingest()
    project.build(SITEURL=SITE, RELATIVE_URLS=False, NEWSDIGEST_FEED_FORMATS=("atom",))
    assert not (project.output / "feeds/wire.atom.xml").exists()
    assert (project.output / "feeds/all.atom.xml").exists()


def test_characters_xml_forbids_never_reach_a_feed_or_sitemap(project: Project) -> None:
    """One outlet's U+FFFF made every story feed and the news sitemap unreadable."""
    project.add_outlet("odd", [])
    item = {
        "id": "1",
        "url": "https://odd.example/1",
        "title": "Council approves harbor budget \uffff\ufffe\ud800",
        "date_published": NOW.isoformat(),
    }
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Odd",
        "items": [item],
    }
    (project.root / "feeds" / "odd.xml").write_text(json.dumps(feed), encoding="utf-8")
    summary = project.ingest()
    assert [(feed.status, feed.problems) for feed in summary.feeds] == [("ok", [])]
    project.build(
        SITEURL=SITE,
        RELATIVE_URLS=False,
        NEWSDIGEST_FEED_FORMATS=("atom", "rss"),
        NEWSDIGEST_NEWS_SITEMAP="news-sitemap.xml",
    )
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml", "news-sitemap.xml"):
        ET.parse(project.output / name)  # well-formed XML
    assert "Council approves harbor budget" in project.page("feeds/all.atom.xml")
