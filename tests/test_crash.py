"""Ingest killed with SIGKILL at random points loses nothing and doubles nothing.

A project that has ingested a first batch of feeds gets a second, bigger one:
hundreds of new stories and new reports for old ones. Copies of it run the
real ``newsdigest ingest`` in a subprocess, killed while it writes (once it
has created a random number of the story files still to come, so the kill
lands mid-write however busy the machine is), again and again; then one run
finishes. After every kill each story file parses and is
valid, and the only other files are temporary ones Pelican does not read.
After the finishing run the reports are exactly those of an uninterrupted
run, each once, and no temporary file is left.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sitekit import Item, Project

from newsdigest.check import content_files
from newsdigest.content import frontmatter
from newsdigest.content.validate import read_front_matter, story_problems
from newsdigest.ingest.run import run_ingest
from newsdigest.pelican.reader import FrontMatterReader
from newsdigest.registry import load_registry

OUTLETS = [f"outlet-{n}" for n in range(8)]
TRIALS = 6
KILLS_PER_TRIAL = 4
SEED = 20261124


def word(rng: random.Random) -> str:
    return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))


def feeds(
    rng: random.Random, batch: str, start: datetime, events: int
) -> dict[str, list[Item]]:
    """Items per outlet, one new event each, every event in its own words."""
    items: dict[str, list[Item]] = {outlet: [] for outlet in OUTLETS}
    for number in range(events):
        words = " ".join(word(rng) for _ in range(8))
        outlet = OUTLETS[number % len(OUTLETS)]
        items[outlet].append(
            Item(
                words.title(),
                f"https://{outlet}.example/{batch}/{number}",
                start + timedelta(minutes=number),
                words,
            )
        )
    return items


def follow_ups(
    first: dict[str, list[Item]], each: int, when: datetime
) -> dict[str, list[Item]]:
    """The next outlet's report on ``each`` of every outlet's earlier events."""
    items: dict[str, list[Item]] = {outlet: [] for outlet in OUTLETS}
    for number, outlet in enumerate(OUTLETS):
        other = OUTLETS[(number + 1) % len(OUTLETS)]
        items[other] += [
            Item(
                f"Update: {old.title}",
                f"https://{other}.example/follow-up/{number}/{index}",
                when,
                old.description,
            )
            for index, old in enumerate(first[outlet][:each])
        ]
    return items


def story_urls(content: Path) -> list[str]:
    return [
        report["url"]
        for path in sorted((content / "stories").rglob("*.md"))
        for report in frontmatter.read(path).meta.get("reports") or []
    ]


def temp_files(content: Path) -> list[Path]:
    return sorted(content.rglob(f"{frontmatter.TEMP_PREFIX}*.tmp"))


def entries(content: Path) -> set[str]:
    """The names in every story folder, temporary files included."""
    return {
        name
        for folder in (content / "stories").glob("*/*")
        for name in os.listdir(folder)
    }


def spawn_ingest(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdigest.cli", "ingest"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A project after a first batch, with the second batch waiting in its feeds,
    and what an uninterrupted second run makes of it."""
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    root = tmp_path_factory.mktemp("crash") / "base"
    project = Project(root)
    first = feeds(rng, "first", now - timedelta(hours=20), events=40)
    for outlet in OUTLETS:
        project.add_outlet(outlet, first[outlet])
    project.ingest(now=now)
    before = set(story_urls(project.content))
    second = feeds(rng, "second", now - timedelta(hours=10), events=320)
    updates = follow_ups(first, 5, now - timedelta(hours=2))
    for outlet in OUTLETS:  # old items stay in the feeds, new ones follow
        project.add_outlet(outlet, first[outlet] + second[outlet] + updates[outlet])
    reference = root.parent / "reference"
    shutil.copytree(root, reference)
    process = spawn_ingest(reference)
    _out, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    # The follow-ups joined their stories: old files were rewritten, too.
    assert len(content_files(reference / "content")) == 40 + 320
    return {"base": root, "before": before, "after": story_urls(reference / "content")}


def kill_while_writing(root: Path, files: int) -> bool:
    """Run ingest and kill it once ``files`` new names are in story folders.

    Temporary files count, so ``files`` one past the new stories still to
    come kills it while it rewrites an old story. True if it was killed.
    """
    content = root / "content"
    names = entries(content)
    process = spawn_ingest(root)
    while process.poll() is None and len(entries(content) - names) < files:
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    return process.returncode == -signal.SIGKILL


def test_ingest_killed_at_random_points_finishes_the_job_on_the_next_run(
    scene: dict, tmp_path: Path
) -> None:
    before, after = scene["before"], scene["after"]
    assert len(after) == len(set(after)) == len(before) + 320 + 40
    rng = random.Random(SEED)
    runs = killed = partial = leftovers = 0
    readable = {f".{extension}" for extension in FrontMatterReader.file_extensions}
    outlets = set(OUTLETS)
    for trial in range(TRIALS):
        root = tmp_path / f"trial-{trial}"
        shutil.copytree(scene["base"], root)
        content = root / "content"
        urls = list(before)
        for _kill in range(KILLS_PER_TRIAL):
            if len(urls) == len(after):
                break
            runs += 1
            to_come = 40 + 320 - len(content_files(content))
            killed += kill_while_writing(root, rng.randint(1, to_come + 1))
            for path in content_files(content):
                assert story_problems(*read_front_matter(path), outlets) == [], path
            temps = temp_files(content)
            files = {path for path in content.rglob("*") if path.is_file()}
            assert files - set(temps) == set(content_files(content))
            assert not any(path.suffix in readable for path in temps)
            leftovers += len(temps)
            urls = story_urls(content)
            assert len(urls) == len(set(urls))
            assert before <= set(urls) <= set(after)
            partial += len(before) < len(urls) < len(after)
        state = root / ".newsdigest" / "state.sqlite"
        run_ingest(load_registry(root / "sources.yaml"), content, state)
        assert sorted(story_urls(content)) == sorted(after)
        assert temp_files(content) == []
    assert killed >= runs * 2 // 3, f"only {killed} of {runs} runs were still going"
    assert partial >= TRIALS, (
        f"only {partial} of {killed} kills landed while stories were being "
        f"written ({leftovers} temporary files left behind)"
    )


def test_leftover_temp_files_are_not_built_and_the_next_ingest_removes_them(
    project: Project,
) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    project.add_outlet("a", [Item("Harbor bridge closes", "https://a.example/1", now)])
    project.ingest(now=now)
    (story,) = project.story_files()
    stale = story.parent / f"{frontmatter.TEMP_PREFIX}x8k2ja.tmp"
    stale.write_bytes(story.read_bytes()[:30])  # a write cut short by a kill
    an_hour = 3600
    os.utime(stale, (time.time() - an_hour, time.time() - an_hour))
    busy = story.parent / f"{frontmatter.TEMP_PREFIX}q7d1zz.tmp"
    busy.write_bytes(b"---\n")  # another writer's, newer than the next run
    os.utime(busy, (time.time() + an_hour, time.time() + an_hour))
    project.build()
    pages = sorted(p.relative_to(project.output) for p in project.output.rglob("*"))
    assert not [
        page for page in pages if "x8k2ja" in str(page) or "q7d1zz" in str(page)
    ]
    assert (project.output / "stories" / story.stem / "index.html").exists()
    desk = project.content / "dispatches" / "2026" / "11"
    desk.mkdir(parents=True)
    stale_dispatch = desk / f"{frontmatter.TEMP_PREFIX}m3n9vb.tmp"
    stale_dispatch.write_bytes(b"---\ntitle: Bri")
    os.utime(stale_dispatch, (time.time() - an_hour, time.time() - an_hour))
    project.ingest(now=now)
    assert not stale.exists()
    assert not stale_dispatch.exists()
    assert busy.exists()
