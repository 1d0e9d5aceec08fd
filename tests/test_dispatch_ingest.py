"""Dispatches by ingest: the desk's feed or JSON Lines export becomes dispatch files."""

from __future__ import annotations

import html
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sitekit import NOW, Item, Project

from newsdigest.cli import main
from newsdigest.content import frontmatter
from newsdigest.errors import InputError
from newsdigest.records import Outlet
from newsdigest.wire.dispatchfile import sources_from_story
from newsdigest.wire.intake import intake_source

T1 = "2026-11-20T08:00:00Z"
T2 = "2026-11-21T09:30:00Z"


def export(project: Project, *records: dict) -> None:
    """Write the desk's JSON Lines export, one record a line."""
    path = project.root / "feeds" / "desk.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def bridge(time: str, text: str, **extra: str) -> dict:
    """An intake record about the bridge, always with the same id."""
    return {"id": "bridge-1", "title": "Bridge scans ordered", "time": time,
            "text": text, **extra}  # fmt: skip


@pytest.fixture
def desk(project: Project) -> Project:
    """A project whose registry has the desk's JSON Lines export."""
    project.add_outlet(
        "desk", [], name="Americas Desk", kind="dispatch", feeds=["feeds/desk.jsonl"]
    )
    export(project, bridge(T1, "The order is signed.", section="Infrastructure"))
    return project


def only_dispatch(project: Project) -> Path:
    (path,) = sorted((project.content / "dispatches").rglob("*.md"))
    return path


def test_an_item_becomes_a_dispatch_page(desk: Project) -> None:
    summary = desk.ingest()
    path = only_dispatch(desk)
    assert path == desk.content / "dispatches/2026/11/bridge-scans-ordered.md"
    assert summary.dispatches_new == ["bridge-scans-ordered"]
    assert desk.story_files() == []
    meta = frontmatter.read(path).meta
    assert meta["desk"] == "Americas Desk"
    assert meta["status"] == "Developing"
    assert meta["ingest_id"] == "bridge-1"
    assert meta["developments"] == [{"time": T1, "text": "The order is signed."}]
    desk.build()
    page = desk.page("dispatches/bridge-scans-ordered/index.html")
    assert "The order is signed." in page
    assert "Bridge scans ordered" in desk.page("wire/index.html")


def test_a_later_item_with_the_same_id_adds_a_development(desk: Project) -> None:
    desk.ingest()
    export(
        desk,
        bridge(T1, "The order is signed.", section="Infrastructure"),
        bridge(T2, "The order is published.", status="Updated"),
    )
    summary = desk.ingest(now=NOW + timedelta(hours=1))
    assert summary.dispatches_new == []
    assert summary.dispatches_updated == ["bridge-scans-ordered"]
    meta = frontmatter.read(only_dispatch(desk)).meta
    assert [d["time"] for d in meta["developments"]] == [T1, T2]
    assert (meta["modified"], meta["status"]) == (T2, "Updated")
    desk.build()
    assert "2 developments" in desk.page("dispatches/bridge-scans-ordered/index.html")


def test_ingesting_the_same_export_again_changes_nothing(desk: Project) -> None:
    desk.ingest()
    before = only_dispatch(desk).read_bytes()
    assert desk.ingest().dispatches_updated == []
    assert only_dispatch(desk).read_bytes() == before


def test_hand_edits_win(desk: Project) -> None:
    desk.ingest()
    path = only_dispatch(desk)
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Bridge scans ordered", "title: Scans ordered # mine")
    text = text.replace("status: Developing", "status: Final")
    path.write_text(text, encoding="utf-8")
    export(desk, bridge(T2, "The order is published.", status="Developing"))
    desk.ingest()
    edited = path.read_text(encoding="utf-8")
    assert "title: Scans ordered # mine" in edited
    meta = frontmatter.read(path).meta
    assert meta["status"] == "Final"
    assert meta["modified"] == T2
    assert [d["text"] for d in meta["developments"]] == [
        "The order is signed.",
        "The order is published.",
    ]


def test_deleted_development_and_deleted_file_stay_deleted(desk: Project) -> None:
    desk.ingest()
    path = only_dispatch(desk)
    document = frontmatter.read(path)
    document.meta["developments"] = []
    path.write_text(frontmatter.dump(document.meta, document.body), encoding="utf-8")
    desk.ingest()
    assert frontmatter.read(path).meta["developments"] == []
    path.unlink()
    desk.ingest()
    assert not list((desk.content / "dispatches").rglob("*.md"))


def test_a_deleted_development_stays_deleted_when_the_store_is_rebuilt(
    desk: Project,
) -> None:
    desk.ingest()
    path = only_dispatch(desk)
    document = frontmatter.read(path)
    document.meta["developments"] = []
    path.write_text(frontmatter.dump(document.meta, document.body), encoding="utf-8")
    desk.state.unlink()
    assert desk.ingest().dispatches_updated == []
    assert frontmatter.read(path).meta["developments"] == []
    export(desk, bridge(T1, "The order is signed."), bridge(T2, "It is published."))
    assert desk.ingest().dispatches_updated == ["bridge-scans-ordered"]
    assert [d["time"] for d in frontmatter.read(path).meta["developments"]] == [T2]


def test_a_deleted_later_development_stays_deleted_when_the_store_is_rebuilt(
    desk: Project,
) -> None:
    """The first item of an id tells the store nothing about the later ones."""
    export(desk, bridge(T1, "The order is signed."), bridge(T2, "It is published."))
    desk.ingest()
    path = only_dispatch(desk)
    document = frontmatter.read(path)
    document.meta["developments"] = document.meta["developments"][:1]
    path.write_text(frontmatter.dump(document.meta, document.body), encoding="utf-8")
    desk.state.unlink()
    assert desk.ingest().dispatches_updated == []
    assert [d["time"] for d in frontmatter.read(path).meta["developments"]] == [T1]


def test_a_development_keeps_the_files_line_ends_and_byte_order_mark(
    desk: Project,
) -> None:
    """A dispatch saved by Windows tools: CRLF lines and a BOM stay as they were."""
    desk.ingest()
    path = only_dispatch(desk)
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    export(desk, bridge(T1, "The order is signed."), bridge(T2, "It is published."))
    assert desk.ingest().dispatches_updated == ["bridge-scans-ordered"]
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    developments = frontmatter.read(path).meta["developments"]
    assert [d["time"] for d in developments] == [T1, T2]


def test_an_unchanged_desk_feed_is_not_read_again(desk: Project) -> None:
    desk.ingest()
    second = desk.ingest(now=NOW + timedelta(hours=1))
    assert [f.status for f in second.feeds] == ["not-modified"]


def test_a_failing_desk_feed_waits_before_its_next_try(desk: Project) -> None:
    (desk.root / "feeds" / "desk.jsonl").unlink()
    assert [f.status for f in desk.ingest().feeds] == ["failed"]
    later = desk.ingest(now=NOW + timedelta(minutes=29))
    assert [f.status for f in later.feeds] == ["waiting"]
    export(desk, bridge(T1, "The order is signed."))
    assert [f.status for f in desk.ingest(now=NOW + timedelta(minutes=30)).feeds] == [
        "ok"
    ]
    assert only_dispatch(desk).is_file()


def test_a_locked_dispatch_is_left_alone(desk: Project) -> None:
    desk.ingest()
    path = only_dispatch(desk)
    path.write_text(
        path.read_text(encoding="utf-8").replace("---\n", "---\nlocked: true\n", 1),
        encoding="utf-8",
    )
    before = path.read_bytes()
    export(desk, bridge(T2, "The order is published."))
    desk.ingest()
    assert path.read_bytes() == before
    desk.build()


def test_bad_lines_are_reported_and_skipped(desk: Project) -> None:
    export(
        desk,
        "{not json",
        {"id": "x", "title": "No time"},
        bridge(T1, "Fine.", status="Sideways"),
    )
    summary = desk.ingest()
    (feed,) = [f for f in summary.feeds if f.outlet == "desk"]
    assert feed.reports == 1
    assert [p.split(":")[0] for p in feed.problems] == ["line 1", "line 2", "line 3"]
    assert frontmatter.read(only_dispatch(desk)).meta["status"] == "Developing"


#: A desk item's TL;DR that would render a link and a heading as Markdown.
PHISH = "**[Read the official order here](https://phish.example/order)**"
PLAIN = "#1 priority: scans of 2 spans (A-1 & B_2) at $4.5m - 50% done! *Really*"


@pytest.mark.parametrize(
    ("tldr", "shown"),
    [
        (
            f"Scans ordered. {PHISH} &lt;h2&gt;Fake heading&lt;/h2&gt;",
            f"Scans ordered. {PHISH} <h2>Fake heading</h2>",
        ),
        (PLAIN, PLAIN),
    ],
)
def test_a_tldr_is_shown_as_the_desk_wrote_it(
    desk: Project, tldr: str, shown: str
) -> None:
    """A desk item's TL;DR is text, as its development is: never Markdown."""
    export(desk, bridge(T1, "The order is signed.", tldr=tldr))
    desk.ingest()
    desk.build()
    page = desk.page("dispatches/bridge-scans-ordered/index.html")
    section = page.split('<section class="tldr"', 1)[1].split("</section>", 1)[0]
    assert section.count("<p>") == 1
    assert html.unescape(section.split("<p>", 1)[1].split("</p>", 1)[0]) == shown
    assert 'href="https://phish.example' not in page


def test_the_desks_rss_feed_works_the_same_way(project: Project) -> None:
    def item(published: str, text: str) -> Item:
        return Item(
            "Harbor flood gates shut",
            "https://desk.example/flood",
            NOW - timedelta(days=1) + timedelta(hours=int(published)),
            text,
            guid="flood-7",
            categories=("Climate",),
        )

    project.add_outlet("desk", [item("0", "Gates shut.")], kind="dispatch")
    project.ingest()
    project.add_outlet("desk", [item("3", "Gates open again.")], kind="dispatch")
    project.ingest()
    meta = frontmatter.read(only_dispatch(project)).meta
    assert meta["section"] == "Climate"
    assert [d["text"] for d in meta["developments"]] == [
        "Gates shut.",
        "Gates open again.",
    ]
    project.build()
    assert (project.output / "dispatches/harbor-flood-gates-shut/index.html").is_file()


SECRET_NAME = "Quillfeather Tip Channel"
SECRET_URL = "https://tips.internal.example/quillfeather"
CRACKS = (
    "Inspectors found cracks in two girders of the Halvorsen Bridge in Port Calloway."
)


def test_internal_intake_feeds_the_desk_never_the_site(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_outlet(
        "harbor",
        [
            Item(
                "Halvorsen Bridge closed after inspectors find girder cracks",
                "https://harbor.example/bridge",
                NOW - timedelta(hours=2),
                CRACKS,
            )
        ],
        name="Harbor Ledger",
    )
    project.add_outlet(
        "tips",
        [
            Item(
                "Halvorsen Bridge girder cracks seen by Quillfeather caller",
                SECRET_URL,
                NOW - timedelta(hours=3),
                f"Quillfeather caller: {CRACKS}",
            )
        ],
        name=SECRET_NAME,
        intake="internal",
    )
    project.ingest()
    (story,) = project.story_files()
    assert "quillfeather" not in story.read_text(encoding="utf-8").lower()
    assert SECRET_URL in (project.state.parent / "intake.jsonl").read_text("utf-8")

    status = main(
        [
            "dispatch",
            "new",
            "Bridge girders crack",
            "--desk",
            "Americas Desk",
            "--section",
            "Infrastructure",
            "--from-story",
            story.stem,
            "--content",
            str(project.content),
            "--sources",
            str(project.sources),
            "--state",
            str(project.state),
        ]
    )
    assert status == 0
    dispatch = Path(capsys.readouterr().out.strip())
    assert "quillfeather" not in dispatch.read_text(encoding="utf-8").lower()
    sources = frontmatter.read(dispatch).meta["sources"]
    assert [s["name"] for s in sources] == ["Harbor Ledger", "Internal intake"]
    assert sources[-1] == {
        "name": "Internal intake",
        "kind": "Internal intake",
        "internal": True,
    }

    project.build(
        SITEURL="https://news.example.org",
        RELATIVE_URLS=False,
        NEWSDIGEST_FEED_FORMATS=("atom", "rss", "json"),
    )
    assert "Internal intake" in project.page(f"dispatches/{dispatch.stem}/index.html")
    for path in project.output.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace").lower()
            for secret in ("quillfeather", "tips.internal.example", "tip channel"):
                assert secret not in text, (path, secret)


def test_intake_must_be_public_or_internal(project: Project) -> None:
    project.add_outlet("tips", [], intake="secret")
    with pytest.raises(InputError, match=r'tips\.intake: "secret" is not one of'):
        project.ingest()


def test_a_hand_added_internal_report_is_only_internal_intake() -> None:
    outlets = {"tips": Outlet("tips", SECRET_NAME, (), intake="internal")}
    reports = [{"outlet": "tips", "url": SECRET_URL, "headline": "Tip"}] * 2
    assert sources_from_story({"reports": reports}, outlets) == [intake_source()]


def test_ingest_summary_counts_dispatches(
    desk: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["ingest", "--sources", str(desk.sources), "--content", str(desk.content)]
    assert main([*args, "--state", str(desk.state)]) == 0
    assert "│ Dispatches │ 1 new, 0 updated" in capsys.readouterr().out
