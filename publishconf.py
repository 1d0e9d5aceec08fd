"""Pelican settings for publishing: absolute URLs, feeds and sitemaps on."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

# The site's address: feeds, sitemaps and canonical links need it, so publishing
# without it stops rather than pointing them all at a placeholder.
SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("https://", "http://")):
    sys.exit(
        "publishconf.py: set SITEURL to the site's address, e.g. "
        "make publish SITEURL=https://news.example.org"
    )
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# Story feeds for all stories, each category and each country (paths in
# NEWSDIGEST_FEED_PATHS), and the sitemaps robots.txt names.
NEWSDIGEST_FEED_FORMATS = ("atom", "rss", "json")
NEWSDIGEST_SITEMAP = "sitemap.xml"
NEWSDIGEST_NEWS_SITEMAP = "news-sitemap.xml"
