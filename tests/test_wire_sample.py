"""The bundled sample dispatches, built with the sample stories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sitekit import REPO, Project

from newsdigest.content import frontmatter
from newsdigest.ingest.run import run_ingest
from newsdigest.registry import load_registry
from newsdigest.wire.dispatch import check_dispatch
from newsdigest.wire.records import STATUSES
from newsdigest.wire.signal import LEVELS

SAMPLE = REPO / "content" / "dispatches"
DISPATCHES = sorted(SAMPLE.rglob("*.md"))


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("wire-sample"))
    registry = load_registry(REPO / "sources.yaml")
    run_ingest(registry, project.content, project.state)
    shutil.copy(REPO / "sources.yaml", project.sources)
    shutil.copytree(SAMPLE, project.content / "dispatches")
    project.build()
    return project


def test_sample_has_enough_plainly_fictional_dispatches() -> None:
    assert len(DISPATCHES) >= 6
    for path in DISPATCHES:
        assert "Fictional sample dispatch" in frontmatter.read(path).body, path


@pytest.mark.parametrize("path", DISPATCHES, ids=lambda p: p.stem)
def test_each_sample_dispatch_passes_the_check(path: Path) -> None:
    assert check_dispatch(path, load_registry(REPO / "sources.yaml").outlets) == []


def test_sample_covers_every_status_and_signal_level(sample_site: Project) -> None:
    statuses, levels = set(), set()
    for path in DISPATCHES:
        html = sample_site.page(f"dispatches/{path.stem}/index.html")
        statuses.update(re.findall(r'class="badge status status-\w+">(\w+)<', html))
        levels.update(
            re.findall(r'class="signal-rating">Signal <span[^>]*>([\w-]+)<', html)
        )
    assert statuses == set(STATUSES)
    assert levels == set(LEVELS)


def test_sample_internal_intake_stays_internal(sample_site: Project) -> None:
    internal = [
        (source.get("name"), source.get("url"))
        for path in DISPATCHES
        for source in frontmatter.read(path).meta.get("sources") or []
        if source.get("internal")
    ]
    assert internal
    secrets = [value for pair in internal for value in pair if value]
    for page in sample_site.output.rglob("*"):
        if page.is_file():
            text = page.read_bytes()
            for secret in secrets:
                assert secret.encode() not in text, (page, secret)


def test_every_sample_dispatch_links_to_a_sample_story(sample_site: Project) -> None:
    for path in DISPATCHES:
        html = sample_site.page(f"dispatches/{path.stem}/index.html")
        assert "Related stories" in html, path.stem
        story = re.search(
            r'Related stories</h2>\s*<ul>\s*<li><a href="../../(stories/[^"]+)"', html
        )
        assert story, path.stem
        back = sample_site.page(f"{story.group(1)}index.html")
        assert f"dispatches/{path.stem}/" in back.split("Related dispatches")[1]


def test_the_wire_lists_every_sample_dispatch(sample_site: Project) -> None:
    wire = sample_site.page("wire/index.html")
    for path in DISPATCHES:
        assert f"dispatches/{path.stem}/" in wire
