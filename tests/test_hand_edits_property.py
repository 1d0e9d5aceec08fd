"""Hand edits survive ingest: merges, splits, deletions, locks, and a property test.

The property test plays an editor and a stream of feeds against each other:
random edits (title, body, category, extra fields, deleted reports, locks,
merges, splits) between ingests of random batches of old and new reports.
After every ingest no edit is lost, no report is doubled, deleted reports
stay deleted and every report stays in the file the editor put it in.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import Item, Project

from newsdigest.content import frontmatter
from newsdigest.content.validate import read_front_matter, story_problems

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)
EVENTS = {
    "bridge": (
        "Halvorsen Bridge",
        (
            "Inspectors found cracks in two girders of the Halvorsen Bridge in Port "
            "Calloway; repairs could cost $310 million, commissioner Okafor said."
        ),
    ),
    "ferry": (
        "Fellgate ferry",
        (
            "The Fellgate river ferry will run an hourly winter timetable from "
            "December, the operator Brackwater Lines said on its website."
        ),
    ),
    "vaccine": (
        "Kestipur malaria vaccine",
        (
            "A malaria vaccine from a Kestipur laboratory protected 71 per cent of "
            "children in a trial of 12,000, researchers reported in the journal."
        ),
    ),
}
OUTLETS = ("north", "south", "east", "west")


def report_item(event: str, outlet: str) -> Item:
    """The report ``outlet`` files about ``event``; same event, similar words."""
    name, text = EVENTS[event]
    return Item(
        f"{name} ({outlet})",
        f"https://{outlet}.example/{event}",
        T0 + timedelta(hours=OUTLETS.index(outlet)),
        text,
    )


def publish(project: Project, reports: set[tuple[str, str]]) -> None:
    """Every outlet's feed now holds exactly its reports in ``reports``."""
    for outlet in OUTLETS:
        items = [report_item(e, o) for e, o in sorted(reports) if o == outlet]
        project.add_outlet(outlet, items)


def urls(path: Path) -> list[str]:
    return [r["url"] for r in frontmatter.read(path).meta.get("reports") or []]


def all_urls(project: Project) -> list[str]:
    return [url for path in project.story_files() for url in urls(path)]


def edit(path: Path, **fields: object) -> None:
    """Change front matter fields as an editor would, keeping the rest."""
    document = frontmatter.read(path)
    document.meta.update(fields)
    frontmatter.write_atomic(path, frontmatter.dump(document.meta, document.body))


def story_with(project: Project, url: str) -> Path:
    (path,) = [p for p in project.story_files() if url in urls(p)]
    return path


def move_reports(source: Path, target: Path, moved: list[str]) -> None:
    """Move the reports with URLs ``moved`` from ``source`` into ``target``."""
    taken = frontmatter.read(source)
    entries = [r for r in taken.meta["reports"] if r["url"] in moved]
    taken.meta["reports"] = [r for r in taken.meta["reports"] if r["url"] not in moved]
    frontmatter.write_atomic(source, frontmatter.dump(taken.meta, taken.body))
    given_to = frontmatter.read(target)
    given_to.meta["reports"] = [*given_to.meta["reports"], *entries]
    frontmatter.write_atomic(target, frontmatter.dump(given_to.meta, given_to.body))


def split_off(source: Path, slug: str, moved: list[str]) -> Path:
    """Split the reports ``moved`` off ``source`` into a new story ``slug``."""
    document = frontmatter.read(source)
    meta = {**document.meta, "title": f"Split: {slug}", "slug": slug, "reports": []}
    meta.pop("locked", None)
    target = source.with_name(f"{slug}.md")
    frontmatter.write_atomic(target, frontmatter.dump(meta, ""))
    move_reports(source, target, moved)
    return target


def bridge_and_ferry(project: Project) -> tuple[Path, Path]:
    publish(project, {("bridge", "north"), ("ferry", "south")})
    project.ingest(now=NOW)
    return (
        story_with(project, "https://north.example/bridge"),
        story_with(project, "https://south.example/ferry"),
    )


# -- merges and splits ------------------------------------------------------


def test_merge_by_moving_reports_then_new_coverage_joins_the_merged_story(
    project: Project,
) -> None:
    bridge, ferry = bridge_and_ferry(project)
    move_reports(ferry, bridge, ["https://south.example/ferry"])
    ferry.unlink()
    publish(project, {("bridge", "north"), ("ferry", "south"), ("ferry", "east")})
    summary = project.ingest(now=NOW)
    assert project.story_files() == [bridge]
    assert urls(bridge) == [
        "https://north.example/bridge",
        "https://south.example/ferry",
        "https://east.example/ferry",
    ]
    assert summary.stories_new == []


def test_merged_into_sends_new_coverage_to_the_target_and_leaves_the_file(
    project: Project,
) -> None:
    bridge, ferry = bridge_and_ferry(project)
    edit(ferry, merged_into=frontmatter.read(bridge).meta["slug"])
    before = ferry.read_bytes()
    publish(project, {("bridge", "north"), ("ferry", "south"), ("ferry", "east")})
    project.ingest(now=NOW)
    assert ferry.read_bytes() == before
    assert urls(bridge) == [
        "https://north.example/bridge",
        "https://east.example/ferry",
    ]
    assert story_problems(*read_front_matter(ferry), OUTLETS) == []


def test_split_reports_stay_put_and_new_coverage_follows_them(
    project: Project,
) -> None:
    bridge, ferry = bridge_and_ferry(project)
    move_reports(ferry, bridge, ["https://south.example/ferry"])
    ferry.unlink()
    project.ingest(now=NOW)
    split = split_off(bridge, "ferry-timetable", ["https://south.example/ferry"])
    publish(
        project,
        {
            ("bridge", "north"),
            ("ferry", "south"),
            ("ferry", "east"),
            ("bridge", "west"),
        },
    )
    summary = project.ingest(now=NOW)
    assert urls(bridge) == [
        "https://north.example/bridge",
        "https://west.example/bridge",
    ]
    assert urls(split) == ["https://south.example/ferry", "https://east.example/ferry"]
    assert summary.stories_new == []
    assert frontmatter.read(split).meta["title"] == "Split: ferry-timetable"


def test_deleted_story_file_and_its_reports_do_not_come_back(
    project: Project,
) -> None:
    _bridge, ferry = bridge_and_ferry(project)
    ferry.unlink()
    publish(project, {("bridge", "north"), ("ferry", "south"), ("vaccine", "east")})
    summary = project.ingest(now=NOW)
    assert "https://south.example/ferry" not in all_urls(project)
    assert summary.stories_new == [
        frontmatter.read(story_with(project, "https://east.example/vaccine")).meta[
            "slug"
        ]
    ]


def test_store_reads_again_only_the_files_edited_by_hand(project: Project) -> None:
    bridge, _ferry = bridge_and_ferry(project)
    assert project.ingest(now=NOW).files_reindexed == 0
    edit(bridge, title="Edited by the desk")
    assert project.ingest(now=NOW).files_reindexed == 1
    assert project.ingest(now=NOW).files_reindexed == 0


def test_broken_hand_edit_is_left_alone_and_the_rest_proceeds(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    bridge, ferry = bridge_and_ferry(project)
    broken = ferry.read_text(encoding="utf-8").replace("title:", "title: [oops", 1)
    ferry.write_text(broken, encoding="utf-8")
    publish(project, {("bridge", "north"), ("ferry", "south"), ("bridge", "east")})
    project.ingest(now=NOW)
    assert ferry.read_text(encoding="utf-8") == broken
    assert urls(bridge) == [
        "https://north.example/bridge",
        "https://east.example/bridge",
    ]
    assert f"{ferry}:3: yaml: " in caplog.text


def test_locked_story_is_byte_identical_after_new_coverage(project: Project) -> None:
    bridge, _ferry = bridge_and_ferry(project)
    edit(bridge, locked=True)
    before = bridge.read_bytes()
    publish(project, {("bridge", "north"), ("ferry", "south"), ("bridge", "east")})
    project.ingest(now=NOW)
    assert bridge.read_bytes() == before
    assert "https://east.example/bridge" not in all_urls(project)


# -- the property test -------------------------------------------------------

REPORTS = sorted((event, outlet) for event in EVENTS for outlet in OUTLETS)
EDITS = (
    "title",
    "body",
    "category",
    "extra",
    "delete-report",
    "lock",
    "merge",
    "split",
)
batches = st.sets(st.sampled_from(REPORTS), min_size=2, max_size=8)
edits = st.tuples(st.sampled_from(EDITS), st.integers(0, 50), st.integers(0, 50))
#: A first ingest, then rounds of a few edits followed by an ingest.
rounds = st.tuples(
    batches, st.lists(st.tuples(st.lists(edits, max_size=3), batches), max_size=4)
)


class Editor:
    """Makes edits and remembers what every later ingest must respect."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.fields: dict[Path, dict[str, object]] = {}
        self.bodies: dict[Path, str] = {}
        self.locked: dict[Path, bytes] = {}
        self.deleted_urls: set[str] = set()
        self.deleted_files: set[Path] = set()
        self.published: set[str] = set()
        self.edits = 0

    def editable(self) -> list[Path]:
        return [p for p in self.project.story_files() if p not in self.locked]

    def apply(self, kind: str, first: int, second: int) -> None:
        files = self.editable()
        if not files:
            return
        path = files[first % len(files)]
        self.edits += 1
        label = f"edit {self.edits}"
        if kind in ("title", "category", "extra"):
            name = "desk_note" if kind == "extra" else kind
            edit(path, **{name: label})
            self.fields.setdefault(path, {})[name] = label
        elif kind == "body":
            document = frontmatter.read(path)
            text = frontmatter.dump(document.meta, f"An editor wrote this ({label}).")
            frontmatter.write_atomic(path, text)
            self.bodies[path] = frontmatter.read(path).body
        elif kind == "delete-report" and urls(path):
            gone = urls(path)[second % len(urls(path))]
            document = frontmatter.read(path)
            document.meta["reports"] = [
                r for r in document.meta["reports"] if r["url"] != gone
            ]
            frontmatter.write_atomic(
                path, frontmatter.dump(document.meta, document.body)
            )
            self.deleted_urls.add(gone)
        elif kind == "lock":
            edit(path, locked=True)
            self.locked[path] = path.read_bytes()
        elif kind == "merge" and len(files) > 1:
            other = files[second % len(files)]
            if other != path:
                move_reports(other, path, urls(other))
                other.unlink()
                self.deleted_files.add(other)
                self.fields.pop(other, None)
                self.bodies.pop(other, None)
        elif kind == "split" and len(urls(path)) > 1:
            split_off(path, f"split-{self.edits}", urls(path)[1:])

    def placement(self) -> dict[str, Path]:
        """Where every report is now, checking none is in two places."""
        where: dict[str, Path] = {}
        for path in self.project.story_files():
            for url in urls(path):
                assert url not in where, f"{url} doubled in {where[url]} and {path}"
                where[url] = path
        return where

    def ingest(self, reports: set[tuple[str, str]]) -> None:
        """Publish ``reports``, ingest them, and check that nothing was lost."""
        publish(self.project, reports)
        self.published |= {report_item(*report).link for report in reports}
        before = self.placement()
        self.project.ingest(now=NOW)
        after = self.placement()
        for url, path in before.items():
            assert after.get(url) == path, f"{url} moved from {path}"
        assert not self.deleted_urls & after.keys()
        # A report that joins a locked story is dropped; nothing else may be.
        frozen = {url.rsplit("/", 1)[1] for path in self.locked for url in urls(path)}
        for url in self.published - after.keys() - self.deleted_urls:
            assert url.rsplit("/", 1)[1] in frozen, f"{url} lost"
        for path in self.deleted_files:
            assert not path.exists()
        for path, fields in self.fields.items():
            meta = frontmatter.read(path).meta
            assert {name: meta.get(name) for name in fields} == fields
        for path, body in self.bodies.items():
            assert frontmatter.read(path).body == body
        for path, data in self.locked.items():
            assert path.read_bytes() == data
        for path in self.project.story_files():
            assert story_problems(*read_front_matter(path), OUTLETS) == []


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(rounds=rounds)
def test_no_hand_edit_is_ever_lost_whatever_the_feeds_bring(
    rounds: tuple[set[tuple[str, str]], list[tuple[list[tuple], set]]],
) -> None:
    first, later = rounds
    with tempfile.TemporaryDirectory() as folder:
        editor = Editor(Project(Path(folder)))
        editor.ingest(first)
        for changes, batch in later:
            for change in changes:
                editor.apply(*change)
            editor.ingest(batch)
