from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from newsdigest.errors import InputError
from newsdigest.opml import NOT_YET_RATED, import_opml, outlets_from_opml
from newsdigest.records import Outlet
from newsdigest.registry import load_registry

OPML = """\
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="The Harbor Ledger" title="The Harbor Ledger"
               xmlUrl="https://harbor-ledger.example/rss"
               htmlUrl="https://harbor-ledger.example/"/>
      <outline text="Local">
        <outline type="rss" text="Valley Courier"
                 xmlUrl="https://valley-courier.example/feed.xml"/>
      </outline>
    </outline>
    <outline type="rss" text="Tech &amp; Tide"
             xmlUrl="http://techtide.example/atom" htmlUrl="javascript:alert(1)"/>
  </body>
</opml>
"""

REGISTRY = """\
# Sources for the harbour desk.
#   Keep this list sorted by hand, please.
outlets:
  - id: harbor-ledger   # the paper of record
    name: The Harbor Ledger
    feeds:
      - sample/feeds/harbor-ledger.xml
    lean: Lean Left  # from the 2024 survey

  # Our own dispatches.
  - id: desk
    name: The Desk
    feeds:
      - https://desk.example/feed
    kind: dispatch
"""


HARBOR_LEDGER = Outlet(
    id="harbor-ledger",
    name="The Harbor Ledger",
    feeds=("sample/feeds/harbor-ledger.xml",),
    home="https://harbor-ledger.example/",
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def opml(*outlines: str) -> str:
    body = "\n".join(outlines)
    return (
        f'<?xml version="1.0"?>\n<opml version="2.0"><body>\n{body}\n</body></opml>\n'
    )


def test_outlines_in_nested_folders_become_entries_in_order(tmp_path):
    path = write(tmp_path / "feeds.opml", OPML)

    entries = outlets_from_opml(path)

    assert entries == [
        {
            "id": "the-harbor-ledger",
            "name": "The Harbor Ledger",
            "home": "https://harbor-ledger.example/",
            "feeds": ["https://harbor-ledger.example/rss"],
            "lean": "Unrated",
            "lean_source": NOT_YET_RATED,
            "ownership": "Unknown",
            "ownership_source": NOT_YET_RATED,
        },
        {
            "id": "valley-courier",
            "name": "Valley Courier",
            "feeds": ["https://valley-courier.example/feed.xml"],
            "lean": "Unrated",
            "lean_source": NOT_YET_RATED,
            "ownership": "Unknown",
            "ownership_source": NOT_YET_RATED,
        },
        {
            "id": "tech-tide",
            "name": "Tech & Tide",
            "feeds": ["http://techtide.example/atom"],
            "lean": "Unrated",
            "lean_source": NOT_YET_RATED,
            "ownership": "Unknown",
            "ownership_source": NOT_YET_RATED,
        },
    ]
    assert NOT_YET_RATED == "Imported from OPML; not yet rated"


def test_entry_fields_follow_the_registry_field_order(tmp_path):
    path = write(tmp_path / "feeds.opml", OPML)

    entry = outlets_from_opml(path)[0]

    assert list(entry) == [
        "id",
        "name",
        "home",
        "feeds",
        "lean",
        "lean_source",
        "ownership",
        "ownership_source",
    ]


def test_name_comes_from_title_then_text_then_host(tmp_path):
    path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline title="From Title" text="ignored" xmlUrl="https://a.example/"/>',
            '<outline text="  From\n  Text " xmlUrl="https://b.example/"/>',
            '<outline xmlUrl="https://c.example/rss" htmlUrl="https://www.c-home.example/"/>',
            '<outline title="" xmlUrl="https://www.d.example/rss"/>',
        ),
    )

    names = [entry["name"] for entry in outlets_from_opml(path)]

    assert names == ["From Title", "From Text", "c-home.example", "d.example"]


def test_feeds_that_are_not_http_are_skipped_with_a_warning(tmp_path, caplog):
    path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline text="Feed scheme" xmlUrl="feed://a.example/rss"/>',
            '<outline text="Local file" xmlUrl="file:///tmp/feed.xml"/>',
            '<outline text="Relative" xmlUrl="feeds/b.xml"/>',
            '<outline text="Kept" xmlUrl="https://c.example/rss"/>',
            '<outline text="A folder, no feed"/>',
        ),
    )

    with caplog.at_level(logging.WARNING, logger="newsdigest.opml"):
        entries = outlets_from_opml(path)

    assert [entry["name"] for entry in entries] == ["Kept"]
    warned = [record.getMessage() for record in caplog.records]
    assert len(warned) == 3
    assert "'Feed scheme'" in warned[0]
    assert "not an http or https URL" in warned[0]


def test_home_that_is_not_http_is_left_out(tmp_path):
    path = write(tmp_path / "feeds.opml", OPML)

    tech = outlets_from_opml(path)[2]

    assert "home" not in tech


def test_feed_listed_twice_in_the_opml_is_taken_once(tmp_path):
    path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline text="First" xmlUrl="https://a.example/rss"/>',
            '<outline text="Again"><outline text="Second" xmlUrl="HTTPS://A.example/rss"/></outline>',
        ),
    )

    assert [entry["name"] for entry in outlets_from_opml(path)] == ["First"]


def test_feeds_of_one_new_home_page_are_one_outlet(tmp_path):
    """A feed reader lists a paper's sections apart; the paper is one outlet."""
    path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline text="Dunmore Post: World" htmlUrl="https://dunmore.example/"'
            ' xmlUrl="https://dunmore.example/world.rss"/>',
            '<outline text="Other" htmlUrl="https://other.example/"'
            ' xmlUrl="https://other.example/rss"/>',
            '<outline text="Dunmore Post: Business" htmlUrl="http://www.dunmore.example"'
            ' xmlUrl="https://dunmore.example/business.rss"/>',
        ),
    )

    entries = outlets_from_opml(path)

    assert [(e["id"], e["feeds"]) for e in entries] == [
        (
            "dunmore-post-world",
            [
                "https://dunmore.example/world.rss",
                "https://dunmore.example/business.rss",
            ],
        ),
        ("other", ["https://other.example/rss"]),
    ]


def test_colliding_ids_get_numbered_suffixes(tmp_path):
    path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline text="Harbor Ledger" xmlUrl="https://a.example/rss"/>',
            '<outline text="Harbor  Ledger!" xmlUrl="https://b.example/rss"/>',
            '<outline text="harbor ledger" xmlUrl="https://c.example/rss"/>',
            '<outline text="???" xmlUrl="https://d.example/rss"/>',
            '<outline text="!!!" xmlUrl="https://e.example/rss"/>',
        ),
    )

    ids = [entry["id"] for entry in outlets_from_opml(path, taken_ids={"outlet"})]

    assert ids == [
        "harbor-ledger",
        "harbor-ledger-2",
        "harbor-ledger-3",
        "outlet-2",
        "outlet-3",
    ]


def test_malformed_opml_names_the_line(tmp_path):
    path = write(
        tmp_path / "feeds.opml",
        '<?xml version="1.0"?>\n<opml>\n<body>\n<outline text="a" xmlUrl="x">\n'
        "</body>\n</opml>\n",
    )

    with pytest.raises(InputError) as caught:
        outlets_from_opml(path)

    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (path, 5, "xml")
    assert "mismatched tag" in problem.message


def test_entity_expansion_bomb_is_refused(tmp_path):
    entities = "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    path = write(
        tmp_path / "bomb.opml",
        f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">{entities}]>\n'
        '<opml><body><outline text="&j;" xmlUrl="https://a.example/"/></body></opml>',
    )

    with pytest.raises(InputError) as caught:
        outlets_from_opml(path)

    assert caught.value.problems[0].field == "xml"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_any_entity_declaration_is_refused_naming_the_file(tmp_path, encoding):
    """Expat stops only a 100-fold blow-up: one 5 MB entity used 95 times
    took minutes and gigabytes, even with --dry-run."""
    path = tmp_path / "hostile.opml"
    path.write_text(
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<!DOCTYPE opml [<!ENTITY big "Harbor">]>\n'
        '<opml><body><outline text="&big;" xmlUrl="https://a.example/"/></body></opml>',
        encoding=encoding,
    )

    with pytest.raises(InputError) as caught:
        import_opml(path, tmp_path / "sources.yaml", dry_run=True)

    assert str(caught.value) == (
        f"{path}: xml: refused: the file declares XML entities (<!ENTITY>), "
        "which can expand to gigabytes"
    )


def test_document_that_is_not_opml_is_refused(tmp_path):
    path = write(tmp_path / "feed.xml", "<rss><channel/></rss>")

    with pytest.raises(InputError) as caught:
        outlets_from_opml(path)

    assert "not an OPML file" in caught.value.problems[0].message


def test_missing_opml_file_is_a_problem_on_line_zero(tmp_path):
    path = tmp_path / "missing.opml"

    with pytest.raises(InputError) as caught:
        outlets_from_opml(path)

    assert [(p.line, p.field) for p in caught.value.problems] == [(0, "file")]


def test_import_appends_and_keeps_existing_text_byte_for_byte(tmp_path):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    opml_path = write(tmp_path / "reader-export.opml", OPML)

    added = import_opml(opml_path, registry_path)

    assert added == ["valley-courier", "tech-tide"]
    result = registry_path.read_text(encoding="utf-8")
    assert result.startswith(REGISTRY)
    appended = result[len(REGISTRY) :]
    assert appended.startswith(
        "\n  # Imported from reader-export.opml; lean and ownership not yet rated.\n"
        "  - id: valley-courier\n"
        "    name: Valley Courier\n"
        "    feeds:\n"
        "      - https://valley-courier.example/feed.xml\n"
        "    lean: Unrated\n"
    )


def test_imported_registry_reloads_with_new_outlets_unrated(tmp_path):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    import_opml(opml_path, registry_path)
    registry = load_registry(registry_path)

    assert list(registry.outlets) == [
        "harbor-ledger",
        "desk",
        "valley-courier",
        "tech-tide",
    ]
    imported = registry.outlets["tech-tide"]
    assert imported.name == "Tech & Tide"
    assert imported.feeds == ("http://techtide.example/atom",)
    assert (imported.lean, imported.ownership) == ("Unrated", "Unknown")
    assert imported.lean_source == NOT_YET_RATED
    assert imported.ownership_source == NOT_YET_RATED
    assert imported.kind == "news"


def test_import_skips_feeds_already_in_the_registry(tmp_path, caplog):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    opml_path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline text="Desk Feed" xmlUrl="https://DESK.example/feed"/>',
            '<outline text="New One" xmlUrl="https://new.example/feed"/>',
        ),
    )

    with caplog.at_level(logging.WARNING, logger="newsdigest.opml"):
        assert import_opml(opml_path, registry_path) == ["new-one"]

    [warned] = [record.getMessage() for record in caplog.records]
    assert warned.startswith("Skipping 'Desk Feed' from ")
    assert "is already desk's in the registry" in warned


@pytest.mark.parametrize(
    ("known_home", "home"),
    [
        ("https://harbor-ledger.example/", "https://harbor-ledger.example/"),
        ("https://harbor-ledger.example/", "http://harbor-ledger.example"),
        ("https://harbor-ledger.example/", "HTTPS://WWW.Harbor-Ledger.example/"),
        (
            "https://www.harbor-ledger.example/news",
            "https://harbor-ledger.example/NEWS/",
        ),
    ],
)
def test_outline_with_a_known_home_page_is_skipped(tmp_path, caplog, known_home, home):
    path = write(
        tmp_path / "feeds.opml",
        opml(
            f'<outline text="Ledger Headlines" xmlUrl="https://feeds.example/ledger" '
            f'htmlUrl="{home}"/>'
        ),
    )
    known = replace(HARBOR_LEDGER, home=known_home)

    with caplog.at_level(logging.WARNING, logger="newsdigest.opml"):
        entries = outlets_from_opml(path, known_outlets=[known])

    assert entries == []
    warned = caplog.records[0].getMessage()
    assert warned.startswith("Skipping 'Ledger Headlines' from ")
    assert "already has it as harbor-ledger (same home page)" in warned
    assert "https://feeds.example/ledger was not added" in warned


@pytest.mark.parametrize(
    "home",
    [
        "https://harbor-ledger.example/sport/",
        "https://harbor-ledger.example.org/",
        "https://news.harbor-ledger.example/",
    ],
)
def test_outline_with_another_home_page_is_added(tmp_path, home):
    path = write(
        tmp_path / "feeds.opml",
        opml(
            f'<outline text="Ledger Headlines" xmlUrl="https://feeds.example/ledger" '
            f'htmlUrl="{home}"/>'
        ),
    )

    entries = outlets_from_opml(path, known_outlets=[HARBOR_LEDGER])

    assert [entry["home"] for entry in entries] == [home]


@pytest.mark.parametrize(
    "outline",
    [
        '<outline title="the harbor   LEDGER" xmlUrl="https://feeds.example/ledger"/>',
        '<outline text=" The Harbor\n Ledger " xmlUrl="https://feeds.example/ledger"/>',
    ],
)
def test_outline_with_a_known_name_is_skipped(tmp_path, caplog, outline):
    path = write(tmp_path / "feeds.opml", opml(outline))

    with caplog.at_level(logging.WARNING, logger="newsdigest.opml"):
        entries = outlets_from_opml(path, known_outlets=[HARBOR_LEDGER])

    assert entries == []
    warned = caplog.records[0].getMessage()
    assert "already has it as harbor-ledger (same name)" in warned


def test_import_does_not_duplicate_an_outlet_the_registry_has(tmp_path, caplog):
    original = REGISTRY.replace(
        "    name: The Harbor Ledger\n",
        "    name: The Harbor Ledger\n    home: https://harbor-ledger.example/\n",
    )
    registry_path = write(tmp_path / "sources.yaml", original)
    opml_path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline type="rss" text="The Harbor Ledger" title="The Harbor Ledger" '
            'xmlUrl="https://harbor-ledger.example/rss" '
            'htmlUrl="https://harbor-ledger.example/"/>'
        ),
    )

    with caplog.at_level(logging.WARNING, logger="newsdigest.opml"):
        added = import_opml(opml_path, registry_path)

    assert added == []
    assert registry_path.read_text(encoding="utf-8") == original
    assert "already has it as harbor-ledger" in caplog.records[0].getMessage()


def test_import_avoids_ids_already_in_the_registry(tmp_path):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    opml_path = write(
        tmp_path / "feeds.opml",
        opml(
            '<outline text="Harbor Ledger" xmlUrl="https://other-ledger.example/rss"/>',
            '<outline text="Desk" xmlUrl="https://other-desk.example/rss"/>',
        ),
    )

    assert import_opml(opml_path, registry_path) == ["harbor-ledger-2", "desk-2"]
    assert len(load_registry(registry_path).outlets) == 4


def test_second_import_of_the_same_file_adds_nothing(tmp_path):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    opml_path = write(tmp_path / "feeds.opml", OPML)
    import_opml(opml_path, registry_path)
    before = registry_path.read_bytes()

    assert import_opml(opml_path, registry_path) == []
    assert registry_path.read_bytes() == before


def test_dry_run_returns_ids_without_writing(tmp_path):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    added = import_opml(opml_path, registry_path, dry_run=True)

    assert added == ["valley-courier", "tech-tide"]
    assert registry_path.read_text(encoding="utf-8") == REGISTRY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.opml", "sources.yaml"]


def test_import_creates_a_missing_registry(tmp_path):
    registry_path = tmp_path / "sources.yaml"
    opml_path = write(tmp_path / "feeds.opml", OPML)

    added = import_opml(opml_path, registry_path)

    text = registry_path.read_text(encoding="utf-8")
    assert text.startswith("outlets:\n\n  # Imported from feeds.opml;")
    assert list(load_registry(registry_path).outlets) == added
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.opml", "sources.yaml"]


def test_import_keeps_windows_line_endings_and_a_missing_final_newline(tmp_path):
    original = (
        b"# sources\r\noutlets:\r\n- id: desk\r\n  name: Desk\r\n  feeds: [x.xml]"
    )
    registry_path = tmp_path / "sources.yaml"
    registry_path.write_bytes(original)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    import_opml(opml_path, registry_path)

    data = registry_path.read_bytes()
    assert data.startswith(original + b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r\n- id: valley-courier\r\n" in data
    assert len(load_registry(registry_path).outlets) == 4


def test_import_keeps_the_registry_file_mode(tmp_path):
    registry_path = write(tmp_path / "sources.yaml", REGISTRY)
    registry_path.chmod(0o640)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    import_opml(opml_path, registry_path)

    assert registry_path.stat().st_mode & 0o777 == 0o640


def test_invalid_registry_is_reported_and_left_untouched(tmp_path):
    broken = REGISTRY.replace("lean: Lean Left", "lean: Leaning Left")
    registry_path = write(tmp_path / "sources.yaml", broken)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    with pytest.raises(InputError) as caught:
        import_opml(opml_path, registry_path)

    assert [(p.line, p.field) for p in caught.value.problems] == [
        (8, "harbor-ledger.lean")
    ]
    assert registry_path.read_text(encoding="utf-8") == broken


def test_registry_that_cannot_take_appended_entries_is_left_untouched(tmp_path):
    original = "outlets: []  # none yet\n"
    registry_path = write(tmp_path / "sources.yaml", original)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    with pytest.raises(InputError) as caught:
        import_opml(opml_path, registry_path)

    assert caught.value.problems[0].field == "outlets"
    assert registry_path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.opml", "sources.yaml"]


def test_import_that_would_not_reload_leaves_the_registry_untouched(tmp_path):
    original = "outlets:\n  - id: desk\n    name: Desk\n    feeds: [x.xml]\n...\n"
    registry_path = write(tmp_path / "sources.yaml", original)
    opml_path = write(tmp_path / "feeds.opml", OPML)

    with pytest.raises(InputError) as caught:
        import_opml(opml_path, registry_path)

    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (0, "file")
    assert "not changed" in problem.message
    assert registry_path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.opml", "sources.yaml"]
