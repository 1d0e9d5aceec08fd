"""The three sites the benchmark builds, all from one ingested content folder.

- ours: the ingested stories and dispatches with the repository's settings,
  theme and plugin;
- Hugo: the same stories and dispatches as Hugo content with the templates in
  ``bench/hugo/`` (story pages listing their reports, dispatch pages with their
  developments, the home page, and outlet pages, the story list, category
  and country pages paginated by 100 as ours are, and the Wire paginated by 20
  as a whole, by desk and by section);
- vanilla Pelican: the same text as plain Markdown articles, default theme,
  default settings, no plugin; outlets are tags, dispatches are in "Wire".

So every site has a page for each story, dispatch and outlet, as the issue's
"same page count" asks.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import yaml

from newsdigest.content import frontmatter
from newsdigest.content.storyfile import STORIES_DIR
from newsdigest.records import LEAN_SCORES, Outlet
from newsdigest.registry import load_registry
from newsdigest.wire.records import DISPATCHES_DIR

REPO = Path(__file__).resolve().parent.parent
HUGO_TEMPLATES = REPO / "bench" / "hugo"
THEME_STATIC = REPO / "theme" / "static"


def stories(content: Path) -> Iterator[tuple[Path, frontmatter.Document]]:
    """Every story file under ``content`` with its parsed document, in path order."""
    return _documents(content / STORIES_DIR)


def dispatches(content: Path) -> Iterator[tuple[Path, frontmatter.Document]]:
    """Every dispatch file under ``content`` with its parsed document."""
    return _documents(content / DISPATCHES_DIR)


def _documents(folder: Path) -> Iterator[tuple[Path, frontmatter.Document]]:
    for path in sorted(folder.rglob("*.md")):
        yield path, frontmatter.read(path)


def report_outlets(reports: list[dict]) -> list[str]:
    """The outlets of a story's reports, each once, in report order."""
    return list(dict.fromkeys(report["outlet"] for report in reports))


def write_our_settings(site: Path) -> Path:
    """Write settings that build ``site/content`` like the repository's site."""
    settings = site / "benchconf.py"
    settings.write_text(
        '"""Benchmark build: the repository\'s pelicanconf.py on this folder."""\n\n'
        "import sys\n\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pelicanconf import *\n\n"
        f"THEME = {str(REPO / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]\n",
        encoding="utf-8",
    )
    return settings


def story_country(reports: list[dict], outlets: dict[str, Outlet]) -> str:
    """The most common country of a story's outlets (our build's rule)."""
    counts = Counter(
        outlets[r["outlet"]].country
        for r in reports
        if r["outlet"] in outlets and outlets[r["outlet"]].country
    )
    return min(counts, key=lambda code: (-counts[code], code)) if counts else "ZZ"


def side(score: int | None) -> str:
    """The side a lean score is on, as story pages group them."""
    if score is None:
        return "Unrated"
    return "Left" if score < 0 else "Right" if score > 0 else "Center"


def write_hugo_site(content: Path, registry: Path, site: Path) -> None:
    """Write a Hugo site holding the stories of ``content``."""
    outlets = load_registry(registry).outlets
    shutil.copytree(HUGO_TEMPLATES, site)
    shutil.copytree(THEME_STATIC, site / "static" / "theme")
    (site / "data").mkdir()
    (site / "data" / "outlets.yaml").write_text(
        yaml.safe_dump(
            {
                o.id: {
                    "name": o.name,
                    "home": o.home,
                    "lean": o.lean,
                    "ownership": o.ownership,
                    "country": o.country,
                    "score": LEAN_SCORES[o.lean],
                    "side": side(LEAN_SCORES[o.lean]),
                }
                for o in outlets.values()
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    for path, document in stories(content):
        meta = {
            **document.meta,
            "categories": [document.meta["category"]],
            "countries": [story_country(document.meta["reports"], outlets)],
            "outlets": report_outlets(document.meta["reports"]),
        }
        _write_hugo_page(site, path.relative_to(content), meta, document.body)
    for path, document in dispatches(content):
        meta = {
            key: value
            for key, value in document.meta.items()
            if key not in ("desk", "section")
        }
        meta["desks"] = [document.meta.get("desk") or "Desk"]
        meta["sections"] = [document.meta.get("section") or "World"]
        _write_hugo_page(site, path.relative_to(content), meta, document.body)


def _write_hugo_page(site: Path, relative: Path, meta: dict, body: str) -> None:
    target = site / "content" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(frontmatter.dump(meta, body), encoding="utf-8")


def vanilla_article(document: frontmatter.Document, outlets: dict[str, Outlet]) -> str:
    """A plain Pelican Markdown article with the same text as a story."""
    meta = document.meta
    lines = [
        f"Title: {meta['title']}",
        f"Date: {meta['date'].replace('T', ' ').removesuffix('Z')}",
        f"Category: {meta['category']}",
        f"Tags: {', '.join(report_outlets(meta['reports']))}",
        f"Slug: {meta['slug']}",
        "",
        document.body.strip(),
        "",
        f"## {len(meta['reports'])} reports",
        "",
    ]
    for report in meta["reports"]:
        outlet = outlets[report["outlet"]]
        lines += [
            (
                f"- **{outlet.name}** ({outlet.lean}, {outlet.ownership}), "
                f"{report['published']}: [{report['headline']}]({report['url']})  "
            ),
            f"  {report.get('summary', '')}",
        ]
    return "\n".join(lines) + "\n"


def vanilla_dispatch(document: frontmatter.Document) -> str:
    """A plain Pelican Markdown article with the same text as a dispatch."""
    meta = document.meta
    lines = [
        f"Title: {meta['title']}",
        f"Date: {meta['date'].replace('T', ' ').removesuffix('Z')}",
        "Category: Wire",
        f"Slug: {meta['slug']}",
        "",
        document.body.strip(),
        "",
        f"## {len(meta.get('developments') or [])} developments",
        "",
    ]
    for development in meta.get("developments") or []:
        lines.append(f"- {development['time']}: {development['text']}")
    return "\n".join(lines) + "\n"


def write_vanilla_site(content: Path, registry: Path, site: Path) -> Path:
    """Write plain Markdown articles and default settings; return the settings file."""
    outlets = load_registry(registry).outlets
    articles = site / "content"
    articles.mkdir(parents=True)
    for path, document in stories(content):
        (articles / path.name).write_text(
            vanilla_article(document, outlets), encoding="utf-8"
        )
    for path, document in dispatches(content):
        (articles / f"dispatch-{path.name}").write_text(
            vanilla_dispatch(document), encoding="utf-8"
        )
    settings = site / "vanillaconf.py"
    settings.write_text(
        '"""Vanilla Pelican: default theme and settings."""\n\n'
        'SITENAME = "newsdigest bench"\nPATH = "content"\nTIMEZONE = "UTC"\n',
        encoding="utf-8",
    )
    return settings
