"""Story files: front matter read/write, and appending reports without losing edits."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdigest.content import frontmatter
from newsdigest.content.storyfile import (
    add_removed,
    add_reports,
    new_story_document,
    report_from_meta,
    report_to_meta,
    story_path,
)
from newsdigest.errors import InputError
from newsdigest.records import Report, Story

WHEN = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
PATH = Path("content/stories/2026/03/storm.md")


def _report(number: int, **changes) -> Report:
    fields = {
        "outlet": f"outlet-{number}",
        "url": f"https://news{number}.example/storm",
        "headline": f"Storm report {number}",
        "published": WHEN + timedelta(hours=number),
    }
    fields.update(changes)
    return Report(**fields)


def _story(*reports: Report, summary: str = "Heavy rain hit the coast.") -> Story:
    return Story(
        slug="storm-hits-coast",
        title="Storm hits coast",
        date=WHEN,
        category="World",
        reports=list(reports),
        summary=summary,
    )


def _urls(text: str) -> list[str]:
    return [r["url"] for r in frontmatter.parse(text, PATH).meta["reports"]]


# --- new_story_document -----------------------------------------------------


def test_new_story_parses_back_to_its_fields():
    first = _report(1, summary="Rain fell", guid="g-1", lang="en")
    second = _report(2, undated=True)
    document = frontmatter.parse(new_story_document(_story(first, second)).text(), PATH)
    assert document.meta == {
        "title": "Storm hits coast",
        "slug": "storm-hits-coast",
        "date": "2026-03-03T10:00:00Z",
        "category": "World",
        "reports": [
            {
                "outlet": "outlet-1",
                "headline": "Storm report 1",
                "url": "https://news1.example/storm",
                "published": "2026-03-03T11:00:00Z",
                "summary": "Rain fell",
                "guid": "g-1",
                "lang": "en",
            },
            {
                "outlet": "outlet-2",
                "headline": "Storm report 2",
                "url": "https://news2.example/storm",
                "published": "2026-03-03T12:00:00Z",
                "undated": True,
            },
        ],
    }
    assert document.body == "Heavy rain hit the coast.\n"


def test_reports_round_trip_through_front_matter():
    original = _report(1, summary="S", guid="tag:x,2026:1", lang="de", undated=True)
    document = frontmatter.parse(new_story_document(_story(original)).text(), PATH)
    assert report_from_meta(document.meta["reports"][0]) == original


def test_guid_equal_to_url_is_not_written_twice():
    report = _report(1, guid="https://news1.example/storm")
    assert "guid" not in report_to_meta(report)


def test_hostile_headline_and_summary_stay_data_not_yaml_or_markdown():
    headline = "key: value\n- list\n--- # not a fence"
    story = _story(_report(1, headline=headline), summary="# [x](javascript:alert(1))")
    story.title = "---\ntitle: injected"
    document = frontmatter.parse(new_story_document(story).text(), PATH)
    assert document.meta["title"] == "---\ntitle: injected"
    assert document.meta["reports"][0]["headline"] == headline
    assert document.body.startswith("\\#")
    assert "\\[x\\]" in document.body


def test_story_without_summary_has_empty_body():
    document = frontmatter.parse(
        new_story_document(_story(_report(1), summary="")).text(), PATH
    )
    assert document.body == ""


def test_story_path_is_by_year_and_month(tmp_path):
    assert story_path(tmp_path, _story()) == (
        tmp_path / "stories" / "2026" / "03" / "storm-hits-coast.md"
    )


# --- add_reports -----------------------------------------------------------


def test_add_reports_appends_only_new_urls():
    text = new_story_document(_story(_report(1), _report(2))).text()
    updated = add_reports(text, PATH, [_report(2), _report(3), _report(3)])
    assert _urls(updated) == [
        "https://news1.example/storm",
        "https://news2.example/storm",
        "https://news3.example/storm",
    ]


def test_adding_reports_parses_the_front_matter_three_times(monkeypatch):
    """Once to find the story's reports, once for the data and the field lines
    of the list to grow (one parse gives both), once to check the edit."""
    parsed = []
    loader = frontmatter._Loader

    def counting_loader(text):
        parsed.append(text)
        return loader(text)

    monkeypatch.setattr(frontmatter, "_Loader", counting_loader)
    text = new_story_document(_story(_report(1), _report(2))).text()
    add_reports(text, PATH, [_report(3)])
    assert len(parsed) == 3


def test_nothing_new_returns_the_text_unchanged():
    text = new_story_document(_story(_report(1))).text()
    assert add_reports(text, PATH, [_report(1)]) is text
    assert add_reports(text, PATH, []) is text


HAND_EDITED = """\
---
# Editor's note: checked with the coast guard.
title: The storm, as the desk saw it   # renamed by hand
slug: storm-hits-coast
date: '2026-03-03T10:00:00Z'
category: Climate
pinned: true
reports:
- outlet: outlet-1
  headline: Storm report 1
  url: https://news1.example/storm   # primary source
  published: '2026-03-03T11:00:00Z'
# keep this comment
---

A body the **editor** wrote.

Second paragraph.
"""


def test_hand_edited_title_survives_adding_reports():
    updated = add_reports(HAND_EDITED, PATH, [_report(2)])
    meta = frontmatter.parse(updated, PATH).meta
    assert meta["title"] == "The storm, as the desk saw it"
    assert meta["category"] == "Climate"
    assert meta["pinned"] is True


def test_comments_and_layout_are_kept_byte_for_byte_when_reports_is_last():
    updated = add_reports(HAND_EDITED, PATH, [_report(2)])
    front, body = HAND_EDITED.split("---\n\n", 1)
    assert updated.startswith(front)
    assert updated.endswith("---\n\n" + body)
    assert _urls(updated) == [
        "https://news1.example/storm",
        "https://news2.example/storm",
    ]
    # Adding once more keeps the earlier addition byte for byte too.
    again = add_reports(updated, PATH, [_report(3)])
    assert again.startswith(updated.split("---\n\n", 1)[0])
    assert len(_urls(again)) == 3


@pytest.mark.parametrize(
    ("mark", "ending"), [("", "\r\n"), ("\ufeff", "\n"), ("\ufeff", "\r\n")]
)
def test_a_files_line_ends_and_byte_order_mark_survive_adding_reports(
    tmp_path: Path, mark: str, ending: str
) -> None:
    """An editor's Windows tools: lines added were LF among CRLF, the BOM lost."""
    path = tmp_path / "storm.md"
    path.write_bytes((mark + HAND_EDITED.replace("\n", ending)).encode("utf-8"))
    text = frontmatter.update(path, lambda t: add_reports(t, path, [_report(2)]))
    data = path.read_bytes()
    assert data.startswith(mark.encode("utf-8") + b"---" + ending.encode())
    assert data.count(b"\n") == data.count(ending.encode())  # one kind of line end
    assert text is not None
    assert _urls(text) == ["https://news1.example/storm", "https://news2.example/storm"]
    assert frontmatter.read(path).meta["reports"][1]["url"] == (
        "https://news2.example/storm"
    )


def test_body_survives_adding_reports():
    updated = add_reports(HAND_EDITED, PATH, [_report(2)])
    assert frontmatter.parse(updated, PATH).body == (
        "A body the **editor** wrote.\n\nSecond paragraph.\n"
    )


EDITED_REPORTS_NOT_LAST = """\
---
title: Edited title   # a comment that stays
slug: storm-hits-coast
date: '2026-03-03T10:00:00Z'
category: World
reports:
- outlet: outlet-1
  headline: Storm report 1
  url: https://news1.example/storm
  published: '2026-03-03T11:00:00Z'
editor_note: Keep me
tags:
- weather
---

Hand-written body.
"""


def test_reports_not_last_keep_every_byte_and_field_order():
    updated = add_reports(EDITED_REPORTS_NOT_LAST, PATH, [_report(2)])
    cut = EDITED_REPORTS_NOT_LAST.index("editor_note:")
    assert updated.startswith(EDITED_REPORTS_NOT_LAST[:cut] + "- outlet: outlet-2\n")
    assert updated.endswith(EDITED_REPORTS_NOT_LAST[cut:])
    document = frontmatter.parse(updated, PATH)
    assert list(document.meta) == [
        "title",
        "slug",
        "date",
        "category",
        "reports",
        "editor_note",
        "tags",
    ]
    assert document.meta["title"] == "Edited title"
    assert document.meta["editor_note"] == "Keep me"
    assert document.meta["tags"] == ["weather"]
    assert document.body == "Hand-written body.\n"
    assert _urls(updated) == [
        "https://news1.example/storm",
        "https://news2.example/storm",
    ]


def test_indented_reports_grow_in_their_own_indentation_before_the_next_field():
    text = (
        "---\ntitle: T  # desk\nreports:\n  - outlet: outlet-1\n"
        "    url: https://news1.example/storm\n    headline: One\n"
        "    published: '2026-03-03T11:00:00Z'\n    # about report 1\n"
        "\n# the editor's country\ncountry: IN  # set by editor\n---\n\nBody\n"
    )
    updated = add_reports(text, PATH, [_report(2)])
    cut = text.index("\n# the editor's")
    assert updated.startswith(text[:cut] + "  - outlet: outlet-2\n    headline:")
    assert updated.endswith(text[cut:])
    assert _urls(updated)[1] == "https://news2.example/storm"


def test_flow_list_is_written_out_again_and_the_log_says_so(caplog):
    text = "---\ntitle: T  # desk\nreports: []\ncountry: IN\n---\n\nBody\n"
    updated = add_reports(text, PATH, [_report(1)])
    assert _urls(updated) == ["https://news1.example/storm"]
    assert f"{PATH}: reports: cannot grow in place" in caplog.text
    assert "comments were lost" in caplog.text


def test_deleted_report_is_added_to_removed_keeping_every_byte():
    text = HAND_EDITED
    gone = "https://news2.example/storm"
    updated = add_removed(text, PATH, [gone, "https://news1.example/storm"])
    front, body = text.split("---\n\n", 1)
    assert updated == f"{front}removed:\n- {gone}\n---\n\n{body}"
    again = add_removed(updated, PATH, [gone, "https://news3.example/storm"])
    assert again.startswith(updated.split("---\n\n", 1)[0])
    assert frontmatter.parse(again, PATH).meta["removed"] == [
        gone,
        "https://news3.example/storm",
    ]
    assert add_removed(again, PATH, [gone]) is again
    locked = text.replace("pinned: true\n", "locked: true\n")
    assert add_removed(locked, PATH, [gone]) is locked


def test_removed_url_is_never_added_back():
    text = EDITED_REPORTS_NOT_LAST.replace(
        "tags:\n- weather\n", "removed:\n- https://news2.example/storm\n"
    )
    assert add_reports(text, PATH, [_report(2)]) is text
    updated = add_reports(text, PATH, [_report(2), _report(3)])
    assert _urls(updated) == [
        "https://news1.example/storm",
        "https://news3.example/storm",
    ]
    assert frontmatter.parse(updated, PATH).meta["removed"] == [
        "https://news2.example/storm"
    ]


def test_locked_story_is_left_byte_identical():
    text = HAND_EDITED.replace("pinned: true\n", "locked: true\n")
    assert add_reports(text, PATH, [_report(2), _report(3)]) == text


def test_locked_false_does_not_lock():
    text = HAND_EDITED.replace("pinned: true\n", "locked: false\n")
    assert len(_urls(add_reports(text, PATH, [_report(2)]))) == 2


def test_story_with_empty_reports_gets_its_first_report():
    text = "---\ntitle: T\nreports: []\n---\n\nBody\n"
    updated = add_reports(text, PATH, [_report(1)])
    assert _urls(updated) == ["https://news1.example/storm"]
    assert frontmatter.parse(updated, PATH).meta["title"] == "T"


@pytest.mark.parametrize(
    "reports_yaml",
    [
        (
            "reports:\n  - outlet: outlet-1\n    url: https://news1.example/storm\n"
            "    headline: One\n    published: '2026-03-03T11:00:00Z'\n"
        ),
        (
            "reports: [{outlet: outlet-1, url: 'https://news1.example/storm', "
            "headline: One, published: '2026-03-03T11:00:00Z'}]\n"
        ),
    ],
    ids=["indented-list", "flow-list"],
)
def test_any_valid_yaml_layout_of_reports_accepts_new_reports(reports_yaml):
    text = f"---\ntitle: Edited\n{reports_yaml}---\n\nBody\n"
    updated = add_reports(text, PATH, [_report(2)])
    assert _urls(updated) == [
        "https://news1.example/storm",
        "https://news2.example/storm",
    ]
    assert frontmatter.parse(updated, PATH).meta["title"] == "Edited"


# --- write_atomic and read -------------------------------------------------


def test_write_atomic_creates_folders_and_file_reads_back(tmp_path):
    path = tmp_path / "stories" / "2026" / "03" / "storm.md"
    text = new_story_document(_story(_report(1))).text()
    assert frontmatter.write_atomic(path, text) is True
    assert path.read_bytes() == text.encode("utf-8")
    document = frontmatter.read(path)
    assert document.meta["slug"] == "storm-hits-coast"
    assert document.body == "Heavy rain hit the coast.\n"


def test_write_atomic_skips_unchanged_bytes_and_keeps_mtime(tmp_path):
    path = tmp_path / "story.md"
    text = new_story_document(_story(_report(1))).text()
    frontmatter.write_atomic(path, text)
    old = 1_600_000_000
    os.utime(path, (old, old))
    inode = path.stat().st_ino
    assert frontmatter.write_atomic(path, text) is False
    assert path.stat().st_mtime == old
    assert path.stat().st_ino == inode


def test_write_atomic_replaces_changed_bytes(tmp_path):
    path = tmp_path / "story.md"
    frontmatter.write_atomic(path, "---\ntitle: A\n---\n")
    assert frontmatter.write_atomic(path, "---\ntitle: B\n---\n") is True
    assert frontmatter.read(path).meta == {"title": "B"}


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "story.md"
    for title in ("A", "B", "B", "Ünïcode ✓"):
        frontmatter.write_atomic(path, f"---\ntitle: {title}\n---\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.md"]
    assert not list(tmp_path.glob(".#*.tmp"))
    assert frontmatter.read(path).meta == {"title": "Ünïcode ✓"}


def test_write_atomic_file_is_world_readable(tmp_path):
    path = tmp_path / "story.md"
    frontmatter.write_atomic(path, "---\ntitle: A\n---\n")
    assert path.stat().st_mode & 0o777 == 0o644


def test_unencodable_text_raises_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "story.md"
    frontmatter.write_atomic(path, "---\ntitle: A\n---\n")
    with pytest.raises(UnicodeEncodeError):
        frontmatter.write_atomic(path, "---\ntitle: \udc80\n---\n")
    assert path.read_text(encoding="utf-8") == "---\ntitle: A\n---\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.md"]


def test_dump_then_parse_round_trips_unicode_and_order():
    meta = {"title": "Zürich — 北京", "b": 1, "a": [1, 2], "empty": None}
    document = frontmatter.parse(frontmatter.dump(meta, "Body\n"), PATH)
    assert document.meta == meta
    assert list(document.meta) == ["title", "b", "a", "empty"]
    assert document.body == "Body\n"


# --- front matter errors ---------------------------------------------------


def _problem(text: str):
    with pytest.raises(InputError) as caught:
        frontmatter.parse(text, PATH)
    [problem] = caught.value.problems
    return problem


def test_missing_opening_fence_is_line_1():
    problem = _problem("title: no fence\n---\n")
    assert problem.line == 1
    assert problem.file == PATH
    assert "---" in problem.message


def test_empty_file_is_an_error():
    assert _problem("").line == 1


def test_missing_closing_fence_is_an_error():
    problem = _problem("---\ntitle: never closed\n\nBody\n")
    assert problem.line == 1
    assert "closing" in problem.message


def test_bad_yaml_names_its_line_counting_the_fence_as_line_1():
    text = (
        "---\n"  # 1
        "title: fine\n"  # 2
        "slug: fine\n"  # 3
        "category: World\n"  # 4
        "  oops: bad indent\n"  # 5
        "date: '2026-03-03T10:00:00Z'\n"  # 6
        "---\n"
    )
    problem = _problem(text)
    assert problem.line == 5
    assert problem.field == "yaml"
    assert str(problem).startswith(f"{PATH}:5: yaml: ")


def test_bad_yaml_on_first_field_is_line_2():
    problem = _problem("---\n\tkey: tab indent\n---\n")
    assert problem.line == 2


def test_front_matter_that_is_not_a_mapping_is_an_error():
    problem = _problem("---\n- a\n- b\n---\n")
    assert problem.line == 2
    assert "mapping" in problem.message


def test_read_from_disk_names_the_file(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: ok\n  bad: indent\n---\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        frontmatter.read(path)
    assert str(caught.value).startswith(f"{path}:3: yaml: ")


def test_empty_front_matter_is_an_empty_mapping():
    document = frontmatter.parse("---\n---\n\nBody\n", PATH)
    assert document.meta == {}
    assert document.body == "Body\n"


def test_file_saved_with_byte_order_mark_still_reads(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: BOM\n---\n\nBody\n")
    assert frontmatter.read(path).meta == {"title": "BOM"}


def test_a_save_made_while_ingest_updates_a_story_is_kept(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: First\nreports: []\n---\n\nBody\n", encoding="utf-8")
    calls = []

    def add_line(text: str) -> str:
        calls.append(text)
        if len(calls) == 1:  # an editor saves while ingest is working
            path.write_text(
                text.replace("title: First", "title: Edited"), encoding="utf-8"
            )
        return text + "Added by ingest.\n"

    written = frontmatter.update(path, add_line)
    assert len(calls) == 2
    assert (
        written
        == path.read_text(encoding="utf-8")
        == ("---\ntitle: Edited\nreports: []\n---\n\nBody\nAdded by ingest.\n")
    )
    assert not list(tmp_path.glob(".#*"))


def test_write_refuses_to_replace_a_file_that_changed_since_it_was_read(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("saved by the editor\n", encoding="utf-8")
    with pytest.raises(frontmatter.ChangedMeanwhile):
        frontmatter.write_atomic(
            path, "ingest's version\n", expected=b"what ingest read\n"
        )
    assert path.read_text(encoding="utf-8") == "saved by the editor\n"
    assert not list(tmp_path.glob(".#*"))
