"""The benchmark's synthetic newsroom: deterministic, and read by the real ingest."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bench.synth import (
    Spec,
    follow_up_feeds,
    initial_feeds,
    write_feeds,
    write_newsroom,
)

from newsdigest.content import frontmatter
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
    assert len(registry.outlets) == 50
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


def test_dispatches_are_a_hook_not_faked(tmp_path: Path) -> None:
    with pytest.raises(NotImplementedError, match="Wire"):
        write_newsroom(tmp_path, Spec(stories=10, dispatches=200))
