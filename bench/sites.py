"""The three sites the benchmark builds, all from one ingested content folder.

- ours: the ingested stories with the repository's settings, theme and plugin;
- Hugo: the same stories as Hugo content with the templates in ``bench/hugo/``
  (story pages listing their reports, the home page, the story list, category
  and country pages);
- vanilla Pelican: the same text as plain Markdown articles, default theme,
  default settings, no plugin.
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

REPO = Path(__file__).resolve().parent.parent
HUGO_TEMPLATES = REPO / "bench" / "hugo"
THEME_STATIC = REPO / "theme" / "static"


def stories(content: Path) -> Iterator[tuple[Path, frontmatter.Document]]:
    """Every story file under ``content`` with its parsed document, in path order."""
    for path in sorted((content / STORIES_DIR).rglob("*.md")):
        yield path, frontmatter.read(path)


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
        }
        target = site / "content" / path.relative_to(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(frontmatter.dump(meta, document.body), encoding="utf-8")


def vanilla_article(document: frontmatter.Document, outlets: dict[str, Outlet]) -> str:
    """A plain Pelican Markdown article with the same text as a story."""
    meta = document.meta
    lines = [
        f"Title: {meta['title']}",
        f"Date: {meta['date'].replace('T', ' ').removesuffix('Z')}",
        f"Category: {meta['category']}",
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


def write_vanilla_site(content: Path, registry: Path, site: Path) -> Path:
    """Write plain Markdown articles and default settings; return the settings file."""
    outlets = load_registry(registry).outlets
    articles = site / "content"
    articles.mkdir(parents=True)
    for path, document in stories(content):
        (articles / path.name).write_text(
            vanilla_article(document, outlets), encoding="utf-8"
        )
    settings = site / "vanillaconf.py"
    settings.write_text(
        '"""Vanilla Pelican: default theme and settings."""\n\n'
        'SITENAME = "newsdigest bench"\nPATH = "content"\nTIMEZONE = "UTC"\n',
        encoding="utf-8",
    )
    return settings
