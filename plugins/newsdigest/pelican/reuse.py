"""Reuse a story or dispatch page's last output when nothing it shows changed.

Rendering story and dispatch pages is most of a rebuild's work, yet an ingest
that adds reports to a few stories changes only those pages and the pages
linking to them. An article page shows:

- its own file, and the files of stories merged into it;
- the stories and dispatches it links to (related ones, its thread's named
  member), each as its own file tells it, and its thread's and topics' names;
- what every page shows: the settings, the theme, the plugins, the registry,
  the content files that are no article (logos, pages), and the values of the
  template context the article templates read (feed links, outlet ids...).

:func:`PageReuse.template_for` digests all of that into the page's key (files
by path, size and mtime, as the build record does; Pelican articles inside
the shared context only as "an article": pages show other articles through
their own links, above). After a build, ``<CACHE_PATH>/newsdigest-pages.json``
keeps each article page's key with its output's size and mtime. The next build
gives a page whose key and output are unchanged its last output as the
template's text: the writer then finds the bytes equal and keeps the file, and
``content_written`` goes out as for any page. The same file keeps the size
and mtime of every other output the writer wrote (listings, outlet pages,
feeds): outputs of the last build that this build did not write (a story
deleted or renamed, the last page of a listing that shrank, an outlet taken
out of the registry) are deleted if still as that build left them, so a build
that does not empty the output folder leaves none behind.

A story also shows as a card on every listing that holds it (the archive, its
category, its countries, Top Stories, Blindspot), and listings change with
every ingest. A card shows a subset of what the story's page shows, so it is
kept under the page's key: templates render cards with :func:`once`, which
gives a story whose key is unchanged the card the last build rendered (per
macro; one text for every page depth, though ``SITEURL`` differs by depth
with ``RELATIVE_URLS``: see :func:`_detached`).
``<CACHE_PATH>/newsdigest-cards.pickle`` keeps the cards of this build's keys.

On when the content cache is (``CACHE_CONTENT`` and ``LOAD_CONTENT_CACHE``)
and the writer keeps unchanged output. A page whose text links to other
content (``{filename}``) is always rendered. A template that comes to show
more of a linked article than its own file tells (its thread, say) must add
that to :func:`_links`; ``tests/test_page_reuse.py`` builds each kind of
change both ways and compares every byte.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import weakref
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, meta, nodes, pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape
from pelican.contents import Content

from newsdigest.buildrecord import files_under, inputs_digest, settings_digest
from newsdigest.filewrites import replace_file
from newsdigest.pelican.settings import input_paths
from newsdigest.pickles import keep, load_kept

logger = logging.getLogger(__name__)

#: The file, in ``CACHE_PATH``, that keeps the last build's outputs and page keys.
PAGES_NAME = "newsdigest-pages.json"
#: The file, in ``CACHE_PATH``, that keeps the last build's story cards.
CARDS_NAME = "newsdigest-cards.pickle"
#: What Pelican passes an article page's template besides the context.
ARTICLE_PAGE_ARGS = frozenset({"article", "category", "blog"})
#: ``Writer.write_file``'s own options, passed by name.
_WRITE_OPTIONS = frozenset(
    {"relative_urls", "paginated", "template_name", "override_output", "url"}
)
#: Template names each page sets for itself, from its article and file name.
_PAGE_OWN = frozenset(ARTICLE_PAGE_ARGS | {"output_file", "localsiteurl"})

#: Every running build's reuse, saved when the build finishes.
_OPEN: weakref.WeakSet[PageReuse] = weakref.WeakSet()
#: Each article whose page has a key this build: the build's reuse and the key.
_KEYED: weakref.WeakKeyDictionary[Any, tuple[PageReuse, str]] = (
    weakref.WeakKeyDictionary()
)
#: A card's key: its story page's key, the macro's name, and ``SITEURL`` for a
#: card kept for one page depth (None: kept for every depth, see :func:`_detached`).
CardKey = tuple[str, str, str | None]
#: Stands for the page's ``SITEURL`` in a card kept for every depth (no page
#: text holds a NUL: XML and YAML forbid it).
_SITEURL = "\x00"


class StoredPage:
    """Stands in for a template: "renders" the page's last output."""

    def __init__(self, text: str):
        self.text = text

    def render(self, _localcontext: dict[str, Any]) -> str:
        """The stored text, whatever the context."""
        return self.text


class PageReuse:
    """One build's article page keys: the last build's, and this one's."""

    def __init__(self, settings: dict[str, Any], previous: Path, written: set[str]):
        self.settings = settings
        #: Where the writer keeps last build's outputs it may move back.
        self.previous = previous
        #: Every file the writer writes this build (its paths, as it keeps them).
        self.written = written
        self.on = bool(
            settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")
        )
        self.path = Path(settings["CACHE_PATH"]) / PAGES_NAME
        self._kept = _load(self.path) if self.on else {}
        #: Output name (as Pelican's writer gets it) -> this build's key.
        self.keys: dict[str, str] = {}
        self.reused = 0
        self._shared: dict[str, str | None] = {}
        self._files: dict[str, tuple[int, int]] | None = None
        self._inputs = ""
        self._merged: dict[str, list[str]] = {}
        self.cards_path = Path(settings["CACHE_PATH"]) / CARDS_NAME
        #: Cards by key: the last build's, and those rendered since.
        self.cards: dict[CardKey, str] = _load_cards(self.cards_path) if self.on else {}
        self._cards_loaded = len(self.cards)
        #: Cards this process rendered since :meth:`take_rendered_cards`.
        self._rendered: dict[CardKey, str] = {}
        _OPEN.add(self)

    def template_for(
        self, name: str, template: Any, context: dict[str, Any], args: dict[str, Any]
    ) -> Any:
        """``template``, or a :class:`StoredPage` if the page's last output holds.

        ``args``: what Pelican passed ``write_file`` by name.
        """
        if not self.on or set(args) - _WRITE_OPTIONS != ARTICLE_PAGE_ARGS:
            return template
        key = self._page_key(name, args["article"], template, context)
        if key is None:
            return template
        self.keys[name] = key
        _KEYED[args["article"]] = (self, key)
        text = self._stored_text(name, key)
        if text is None:
            return template
        self.reused += 1
        return StoredPage(text)

    def save(self) -> None:
        """Keep this build's keys with their outputs' sizes and mtimes (atomically).

        And the size and mtime of every other output the writer wrote (no
        key), after deleting the last build's outputs this build did not write
        (:meth:`_remove_stale`).
        """
        if not self.on:
            return
        output = Path(self.settings["OUTPUT_PATH"])
        self._remove_stale(output)
        keys = {os.path.normpath(name): key for name, key in self.keys.items()}
        kept = {}
        for path in sorted(self.written):
            name = os.path.relpath(path, output)
            try:
                stat = (output / name).stat()
            except OSError:
                continue
            kept[name] = [keys.get(name), stat.st_size, stat.st_mtime_ns]
        if self.keys:
            logger.info("reused %d of %d article pages", self.reused, len(self.keys))
        replace_file(self.path, json.dumps(kept), sibling=".{name}.partial")
        keys = set(self.keys.values())
        cards = {k: v for k, v in self.cards.items() if k[0] in keys}
        if len(cards) != self._cards_loaded or len(self.cards) != self._cards_loaded:
            keep(self.cards_path, cards)

    def card(
        self, key: tuple[str, str], siteurl: str, render: Callable[[], str]
    ) -> str:
        """The card kept under ``key`` at ``siteurl`` (escaped), else ``render()``'s.

        What is rendered is kept from now on: for every page depth if it can
        be (:func:`_detached`), else for this ``siteurl``.
        """
        kept = self.cards.get((*key, None))
        if kept is not None:
            return kept.replace(_SITEURL, siteurl)
        bound: CardKey = (*key, siteurl)
        if bound in self.cards:
            return self.cards[bound]
        text = render()
        detached = _detached(text, siteurl)
        if detached is None:
            self.cards[bound] = self._rendered[bound] = text
        else:
            self.cards[(*key, None)] = self._rendered[(*key, None)] = detached
        return text

    def take_rendered_cards(self) -> dict[CardKey, str]:
        """The cards this process rendered since the last call (for the parent)."""
        rendered, self._rendered = self._rendered, {}
        return rendered

    def _remove_stale(self, output: Path) -> None:
        """Delete the last build's outputs this build did not write.

        Only a file this build wrote nothing to, still as the last build left
        it; then its folders, if that left them empty.
        """
        written = {os.path.normpath(name) for name in self.written}
        removed = 0
        for name, kept in self._kept.items():
            page = output / name
            if os.path.normpath(page) in written:
                continue
            try:
                stat = page.stat()
                if [stat.st_size, stat.st_mtime_ns] != kept[1:]:
                    continue
                page.unlink()
            except OSError:
                continue
            removed += 1
            for folder in page.parents:
                if folder == output or not folder.is_relative_to(output):
                    break
                try:
                    folder.rmdir()
                except OSError:
                    break
        if removed:
            logger.info("removed %d output(s) this build no longer makes", removed)

    def _page_key(
        self, name: str, article: Any, template: Any, context: dict[str, Any]
    ) -> str | None:
        """The digest of everything ``article``'s page shows; None: always render."""
        if _links_within_site(article):
            return None
        shared = self._shared_key(template, context)
        if shared is None:
            return None
        return _digest(
            [shared, name, self._file_of(article), _links(article, self._file_of)]
        )

    def _shared_key(self, template: Any, context: dict[str, Any]) -> str | None:
        """What every page of ``template`` shows, digested once per build."""
        if template.name not in self._shared:
            self._shared[template.name] = self._digest_shared(template, context)
        return self._shared[template.name]

    def _digest_shared(self, template: Any, context: dict[str, Any]) -> str | None:
        environment = template.environment
        values = {}
        for variable in sorted(template_variables(environment, template.name)):
            if variable in _PAGE_OWN or variable in self.settings:
                continue
            if variable in context:
                values[variable] = context[variable]
            elif variable in environment.globals:
                values[variable] = environment.globals[variable]
        try:
            shown = json.dumps(values, sort_keys=True, default=_plain)
        except (TypeError, ValueError, RecursionError):
            shown = None
        if shown is None or " at 0x" in shown:  # no stable digest: render every page
            logger.debug("article pages are rendered anew: the context has no digest")
            return None
        return _digest([self._inputs_key(context), shown])

    def _inputs_key(self, context: dict[str, Any]) -> str:
        """Settings, code, theme, registry and non-article content, digested once.

        Also notes every content file's size and mtime, and which stories
        were merged into which, for :meth:`_file_of`.
        """
        if self._files is not None:
            return self._inputs
        settings = self.settings
        articles = [
            item
            for kind in ("articles", "hidden_articles", "drafts")
            for item in context.get(kind, [])
        ]
        for story, target in context.get("merged_stories", []):
            self._merged.setdefault(target.source_path, []).append(story.source_path)
            articles.append(story)
        content = Path(settings["PATH"])
        self._files = _stamps(content)
        own_files = {os.path.abspath(item.source_path) for item in articles}
        other_content = sorted(
            (path, stamp)
            for path, stamp in self._files.items()
            if path not in own_files
        )
        code = [p for p in input_paths(settings) if p != content and p.exists()]
        self._inputs = _digest(
            [settings_digest(settings), inputs_digest(map(str, code)), other_content]
        )
        return self._inputs

    def _file_of(self, article: Any) -> list[tuple[str, tuple[int, int] | None]]:
        """``article``'s file and those merged into it, each with its size and mtime."""
        paths = [article.source_path, *self._merged.get(article.source_path, [])]
        files = self._files or {}
        return [(path, files.get(os.path.abspath(path))) for path in paths]

    def _stored_text(self, name: str, key: str) -> str | None:
        """The page's last output, if its key is ``key`` and the file is as left."""
        kept = self._kept.get(name)
        if kept is None or kept[0] != key:
            return None
        for place in (
            Path(self.settings["OUTPUT_PATH"]) / name,
            self.previous / name,
        ):
            try:
                stat = place.stat()
                if [stat.st_size, stat.st_mtime_ns] != kept[1:]:
                    continue
                text = place.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            return text.replace(os.linesep, "\n") if os.linesep != "\n" else text
        return None


@pass_context
def once(context: Context, macro: Macro, story: Any) -> Markup:
    """``macro(story)``, or the text it gave while the story's page key holds.

    A template global (``{{ once(story_card, story) }}``) for a macro whose
    output depends on nothing but the story's page and ``SITEURL``. Without a
    page key (no content cache, a page linking to other content) the macro
    renders each time.
    """
    keyed = _KEYED.get(story)
    if keyed is None:
        return Markup(macro(story))
    reuse, page_key = keyed
    siteurl = str(escape(context.get("SITEURL", "")))
    return Markup(
        reuse.card((page_key, macro.name), siteurl, lambda: str(macro(story)))
    )


def _detached(card: str, siteurl: str) -> str | None:
    """``card`` for any page depth, or None if it cannot be told apart.

    Each attribute value starting with ``siteurl/`` is marked; if ``siteurl``
    shows anywhere else (in a headline's "...", say, where it is ``..``), the
    card is kept for its own depth. With ``RELATIVE_URLS`` a page's
    ``SITEURL`` is the way up to the site's root (``..`` on ``archives/``,
    ``../../..`` on ``archives/page/2/``): a story's card would otherwise be
    rendered once for each depth its listings are at.
    """
    if not siteurl:
        return None
    marked = card.replace(f'="{siteurl}/', f'="{_SITEURL}/')
    return None if siteurl in marked else marked


def save_reused_pages(_pelican: Any = None) -> None:
    """Save the page keys of every build that finished (at ``finalized``)."""
    for reuse in list(_OPEN):
        reuse.save()
        _OPEN.discard(reuse)


def template_variables(environment: Environment, name: str) -> set[str]:
    """The variables ``name`` and the templates it extends, includes or imports read."""
    known = set(environment.list_templates())
    found: set[str] = set()
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen or current not in known:
            continue
        seen.add(current)
        source = environment.loader.get_source(environment, current)[0]
        tree = environment.parse(source)
        found |= meta.find_undeclared_variables(tree)
        for node in tree.find_all(
            (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
        ):
            # Every string in the name: both sides of ``"a" if x else "b"``.
            waiting += [
                const.value
                for const in node.template.find_all(nodes.Const)
                if isinstance(const.value, str)
            ]
            if isinstance(node.template, nodes.Const):
                waiting.append(node.template.value)
    return found


def _links(
    article: Any, file_of: Callable[[Any], list[tuple[str, tuple[int, int] | None]]]
) -> list[Any]:
    """What ``article``'s page shows of other articles: their files and names."""
    thread = getattr(article, "thread", None)
    named = thread.named_for(article) if thread is not None else None
    return [
        [file_of(story) for story in getattr(article, "related_stories", [])],
        [file_of(item) for item in getattr(article, "related_dispatches", [])],
        None
        if thread is None
        else [
            thread.url,
            thread.stories,
            thread.dispatches,
            named is thread.origin,
            file_of(named),
        ],
        [[topic.name, topic.url] for topic in getattr(article, "topics", [])],
    ]


def _links_within_site(article: Any) -> bool:
    """Whether the article's text links to other content (``{filename}...``)."""
    text = getattr(article, "_content", "") or ""
    return "{" in text and article._get_intrasite_link_regex().search(text) is not None


def _stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root``: absolute path -> (size, mtime)."""
    folder = os.path.abspath(root)
    return {
        os.path.join(folder, name): (stat.st_size, stat.st_mtime_ns)
        for name, stat in files_under(root)
    }


def _plain(value: Any) -> Any:
    """``value`` as JSON can hold it, the same from build to build."""
    if isinstance(value, Content):
        return "an article"
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return [type(value).__qualname__, *(getattr(value, f.name) for f in fields)]
    if isinstance(value, partial):
        return [value.func, list(value.args), value.keywords]
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


def _digest(parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=_plain)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _load_cards(path: Path) -> dict[CardKey, str]:
    """The last build's cards; none if missing or unreadable (every card renders)."""
    cards = load_kept(path)
    return cards if isinstance(cards, dict) else {}


def _load(path: Path) -> dict[str, list[Any]]:
    """The last build's keys; none if missing or unreadable (every page renders)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}
