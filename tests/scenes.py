"""Ready-made sites and content for tests: the Halvorsen Bridge, told two ways.

The published bridge site (:func:`bridge_site`, built by :func:`publish` as
``make publish`` does) and the dispatch desk's bridge story
(:func:`bridge_outlets`, :func:`dispatch_text`, :func:`reader_site`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitekit import REPO, Item, Project

from newsdigest.content import frontmatter

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

# The published bridge site

SITE = "https://news.example.org"
BRIDGE = "Halvorsen Bridge closed after inspectors find cracks"
LIBRARY = "Port Calloway library reopens after renovation"
CHOIR = "Brackenridge choir wins regional trophy"
BUDGET = "Council approves Port Calloway harbor budget"


def publish(root: Path, output: Path, siteurl: str = SITE, seed: int = 0) -> Path:
    """Build ``root`` as ``make publish`` does, in a new process."""
    command = [
        str(Path(sys.executable).parent / "pelican"),
        str(root / "content"),
        "-o",
        str(output),
        "-s",
        "publishconf.py",
        "-q",
        "-e",
        f"CACHE_PATH={json.dumps(str(root / 'cache'))}",
    ]
    env = {**os.environ, "SITEURL": siteurl, "PYTHONHASHSEED": str(seed)}
    subprocess.run(command, cwd=REPO, env=env, check=True)
    return output


#: Who reports, and what: the bridge from three sides; the library and the
#: choir at the same moment (a tie to break); a week-old budget story.
OUTLETS = {
    "left-daily": ("Lean Left", "US"),
    "center-wire": ("Center", "CA"),
    "right-post": ("Right", "US"),
}
CRACKS = "Inspectors found cracks in two girders of the Halvorsen Bridge."
ITEMS = [
    ("left-daily", BRIDGE, "bridge", T0, "Technology", CRACKS),
    ("center-wire", BRIDGE, "bridge", T0 + timedelta(hours=2), "Technology", CRACKS),
    ("right-post", BRIDGE, "bridge", T0 + timedelta(hours=4), "Technology", CRACKS),
    ("left-daily", LIBRARY, "library", T0 + timedelta(hours=25), "Culture", "Open."),
    ("center-wire", CHOIR, "choir", T0 + timedelta(hours=25), "Culture", "It sang."),
    ("right-post", BUDGET, "budget", T0 - timedelta(days=5), "World", "Passed."),
]


def bridge_site(root: Path) -> Project:
    """The outlets and items above, ingested into a project at ``root``."""
    project = Project(root)
    for outlet, (lean, country) in OUTLETS.items():
        items = [
            Item(
                title,
                f"https://{outlet}.example/{path}",
                when,
                text,
                categories=(category,),
            )
            for source, title, path, when, category, text in ITEMS
            if source == outlet
        ]
        project.add_outlet(
            outlet, items, lean=lean, country=country, owner_group=outlet
        )
    project.ingest()
    return project


#: A story from the year before the bridge's, in the search index's shard
#: of its year: found by "lighthouse", and by "Halvorsen" with the bridge.
KEEPER = "Cape lighthouse keeper retires after forty years"


def add_last_years_story(project: Project) -> None:
    """Ingest :data:`KEEPER`, reported in March 2025 by a fourth outlet."""
    when = datetime(2025, 3, 2, 9, 0, tzinfo=UTC)
    text = "The keeper lit the lamp above the Halvorsen shoals for the last time."
    item = Item(KEEPER, "https://cape-gazette.example/keeper", when, text)
    project.add_outlet("cape-gazette", [item], lean="Center", country="CA")
    project.ingest()


def retitle(project: Project, word: str, title: str) -> None:
    """Give the story whose file name holds ``word`` a new title, by hand."""
    story = next(p for p in project.story_files() if word in p.stem)
    text = story.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title: "))
    story.write_text(text.replace(old, f"title: {json.dumps(title)}"), "utf-8")


def slug_of(project: Project, word: str) -> str:
    """The slug of the first story whose file name holds ``word``."""
    return next(p.stem for p in project.story_files() if word in p.stem)


# The dispatch desk's bridge story

CRACKED_GIRDERS = "Halvorsen Bridge closed after inspectors find cracked girders"
SCANS = "halvorsen-bridge-inspectors-order-scans"
CONTRACT = "Halvorsen Bridge repair contract awarded to Brackwater Engineering"


def bridge_outlets(project: Project) -> None:
    """Two sister papers and one independent outlet report the closure."""
    for number, (outlet, owner) in enumerate(
        [("harbor", "Tidewater"), ("courier", "Tidewater"), ("granite", "Ironvale")]
    ):
        project.add_outlet(
            outlet,
            [
                Item(
                    CRACKED_GIRDERS
                    if number == 0
                    else f"{CRACKED_GIRDERS} in Port Calloway",
                    f"https://{outlet}.example/bridge",
                    T0 + timedelta(hours=number),
                    "Cracked girders close the Halvorsen Bridge in Port Calloway.",
                )
            ],
            owner_group=owner,
            lean="Center",
        )


def dispatch_text(slug: str, **fields: object) -> str:
    """A dispatch with the fields given (title, date, desk, status by default)."""
    meta = {
        "title": "Halvorsen Bridge inspectors order scans of two sister spans",
        "slug": slug,
        "date": "2026-11-20T15:40:00Z",
        "desk": "Americas Desk",
        "status": "Developing",
        **fields,
    }
    return frontmatter.dump(meta, "The state orders **ultrasonic** scans.")


#: Every optional field a dispatch may have, for :func:`dispatch_text`.
FULL = {
    "modified": "2026-11-21T11:05:00Z",
    "section": "Infrastructure",
    "status": "Updated",
    "location": {"name": "Port Calloway, Maine", "lat": 44.1037, "lon": -69.1089},
    "tldr": "The state orders scans of two spans that share the Halvorsen design.",
    "primary_source": "Official statement",
    "intake_signals": 1,
    "desk_window": "14:55-15:40 UTC",
    "developments": [
        {"time": "2026-11-20T15:40:00Z", "text": "Scans ordered by the state."},
        {"time": "2026-11-21T11:05:00Z", "text": "Scanning crews start on Thursday."},
        {"time": "2026-11-20T21:10:00Z", "text": "Both spans share the girder design."},
    ],
    "sources": [
        {
            "name": "Commissioner's office",
            "kind": "Official statement",
            "url": "https://transport.example/notice",
        },
        {"name": "The Harbor Ledger", "outlet": "harbor", "kind": "Outlet report"},
        {"name": "Courier", "outlet": "courier", "kind": "Outlet report"},
        {"name": "Granite", "outlet": "granite", "kind": "Outlet report"},
    ],
}


#: A valid dispatch file, written by hand, that uses every field.
GOOD = """\
---
title: Halvorsen Bridge inspectors order scans of two sister spans
slug: halvorsen-sister-spans
date: '2026-11-18T15:40:00Z'
modified: '2026-11-19T11:05:00Z'
desk: Americas Desk
section: Infrastructure
status: Updated
location:
  name: Port Calloway, Maine
  lat: 44.1037
  lon: -69.1089
tldr: The state orders scans of two more spans.
primary_source: Official statement
intake_signals: 3
desk_window: "14:55-15:40 UTC"
developments:
- time: '2026-11-18T15:40:00Z'
  text: Scans ordered.
- time: 2026-11-19T11:05:00Z
  text: Order published.
sources:
- name: Commissioner's office
  kind: Official statement
  url: https://transport.example/notice
- name: The Harbor Ledger
  outlet: harbor
  kind: Outlet report
- name: Morning Echo
  kind: Outlet report
  copy_of: The Harbor Ledger
signal: Corroborated
related: [halvorsen-bridge-closed]
---

Body.
"""


def reader_site(root: Path) -> Project:
    """Two related bridge stories, and a full dispatch tied to the first, built.

    The bridge closure (three outlets) and, five days later, its repair
    contract share the event's words, so each lists the other as related;
    the dispatch names the closure story in its ``related:``.
    """
    project = Project(root)
    bridge_outlets(project)
    project.add_outlet(
        "follow-up",
        [
            Item(
                CONTRACT,
                "https://follow-up.example/contract",
                T0 + timedelta(days=5),
                "Port Calloway awards the $310 million Halvorsen Bridge girder repair.",
            )
        ],
        lean="Center",
    )
    project.ingest(now=T0 + timedelta(days=6))
    closure = story_slug(project, "cracked")
    project.add_dispatch(dispatch_text(SCANS, **FULL, related=[closure]), SCANS)
    project.build()
    return project


def story_slug(project: Project, word: str) -> str:
    """The slug of the one story whose file name holds ``word``."""
    (slug,) = (p.stem for p in project.story_files() if word in p.stem)
    return slug
