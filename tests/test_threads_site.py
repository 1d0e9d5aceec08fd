"""Developing-story and topic pages in a real build."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sitekit import Project

from newsdigest.content import frontmatter

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
SITE = "https://news.example"
OUTLETS = ("harbor", "granite", "maple")
CLOSED = "Halvorsen Bridge closed after cracked girders found"
SISTER = "Halvorsen Bridge sister spans ordered scanned for cracked girders"
BRIDGE = "in Port Calloway, where Commissioner Renata Okafor runs the Halvorsen Bridge"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_story(
    project: Project,
    slug: str,
    day: float,
    headline: str,
    summary: str,
    *others: str,
):
    """A story file with one report per outlet, an hour apart.

    The first report has ``summary``, the next ones ``others`` if given.
    """
    start = T0 + timedelta(days=day)
    summaries = [summary, *others, *[summary] * len(OUTLETS)]
    reports = [
        {
            "outlet": outlet,
            "headline": f"{headline} ({outlet})",
            "url": f"https://{outlet}.example/{slug}",
            "published": stamp(start + timedelta(hours=n)),
            "summary": summaries[n],
        }
        for n, outlet in enumerate(OUTLETS)
    ]
    path = project.content / "stories" / "2026" / "11" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "title": headline,
        "slug": slug,
        "date": stamp(start),
        "category": "World",
        "reports": reports,
    }
    path.write_text(frontmatter.dump(meta, ""), encoding="utf-8")


@pytest.fixture
def site(project: Project) -> Project:
    for outlet in OUTLETS:
        project.add_outlet(outlet, [])
    add_story(
        project,
        "halvorsen-bridge-closed",
        0,
        CLOSED,
        f"Cracked girders closed the bridge {BRIDGE}; repairs cost $310 million.",
    )
    add_story(
        project,
        "halvorsen-bridge-sister-spans-scanned",
        2,
        SISTER,
        f"Two sister spans of the closed bridge get scans {BRIDGE}; cracked girders.",
    )
    add_story(
        project,
        "okafor-opens-ferry-terminal",
        3,
        "Ferry terminal opens on the Weir Street waterfront",
        f"A new ferry terminal opened {BRIDGE}, with a brass band and free rides.",
    )
    add_story(
        project,
        "ashcombe-rovers-win-cup",
        1,
        "Ashcombe Rovers win the cup final",
        "Ashcombe Rovers beat Dunmore Athletic 3-2 in the Northern Counties Cup.",
    )
    project.add_dispatch(
        frontmatter.dump(
            {
                "title": "Halvorsen Bridge repair contract goes to Brackwater",
                "slug": "halvorsen-repair-contract",
                "date": stamp(T0 + timedelta(days=1)),
                "desk": "Americas Desk",
                "status": "Developing",
                "tldr": "The state picked Brackwater to repair the girders.",
                "related": ["halvorsen-bridge-closed"],
            },
            "Body.",
        ),
        "halvorsen-repair-contract",
    )
    project.build(SITEURL=SITE, RELATIVE_URLS=False, NEWSDIGEST_SITEMAP="sitemap.xml")
    return project


def links(html: str, folder: str) -> list[str]:
    """The slugs of the ``folder`` pages a page links to, in order."""
    main = html.split('<main id="main"', 1)[1]
    return re.findall(rf'href="{SITE}/{folder}/([^/"]+)/"', main)


THREAD = "threads/halvorsen-bridge-closed/index.html"


def test_thread_page_lists_members_in_time_order_with_links(site: Project) -> None:
    html = site.page(THREAD)
    assert links(html, "stories") == [
        "halvorsen-bridge-closed",
        "halvorsen-bridge-sister-spans-scanned",
    ]
    assert links(html, "dispatches") == ["halvorsen-repair-contract"]
    kinds = re.findall(r'<span class="badge">(Story|Dispatch)</span> <time', html)
    assert kinds == ["Story", "Dispatch", "Story"]
    times = re.findall(r'<time datetime="([^"]+)"', html.split("Timeline", 1)[1])
    assert times == sorted(times)
    # Named after the story it began with, as its URL is: stable as it grows.
    assert f"<h1>{CLOSED}</h1>" in html
    assert "2 stories and 1 dispatch about one unfolding event" in html
    index = site.page("threads/index.html")
    assert f'halvorsen-bridge-closed/">{CLOSED}</a></h2>' in index
    assert "2 stories and 1 dispatch · since" in index
    canonical = f'<link rel="canonical" href="{SITE}/threads/halvorsen-bridge-closed/">'
    assert canonical in html
    assert "3 outlets" in html


def note(html: str) -> tuple[str, str, str]:
    """The thread note's words before the link, the link text, and after it."""
    found = re.search(
        r'role="note">([^<]*)<a href="[^"]+">([^<]+)</a>([^<]*)</p>', html
    )
    assert found, "no thread note"
    return found.group(1), found.group(2), found.group(3)


def test_each_member_links_back_to_its_thread(site: Project) -> None:
    for page in (
        "stories/halvorsen-bridge-closed/index.html",
        "stories/halvorsen-bridge-sister-spans-scanned/index.html",
        "dispatches/halvorsen-repair-contract/index.html",
    ):
        html = site.page(page)
        assert "Part of a developing story" in html
        assert links(html, "threads") == ["halvorsen-bridge-closed"]
        # The story that began it is counted too, and nothing is an "update".
        assert note(html)[2] == " (2 stories and 1 dispatch)"
    for page in ("okafor-opens-ferry-terminal", "ashcombe-rovers-win-cup"):
        assert "developing story" not in site.page(f"stories/{page}/index.html")


def test_the_note_names_the_thread_never_by_the_pages_own_headline(
    site: Project,
) -> None:
    for slug in ("halvorsen-repair-contract", "halvorsen-bridge-sister-spans-scanned"):
        folder = "dispatches" if "contract" in slug else "stories"
        html = site.page(f"{folder}/{slug}/index.html")
        own = re.search(r"<h1>([^<]+)</h1>", html).group(1)
        assert note(html)[:2] == ("Part of a developing story: ", CLOSED)
        assert own != CLOSED
    # The page of the story it is named after names its newest turn instead.
    html = site.page("stories/halvorsen-bridge-closed/index.html")
    assert note(html)[:2] == ("Part of a developing story, latest: ", SISTER)


def test_footer_links_the_developing_stories_index(site: Project) -> None:
    for page in ("index.html", "stories/ashcombe-rovers-win-cup/index.html"):
        html = site.page(page)
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert f'<a href="{SITE}/threads/">Developing stories</a>' in footer
        assert f'<a href="{SITE}/topics/">Topics</a>' in footer


def test_same_names_in_another_event_stay_out_of_the_thread(site: Project) -> None:
    assert "okafor-opens-ferry-terminal" not in site.page(THREAD)
    assert links(site.page("threads/index.html"), "threads") == [
        "halvorsen-bridge-closed"
    ]


def test_topic_page_lists_the_stories_naming_it_newest_first(site: Project) -> None:
    html = site.page("topics/renata-okafor/index.html")
    assert "<h1>Renata Okafor</h1>" in html
    assert links(html, "stories") == [
        "okafor-opens-ferry-terminal",
        "halvorsen-bridge-sister-spans-scanned",
        "halvorsen-bridge-closed",
    ]
    story = site.page("stories/okafor-opens-ferry-terminal/index.html")
    assert "renata-okafor" in links(story, "topics")
    assert "ashcombe-rovers" not in links(site.page("topics/index.html"), "topics")


def test_a_story_naming_someone_in_passing_is_not_on_their_topic_page(
    project: Project,
) -> None:
    for outlet in OUTLETS:
        project.add_outlet(outlet, [])
    for day, slug, headline in [
        (0, "okafor-closes-bridge", "Okafor closes the Halvorsen Bridge"),
        (2, "okafor-seeks-repair-money", "Okafor seeks $310 million for girders"),
        (4, "okafor-opens-ferry-terminal", "Okafor opens a ferry terminal"),
    ]:
        add_story(project, slug, day, headline, f"Cracks were found {BRIDGE}.")
    add_story(
        project,
        "weir-street-market-reopens",
        6,
        "Weir Street market reopens after a year",
        "Stalls reopened on the waterfront. Vendors thanked Commissioner Renata "
        "Okafor, who cut the ribbon.",
        "Vendors were glad to be back.",
        "Stalls reopened with music.",
    )
    project.build(SITEURL=SITE, RELATIVE_URLS=False)
    html = project.page("topics/renata-okafor/index.html")
    assert links(html, "stories") == [
        "okafor-opens-ferry-terminal",
        "okafor-seeks-repair-money",
        "okafor-closes-bridge",
    ]
    market = project.page("stories/weir-street-market-reopens/index.html")
    assert links(market, "topics") == []
    ferry = project.page("stories/okafor-opens-ferry-terminal/index.html")
    assert "renata-okafor" in links(ferry, "topics")


def test_thread_and_topic_pages_are_in_the_sitemap(site: Project) -> None:
    sitemap = site.page("sitemap.xml")
    for path in (
        "threads/",
        "threads/halvorsen-bridge-closed/",
        "topics/",
        "topics/renata-okafor/",
    ):
        assert f"<loc>{SITE}/{path}</loc>" in sitemap


def test_settings_turn_threads_and_topics_off(project: Project) -> None:
    project.add_outlet("harbor", [])
    add_story(project, "one", 0, "Halvorsen Bridge closed", f"Closed {BRIDGE}.")
    project.build(NEWSDIGEST_THREADS=False, NEWSDIGEST_TOPICS=False)
    assert not (project.output / "threads").exists()
    assert not (project.output / "topics").exists()
    footer = project.page("index.html").split('<footer class="site-footer">', 1)[1]
    assert "threads/" not in footer
    assert "topics/" not in footer


def test_a_german_title_s_nouns_are_no_topic(project: Project) -> None:
    """German capitalises every noun: a title in German names no one by it."""
    project.add_outlet("lindenpost", [], country="DE", language="de")
    for slug, title in [
        ("kreistag-windpark", "Kreistag winkt Windpark am Deich durch"),
        ("gemeinderat-windpark", "Gemeinderat stoppt Windpark am See"),
    ]:
        path = project.content / "stories" / "2026" / "11" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "outlet": "lindenpost",
            "headline": title,
            "url": f"https://lindenpost.example/{slug}",
            "published": stamp(T0),
            "summary": "Die Anwohner protestieren seit Monaten.",
        }
        meta = {"title": title, "slug": slug, "date": stamp(T0), "reports": [report]}
        path.write_text(frontmatter.dump(meta, ""), encoding="utf-8")
    output = project.build(NEWSDIGEST_TOPIC_MIN_STORIES=2)
    assert not (output / "topics" / "windpark").exists()
    assert "topic-links" not in project.page("stories/kreistag-windpark/index.html")
