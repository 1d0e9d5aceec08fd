"""The writer leaves unchanged output files alone: real builds in tmp_path."""

from __future__ import annotations

import filecmp
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jinja2 import Template
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import FileOverwriteFailedError
from sitekit import OLD_NS, Item, Project, age, contents, stamps

from newsdigest.pelican import writer as writer_module
from newsdigest.pelican.writer import KeepUnchangedWriter

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
#: Only Pelican's writer and its theme copy write files: the plugin's own
#: feeds, sitemaps and mtime keeper are turned off to isolate the writer.
ISOLATED = {
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "SITEURL": "https://news.example",
    "NEWSDIGEST_FEED_FORMATS": (),
    "NEWSDIGEST_SITEMAP": None,
    "NEWSDIGEST_NEWS_SITEMAP": None,
    "NEWSDIGEST_ROBOTS_TXT": None,
    "NEWSDIGEST_KEEP_MTIMES": False,
}


@pytest.fixture
def three_stories(project: Project) -> Project:
    """Three unrelated events, each from its own outlet, country and category."""
    for outlet, country, category, headline in [
        ("harbor-ledger", "US", "World", "Harbor bridge closed after cracks found"),
        ("alpine-post", "CA", "Sports", "Ski season opens early on heavy snowfall"),
        ("orchard-news", "GB", "Business", "Growers report record apple harvest"),
    ]:
        project.add_outlet(
            outlet,
            [
                Item(
                    headline,
                    f"https://{outlet}.example/story",
                    WHEN,
                    categories=(category,),
                )
            ],
            country=country,
            lean="Center",
        )
    project.ingest()
    return project


def retitle(story: Path, title: str) -> None:
    """Change a story's title by hand, as an editor would."""
    text = story.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title: "))
    story.write_text(text.replace(old, f"title: {title}", 1), encoding="utf-8")


def test_second_build_touches_no_output_file(three_stories: Project) -> None:
    output = three_stories.build(**ISOLATED)
    before, data = age(output), contents(output)
    assert "feeds/all.atom.xml" in before
    assert "theme/css/site.css" in before

    three_stories.build(**ISOLATED)

    after = stamps(output)
    assert contents(output) == data
    assert {name: stamp[0] for name, stamp in after.items()} == dict.fromkeys(
        before, OLD_NS
    )
    # Pelican copies theme files again; everything else was not even opened.
    assert {n: s for n, s in after.items() if not n.startswith("theme/")} == {
        n: s for n, s in before.items() if not n.startswith("theme/")
    }


def test_changed_story_rewrites_only_the_pages_that_show_it(
    three_stories: Project,
) -> None:
    output = three_stories.build(**ISOLATED)
    age(output)
    data = contents(output)
    story = next(p for p in three_stories.story_files() if "harbor" in p.stem)
    retitle(story, "Harbor bridge reopens after repairs")

    three_stories.build(**ISOLATED)

    after = contents(output)
    rewritten = {name for name, stamp in stamps(output).items() if stamp[0] != OLD_NS}
    assert rewritten == {name for name in after if after[name] != data.get(name)}
    assert {name for name in rewritten if name.endswith(".html")} == {
        f"stories/{story.stem}/index.html",
        "index.html",
        "archives/index.html",
        "category/world/index.html",
        "country/us/index.html",
    }
    assert "Harbor bridge reopens" in after["feeds/all.atom.xml"].decode()


def test_delete_output_directory_keeps_unchanged_files_and_drops_stale_ones(
    three_stories: Project,
) -> None:
    settings = {
        **ISOLATED,
        "DELETE_OUTPUT_DIRECTORY": True,
        "OUTPUT_RETENTION": [".keep"],
    }
    output = three_stories.build(**settings)
    (output / "stale.html").write_text("left from an old build", encoding="utf-8")
    (output / ".keep").write_text("the host's file", encoding="utf-8")
    gone = next(p for p in three_stories.story_files() if "growers" in p.stem)
    gone.unlink()
    before = age(output)

    three_stories.build(**settings)

    after = stamps(output)
    assert "stale.html" not in after
    assert f"stories/{gone.stem}/index.html" not in after
    assert after[".keep"] == before[".keep"]
    kept = next(p for p in three_stories.story_files() if "ski-season" in p.stem)
    for name in [f"stories/{kept.stem}/index.html", "theme/css/site.css"]:
        assert after[name][0] == OLD_NS
    assert not (three_stories.root / "cache" / "previous-output").exists()


@pytest.mark.parametrize("delete_output", [False, True])
def test_output_on_another_file_system_is_built_as_pelican_builds_it(
    three_stories: Project, monkeypatch: pytest.MonkeyPatch, delete_output: bool
) -> None:
    """Old outputs cannot be moved back across file systems: every build after
    the first failed with "Invalid cross-device link"."""
    settings = {**ISOLATED, "DELETE_OUTPUT_DIRECTORY": delete_output}
    expected = contents(three_stories.build(**settings))
    monkeypatch.setattr(writer_module, "same_file_system", lambda one, other: False)
    retitle(three_stories.story_files()[0], "Harbor bridge shut after cracks found")
    output = three_stories.build(**settings)
    assert contents(output).keys() == expected.keys()
    assert "Harbor bridge shut after cracks found" in three_stories.page("index.html")
    assert not (three_stories.root / "cache" / "previous-output").exists()


def test_output_is_byte_identical_to_pelicans_own_writer(
    three_stories: Project, tmp_path: Path
) -> None:
    ours = three_stories.build()
    plain = tmp_path / "plain"
    three_stories.build(OUTPUT_PATH=str(plain), NEWSDIGEST_KEEP_UNCHANGED_OUTPUT=False)
    comparison = filecmp.dircmp(ours, plain)
    assert not comparison.left_only
    assert not comparison.right_only
    assert not comparison.diff_files
    assert contents(ours) == contents(plain)


def writer(output: Path) -> KeepUnchangedWriter:
    return KeepUnchangedWriter(str(output), settings=dict(DEFAULT_CONFIG))


def test_writing_one_output_twice_is_still_refused(tmp_path: Path) -> None:
    page = Template("<p>{{ text }}</p>")
    pelican_writer = writer(tmp_path)
    pelican_writer.write_file("page.html", page, {"text": "one"})
    with pytest.raises(FileOverwriteFailedError):
        pelican_writer.write_file("page.html", page, {"text": "two"})
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == "<p>one</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_error_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_text("the old feed", encoding="utf-8")
    with (
        pytest.raises(RuntimeError),
        writer(tmp_path)._open_w(str(target), "utf-8") as handle,
    ):
        handle.write("half a new")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "the old feed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.xml"]
