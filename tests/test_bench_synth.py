"""The benchmark's synthetic newsroom: deterministic, and read by the real ingest."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest
from bench.sites import write_hugo_site, write_vanilla_site
from bench.synth import (
    Spec,
    follow_up_feeds,
    initial_feeds,
    write_feeds,
    write_newsroom,
)
from sitekit import Project

from newsdigest.content import frontmatter
from newsdigest.ingest import run as ingest_run
from newsdigest.ingest.run import run_ingest
from newsdigest.registry import load_registry

NOW = datetime(2026, 6, 1, tzinfo=UTC)
EVENT = re.compile(r"/e(\d{6})-")


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def ingest(root: Path) -> object:
    return run_ingest(
        load_registry(root / "sources.yaml"),
        root / "content",
        root / "state.sqlite",
        now=NOW,
    )


def test_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    write_newsroom(tmp_path / "a", Spec(stories=30))
    write_newsroom(tmp_path / "b", Spec(stories=30))
    write_newsroom(tmp_path / "c", Spec(stories=30, seed=9))
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_newsroom_has_about_five_reports_per_story_from_several_feeds(
    tmp_path: Path,
) -> None:
    spec = Spec(stories=400)
    registry = load_registry(write_newsroom(tmp_path, spec))
    news = [o for o in registry.outlets.values() if o.kind == "news"]
    assert len(news) == 50
    assert [o.id for o in registry.outlets.values() if o.kind == "dispatch"] == ["desk"]
    assert any(len(outlet.feeds) == 2 for outlet in registry.outlets.values())
    items = [item for feed in initial_feeds(spec).values() for item in feed]
    per_event = Counter(EVENT.search(item.link).group(1) for item in items)
    assert len(per_event) == 400
    assert 4.5 <= len(items) / 400 <= 5.5


def test_real_ingest_makes_one_story_per_event(tmp_path: Path) -> None:
    write_newsroom(tmp_path, Spec(stories=60))
    summary = ingest(tmp_path)
    assert len(summary.stories_new) == 60
    for path in (tmp_path / "content" / "stories").rglob("*.md"):
        reports = frontmatter.read(path).meta["reports"]
        assert len({EVENT.search(r["url"]).group(1) for r in reports}) == 1


def test_follow_up_round_adds_a_report_to_one_story_in_a_hundred(
    tmp_path: Path,
) -> None:
    spec = Spec(stories=200)
    write_newsroom(tmp_path, spec)
    ingest(tmp_path)
    write_feeds(tmp_path, follow_up_feeds(spec, 0))
    summary = ingest(tmp_path)
    assert summary.reports_new == 2
    assert summary.stories_new == []
    assert len(summary.stories_updated) == 2


def test_desk_dispatches_go_through_ingest_into_the_build(tmp_path: Path) -> None:
    write_newsroom(tmp_path, Spec(stories=12, dispatches=6))
    project = Project(tmp_path)
    summary = project.ingest()
    assert len(summary.dispatches_new) == 6
    # Every third dispatch gets a development: numbers 0 and 3.
    assert len(summary.dispatches_updated) == 2
    metas = [
        frontmatter.read(path).meta
        for path in sorted((project.content / "dispatches").rglob("*.md"))
    ]
    assert sorted(meta["ingest_id"] for meta in metas) == [
        f"https://desk.synthetic.example/dispatches/d{n:05d}" for n in range(6)
    ]
    developed = [meta for meta in metas if len(meta["developments"]) == 2]
    assert len(developed) == 2
    assert {meta["status"] for meta in developed} <= {"Updated", "Final"}
    assert {meta["desk"] for meta in metas} == {"The Synthetic Desk"}
    project.build()
    wire = project.page("wire/index.html")
    assert all(escape(meta["title"]) in wire for meta in metas)


def test_floor_sites_have_a_page_source_for_every_story_dispatch_and_outlet(
    tmp_path: Path,
) -> None:
    registry = write_newsroom(tmp_path, Spec(stories=12, dispatches=6))
    Project(tmp_path).ingest()
    content = tmp_path / "content"
    write_hugo_site(content, registry, tmp_path / "hugo")
    hugo = {p.name: frontmatter.read(p).meta for p in (tmp_path / "hugo").rglob("*.md")}
    ours = {p.name for p in content.rglob("*.md")}
    assert set(hugo) == ours
    assert sum("desks" in meta for meta in hugo.values()) == 6
    for meta in hugo.values():
        reported = {report["outlet"] for report in meta.get("reports", [])}
        assert set(meta.get("outlets", [])) == reported
    write_vanilla_site(content, registry, tmp_path / "vanilla")
    articles = sorted((tmp_path / "vanilla" / "content").glob("*.md"))
    assert len(articles) == len(ours)
    assert sum("Category: Wire" in p.read_text() for p in articles) == 6


def test_feeds_parsed_and_files_written_out_in_worker_processes_make_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, threshold in (("one", 2**62), ("workers", 0)):
        write_newsroom(tmp_path / name, Spec(stories=40, dispatches=0))
        monkeypatch.setattr(ingest_run, "PARALLEL_PARSE_BYTES", threshold)
        monkeypatch.setattr(ingest_run, "PARALLEL_DOCUMENTS", threshold)
        monkeypatch.setattr(ingest_run, "DOCUMENT_CHUNK", 3)  # many chunks, in order
        ingest(tmp_path / name)
    assert files(tmp_path / "one" / "content") == files(
        tmp_path / "workers" / "content"
    )
