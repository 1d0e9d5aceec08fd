"""Ingest end to end: feeds in a temporary project become story files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import yaml
from sitekit import NOW, Item, Project, rss, served

from newsdigest.content import frontmatter
from newsdigest.ingest import parse, run
from newsdigest.normalize import canonical_url, normalize_headline
from newsdigest.records import Outlet, Report

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def tariff(outlet: str, headline: str, hours: int = 0, link: str | None = None) -> Item:
    return Item(
        headline,
        link or f"https://{outlet}.example/tariff",
        T0 + timedelta(hours=hours),
        "The 18% aluminum tariff announced by trade secretary Harrington takes effect "
        "in January, hitting Canadian smelters.",
        categories=("Business",),
    )


def test_reports_about_one_event_become_one_story(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.add_outlet(
        "b", [tariff("b", "Canada smelters brace for Harrington's 18% tariff", 3)]
    )
    summary = project.ingest()
    (story,) = project.story_files()
    meta = frontmatter.read(story).meta
    assert meta["title"] == "Harrington sets 18% aluminum tariff"
    assert meta["category"] == "Business"
    assert [r["outlet"] for r in meta["reports"]] == ["a", "b"]
    assert story.relative_to(project.content).as_posix() == (
        "stories/2026/11/harrington-sets-18-aluminum-tariff.md"
    )
    assert summary.reports_new == 2
    assert summary.stories_new == ["harrington-sets-18-aluminum-tariff"]


def test_second_ingest_changes_nothing(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    (story,) = project.story_files()
    stamp = story.stat().st_mtime_ns
    summary = project.ingest()
    assert story.stat().st_mtime_ns == stamp
    assert summary.feeds_with("not-modified") == 1
    assert summary.reports_new == 0


def test_same_report_with_tracking_parameters_is_stored_once(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.add_outlet(
        "b",
        [
            tariff(
                "b",
                "Harrington sets 18% aluminum tariff",
                1,
                link="https://a.example/tariff?utm_source=rss&utm_medium=feed#top",
            )
        ],
    )
    summary = project.ingest()
    (story,) = project.story_files()
    assert len(frontmatter.read(story).meta["reports"]) == 1
    assert summary.reports_duplicate == 1


def test_new_reports_join_the_existing_story_and_its_url_stays(
    project: Project,
) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    (story,) = project.story_files()
    project.add_outlet(
        "b",
        [tariff("b", "Smelters in Quebec fear Harrington's 18% aluminum tariff", 20)],
    )
    summary = project.ingest()
    assert project.story_files() == [story]
    assert [r["outlet"] for r in frontmatter.read(story).meta["reports"]] == ["a", "b"]
    assert summary.stories_updated == [story.stem]


def test_hand_edited_story_survives_reingest(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    (story,) = project.story_files()
    text = story.read_text(encoding="utf-8")
    text = text.replace(
        "title: Harrington sets 18% aluminum tariff", "title: Edited by the desk"
    )
    text = text.replace("---\n\n", "---\n\nA paragraph the editor wrote.\n\n", 1)
    text = text.replace("category: Business", "category: Business  # checked by desk")
    story.write_text(text, encoding="utf-8")
    project.add_outlet(
        "b", [tariff("b", "Smelters fear Harrington's 18% aluminum tariff", 5)]
    )
    project.ingest()
    after = story.read_text(encoding="utf-8")
    assert "title: Edited by the desk" in after
    assert "A paragraph the editor wrote." in after
    assert "# checked by desk" in after
    assert "outlet: b" in after
    project.build()
    assert "<h1>Edited by the desk</h1>" in project.page(
        f"stories/{story.stem}/index.html"
    )


def test_report_deleted_by_editor_does_not_come_back(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.add_outlet(
        "b", [tariff("b", "Smelters fear Harrington's 18% aluminum tariff", 1)]
    )
    project.ingest()
    (story,) = project.story_files()
    document = frontmatter.read(story)
    document.meta["reports"] = [
        r for r in document.meta["reports"] if r["outlet"] == "a"
    ]
    frontmatter.write_atomic(story, frontmatter.dump(document.meta, document.body))
    project.outlets[1]["feeds"] = ["feeds/b.xml"]
    (project.root / "feeds" / "b.xml").touch()  # new bytes, same items: refetched
    project.add_outlet(
        "b", [tariff("b", "Smelters fear Harrington's 18% aluminum tariff", 1)]
    )
    project.ingest()
    assert [r["outlet"] for r in frontmatter.read(story).meta["reports"]] == ["a"]


def test_deleted_state_store_is_rebuilt_from_content(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    before = {p: p.read_bytes() for p in project.story_files()}
    project.state.unlink()
    summary = project.ingest()
    assert summary.rebuilt_state
    assert summary.reports_new == 0
    assert {p: p.read_bytes() for p in project.story_files()} == before


def test_one_broken_feed_does_not_stop_the_others(project: Project) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.add_outlet("broken", [])
    (project.root / "feeds" / "broken.xml").write_text(
        "<html><body>502 Bad Gateway", encoding="utf-8"
    )
    project.outlets.append(
        {"id": "missing", "name": "Missing", "feeds": ["feeds/nope.xml"]}
    )
    project._write_registry()
    summary = project.ingest()
    status = {feed.outlet: (feed.status, feed.error) for feed in summary.feeds}
    assert status["a"] == ("ok", None)
    assert status["broken"][0] == "failed"
    assert status["missing"][0] == "failed"
    assert "nope.xml" in status["missing"][1]
    assert len(project.story_files()) == 1


def test_undated_entry_is_dated_when_first_seen_and_kept(project: Project) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    project.add_outlet(
        "a",
        [
            Item(
                "Ferry winter timetable starts in December",
                "https://a.example/ferry",
                None,
                "Ferries run hourly.",
            )
        ],
    )
    summary = project.ingest(now=now)
    (story,) = project.story_files()
    (report,) = frontmatter.read(story).meta["reports"]
    assert report["published"] == "2026-11-22T12:00:00Z"
    assert report["undated"] is True
    assert any("no date" in p for f in summary.feeds for p in f.problems)
    project.ingest(now=now + timedelta(days=1))
    (report,) = frontmatter.read(story).meta["reports"]
    assert report["published"] == "2026-11-22T12:00:00Z"


def test_http_feed_is_fetched_with_conditional_get_between_runs(
    project: Project,
) -> None:
    body = rss([tariff("web", "Harrington sets 18% aluminum tariff")]).encode()
    seen: list[tuple[str | None, int]] = []

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.headers.get("If-None-Match") == '"v1"':
                seen.append(('"v1"', 304))
                self.send_response(304)
                self.end_headers()
                return
            seen.append((None, 200))
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    with served(Feed) as host:
        url = f"{host}/feed.xml"
        project.outlets.append({"id": "web", "name": "Web", "feeds": [url]})
        project._write_registry()
        first = project.ingest()
        second = project.ingest()
    assert seen == [(None, 200), ('"v1"', 304)]
    assert first.feeds_with("ok") == 1
    assert second.feeds_with("not-modified") == 1
    assert len(project.story_files()) == 1


def test_relative_links_resolve_against_the_url_a_feed_was_redirected_to(
    project: Project,
) -> None:
    item = tariff("web", "Harrington sets 18% aluminum tariff", link="item-1.html")
    body = rss([item]).encode()

    class Moved(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/old/feed":
                self.send_response(301)
                self.send_header("Location", "/new/dir/feed.xml")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    with served(Moved) as host:
        project.outlets.append(
            {"id": "web", "name": "Web", "feeds": [f"{host}/old/feed"]}
        )
        project._write_registry()
        summary = project.ingest()
    assert [feed.location for feed in summary.feeds] == [f"{host}/old/feed"]
    assert summary.feeds_with("ok") == 1
    (story,) = project.story_files()
    (report,) = frontmatter.read(story).meta["reports"]
    assert report["url"] == f"{host}/new/dir/item-1.html"


def _state(path: Path) -> dict[str, list[tuple]]:
    """What the store holds about story files, reports and keys."""
    db = sqlite3.connect(path)
    try:
        return {
            table: sorted(db.execute(f"SELECT * FROM {table}"))
            for table in ("files", "reports", "report_keys")
        }
    finally:
        db.close()


def test_store_indexes_what_ingest_wrote_as_a_rebuild_from_content_would(
    project: Project,
) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    project.add_outlet(
        "b", [tariff("b", "Canada smelters brace for Harrington's 18% tariff", 3)]
    )
    summary = project.ingest()
    assert summary.stories_updated  # indexed from a file it appended to
    indexed = _state(project.state)
    project.state.unlink()
    assert project.ingest().rebuilt_state
    assert _state(project.state) == indexed


def _refetch(project: Project, outlet: str) -> None:
    """Give ``outlet``'s feed new bytes with the same items, so it is fetched again."""
    feed = project.root / "feeds" / f"{outlet}.xml"
    feed.write_text(feed.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_new_report_keeps_every_byte_when_fields_follow_reports(
    project: Project,
) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    (story,) = project.story_files()
    head, tail = story.read_text(encoding="utf-8").split("---\n\n", 1)
    head = head.replace("category: Business", "category: Health   # editor note")
    edited = f"{head}country: IN  # set by editor\n---\n\n{tail}"
    story.write_text(edited, encoding="utf-8")
    project.add_outlet(
        "b", [tariff("b", "Smelters fear Harrington's 18% aluminum tariff", 5)]
    )
    summary = project.ingest()
    assert summary.stories_updated == [story.stem]
    after = story.read_text(encoding="utf-8")
    cut = edited.index("country: IN")
    assert after.startswith(edited[:cut])
    assert after.endswith(edited[cut:])
    added = yaml.safe_load(after[cut : len(after) - len(edited) + cut])
    assert [report["outlet"] for report in added] == ["b"]


def test_reports_for_a_locked_story_are_held_back_once_and_named(
    project: Project,
) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.ingest()
    (story,) = project.story_files()
    story.write_text(
        story.read_text(encoding="utf-8").replace("reports:", "locked: true\nreports:"),
        encoding="utf-8",
    )
    locked = story.read_bytes()
    project.add_outlet(
        "b", [tariff("b", "Smelters fear Harrington's 18% aluminum tariff", 5)]
    )
    first = project.ingest()
    assert first.held_back == {story.stem: 1}
    assert first.reports_new == 0
    assert story.read_bytes() == locked
    assert project.story_files() == [story]
    _refetch(project, "b")
    second = project.ingest()
    assert second.feeds_with("ok") == 1
    assert (second.reports_new, second.reports_duplicate) == (0, 1)
    assert second.held_back == {}
    assert story.read_bytes() == locked


def test_deleted_report_stays_out_after_the_state_store_is_deleted(
    project: Project,
) -> None:
    project.add_outlet("a", [tariff("a", "Harrington sets 18% aluminum tariff")])
    project.add_outlet(
        "b", [tariff("b", "Smelters fear Harrington's 18% aluminum tariff", 1)]
    )
    project.ingest()
    (story,) = project.story_files()
    text = story.read_text(encoding="utf-8")
    start = text.index("- outlet: b")
    end = text.index("\n---", start) + 1
    edited = text[:start] + text[end:]  # the editor deletes b's report
    story.write_text(edited.replace("category:", "# desk\ncategory:"), "utf-8")
    project.ingest()
    after = story.read_text(encoding="utf-8")
    head = edited.replace("category:", "# desk\ncategory:").split("\n---\n", 1)[0]
    assert after.startswith(f"{head}\nremoved:\n- https://b.example/tariff\n---\n")
    project.state.unlink()
    _refetch(project, "b")
    summary = project.ingest()
    assert summary.rebuilt_state
    assert summary.reports_new == 0
    assert [r["outlet"] for r in frontmatter.read(story).meta["reports"]] == ["a"]
    assert story.read_text(encoding="utf-8") == after


def _pension_report(outlet: str, start: datetime, hours: int) -> Item:
    """An English report of the Dubreuil pension vote, ``hours`` after ``start``."""
    return Item(
        f"Dubreuil pension law passes as 230,000 protest ({outlet})",
        f"https://{outlet}.example/pensions",
        start + timedelta(hours=hours),
        "France's Dubreuil pension law passed narrowly in Paris as "
        "230,000 people protested.",
    )


def test_a_new_story_is_titled_in_the_language_most_of_its_reports_use(
    project: Project,
) -> None:
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    project.add_outlet(
        "le-quotidien",
        [
            Item(
                "Retraites : 230 000 manifestants contre la loi Dubreuil à Paris",
                "https://le-quotidien.example/retraites",
                start,
                "La loi Dubreuil sur les retraites a été adoptée de justesse à Paris.",
            )
        ],
        country="FR",
        language="fr",
    )
    for hours, outlet in [(1, "harbor-ledger"), (2, "center-wire")]:
        project.add_outlet(outlet, [_pension_report(outlet, start, hours)])
    project.ingest()
    (path,) = project.story_files()
    meta = frontmatter.read(path).meta
    assert meta["title"] == (
        "Dubreuil pension law passes as 230,000 protest (harbor-ledger)"
    )
    assert meta["date"] in (start, start.isoformat().replace("+00:00", "Z"))
    assert len(meta["reports"]) == 3


def test_a_new_story_is_titled_by_the_outlet_nearest_the_center(
    project: Project,
) -> None:
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    for hours, outlet, lean in [
        (0, "red-flag", "Far Left"),
        (1, "no-rating", "Unrated"),
        (2, "blue-ledger", "Lean Right"),
        (3, "grey-ledger", "Lean Left"),
    ]:
        project.add_outlet(outlet, [_pension_report(outlet, start, hours)], lean=lean)
    project.ingest()
    (path,) = project.story_files()
    meta = frontmatter.read(path).meta
    # Lean Right and Lean Left are as near: the earlier one.
    assert (
        meta["title"] == "Dubreuil pension law passes as 230,000 protest (blue-ledger)"
    )
    assert len(meta["reports"]) == 4


def _as_before(patch: pytest.MonkeyPatch) -> None:
    """Ingest as versions before route fragments and dated headline keys did."""

    def keys(report: Report) -> list[str]:
        guid = [f"guid:{report.outlet}:{report.guid}"] if report.guid else []
        title = f"title:{report.outlet}:{normalize_headline(report.headline)}"
        return [f"url:{report.url}", *guid, title]

    patch.setattr(run, "report_keys", keys)
    patch.setattr(parse, "canonical_url", lambda url: canonical_url(url).split("#")[0])


def _reports(project: Project) -> list[dict]:
    """Every report in every story file, in file order."""
    return [
        report
        for path in project.story_files()
        for report in frontmatter.read(path).meta["reports"]
    ]


BRIEFED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _briefing(day: int) -> Item:
    """Generic's recurring ``Morning briefing`` of 2026-11-``day``."""
    return Item(
        "Morning briefing",
        f"https://generic.example/briefing/2026-11-{day}",
        datetime(2026, 11, day, 6, 0, tzinfo=UTC),
        f"What to know on November {day}: item {day * 7} of the day's news.",
        guid=f"tag:generic.example,2026:briefing-{day}",
    )


def test_a_recurring_headline_keeps_every_report(project: Project) -> None:
    project.add_outlet("generic", [_briefing(day) for day in (23, 24, 25)])
    summary = project.ingest(now=BRIEFED)
    (feed,) = summary.feeds
    assert feed.problems == []
    assert (summary.reports_new, summary.reports_duplicate) == (3, 0)
    assert sorted(report["url"] for report in _reports(project)) == [
        f"https://generic.example/briefing/2026-11-{day}" for day in (23, 24, 25)
    ]
    _refetch(project, "generic")
    again = project.ingest(now=BRIEFED)
    assert (again.reports_new, again.reports_duplicate) == (0, 3)


def test_a_report_republished_under_a_new_url_stays_out(project: Project) -> None:
    first = _briefing(23)
    project.add_outlet("generic", [first])
    project.ingest(now=BRIEFED)
    moved = Item(
        first.title,
        "https://generic.example/2026/11/23/morning-briefing",
        first.published,
        first.description,
        guid="tag:generic.example,2026:morning-briefing-23",
    )
    project.add_outlet("generic", [moved, first])
    summary = project.ingest(now=BRIEFED)
    assert (summary.reports_new, summary.reports_duplicate) == (0, 2)
    assert [report["url"] for report in _reports(project)] == [first.link]


def test_headlines_an_earlier_version_kept_out_come_in(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.add_outlet("generic", [_briefing(day) for day in (23, 24, 25)])
    with monkeypatch.context() as patch:
        _as_before(patch)
        assert project.ingest(now=BRIEFED).reports_new == 1
    _refetch(project, "generic")
    summary = project.ingest(now=BRIEFED)
    assert (summary.reports_new, summary.reports_duplicate) == (2, 1)
    assert len(_reports(project)) == 3


def _article(number: int, guid: bool = True) -> str:
    """An RSS item of Hashbang's, linked by a hash route, with or without a GUID."""
    published = format_datetime(T0 + timedelta(hours=number - 100))
    return (
        f"<item><title>Hashbang article {number} on harbor tolls</title>"
        f"<link>https://hashbang.example/#/article/{number}</link>"
        f"<description>Toll change number {number} for the harbor.</description>"
        f"<pubDate>{published}</pubDate>"
        + (f"<guid isPermaLink='false'>hashbang-{number}</guid>" if guid else "")
        + "</item>"
    )


def _hashbang(project: Project, numbers: tuple[int, ...], guid: bool = True) -> None:
    """Give outlet ``hashbang`` a feed of :func:`_article` items."""
    project.add_outlet("hashbang", [])
    items = "".join(_article(number, guid) for number in numbers)
    feed = project.root / "feeds" / "hashbang.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>'
        f"<link>https://hashbang.example/</link>{items}</channel></rss>",
        encoding="utf-8",
    )


ROUTES = [f"https://hashbang.example/#/article/{n}" for n in (101, 102, 103)]


def test_hash_routed_links_are_reports_of_their_own(project: Project) -> None:
    _hashbang(project, (101, 102, 103))
    summary = project.ingest()
    assert summary.feeds[0].problems == []
    assert summary.reports_new == 3
    assert sorted(report["url"] for report in _reports(project)) == ROUTES


@pytest.mark.parametrize("rebuilt", [False, True], ids=["store", "rebuilt-store"])
@pytest.mark.parametrize("guid", [True, False], ids=["guid", "no-guid"])
def test_a_report_ingested_before_routes_were_kept_is_not_doubled(
    project: Project, monkeypatch: pytest.MonkeyPatch, guid: bool, rebuilt: bool
) -> None:
    _hashbang(project, (101,), guid)
    with monkeypatch.context() as patch:
        _as_before(patch)
        project.ingest()
    assert [report["url"] for report in _reports(project)] == [
        "https://hashbang.example/"
    ]
    if rebuilt:
        project.state.unlink()
    _hashbang(project, (101, 102, 103), guid)
    summary = project.ingest()
    assert (summary.reports_new, summary.reports_duplicate) == (2, 1)
    assert sorted(report["url"] for report in _reports(project)) == [
        "https://hashbang.example/",
        *ROUTES[1:],
    ]


def test_a_feed_that_breaks_the_parser_fails_alone(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever one hostile feed makes go wrong, the other outlets are ingested."""
    project.add_outlet(
        "steady", [Item("Harbor bridge closed", "https://s.example/1", NOW)]
    )
    project.add_outlet("hostile", [Item("Anything", "https://h.example/1", NOW)])
    reading = run.parse_feed

    def breaks_on_hostile(body: bytes, outlet: Outlet, **kwargs: object) -> object:
        if outlet.id == "hostile":
            raise OverflowError("date value out of range")
        return reading(body, outlet, **kwargs)

    monkeypatch.setattr(run, "parse_feed", breaks_on_hostile)
    summary = project.ingest()
    status = {feed.outlet: (feed.status, feed.problems) for feed in summary.feeds}
    assert status["steady"][0] == "ok"
    assert status["hostile"][0] == "failed"
    assert len(project.story_files()) == 1
