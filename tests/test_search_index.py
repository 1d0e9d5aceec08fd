"""The search index: a rebuild rewrites only the Pagefind files whose bytes changed.

Sites are published as ``make publish`` does (Pelican empties the output
folder first), then indexed as it does.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from scenes import KEEPER, add_last_years_story, bridge_site, publish, retitle, slug_of
from sitekit import OLD_NS, Project, age, contents, stamps

from newsdigest import search_index
from newsdigest.search_index import BUNDLE, ENTRY, MANIFEST, RECENT, build_index

REOPENED = "Port Calloway library reopens with a zeppelin exhibit"


@pytest.fixture
def indexed(tmp_path: Path) -> Project:
    """The bridge site, published and indexed."""
    project = bridge_site(tmp_path / "site")
    publish(project.root, project.output)
    build_index(project.output)
    return project


def fragments(bundle: Path, shard: str = "*") -> dict[str, str]:
    """The text Pagefind shows for each page indexed in ``shard``, by URL."""
    pages = {}
    for path in bundle.glob(f"{shard}/fragment/*"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        pages[fragment["url"]] = fragment["content"]
    return pages


def test_indexing_twice_touches_no_index_file(indexed: Project) -> None:
    bundle = indexed.output / BUNDLE
    before, data = age(bundle), contents(bundle)
    assert f"{RECENT}/{ENTRY}" in data
    assert json.loads(data[MANIFEST]) == {"shards": [RECENT]}
    assert any(name.startswith(f"{RECENT}/fragment/") for name in data)

    build_index(indexed.output)

    assert contents(bundle) == data
    assert stamps(bundle) == before


def test_republishing_an_unchanged_site_keeps_every_index_file(
    indexed: Project,
) -> None:
    bundle = indexed.output / BUNDLE
    before, data = age(bundle), contents(bundle)

    publish(indexed.root, indexed.output)
    build_index(indexed.output)

    assert contents(bundle) == data
    assert stamps(bundle) == before


def test_changed_story_rewrites_only_its_part_of_the_index(
    indexed: Project, tmp_path: Path
) -> None:
    bundle = indexed.output / BUNDLE
    age(bundle)
    data = contents(bundle)

    retitle(indexed, "library", REOPENED)
    publish(indexed.root, indexed.output)
    build_index(indexed.output)

    after = contents(bundle)
    kept = {name for name, stamp in stamps(bundle).items() if stamp[0] == OLD_NS}
    assert kept and all(after[name] == data[name] for name in kept)
    assert f"{RECENT}/{ENTRY}" not in kept
    assert set(after) - set(data), "the retitled page has a new fragment"
    assert set(data) - set(after), "its old fragment is gone"
    page = fragments(bundle)[f"/stories/{slug_of(indexed, 'library')}/"]
    assert page.startswith(f"{REOPENED}. ")
    # What the search page loads is exactly what a full index would be.
    fresh = tmp_path / "fresh"
    shutil.copytree(indexed.output, fresh, ignore=shutil.ignore_patterns(BUNDLE))
    build_index(fresh)
    assert after == contents(fresh / BUNDLE)


def test_with_a_record_an_unchanged_site_is_not_indexed_again(
    indexed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind takes seconds whatever changed; `make html` after an ingest
    that found nothing new skips it, and runs it when a page or the bundle
    is not as the record noted."""
    record = indexed.root / "cache" / "search.json"
    assert build_index(indexed.output, record)
    bundle = indexed.output / BUNDLE
    data = contents(bundle)
    ran: list[object] = []
    run = search_index.subprocess.run

    def counted(command: list[str], **kwargs: object) -> object:
        if "pagefind" in command:  # not the build's own processes
            ran.append(command)
        return run(command, **kwargs)

    monkeypatch.setattr(search_index.subprocess, "run", counted)
    assert not build_index(indexed.output, record)
    assert ran == [] and contents(bundle) == data

    (bundle / RECENT / ENTRY).unlink()
    assert build_index(indexed.output, record)
    assert len(ran) == 1 and contents(bundle) == data

    retitle(indexed, "library", REOPENED)
    publish(indexed.root, indexed.output)
    assert build_index(indexed.output, record)
    assert len(ran) == 2
    page = fragments(bundle)[f"/stories/{slug_of(indexed, 'library')}/"]
    assert REOPENED in page
    assert not build_index(indexed.output, record)
    assert len(ran) == 2


def test_with_a_record_a_run_reads_only_the_pages_that_changed(
    indexed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's month decides its shard: the record keeps it, so a run
    reads only the pages whose size or mtime changed (reading every page
    took 0.3 s of a run that found nothing changed at 10,000 stories)."""
    record = indexed.root / "cache" / "search.json"
    build_index(indexed.output, record)
    published = search_index._PUBLISHED
    read: list[str] = []

    class Counted:
        def search(self, data: bytes) -> re.Match[bytes] | None:
            read.append(html.unescape(data.decode()))
            return published.search(data)

    def page_stamps() -> dict[str, tuple[int, int]]:
        return {
            page: (size, mtime)
            for page, (size, mtime, _year, _month) in search_index.page_months(
                indexed.output
            ).items()
        }

    monkeypatch.setattr(search_index, "_PUBLISHED", Counted())
    assert not build_index(indexed.output, record)
    assert read == []

    before = page_stamps()
    retitle(indexed, "library", REOPENED)
    publish(indexed.root, indexed.output)
    after = page_stamps()
    read.clear()  # page_stamps read them all
    assert build_index(indexed.output, record)
    changed = [page for page in after if before.get(page) != after[page]]
    assert 0 < len(read) == len(changed) < len(after)
    assert any(REOPENED in text for text in read)


def test_a_story_is_indexed_by_its_reports_once(indexed: Project) -> None:
    """The coverage by side and by country lists the reports' headlines again:
    left out of the index, which keeps the reports themselves."""
    slug = slug_of(indexed, "library")
    story = fragments(indexed.output / BUNDLE)[f"/stories/{slug}/"]
    page = indexed.page(f"stories/{slug}/index.html")
    article = page[page.index('<article class="story"') : page.index("</article>")]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", article))
    for heading in ("How each side covered it", "Covered around the world"):
        assert heading in shown and heading not in story
    reports = article[article.index('<ol class="report-list">') :]
    headlines = [
        html.unescape(h) for h in re.findall(r"<h3[^>]*><a [^>]*>([^<]+)<", reports)
    ]
    assert headlines
    for headline in headlines:  # the page shows it by side and by country too
        assert 1 <= story.count(headline) <= shown.count(headline) - 2


def test_a_story_is_found_by_its_own_words_not_what_every_page_says(
    indexed: Project,
) -> None:
    """The bias read's explanation ends "not whether the story is true" on
    every story: indexed, a search for "true" would find them all. Nor is a
    story found by the headline of a story it links to as related."""
    library = slug_of(indexed, "library")
    page = indexed.page(f"stories/{library}/index.html")
    story = fragments(indexed.output / BUNDLE)[f"/stories/{library}/"]
    for shown_on_every_story in (
        "Back to feed",
        "Headline as written by",
        "not whether the story is true",
    ):
        assert shown_on_every_story in page
        assert shown_on_every_story not in story
    council = indexed.page(f"stories/{slug_of(indexed, 'council')}/index.html")
    related = page[page.index('<section class="related"') :]
    assert "Council approves Port Calloway harbor budget" in related
    assert "Council approves" not in story
    assert "Port Calloway library reopens after renovation" in story
    assert "Council approves" in council


def test_only_the_shards_whose_pages_changed_are_indexed_again(
    indexed: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Last year's pages have a shard of their own: a change to this month's
    stories indexes only the recent shard, and the other way round."""
    add_last_years_story(indexed)
    publish(indexed.root, indexed.output)
    record = indexed.root / "cache" / "search.json"
    assert build_index(indexed.output, record)
    bundle = indexed.output / BUNDLE
    assert json.loads((bundle / MANIFEST).read_text()) == {"shards": [RECENT, "2025"]}
    keeper = f"/stories/{slug_of(indexed, 'keeper')}/"
    assert KEEPER in fragments(bundle, "2025")[keeper]
    assert keeper not in fragments(bundle, RECENT)
    ran: list[object] = []
    run = search_index.subprocess.run

    def counted(command: list[str], **kwargs: object) -> object:
        if "pagefind" in command:
            ran.append(command)
        return run(command, **kwargs)

    monkeypatch.setattr(search_index.subprocess, "run", counted)
    before = stamps(bundle)
    retitle(indexed, "library", REOPENED)
    publish(indexed.root, indexed.output)
    assert build_index(indexed.output, record)
    after = stamps(bundle)
    changed = {name.split("/")[0] for name in after if after[name] != before.get(name)}
    assert changed == {RECENT}
    assert len(ran) == 1

    before = stamps(bundle)
    retitle(indexed, "keeper", "Cape lighthouse keeper hands over the lamp")
    publish(indexed.root, indexed.output)
    assert build_index(indexed.output, record)
    after = stamps(bundle)
    changed = {name.split("/")[0] for name in after if after[name] != before.get(name)}
    assert changed == {"2025"}
    assert len(ran) == 2
    # What the search page loads is what indexing the site afresh gives.
    fresh = tmp_path / "fresh"
    shutil.copytree(indexed.output, fresh, ignore=shutil.ignore_patterns(BUNDLE))
    build_index(fresh)
    assert contents(bundle) == contents(fresh / BUNDLE)


def test_recent_pages_are_those_of_the_newest_month_and_the_one_before(
    tmp_path: Path,
) -> None:
    """In January, December's pages are recent too; November's go to their year."""
    for slug, when in [
        ("new-year", "2026-01-02T09:00:00+00:00"),
        ("eve", "2025-12-31T23:00:00+00:00"),
        ("autumn", "2025-11-30T09:00:00+00:00"),
        ("long-ago", "2023-05-01T09:00:00+00:00"),
    ]:
        page = tmp_path / "stories" / slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<p><time datetime="{when}" class="published">', "utf-8")
    shards = search_index.page_shards(search_index.page_months(tmp_path))
    names = {
        name: [path for path, _size, _mtime in pages] for name, pages in shards.items()
    }
    assert names == {
        RECENT: ["stories/eve/index.html", "stories/new-year/index.html"],
        "2025": ["stories/autumn/index.html"],
        "2023": ["stories/long-ago/index.html"],
    }
    assert list(names) == [RECENT, "2025", "2023"]


def test_the_shards_pages_are_kept_beside_the_record_and_linked_again_when_changed(
    indexed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads a shard from a folder of links to its pages; with a
    record that folder stays, and a run links again only the changed pages."""
    add_last_years_story(indexed)
    publish(indexed.root, indexed.output)
    record = indexed.root / "cache" / "search.json"
    build_index(indexed.output, record)
    sites = indexed.root / "cache" / "search-sites"
    assert sorted(path.name for path in sites.iterdir()) == ["2025", RECENT]
    keeper = f"stories/{slug_of(indexed, 'keeper')}/index.html"
    site_page = sites / "2025" / keeper
    assert site_page.stat().st_ino == (indexed.output / keeper).stat().st_ino

    def output_inodes() -> dict[str, int]:
        return {
            path.relative_to(indexed.output).as_posix(): path.stat().st_ino
            for folder in ("stories", "dispatches")
            for path in (indexed.output / folder).rglob("*.html")
        }

    linked: list[str] = []
    link = search_index._link

    def counted(source: Path, target: Path) -> None:
        linked.append(source.relative_to(indexed.output).as_posix())
        link(source, target)

    monkeypatch.setattr(search_index, "_link", counted)
    before = output_inodes()
    retitle(indexed, "library", REOPENED)
    publish(indexed.root, indexed.output)
    after = output_inodes()
    build_index(indexed.output, record)
    rewritten = {page for page in after if before.get(page) != after[page]}
    assert f"stories/{slug_of(indexed, 'library')}/index.html" in rewritten
    assert sorted(linked) == sorted(rewritten)
    for page in after:
        shard = "2025" if page == keeper else RECENT
        assert (sites / shard / page).stat().st_ino == after[page]


def test_a_merged_storys_old_address_is_not_indexed(tmp_path: Path) -> None:
    """Its page only points at the story it joined: found, it would show twice."""
    project = bridge_site(tmp_path / "site")
    merged, kept = slug_of(project, "council"), slug_of(project, "library")
    story = next(p for p in project.story_files() if p.stem == merged)
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("\ntitle: ", f"\nmerged_into: {kept}\ntitle: ", 1))
    publish(project.root, project.output)
    build_index(project.output)

    assert "This story is now part of" in project.page(f"stories/{merged}/index.html")
    indexed = fragments(project.output / BUNDLE)
    assert f"/stories/{kept}/" in indexed
    assert f"/stories/{merged}/" not in indexed
