"""Pelican settings for the newsdigest site (development build).

Every NEWSDIGEST_* setting and its default is documented in
plugins/newsdigest/pelican/settings.py.
"""

SITENAME = "newsdigest sample"
SITESUBTITLE = (
    "Who covered what, and from which side. Built from fictional sample feeds."
)
SITEURL = ""
AUTHOR = "The newsdigest desk"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %b %Y, %H:%M UTC"

PATH = "content"
ARTICLE_PATHS = ["stories", "dispatches"]
PAGE_PATHS = ["pages"]
# Outlet logos (content/logos/<outlet id>.svg), shown next to outlet names.
STATIC_PATHS = ["logos"]
# Hidden files (editor backups, ingest's ".#…tmp" files mid-write) are never
# content. Pelican 4.12's default "**/.*" only matches inside subfolders.
IGNORE_FILES = [".*"]
THEME = "theme"
THEME_STATIC_DIR = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["newsdigest.pelican"]
NEWSDIGEST_SOURCES = "sources.yaml"
# A topic page for a person or place two stories are about (default 3): suits
# a desk with a few dozen stories a week, as the sample has; raise it as the
# site grows.
NEWSDIGEST_TOPIC_MIN_STORIES = 2

# Stories live at /stories/<slug>/: the slug never changes once published.
ARTICLE_URL = "{kind}/{slug}/"
ARTICLE_SAVE_AS = "{kind}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
CATEGORIES_SAVE_AS = "category/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
ARCHIVES_URL = "archives/"
DIRECT_TEMPLATES = ["index", "archives", "categories"]
# Story listings show 100 cards a page (about 100 KB), newest first; later
# pages at <listing>/page/2/ and on. Top Stories is one page of its own.
# An outlet page lists 100 of its reports a page ("outlet"; drop it for one page).
DEFAULT_PAGINATION = False
PAGINATED_TEMPLATES = {
    "archives": 100,
    "category": 100,
    "country": 100,
    "blindspot": 100,
    "outlet": 100,
}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# The search index (output/pagefind/) is made after Pelican by
# newsdigest.search_index: when Pelican empties the output folder
# (publishconf.py) it stays, so its unchanged files keep their mtimes, and the
# build record leaves it out, so indexing does not make the next build run.
OUTPUT_RETENTION = ["pagefind"]

# Pages this site does not have.
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# Pelican's own feeds stay off: the plugin writes story feeds (stories only).
# Feeds and sitemaps need absolute URLs, so publishconf.py turns them on.
NEWSDIGEST_FEED_FORMATS = ()
NEWSDIGEST_SITEMAP = None
NEWSDIGEST_NEWS_SITEMAP = None
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Everything from feeds is untrusted: templates escape by default.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

MARKDOWN = {"extensions": ["markdown.extensions.extra"], "output_format": "html"}
SUMMARY_MAX_LENGTH = 60
RELATIVE_URLS = True

# The reader cache is safe: enrichment happens after reading, never cached.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
# A file is read again when its mtime changed, as newsdigest-build's skip and
# page reuse judge it too (hashing every file cost 0.4 s of a 10,000-story build).
CHECK_MODIFIED_METHOD = "mtime"
# Compressing the cache costs more than reading 5 MB back saves (0.4 s a build).
GZIP_CACHE = False
