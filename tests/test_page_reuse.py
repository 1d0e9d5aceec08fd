"""Article pages keep their last output only while nothing they show changed.

Each test builds the sample with the content cache, edits it as an editor or
an ingest would, builds again, and compares every output byte with a cold
build of the edited content.
"""

from __future__ import annotations

import filecmp
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import Project

from newsdigest.content import frontmatter
from newsdigest.pelican.reuse import CARDS_NAME, PAGES_NAME, PageReuse
from newsdigest.registry import load_registry

#: Builds with the cache; stale outputs go, so the output is all this build's.
CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
EMPTIED = {"DELETE_OUTPUT_DIRECTORY": True}


@pytest.fixture
def sample(project: Project) -> Project:
    project.add_sample()
    return project


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(article pages reused, article pages) of each build with the cache."""
    found: list[tuple[int, int]] = []
    save = PageReuse.save

    def counting_save(self: PageReuse) -> None:
        if self.on:
            found.append((self.reused, len(self.keys)))
        save(self)

    monkeypatch.setattr(PageReuse, "save", counting_save)
    return found


def warm_build(
    sample: Project, counts: list[tuple[int, int]], **settings: object
) -> tuple[int, int]:
    """Build with the cache; return (article pages reused, article pages)."""
    counts.clear()
    sample.build(**CACHED, **settings)
    assert len(counts) == 1
    return counts[0]


def assert_same_as_cold_build(
    sample: Project, tmp_path: Path, name: str, **settings: object
) -> None:
    """The warm output holds the files and bytes of a cold build (only them,
    if stale outputs are deleted)."""
    cold = tmp_path / f"cold-{name}"
    sample.build(
        OUTPUT_PATH=str(cold), CACHE_PATH=str(tmp_path / "cold-cache"), **settings
    )
    cold_files = _files(cold)
    if settings.get("DELETE_OUTPUT_DIRECTORY"):
        assert _files(sample.output) == cold_files
    _same, mismatch, errors = filecmp.cmpfiles(
        sample.output, cold, cold_files, shallow=False
    )
    assert (mismatch, errors) == ([], []), name


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def story_with(sample: Project, marker: str) -> Path:
    """The source of a story whose page shows ``marker`` (a CSS class)."""
    for path in sample.story_files():
        slug = frontmatter.read(path).meta.get("slug") or path.stem
        page = sample.output / "stories" / slug / "index.html"
        if page.is_file() and f'class="{marker}' in page.read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no sample story page shows {marker}")


def edit_meta(path: Path, change: Callable[[dict], None]) -> None:
    document = frontmatter.read(path)
    change(document.meta)
    path.write_text(frontmatter.dump(document.meta, document.body), encoding="utf-8")


def retitle_a_story_in_a_thread(sample: Project) -> None:
    edit_meta(
        story_with(sample, "thread-note"),
        lambda meta: meta.update(title=f"{meta['title']} (retitled)"),
    )


def add_a_report_to_a_related_story(sample: Project) -> None:
    """As an ingest does: one more outlet covers a story others link to."""
    path = story_with(sample, "related-meta")
    outlets = [o.id for o in load_registry(sample.sources).outlets.values()]

    def add(meta: dict) -> None:
        reports = meta["reports"]
        covered = {r["outlet"] for r in reports}
        new = dict(reports[0])
        new["outlet"] = next(o for o in outlets if o not in covered)
        new["url"] = f"{new['url']}?again"
        reports.append(new)

    edit_meta(path, add)


def edit_a_dispatch_body(sample: Project) -> None:
    path = sorted((sample.content / "dispatches").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nOne more line from the desk.\n", encoding="utf-8")


def add_an_outlet_logo(sample: Project) -> None:
    logos = sample.content / "logos"
    have = {p.stem for p in logos.iterdir()}
    outlet = next(o for o in load_registry(sample.sources).outlets if o not in have)
    shutil.copy(next(logos.iterdir()), logos / f"{outlet}.svg")


def merge_a_story_into_another(sample: Project) -> None:
    first, second = sample.story_files()[:2]
    target = frontmatter.read(second).meta.get("slug") or second.stem
    edit_meta(first, lambda meta: meta.update(merged_into=target))


def delete_a_related_story(sample: Project) -> None:
    story_with(sample, "related-meta").unlink()


EDITS = [
    retitle_a_story_in_a_thread,
    add_a_report_to_a_related_story,
    edit_a_dispatch_body,
    add_an_outlet_logo,
    merge_a_story_into_another,
    delete_a_related_story,
]


def test_each_edit_renders_what_it_changes_and_reuses_the_rest(
    sample: Project, tmp_path: Path, counts: list[tuple[int, int]]
) -> None:
    sample.build(**CACHED, **EMPTIED)
    assert (sample.root / "cache" / PAGES_NAME).is_file()
    reused, pages = warm_build(sample, counts, **EMPTIED)
    assert reused == pages > 30  # nothing changed: every article page kept
    for edit in EDITS:
        edit(sample)
        reused, pages = warm_build(sample, counts, **EMPTIED)
        assert_same_as_cold_build(sample, tmp_path, edit.__name__, **EMPTIED)
        if edit is not add_an_outlet_logo:  # a logo may show on every page
            assert 0 < reused < pages, edit.__name__


def test_changed_settings_render_every_page(
    sample: Project, tmp_path: Path, counts: list[tuple[int, int]]
) -> None:
    sample.build(**CACHED)
    reused, _pages = warm_build(sample, counts, SITENAME="Another desk")
    assert reused == 0
    assert_same_as_cold_build(sample, tmp_path, "sitename", SITENAME="Another desk")


def test_an_output_changed_by_hand_is_rendered_again(
    sample: Project, tmp_path: Path, counts: list[tuple[int, int]]
) -> None:
    sample.build(**CACHED)
    page = next((sample.output / "stories").glob("*/index.html"))
    page.write_text("tampered", encoding="utf-8")
    reused, pages = warm_build(sample, counts)
    assert reused == pages - 1
    assert_same_as_cold_build(sample, tmp_path, "tampered")


@pytest.mark.parametrize("processes", [1, 2])
def test_reuse_in_one_process_or_several(
    sample: Project,
    tmp_path: Path,
    counts: list[tuple[int, int]],
    processes: int,
) -> None:
    settings = {**EMPTIED, "NEWSDIGEST_RENDER_PROCESSES": processes}
    sample.build(**CACHED, **settings)
    add_a_report_to_a_related_story(sample)
    reused, pages = warm_build(sample, counts, **settings)
    assert 0 < reused < pages
    assert_same_as_cold_build(sample, tmp_path, "emptied", **settings)


@pytest.mark.parametrize("processes", [1, 2])
def test_listings_show_the_kept_cards_of_unchanged_stories(
    sample: Project, processes: int
) -> None:
    """Each card is kept under its story page's key: an unchanged story's card
    is the last build's text, a changed story's card is rendered anew."""
    settings = {"NEWSDIGEST_RENDER_PROCESSES": processes}
    sample.build(**CACHED, **settings)
    kept = sample.root / "cache" / CARDS_NAME
    cards = pickle.loads(kept.read_bytes())
    marked = {key: text.replace('"card"', '"card kept"') for key, text in cards.items()}
    kept.write_bytes(pickle.dumps(marked))
    retitle_a_story_in_a_thread(sample)
    sample.build(**CACHED, **settings)
    archive = (sample.output / "archives" / "index.html").read_text(encoding="utf-8")
    fresh = archive.split('<article class="card">')[1:]
    assert len(fresh) == 1
    assert archive.count('<article class="card kept">') > 20
    assert "(retitled)" in fresh[0].split("</article>")[0]
    kept_before = kept.stat()
    sample.build(**CACHED, **settings)  # no change, no card to keep anew
    assert kept.stat().st_mtime_ns == kept_before.st_mtime_ns


ONE_A_PAGE = {
    "PAGINATED_TEMPLATES": {"archives": 1, "category": 1, "country": 1, "blindspot": 1}
}


def test_a_card_is_rendered_once_for_all_the_depths_its_listings_are_at(
    sample: Project, tmp_path: Path
) -> None:
    """With relative URLs a listing's SITEURL is its way up to the root: ``..``
    on archives/, ``../../..`` on archives/page/2/, ``../..`` on a category."""
    sample.build(**CACHED, **ONE_A_PAGE)
    edit_meta(
        story_with(sample, "thread-note"),
        lambda meta: meta.update(title=f"{meta['title']}... or not"),
    )
    sample.build(**CACHED, **ONE_A_PAGE)
    cards = pickle.loads((sample.root / "cache" / CARDS_NAME).read_bytes())
    for_every_depth = [key for key in cards if key[2] is None]
    assert len(for_every_depth) > 20
    assert len({key[0] for key in for_every_depth}) == len(for_every_depth)
    # "..." holds "..", the way up from archives/: still the same bytes there.
    assert any("... or not" in text for text in cards.values())
    assert_same_as_cold_build(sample, tmp_path, "one-a-page", **ONE_A_PAGE)


def test_no_reuse_without_the_content_cache(
    sample: Project, counts: list[tuple[int, int]]
) -> None:
    sample.build()
    sample.build()
    assert not (sample.root / "cache" / PAGES_NAME).exists()
    assert not (sample.root / "cache" / CARDS_NAME).exists()
    assert counts == []


def test_a_page_linking_to_other_content_is_always_rendered(
    sample: Project, tmp_path: Path, counts: list[tuple[int, int]]
) -> None:
    story = next(p for p in sample.story_files() if "ashcombe" in p.name)
    dispatch = next((sample.content / "dispatches").rglob("halvorsen-bridge-r*.md"))
    link = story.relative_to(sample.content).as_posix()
    text = dispatch.read_text(encoding="utf-8")
    dispatch.write_text(f"{text}\nSee also [the cup final]({{filename}}/{link}).\n")
    sample.build(**CACHED, **EMPTIED)
    story.unlink()  # the link no longer resolves: the dispatch page changes
    reused, pages = warm_build(sample, counts, **EMPTIED)
    assert reused == pages > 30  # every page but the dispatch, which has no key
    assert_same_as_cold_build(sample, tmp_path, "linked", **EMPTIED)


def test_a_development_build_removes_the_pages_of_deleted_articles(
    sample: Project, counts: list[tuple[int, int]]
) -> None:
    """Without emptying the output, a deleted or renamed story's page goes too."""
    sample.build(**CACHED)
    deleted, renamed, merged = sample.story_files()[:3]
    slug = {
        p: frontmatter.read(p).meta.get("slug") or p.stem
        for p in (deleted, renamed, merged)
    }
    pages = {p: sample.output / "stories" / slug[p] / "index.html" for p in slug}
    assert all(page.is_file() for page in pages.values())
    deleted.unlink()
    edit_meta(renamed, lambda meta: meta.update(slug=f"{slug[renamed]}-renamed"))
    edit_meta(merged, lambda meta: meta.update(merged_into=slug[renamed] + "-renamed"))
    by_hand = sample.output / "stories" / "kept-by-hand" / "index.html"
    by_hand.parent.mkdir()
    by_hand.write_text("a page put here by hand", encoding="utf-8")
    warm_build(sample, counts)
    assert not pages[deleted].parent.exists()
    assert not pages[renamed].exists()
    assert (
        sample.output / "stories" / f"{slug[renamed]}-renamed" / "index.html"
    ).is_file()
    assert pages[merged].is_file()  # now the page that sends readers on
    assert by_hand.is_file()
