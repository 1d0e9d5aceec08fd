"""Dispatch pages as a reader sees them, built by real Pelican runs."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime

import pytest
from scenes import CRACKED_GIRDERS, FULL, SCANS, bridge_outlets, dispatch_text
from sitekit import REPO, Project

from newsdigest import cli
from newsdigest.errors import InputError
from newsdigest.registry import load_registry
from newsdigest.wire.dispatch import check_dispatch


@pytest.fixture
def wire_site(project: Project) -> Project:
    """A bridge story, a full dispatch about it and a follow-up dispatch."""
    bridge_outlets(project)
    project.ingest()
    project.add_dispatch(dispatch_text(SCANS, **FULL), SCANS)
    project.add_dispatch(
        dispatch_text(
            "repair-contract",
            title="Halvorsen Bridge repair contract goes to Brackwater Engineering",
            date="2026-11-22T10:00:00Z",
            status="Final",
            related=[SCANS],
        ),
        "repair-contract",
    )
    project.build()
    return project


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1]


def test_dispatch_page_shows_every_section_in_order(wire_site: Project) -> None:
    html = wire_site.page(f"dispatches/{SCANS}/index.html")
    main = main_of(html)
    expected_in_order = [
        '<span class="coordinates">44°06′13.3″N 69°06′32.0″W</span>',
        "Port Calloway, Maine",
        "← The Wire",
        ">Americas Desk</a>",
        "<span>Dispatch</span>",
        ">Infrastructure</a>",
        '<span class="badge status status-updated">Updated</span>',
        "<h1>Halvorsen Bridge inspectors order scans of two sister spans</h1>",
        'By <span class="desk">Americas Desk</span>',
        "Primary source <strong>Official statement</strong>",
        "1 reviewed intake signal<",
        "Desk window <strong>14:55-15:40 UTC</strong>",
        "TL;DR",
        "The state orders scans of two spans",
        "01 · The Dispatch",
        "The state orders <strong>ultrasonic</strong> scans.",
        "02 · How it developed",
        "3 developments",
        '<span class="latest-tag">Latest</span>',
        "Scanning crews start on Thursday.",
        "Both spans share the girder design.",
        "Scans ordered by the state.",
        "Related dispatches",
        "Halvorsen Bridge repair contract goes to Brackwater Engineering",
        "Related stories",
        CRACKED_GIRDERS,
        "03 · Source and signal",
        '<span class="badge signal-level signal-confirmed">Confirmed</span>',
        "4 sources from 3 independent origins.",
        "The Harbor Ledger and Courier share an owner (Tidewater)",
        "rests on one source is never rated Strong or Confirmed",
        "Commissioner&#39;s office",
        "Desk accountability",
        "This dispatch is published by Americas Desk",
    ]
    positions = [main.find(text) for text in expected_in_order]
    missing = [t for t, p in zip(expected_in_order, positions, strict=True) if p < 0]
    assert not missing
    assert positions == sorted(positions)
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert ">Top Stories</a>" in nav
    assert ">The Wire</a>" in nav


def test_only_the_newest_development_is_marked_latest(wire_site: Project) -> None:
    main = main_of(wire_site.page(f"dispatches/{SCANS}/index.html"))
    developments = main.split("02 · How it developed")[1].split("</ol>")[0]
    items = developments.split("<li")[1:]
    assert len(items) == 3
    assert 'class="latest"' in items[0]
    assert "Latest" not in "".join(items[1:])


def test_developments_added_in_the_same_second_put_the_last_added_first(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three ``dispatch develop`` runs within one second share a time."""
    bridge_outlets(project)
    project.add_dispatch(dispatch_text(SCANS), SCANS)
    same_second = datetime(2026, 11, 21, 9, 30, 15, tzinfo=UTC)
    monkeypatch.setattr(cli, "utc_now", lambda: same_second)
    for text in ("Crews arrive.", "Scans begin.", "First span cleared."):
        argv = ["dispatch", "develop", SCANS, text, "--content", str(project.content)]
        assert cli.main(argv) == 0
    project.build()
    main = main_of(project.page(f"dispatches/{SCANS}/index.html"))
    developments = main.split("02 · How it developed")[1].split("</ol>")[0]
    items = developments.split("<li")[1:]
    texts = [re.search(r"<p>(.*?)</p>", item).group(1) for item in items]
    assert texts == ["First span cleared.", "Scans begin.", "Crews arrive."]
    assert 'class="latest"' in items[0]
    assert "Latest" not in "".join(items[1:])


def test_sections_without_data_are_left_out(wire_site: Project) -> None:
    main = main_of(wire_site.page("dispatches/repair-contract/index.html"))
    for absent in (
        'class="dateline"',
        'class="provenance"',
        "TL;DR",
        "02 · How it developed",
        "Related stories",
        "Sources, numbered",
    ):
        assert absent not in main
    assert "Related dispatches" in main
    assert (
        '<span class="badge signal-level signal-unverified">Unverified</span>' in main
    )
    assert "No source is listed yet" in main


def test_story_and_dispatch_link_to_each_other(wire_site: Project) -> None:
    (story,) = wire_site.story_files()
    html = wire_site.page(f"stories/{story.stem}/index.html")
    related = html.split("Related dispatches", 1)[1]
    assert f"../../dispatches/{SCANS}/" in related


def test_dispatches_stay_out_of_story_listings(wire_site: Project) -> None:
    for page in ("index.html", "archives/index.html", "category/index.html"):
        assert "repair contract" not in wire_site.page(page)


def test_desk_may_lower_the_signal_and_the_page_says_so(project: Project) -> None:
    bridge_outlets(project)
    project.add_dispatch(dispatch_text(SCANS, **FULL, signal="Corroborated"), SCANS)
    project.build()
    main = main_of(project.page(f"dispatches/{SCANS}/index.html"))
    assert "signal-corroborated" in main
    assert "set by the desk below the Confirmed its sources support" in main


def test_inflated_signal_refuses_the_build_naming_file_and_line(
    project: Project,
) -> None:
    bridge_outlets(project)
    text = dispatch_text(SCANS, **{**FULL, "sources": FULL["sources"][1:3]})
    path = project.add_dispatch(
        text.replace("status:", "signal: Strong\nstatus:"), SCANS
    )
    line = text.splitlines().index("status: Updated") + 1
    with pytest.raises(InputError) as refused:
        project.build()
    assert str(refused.value).startswith(f'{path}:{line}: signal: "Strong" is higher')
    assert 'Set it to "Single-source" or lower' in str(refused.value)
    assert not (project.output / "dispatches").exists()


def test_unknown_outlet_refuses_the_build_naming_file_line_and_field(
    project: Project,
) -> None:
    bridge_outlets(project)
    text = dispatch_text(SCANS, **FULL).replace("outlet: courier", "outlet: couier")
    path = project.add_dispatch(text, SCANS)
    line = text.splitlines().index("  outlet: couier") + 1
    with pytest.raises(InputError) as refused:
        project.build()
    assert str(refused.value) == (
        f'{path}:{line}: sources[2].outlet: "couier" is neither an outlet id nor an '
        'outlet name in the registry; did you mean "courier"?'
    )
    assert not (project.output / "dispatches").exists()


def test_pelican_command_exits_non_zero_on_an_inflated_signal(project: Project) -> None:
    bridge_outlets(project)
    text = dispatch_text(SCANS, signal="Confirmed")
    path = project.add_dispatch(text, SCANS)
    line = text.splitlines().index("signal: Confirmed") + 1
    result = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "pelican"),
            str(project.content),
            "-o",
            str(project.output),
            "-s",
            str(REPO / "pelicanconf.py"),
            "-e",
            f'THEME="{REPO / "theme"}"',
            f'PLUGIN_PATHS=["{REPO / "plugins"}"]',
            f'NEWSDIGEST_SOURCES="{project.sources}"',
            f'CACHE_PATH="{project.root / "cache"}"',
        ],
        capture_output=True,
        text=True,
        env={"COLUMNS": "400", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1
    output = re.sub(r"\s+", " ", result.stdout + result.stderr)
    assert f'{path}:{line}: signal: "Confirmed" is higher than the sources' in output


def test_a_related_slug_no_page_has_is_an_error(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    """An error, so ``newsdigest-build`` exits 1; the rest of the page is built."""
    bridge_outlets(project)
    path = project.add_dispatch(dispatch_text(SCANS, related=["no-such-slug"]), SCANS)
    project.build()
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert error.getMessage() == (
        f"{path}: related: no dispatch or story has the slug 'no-such-slug'"
    )
    assert (project.output / "dispatches" / SCANS / "index.html").is_file()


def test_dispatch_with_broken_yaml_refuses_the_build(project: Project) -> None:
    bridge_outlets(project)
    path = project.add_dispatch(
        dispatch_text(SCANS).replace("desk: Americas Desk", "desk: [Americas"), SCANS
    )
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}:\d+: yaml:"):
        project.build()


def test_internal_intake_never_reaches_output(project: Project) -> None:
    bridge_outlets(project)
    secrets = [
        "Volunteers' group chat 4471",
        "https://intake.desk.example/items/4471",
        "Night tip line caller",
        "tel:+15550100",
    ]
    project.add_dispatch(
        dispatch_text(
            SCANS,
            primary_source="Internal intake",
            sources=[
                {"name": secrets[0], "internal": True, "url": secrets[1]},
                {"name": secrets[2], "kind": "Internal intake", "internal": True},
                {
                    "name": "Morning Echo",
                    "kind": "Outlet report",
                    "copy_of": secrets[2],
                    "url": "https://echo.example/a",
                },
                {"name": "Granite", "outlet": "granite", "kind": "Outlet report"},
            ],
        ),
        SCANS,
    )
    project.build()
    assert_shown_as_internal_intake(project, [*secrets, "4471"])


def assert_shown_as_internal_intake(project: Project, secrets: list[str]) -> None:
    """The dispatch page counts internal intake; no output file names it."""
    main = main_of(project.page(f"dispatches/{SCANS}/index.html"))
    assert main.count("Internal intake") >= 2
    assert "signal-corroborated" in main
    assert "republishes Internal intake" in main
    for page in project.output.rglob("*"):
        if page.is_file():
            data = page.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, (page, secret)


def test_a_source_from_an_internal_outlet_is_internal_intake(project: Project) -> None:
    """Its name and URL stay out of output/ and it counts as internal intake."""
    bridge_outlets(project)
    project.add_outlet("tips-line", [], name="Harbor Tips Line", intake="internal")
    secrets = [
        "Secret Tips Line caller 14",
        "https://tips.internal.example/caller/14",
        "Harbor Tips Line",
    ]
    path = project.add_dispatch(
        dispatch_text(
            SCANS,
            sources=[
                {
                    "name": secrets[0],
                    "outlet": "tips-line",
                    "kind": "Interview",
                    "url": secrets[1],
                },
                {"name": "Night desk tip", "internal": True},
                {"name": "Echo", "kind": "Outlet report", "copy_of": secrets[0]},
                {"name": "Granite", "outlet": "granite", "kind": "Outlet report"},
            ],
        ),
        SCANS,
    )
    assert check_dispatch(path, load_registry(project.sources).outlets) == []
    project.build()
    assert_shown_as_internal_intake(project, [*secrets, "caller/14", "tips.internal"])


def test_desk_note_comes_from_the_settings(project: Project) -> None:
    bridge_outlets(project)
    project.add_dispatch(dispatch_text(SCANS), SCANS)
    project.build(NEWSDIGEST_DESK_NOTE="{desk} answers for this {and nothing else}.")
    main = main_of(project.page(f"dispatches/{SCANS}/index.html"))
    assert "Americas Desk answers for this {and nothing else}." in main


def test_dispatch_markup_is_sanitized(project: Project) -> None:
    bridge_outlets(project)
    text = dispatch_text(
        SCANS,
        tldr="Cracks <img src=x onerror=alert(1)> found [here](javascript:alert(2)).",
        developments=[{"time": "2026-11-20T16:00:00Z", "text": "<b>bold</b> move"}],
    ).replace("The state orders", "<script>alert(3)</script>The state orders")
    project.add_dispatch(text, SCANS)
    project.build()
    main = main_of(project.page(f"dispatches/{SCANS}/index.html"))
    for hostile in ("onerror", "javascript:", "<script>", "<b>bold"):
        assert hostile not in main
    assert "&lt;b&gt;bold&lt;/b&gt; move" in main
