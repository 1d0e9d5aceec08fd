"""The Claims check section on a built story page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sitekit import Item, Project

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _item(outlet: str, headline: str, summary: str, hours: int) -> list[Item]:
    return [
        Item(
            headline,
            f"https://{outlet}.example/tunnel",
            T0 + timedelta(hours=hours),
            summary,
        )
    ]


def _build(project: Project, edit: str = "") -> str:
    project.add_outlet(
        "left-daily",
        _item(
            "left-daily",
            "Kessler Tunnel flooding strands 12 million riders",
            "Floodwater closed the Kessler Tunnel under the Calloway on Monday.",
            0,
        ),
        lean="Left",
    )
    project.add_outlet(
        "center-wire",
        _item(
            "center-wire",
            "Kessler Tunnel closed as floods hit 15 million riders",
            "Transit chief Amara Osei said repairs will take weeks.",
            1,
        ),
        lean="Center",
    )
    project.add_outlet(
        "right-post",
        _item(
            "right-post",
            "Transit board denies Kessler Tunnel flood hit 12 million riders",
            "Board members said the tunnel reopens soon.",
            2,
        ),
        lean="Right",
    )
    project.ingest()
    if edit:
        (story,) = project.story_files()
        text = story.read_text(encoding="utf-8")
        story.write_text(text.replace("\nreports:", f"\n{edit}reports:", 1))
    project.build()
    (story,) = project.story_files()
    return project.page(f"stories/{story.stem}/index.html")


def _section(html: str) -> str:
    return html.split('<section class="claims"')[1].split("</section>", maxsplit=1)[0]


def _claim(section: str, text: str) -> str:
    """What the page says of the claim whose text is ``text`` (figure unmarked)."""
    plain = section.replace("<strong>", "").replace("</strong>", "")
    return plain.split(f"“{text}”")[1].split("</li>", maxsplit=1)[0]


def test_claims_check_shows_who_asserts_and_who_disputes(project: Project) -> None:
    html = _build(project)
    assert html.index("Covered around the world") < html.index("Claims check")
    assert html.index("Claims check") < html.index("3 reports")
    section = _section(html)
    assert "Extracted automatically from headlines and summaries" in section
    # Each claim shows the whole clause that states it, not a fragment of it,
    # its figure marked.
    assert "strands <strong>12 million</strong> riders" in section
    twelve = _claim(section, "Kessler Tunnel flooding strands 12 million riders")
    assert "1 source asserts it: Left Daily" in twelve
    assert re.search(
        r"2 sources dispute it: (Right Post, Center Wire|Center Wire, Right Post)",
        twelve,
    )
    fifteen = _claim(section, "Kessler Tunnel closed as floods hit 15 million riders")
    assert "1 source asserts it: Center Wire" in fifteen
    assert "1 source disputes it: Left Daily" in fifteen


def test_editor_claims_in_front_matter_win(project: Project) -> None:
    html = _build(
        project,
        "claims:\n"
        "- text: 12 million riders\n"
        "  asserted_by: [left-daily, center-wire]\n"
        "  disputed_by: [right-post]\n"
        "- text: The tunnel reopens in spring\n"
        "  asserted_by: [center-wire]\n",
    )
    section = _section(html)
    twelve = _claim(section, "12 million riders")
    assert "Checked by an editor" in twelve
    assert "2 sources assert it: Left Daily, Center Wire" in twelve
    assert "1 source disputes it: Right Post" in twelve
    added = _claim(section, "The tunnel reopens in spring")
    assert "1 source asserts it: Center Wire" in added
    assert "0 sources dispute it" in added
    assert section.count("“12 million riders”") == 1


def test_a_statement_repeating_a_figure_claim_shows_as_one_claim(
    project: Project,
) -> None:
    for hours, (outlet, lean, headline, summary) in enumerate(
        [
            (
                "left-daily",
                "Left",
                "Halvorsen Bridge shut as repairs could cost $310 million",
                "Commissioner Renata Okafor said repairs could cost $310 million.",
            ),
            (
                "center-wire",
                "Center",
                "Halvorsen Bridge closed for repairs costing $310 million",
                "Repairs will cost $310 million, Commissioner Okafor told reporters.",
            ),
            (
                "right-post",
                "Right",
                "Halvorsen Bridge shut for $310 million repairs",
                "Repairs are estimated at $310 million.",
            ),
        ]
    ):
        project.add_outlet(outlet, _item(outlet, headline, summary, hours), lean=lean)
    project.ingest()
    project.build()
    (story,) = project.story_files()
    section = _section(project.page(f"stories/{story.stem}/index.html"))
    assert section.count("<li") == 1
    assert section.count("<strong>$310 million</strong>") == 1
    assert "said repairs could cost" not in section
    claim = _claim(section, "Repairs are estimated at $310 million.")
    assert "3 sources assert it" in claim
    assert "0 sources dispute it" in claim


#: (outlet, lang, headline, summary): sister papers and one other outlet on
#: the repair bill, two French outlets on the traffic, the sisters alone on
#: the closure.
BRIDGE_REPORTS = [
    ("tidewater", None, "Bridge shut", "Repairs could cost $310 million."),
    ("harbor", None, "Bridge closed", "Repairs are estimated at $310 million."),
    ("center", None, "Span shut", "The repair bill could reach $310 million."),
    ("tidewater", None, "Detours", "The span carried 41,000 cars before it shut."),
    ("harbor", None, "Traffic", "About 41,000 cars used the bridge."),
    ("reverbere", "fr", "Pont fermé", "Le pont voit passer 12 000 camions par jour."),
    ("quotidien", "fr", "Le pont", "Quelque 12 000 camions empruntent le pont."),
]


def test_claims_count_one_owner_once_and_mark_another_language(
    project: Project,
) -> None:
    owner = {"owner_group": "Tidewater Media Group"}
    for outlet, fields in [
        ("tidewater", owner),
        ("harbor", owner),
        ("center", {}),
        ("reverbere", {"language": "fr"}),
        ("quotidien", {"language": "fr"}),
    ]:
        project.add_outlet(outlet, [], **fields)
    reports = "".join(
        f"- outlet: {outlet}\n"
        f"  headline: {headline}\n"
        f"  url: https://{outlet}.example/{index}\n"
        f"  published: '{(T0 + timedelta(hours=index)).isoformat()}'\n"
        f"  summary: {summary}\n" + (f"  lang: {lang}\n" if lang else "")
        for index, (outlet, lang, headline, summary) in enumerate(BRIDGE_REPORTS)
    )
    story = project.content / "stories" / "2026" / "11" / "bridge.md"
    story.parent.mkdir(parents=True, exist_ok=True)
    story.write_text(
        "---\ntitle: Bridge shut\nslug: bridge\ndate: '2026-11-20T08:00:00Z'\n"
        f"category: World\nreports:\n{reports}---\n\nThe bridge is shut.\n",
        encoding="utf-8",
    )
    project.build()
    section = _section(project.page("stories/bridge/index.html"))
    assert "outlets with one owner" in section
    assert section.count("<li") == 2  # 41,000 cars: one owner, one source
    bill = section.split("$310 million")[1].split("</li>", maxsplit=1)[0]
    # Two sources, three outlets named: the count says how many outlets.
    assert "2 sources assert it (3 outlets): Center, Harbor, Tidewater" in bill
    trucks = section.split('<p class="claim-text" lang="fr">“')[1].split("”")[0]
    assert "<strong>12 000</strong> camions" in trucks
    assert section.count(' lang="') == 1
