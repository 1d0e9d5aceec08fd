"""Build tiny real sites and check what a reader sees on each page."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sitekit import Item, Project

from newsdigest.content import frontmatter

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def bridge_items(outlet: str, headline: str, hours: int = 0) -> list[Item]:
    return [
        Item(
            title=headline,
            link=f"https://{outlet}.example/bridge",
            published=T0 + timedelta(hours=hours),
            description=(
                "Inspectors found cracks in two girders of the Halvorsen Bridge in "
                "Port Calloway; repairs could cost $310 million, "
                "commissioner Okafor said."
            ),
            categories=("Technology",),
        )
    ]


@pytest.fixture
def bridge_site(project: Project) -> Project:
    """Three outlets from three sides and two countries cover one event."""
    project.add_outlet(
        "left-daily",
        bridge_items(
            "left-daily", "Halvorsen Bridge cracks show the cost of austerity"
        ),
        lean="Lean Left",
        ownership="Non-profit",
        owner_group="Left Trust",
    )
    project.add_outlet(
        "center-wire",
        bridge_items(
            "center-wire", "Halvorsen Bridge closed after inspectors find cracks", 2
        ),
        lean="Center",
        ownership="Corporate",
        owner_group="Wire Co",
        country="CA",
    )
    project.add_outlet(
        "right-post",
        bridge_items(
            "right-post", "Who missed the Halvorsen Bridge cracks for years?", 4
        ),
        lean="Right",
        ownership="Private individual",
        owner_group="Post Holdings",
    )
    project.ingest()
    project.build()
    return project


def story_page(site: Project) -> str:
    (story,) = site.story_files()
    return site.page(f"stories/{story.stem}/index.html")


def test_story_page_shows_every_section_that_has_data(bridge_site: Project) -> None:
    html = story_page(bridge_site)
    assert "← Back to feed" in html
    # Titled by the outlet nearest the Center, though Left Daily was first.
    assert "<h1>Halvorsen Bridge closed after inspectors find cracks</h1>" in html
    assert re.search(
        r'Headline as written by <a href="[^"]*/outlets/center-wire/">Center Wire</a>'
        r' \(<span class="lean lean-center">Center</span>\)',
        html,
    )
    assert "💻 Technology" in html
    assert "United States" in html
    assert re.search(
        r'<time datetime="2026-11-20T08:00:00\+00:00"[^>]*>'
        r"20 Nov 2026, 08:00 UTC</time>",
        html,
    )
    assert "Inspectors found cracks in two girders" in html
    assert "How each side covered it" in html
    assert 'class="lean-bar"' in html
    assert 'aria-label="Left 33%, Center 33%, Right 33%"' in html
    assert "Covered around the world" in html
    assert "🇨🇦 Canada" in html or "Canada" in html
    assert "3 reports" in html
    for name in ("Left Daily", "Center Wire", "Right Post"):
        assert name in html
    for badge in (
        "Non-profit",
        "Corporate",
        "Private individual",
        "Lean Left",
        "Right",
    ):
        assert badge in html
    assert "Bias read" in html
    assert "3 rated outlets covered this story (1 Lean Left, 1 Center, 1 Right)" in html


def test_sections_without_data_are_left_out(bridge_site: Project) -> None:
    html = story_page(bridge_site)
    assert "Related stories" not in html
    assert "Blindspot" not in html
    assert "Claims check" not in html


def test_blindspot_marked_when_only_one_side_covers(project: Project) -> None:
    for number, lean in enumerate(("Left", "Lean Left", "Far Left")):
        project.add_outlet(
            f"left-{number}",
            bridge_items(
                f"left-{number}", f"Halvorsen Bridge cracks story {number}", number
            ),
            lean=lean,
            owner_group=f"group {number}",
        )
    project.ingest()
    project.build()
    html = story_page(project)
    assert "Blindspot for the right" in html
    assert "Blindspot for the right" in project.page("index.html")


def test_bias_read_signs_numbers_one_way(project: Project) -> None:
    """A typographic minus like the scale's "−3", "+" for positives, none on 0."""
    leans = {"left": "Lean Left", "center": "Center", "center-2": "Center"}
    for outlet, lean in {**leans, "right": "Right"}.items():
        project.add_outlet(outlet, [], lean=lean)
    stories = {
        "minus": ("left", "center"),
        "zero": ("center", "center-2"),
        "plus": ("right", "center", "center-2"),
    }
    for slug, outlets in stories.items():
        path = project.content / "stories" / "2026" / "11" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        reports = [
            {
                "outlet": outlet,
                "headline": f"Story {slug} by {outlet}",
                "url": f"https://{outlet}.example/{slug}",
                "published": "2026-11-20T08:00:00Z",
            }
            for outlet in outlets
        ]
        meta = {"title": f"Story {slug}", "slug": slug, "date": "2026-11-20T08:00:00Z"}
        meta |= {"category": "World", "reports": reports}
        path.write_text(frontmatter.dump(meta, ""), encoding="utf-8")
    project.build()
    shown = {}
    for slug in stories:
        html = project.page(f"stories/{slug}/index.html")
        section = html.split('<section class="bias-read"', 1)[1].split("</section>")[0]
        assert "from −3 (Far Left) to +3 (Far Right)" in section
        assert not re.search(r"-\d", section), section
        shown[slug] = re.search(r"their average is (\S+),", section).group(1)
    assert shown == {"minus": "−0.5", "zero": "0.0", "plus": "+0.7"}


def test_home_ranks_broad_coverage_above_a_single_outlet(bridge_site: Project) -> None:
    bridge_site.add_outlet(
        "solo",
        [
            Item(
                "Local choir wins regional trophy in Brackenridge",
                "https://solo.example/choir",
                T0 + timedelta(hours=5),
                "The choir sang.",
            )
        ],
        lean="Center",
    )
    bridge_site.ingest()
    bridge_site.build()
    home = bridge_site.page("index.html")
    assert home.index("Halvorsen Bridge closed") < home.index("Local choir wins")


def test_related_stories_link_follow_ups(bridge_site: Project) -> None:
    bridge_site.add_outlet(
        "follow-up",
        [
            Item(
                "Halvorsen Bridge repair contract awarded to Brackwater Engineering",
                "https://follow-up.example/contract",
                T0 + timedelta(days=5),
                "Port Calloway awards the $310 million Halvorsen Bridge girder repair.",
            )
        ],
        lean="Center",
    )
    bridge_site.ingest(now=T0 + timedelta(days=6))
    bridge_site.build()
    pages = {
        p.stem: bridge_site.page(f"stories/{p.stem}/index.html")
        for p in bridge_site.story_files()
    }
    assert len(pages) == 2
    first = pages["halvorsen-bridge-closed-after-inspectors-find-cracks"]
    assert "Related stories" in first
    assert (
        "Halvorsen Bridge repair contract awarded" in first.split("Related stories")[1]
    )


def test_category_and_country_pages_list_their_stories(bridge_site: Project) -> None:
    assert "Halvorsen Bridge closed" in bridge_site.page(
        "category/technology/index.html"
    )
    country = bridge_site.page("country/us/index.html")
    assert "Halvorsen Bridge closed" in country
    # A country page lists where stories happen, not where outlets are.
    assert "Stories that happen in United States" in country
    assert "outlets are mostly based" not in country
    categories = bridge_site.page("category/index.html")
    assert "💻 Technology" in categories
    assert "United States" in categories


def test_pages_make_no_external_requests(bridge_site: Project) -> None:
    for page in bridge_site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(
            r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="([^"]+)"', html
        ):
            assert not re.match(r"(https?:)?//", match.group(1)), (page, match.group(0))


def test_time_is_absolute_without_javascript(bridge_site: Project) -> None:
    html = story_page(bridge_site)
    times = re.findall(r"<time datetime=\"([^\"]+)\"[^>]*>([^<]+)</time>", html)
    assert times
    for stamp, text in times:
        moment = datetime.fromisoformat(stamp)
        assert text == moment.strftime("%d %b %Y, %H:%M UTC")


def test_build_never_writes_into_content(bridge_site: Project) -> None:
    def snapshot() -> dict[str, str]:
        return {
            str(p.relative_to(bridge_site.content)): hashlib.sha256(
                p.read_bytes()
            ).hexdigest()
            for p in bridge_site.content.rglob("*")
            if p.is_file()
        }

    before = snapshot()
    bridge_site.build()
    assert snapshot() == before


def test_hostile_feed_text_reaches_pages_inert(project: Project) -> None:
    project.add_outlet(
        "hostile",
        [
            Item(
                title="<img src=x onerror=alert(1)>[click](javascript:alert(2))"
                " <!-- Bridge news",
                link="https://hostile.example/a",
                published=T0,
                description="<script>alert(3)</script><p>Unclosed "
                '<a href="javascript:alert(4)">x</a>'
                "<svg onload=alert(5)>",
            )
        ],
    )
    project.ingest()
    project.build()
    for page in project.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "javascript:" not in html.replace("[click](javascript:alert(2))", "")
        assert "onerror" not in html and "onload" not in html
        assert "<script>alert" not in html
        assert "<svg onload" not in html
    html = story_page(project)
    assert "[click](javascript:alert(2)) &lt;!-- Bridge news" in html
    assert '<a href="javascript' not in html


def test_syndicated_copy_is_marked_and_counted_once(project: Project) -> None:
    wire_text = (
        "Inspectors from Brackwater Engineering found cracks in two girders of the "
        "Halvorsen Bridge, which carries 41,000 vehicles a day across the Calloway."
    )
    project.add_outlet(
        "wire",
        [
            Item(
                "Halvorsen Bridge shut after cracks found",
                "https://wire.example/a",
                T0,
                wire_text,
            )
        ],
        lean="Center",
        ownership="Non-profit",
        owner_group="Wire Co-op",
    )
    project.add_outlet(
        "reprint",
        [
            Item(
                "Halvorsen Bridge shut after cracks found",
                "https://reprint.example/a",
                T0 + timedelta(hours=1),
                wire_text,
            )
        ],
        lean="Right",
        ownership="Corporate",
        owner_group="Reprint Group",
    )
    project.add_outlet(
        "own",
        bridge_items("own", "Halvorsen Bridge closure: what commuters need to know", 2),
        lean="Left",
        ownership="Corporate",
        owner_group="Own Media",
    )
    project.ingest()
    project.build()
    html = story_page(project)
    assert "2 original, 1 republished copy" in html
    assert "Republishes the text of Wire's report." in html
    assert "Outlets by ownership" in html
    ownership = html.split("Outlets by ownership")[1].split("</table>")[0]
    assert re.search(r"Corporate</th><td>2</td><td>67%", ownership)
    assert re.search(r"Non-profit</th><td>1</td><td>33%", ownership)


def test_hidden_files_in_content_are_never_built(bridge_site: Project) -> None:
    (story,) = bridge_site.story_files()
    hidden = story.with_name(f".#{story.stem}.md")
    hidden.write_text(
        story.read_text(encoding="utf-8").replace(f"slug: {story.stem}", "slug: ghost"),
        encoding="utf-8",
    )
    bridge_site.build()
    assert not (bridge_site.output / "stories" / "ghost").exists()


def test_a_broken_registry_is_reported_once_per_build(
    bridge_site: Project, caplog: pytest.LogCaptureFixture
) -> None:
    text = bridge_site.sources.read_text(encoding="utf-8")
    bridge_site.sources.write_text(text.replace("Lean Left", "Leen Left"), "utf-8")
    bridge_site.build()
    problems = [r for r in caplog.records if '"Leen Left"' in r.getMessage()]
    assert len(problems) == 1


def test_a_story_no_feed_dated_says_its_time_is_first_seen(project: Project) -> None:
    project.add_outlet(
        "dateless-gazette",
        [
            Item(
                "Ferry to run a winter timetable from December",
                "https://dateless-gazette.example/ferry",
                None,
                "The river ferry will run every forty minutes.",
            )
        ],
    )
    project.add_outlet(
        "dated-daily",
        [
            Item(
                "Council approves new library budget",
                "https://dated-daily.example/library",
                datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
                "The council approved the budget on Friday.",
            )
        ],
    )
    project.ingest()
    project.build()
    ferry = project.page(
        "stories/ferry-to-run-a-winter-timetable-from-december/index.html"
    )
    meta = ferry.split('class="story-meta"')[1].split("</p>")[0]
    assert "(first seen; no feed dated it)" in meta
    library = project.page("stories/council-approves-new-library-budget/index.html")
    assert "first seen" not in library.split('class="story-meta"')[1].split("</p>")[0]
    cards = project.page("index.html").split('class="card-meta"')[1:]
    assert sorted("(first seen)" in card.split("</p>")[0] for card in cards) == [
        False,
        True,
    ]
