"""The plugin's settings, with their documented defaults, in one place.

Each can be set in ``pelicanconf.py``; :func:`plugin_settings` overlays the
user's values on the defaults without changing the user's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsdigest.categories import CATEGORY_EMOJI
from newsdigest.stories import related, threads, topics
from newsdigest.stories.coverage import BLINDSPOT_MIN_OUTLETS, BLINDSPOT_SHARE

DEFAULTS: dict[str, Any] = {
    # The sources registry; a relative path is taken from the folder above PATH.
    "NEWSDIGEST_SOURCES": "sources.yaml",
    # Category name -> emoji, merged over the built-in vocabulary.
    "NEWSDIGEST_CATEGORY_EMOJI": {},
    # How many stories the home page ranks, and how fast a story's rank halves.
    "NEWSDIGEST_TOP_STORIES": 30,
    "NEWSDIGEST_RANK_HALF_LIFE_HOURS": 24.0,
    # Related stories: how many, how similar, and how far apart in days. The
    # limit also caps the neighbours thread search weighs for each story or
    # dispatch: its most similar stories and dispatches, this many of each.
    "NEWSDIGEST_RELATED_LIMIT": related.DEFAULT_LIMIT,
    "NEWSDIGEST_RELATED_THRESHOLD": related.DEFAULT_THRESHOLD,
    "NEWSDIGEST_RELATED_WINDOW_DAYS": related.DEFAULT_WINDOW.days,
    # Developing-story pages (/threads/): stories and dispatches about one event
    # over days. A member joins a thread when its TF-IDF similarity to the
    # thread's members reaches this (and they share a name), within this many
    # days of them. False writes no thread pages.
    "NEWSDIGEST_THREADS": True,
    "NEWSDIGEST_THREAD_WINDOW_DAYS": threads.DEFAULT_WINDOW.days,
    "NEWSDIGEST_THREAD_MIN_SIMILARITY": 0.2,
    # Topic pages (/topics/): a person or place named in at least this many
    # stories. False writes no topic pages.
    "NEWSDIGEST_TOPICS": True,
    "NEWSDIGEST_TOPIC_MIN_STORIES": topics.DEFAULT_MIN_STORIES,
    # Blindspot: a story is one for a side when at least this share of its rated
    # outlets come from the other side, none from this one, and at least this
    # many outlets are rated. Shown next to the marker and listed on /blindspot/.
    "NEWSDIGEST_BLINDSPOT_SHARE": BLINDSPOT_SHARE,
    "NEWSDIGEST_BLINDSPOT_MIN_OUTLETS": BLINDSPOT_MIN_OUTLETS,
    # Outlet logos: <outlet id>.svg (or .webp, .png, .jpg, .gif) in this folder
    # of PATH; add it to STATIC_PATHS so Pelican copies it.
    "NEWSDIGEST_LOGOS": "logos",
    # Pass story bodies (text that came from feeds) through the sanitizer.
    "NEWSDIGEST_SANITIZE_STORIES": True,
    # Leave output files whose bytes did not change untouched (mtime kept), also
    # with DELETE_OUTPUT_DIRECTORY; old outputs wait in CACHE_PATH meanwhile.
    # With the content cache on (CACHE_CONTENT, LOAD_CONTENT_CACHE), story and
    # dispatch pages whose inputs did not change are not even rendered again
    # (newsdigest.pelican.reuse; their keys are in CACHE_PATH).
    "NEWSDIGEST_KEEP_UNCHANGED_OUTPUT": True,
    # Processes that render pages (forked once the build has read everything)
    # and that compute per-story results the memo does not have (a first
    # build); None is one per CPU core, 1 does it all in order in Pelican's
    # process. Rendering so needs NEWSDIGEST_KEEP_UNCHANGED_OUTPUT; both need
    # os.fork (not on Windows).
    "NEWSDIGEST_RENDER_PROCESSES": None,
    # The Wire: dispatches per page on /wire/ and on its desk and section pages.
    "NEWSDIGEST_WIRE_PER_PAGE": 20,
    # The desk accountability note closing every dispatch page; {desk} is the
    # dispatch's desk.
    "NEWSDIGEST_DESK_NOTE": (
        "This dispatch is published by {desk}, which answers for it. The desk "
        "reads raw intake (tips, channels, messages) to find what to check; that "
        "intake stays with the desk as internal provenance and is shown here "
        "only as “Internal intake”. We name an outside outlet or channel only "
        "where it helps you judge a particular claim."
    ),
    # Story feeds, and the Wire's feed of dispatches. The formats each feed is
    # written in: any of "atom", "rss", "json" (JSON Feed 1.1); () writes none.
    # Feed readers need absolute links, so, as Pelican's quickstart does with its
    # own feeds, pelicanconf.py (development) turns these off and publishconf.py
    # (an absolute SITEURL) on.
    "NEWSDIGEST_FEED_FORMATS": ("atom", "rss", "json"),
    # Where each feed goes, without its extension ({slug} is the category's or
    # the lowercased country code; "wire" is every dispatch, newest development
    # first); merged over these, None leaves one out.
    "NEWSDIGEST_FEED_PATHS": {
        "all": "feeds/all",
        "category": "feeds/category/{slug}",
        "country": "feeds/country/{slug}",
        "wire": "feeds/wire",
    },
    # The sitemap of every page, and the Google News sitemap of the items
    # published in the last N days, counted back from the newest item (not
    # from the clock, so builds are reproducible); None leaves one out.
    "NEWSDIGEST_SITEMAP": "sitemap.xml",
    "NEWSDIGEST_NEWS_SITEMAP": "news-sitemap.xml",
    "NEWSDIGEST_NEWS_SITEMAP_DAYS": 2,
    # robots.txt, allowing everything and naming the sitemaps; None leaves it out.
    "NEWSDIGEST_ROBOTS_TXT": "robots.txt",
    # The page static hosts serve for missing URLs; None leaves it out.
    "NEWSDIGEST_404": "404.html",
    # The Content-Security-Policy every page declares in a <meta http-equiv>
    # tag (frame-ancestors and report-uri only work as HTTP headers); None
    # leaves it out.
    "NEWSDIGEST_CSP": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    ),
}


def plugin_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The defaults overlaid with whatever the user set."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    merged["NEWSDIGEST_CATEGORY_EMOJI"] = {
        **CATEGORY_EMOJI,
        **merged["NEWSDIGEST_CATEGORY_EMOJI"],
    }
    merged["NEWSDIGEST_FEED_PATHS"] = {
        **DEFAULTS["NEWSDIGEST_FEED_PATHS"],
        **merged["NEWSDIGEST_FEED_PATHS"],
    }
    return merged


def sources_path(settings: dict[str, Any]) -> Path:
    """Where the registry is, resolving a relative path against the project."""
    path = Path(plugin_settings(settings)["NEWSDIGEST_SOURCES"])
    return path if path.is_absolute() else Path(settings["PATH"]).parent / path


def input_paths(settings: dict[str, Any]) -> list[Path]:
    """Everything a build reads: content, theme, plugins and the registry."""
    return [
        Path(settings["PATH"]),
        Path(settings["THEME"]),
        *(Path(folder) for folder in settings["PLUGIN_PATHS"]),
        sources_path(settings),
    ]
