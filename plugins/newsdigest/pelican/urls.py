"""Work each page's URL out once.

Pelican recomputes ``url`` and ``save_as`` from the URL settings on every
access (a format string, the source path made relative, …): about fifteen
times per story per build, in templates, feeds and sitemaps. Once all content
is read, slugs are final, so :func:`freeze_urls` stores both in Pelican's own
``override_url`` and ``override_save_as`` attributes, which the properties
return as they are. The values are the ones Pelican would compute.
"""

from __future__ import annotations

from typing import Any

#: Generator attributes that hold content objects (articles, pages, drafts…).
CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def freeze_urls(generators: list[Any]) -> None:
    """Store each content object's URL and output path (after all is read)."""
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, ()):
                content.override_url = content.url
                content.override_save_as = content.save_as
