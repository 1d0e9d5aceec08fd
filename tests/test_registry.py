from __future__ import annotations

from pathlib import Path

import pytest

from newsdigest.errors import InputError
from newsdigest.records import Outlet
from newsdigest.registry import (
    Registry,
    append_entries,
    feed_key,
    load_registry,
    parse_registry,
)

VALID = """\
# The outlets this desk reads.
outlets:
  - id: harbor-ledger
    name: The Harbor Ledger
    home: https://harbor-ledger.example/
    feeds:
      - sample/feeds/harbor-ledger.xml
      - https://harbor-ledger.example/rss
    country: us
    language: EN
    lean: Lean Left
    lean_source: "Reader survey, 2024"
    ownership: Corporate
    ownership_source: Annual report
    owner_group: Tidewater Media
    category: Technology
    kind: news

  - id: nordic-post
    name: Nordic Post
    feeds:
      - https://nordic-post.example/feed
    country: "NO"
    language: "no"
"""


def write(tmp_path: Path, text: str, name: str = "sources.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[int, str, str]]:
    with pytest.raises(InputError) as caught:
        load_registry(path)
    for problem in caught.value.problems:
        assert problem.file == path
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def only_problem(path: Path) -> tuple[int, str, str]:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


def one_outlet(fields: str) -> str:
    """Return a registry whose only outlet has ``fields`` after id and name."""
    return (
        "outlets:\n"
        "  - id: harbor-ledger\n"
        "    name: The Harbor Ledger\n"
        "    feeds:\n"
        "      - https://harbor-ledger.example/rss\n" + fields
    )


def test_valid_registry_loads_with_normalised_values(tmp_path):
    path = write(tmp_path, VALID)

    registry = load_registry(path)

    assert isinstance(registry, Registry)
    assert registry.path == path
    assert list(registry.outlets) == ["harbor-ledger", "nordic-post"]
    assert registry.outlets["harbor-ledger"] == Outlet(
        id="harbor-ledger",
        name="The Harbor Ledger",
        feeds=(
            "sample/feeds/harbor-ledger.xml",
            "https://harbor-ledger.example/rss",
        ),
        home="https://harbor-ledger.example/",
        country="US",
        language="en",
        lean="Lean Left",
        ownership="Corporate",
        owner_group="Tidewater Media",
        lean_source="Reader survey, 2024",
        ownership_source="Annual report",
        category="Technology",
        kind="news",
        line=3,
    )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("zh-Hant", "zh-Hant"),
        ("zh-tw", "zh-TW"),
        ("pt_BR", "pt-BR"),
        ("en-US", "en-US"),
        ("fil", "fil"),
        ("es-419", "es-419"),
        ("sr-Latn-RS", "sr-Latn-RS"),
        ("eng", "en"),  # written in two letters where ISO 639-1 has them
        ("iw", "he"),  # withdrawn from ISO 639-1 in 1989
    ],
)
def test_language_is_a_bcp47_tag_in_its_usual_case(tmp_path, given, kept):
    path = write(tmp_path, one_outlet(f"    language: {given}\n"))
    assert load_registry(path).outlets["harbor-ledger"].language == kept


def test_optional_fields_take_their_defaults(tmp_path):
    registry = load_registry(write(tmp_path, VALID))

    nordic = registry.outlets["nordic-post"]
    assert nordic.feeds == ("https://nordic-post.example/feed",)
    assert isinstance(nordic.feeds, tuple)
    assert nordic.country == "NO"
    assert nordic.language == "no"
    assert nordic.lean == "Unrated"
    assert nordic.ownership == "Unknown"
    assert nordic.kind == "news"
    assert nordic.home is None
    assert nordic.lean_source is None
    assert nordic.owner_group is None
    assert nordic.category is None
    assert nordic.line == 19


def test_empty_optional_values_count_as_absent(tmp_path):
    path = write(tmp_path, one_outlet("    lean:\n    category: ''\n    home: ~\n"))

    outlet = load_registry(path).outlets["harbor-ledger"]

    assert outlet.lean == "Unrated"
    assert outlet.category is None
    assert outlet.home is None


def test_feed_base_is_the_registry_folder(tmp_path):
    registry = load_registry(write(tmp_path, VALID))

    assert registry.feed_base() == tmp_path


def test_parse_registry_checks_text_without_reading_a_file(tmp_path):
    path = tmp_path / "not-written.yaml"

    registry = parse_registry(VALID, path)

    assert registry.path == path
    assert len(registry.outlets) == 2
    with pytest.raises(InputError) as caught:
        parse_registry("outlets:\n  - id: x\n", path)
    assert all(problem.file == path for problem in caught.value.problems)


def test_dispatch_kind_is_accepted(tmp_path):
    path = write(tmp_path, one_outlet("    kind: dispatch\n"))

    assert load_registry(path).outlets["harbor-ledger"].kind == "dispatch"


def test_empty_outlets_list_is_an_empty_registry(tmp_path):
    assert load_registry(write(tmp_path, "outlets:\n")).outlets == {}


def test_missing_file_is_one_problem_on_line_zero(tmp_path):
    path = tmp_path / "missing.yaml"

    assert only_problem(path) == (0, "file", "no such file")


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_bytes(b"outlets:\n  - id: caf\xe9\n")

    line, field, message = only_problem(path)

    assert (line, field) == (2, "file")
    assert "UTF-8" in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_is_one_problem(tmp_path, text):
    line, field, message = only_problem(write(tmp_path, text))

    assert (line, field) == (1, "outlets")
    assert "empty" in message


def test_file_without_outlets_key_is_one_problem(tmp_path):
    path = write(tmp_path, "# sources\nsources:\n  - id: x\n")

    found = problems(path)

    assert (2, "outlets", "no `outlets:` list in the file") in found
    assert (2, "sources", 'unknown field "sources"') in found


def test_outlets_that_is_not_a_list_is_a_problem(tmp_path):
    line, field, message = only_problem(write(tmp_path, "outlets: harbor-ledger\n"))

    assert (line, field) == (1, "outlets")
    assert "list of outlets" in message


def test_yaml_syntax_error_names_its_line(tmp_path):
    path = write(
        tmp_path,
        "outlets:\n"
        "  - id: harbor-ledger\n"
        "    name: The Harbor Ledger\n"
        "    feeds: [https://harbor-ledger.example/rss\n"
        "    lean: Center\n",
    )

    line, field, _message = only_problem(path)

    assert (line, field) == (5, "yaml")


def test_tab_indentation_error_suggests_spaces(tmp_path):
    path = write(tmp_path, "outlets:\n  - id: a\n\tname: A\n")

    line, field, message = only_problem(path)

    assert (line, field) == (3, "yaml")
    assert "spaces, not tabs" in message


def test_duplicate_id_is_reported_at_the_second_occurrence(tmp_path):
    path = write(
        tmp_path,
        "outlets:\n"
        "  - id: harbor-ledger\n"
        "    name: The Harbor Ledger\n"
        "    feeds: [https://a.example/rss]\n"
        "  - id: harbor-ledger\n"
        "    name: Another Ledger\n"
        "    feeds: [https://b.example/rss]\n",
    )

    assert only_problem(path) == (
        5,
        "harbor-ledger.id",
        "used twice (first on line 2)",
    )


def test_unquoted_no_country_asks_for_quotes(tmp_path):
    path = write(tmp_path, one_outlet("    country: NO\n"))

    line, field, message = only_problem(path)

    assert (line, field) == (6, "harbor-ledger.country")
    assert 'write "NO" in quotes' in message


def test_unquoted_no_language_asks_for_quotes(tmp_path):
    path = write(tmp_path, one_outlet("    language: no\n"))

    line, field, message = only_problem(path)

    assert (line, field) == (6, "harbor-ledger.language")
    assert 'write "no" in quotes' in message


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    path = write(tmp_path, one_outlet("    leen: Center\n"))

    assert only_problem(path) == (
        6,
        "harbor-ledger.leen",
        'unknown field "leen"; did you mean "lean"?',
    )


def test_lean_typo_suggests_the_nearest_lean(tmp_path):
    path = write(tmp_path, one_outlet("    lean: Lean Lfet\n"))

    line, field, message = only_problem(path)

    assert (line, field) == (6, "harbor-ledger.lean")
    assert message.endswith('did you mean "Lean Left"?')
    assert "Far Left" in message


def test_ownership_with_wrong_case_suggests_the_right_spelling(tmp_path):
    path = write(tmp_path, one_outlet("    ownership: non-profit\n"))

    line, field, message = only_problem(path)

    assert (line, field) == (6, "harbor-ledger.ownership")
    assert message.endswith('did you mean "Non-profit"?')


@pytest.mark.parametrize(
    ("fields", "line", "field", "fragment"),
    [
        ("    home: harbor-ledger.example\n", 6, "home", "not an http or https URL"),
        ("    home: ftp://harbor-ledger.example/\n", 6, "home", "http or https"),
        ("    country: XX\n", 6, "country", "ISO 3166-1"),
        ("    country: Norway\n", 6, "country", 'did you mean "NO" (Norway)?'),
        ("    country: UK\n", 6, "country", 'the United Kingdom is "GB"'),
        ("    language: english\n", 6, "language", 'did you mean "en"'),
        ("    language: en-UK\n", 6, "language", 'did you mean "en"'),
        ("    language: Filipino\n", 6, "language", 'did you mean "fil"'),
        ("    language: zz\n", 6, "language", "not a BCP 47 language tag"),
        ("    language: zh-Hant-XX\n", 6, "language", "not a BCP 47 language tag"),
        ("    language: und\n", 6, "language", "not a BCP 47 language tag"),
        ("    kind: opinion\n", 6, "kind", "news, dispatch"),
        ("    category: 42\n", 6, "category", 'read as a number, not text; write "42"'),
        ("    owner_group: [a, b]\n", 6, "owner_group", "expected text, got a list"),
        ("    lean_source: 2024-01-01\n", 6, "lean_source", "read as a date"),
        ("    lean: true\n", 6, "lean", "read as a yes/no value"),
    ],
)
def test_bad_field_names_file_line_and_field(tmp_path, fields, line, field, fragment):
    path = write(tmp_path, one_outlet(fields))

    found = only_problem(path)

    assert found[:2] == (line, f"harbor-ledger.{field}")
    assert fragment in found[2]


@pytest.mark.parametrize(
    ("feeds", "line", "field", "fragment"),
    [
        ("    feeds: https://a.example/rss\n", 4, "feeds", "expected a list"),
        ("    feeds: []\n", 4, "feeds", "at least one feed"),
        ("    feeds:\n", 4, "feeds", "at least one feed"),
        ("    feeds:\n      - ftp://a.example/rss\n", 5, "feeds[0]", "neither"),
        ("    feeds:\n      - /srv/feeds/a.xml\n", 5, "feeds[0]", "relative"),
        ("    feeds:\n      - a.xml\n      - 7\n", 6, "feeds[1]", "read as a number"),
        ("    feeds:\n      - ''\n", 5, "feeds[0]", "is empty"),
    ],
)
def test_bad_feeds_name_the_line_of_the_feed(tmp_path, feeds, line, field, fragment):
    path = write(
        tmp_path,
        f"outlets:\n  - id: harbor-ledger\n    name: The Harbor Ledger\n{feeds}",
    )

    found = only_problem(path)

    assert found[:2] == (line, f"harbor-ledger.{field}")
    assert fragment in found[2]


def test_missing_required_fields_are_reported_at_the_entry(tmp_path):
    path = write(tmp_path, "outlets:\n  - home: https://a.example/\n    lean: Left\n")

    assert problems(path) == [
        (2, "outlets[0].id", "missing; every outlet needs one"),
        (2, "outlets[0].name", "missing; every outlet needs one"),
        (2, "outlets[0].feeds", "missing; every outlet needs one"),
    ]


def test_invalid_id_is_reported_and_fields_use_the_position(tmp_path):
    path = write(
        tmp_path,
        "outlets:\n"
        "  - id: Harbor_Ledger\n"
        "    name: The Harbor Ledger\n"
        "    feeds: [https://a.example/rss]\n"
        "    lean: Middle\n",
    )

    found = problems(path)

    assert [(line, field) for line, field, _ in found] == [
        (2, "outlets[0].id"),
        (5, "outlets[0].lean"),
    ]
    assert "lower-case letters, digits" in found[0][2]


def test_entry_that_is_not_a_mapping_is_a_problem(tmp_path):
    path = write(tmp_path, "outlets:\n  - harbor-ledger\n")

    line, field, message = only_problem(path)

    assert (line, field) == (2, "outlets[0]")
    assert "fields of one outlet" in message


def test_field_given_twice_is_a_problem(tmp_path):
    path = write(tmp_path, one_outlet("    lean: Left\n    lean: Right\n"))

    assert only_problem(path) == (
        7,
        "harbor-ledger.lean",
        "given twice (first on line 6)",
    )


def test_field_given_twice_is_checked_as_yaml_keeps_it_the_last(tmp_path):
    path = write(tmp_path, one_outlet("    lean: Left\n    lean: Rihgt\n"))

    misspelt, given_twice = problems(path)

    assert given_twice == (7, "harbor-ledger.lean", "given twice (first on line 6)")
    assert misspelt[:2] == (7, "harbor-ledger.lean")
    assert misspelt[2].endswith('did you mean "Right"?')


def test_field_given_twice_in_an_outlet_without_a_usable_id(tmp_path):
    path = write(
        tmp_path,
        "outlets:\n  - name: The Harbor Ledger\n    name: Harbor Ledger\n"
        "    feeds: [https://harbor-ledger.example/rss]\n",
    )

    assert problems(path) == [
        (2, "outlets[0].id", "missing; every outlet needs one"),
        (3, "outlets[0].name", "given twice (first on line 2)"),
    ]


def test_same_feed_in_two_outlets_is_a_problem(tmp_path):
    path = write(
        tmp_path,
        "outlets:\n"
        "  - id: a\n"
        "    name: A\n"
        "    feeds: [https://Feeds.Example/rss]\n"
        "  - id: b\n"
        "    name: B\n"
        "    feeds:\n"
        "      - https://feeds.example/rss\n",
    )

    assert only_problem(path) == (
        8,
        "b.feeds[0]",
        "feed already listed for a on line 4",
    )


def test_every_problem_is_reported_at_once_in_line_order(tmp_path):
    path = write(
        tmp_path,
        "outlets:\n"  # 1
        "  - id: harbor-ledger\n"  # 2
        "    name: The Harbor Ledger\n"  # 3
        "    feeds: [https://a.example/rss]\n"  # 4
        "    country: NO\n"  # 5
        "    leen: Center\n"  # 6
        "  - id: nordic\n"  # 7
        "    name: 12\n"  # 8
        "    feeds: [https://b.example/rss]\n"  # 9
        "    lean: Centre\n"  # 10
        "  - id: harbor-ledger\n"  # 11
        "    name: Again\n"  # 12
        "    feeds: [https://a.example/rss]\n",  # 13
    )

    found = problems(path)

    assert [(line, field) for line, field, _ in found] == [
        (5, "harbor-ledger.country"),
        (6, "harbor-ledger.leen"),
        (8, "nordic.name"),
        (10, "nordic.lean"),
        (11, "harbor-ledger.id"),
        (13, "harbor-ledger.feeds[0]"),
    ]
    assert 'did you mean "Center"?' in found[3][2]


def test_input_error_prints_file_line_field_and_message(tmp_path):
    path = write(tmp_path, one_outlet("    leen: Center\n"))

    with pytest.raises(InputError) as caught:
        load_registry(path)

    assert str(caught.value) == (
        f'{path}:6: harbor-ledger.leen: unknown field "leen"; did you mean "lean"?'
    )


def test_feed_key_ignores_case_of_scheme_and_host_only():
    assert feed_key("HTTPS://Example.COM/Feed") == "https://example.com/Feed"
    assert feed_key("feeds/./a.xml") == "feeds/a.xml"


def test_append_entries_keeps_the_text_and_matches_the_list_indent(tmp_path):
    path = tmp_path / "sources.yaml"
    text = "outlets:\n- id: a  # first\n  name: A\n  feeds: [https://a.example/]"
    entry = {"id": "b", "name": "NO", "feeds": ["https://b.example/rss"]}

    result = append_entries(text, path, [entry], comment="Added by hand")

    assert result.startswith(text + "\n")
    assert result[len(text) + 1 :] == (
        "\n# Added by hand\n- id: b\n  name: 'NO'\n  feeds:\n    - https://b.example/rss\n"
    )
    assert list(parse_registry(result, path).outlets) == ["a", "b"]
    assert parse_registry(result, path).outlets["b"].name == "NO"


def test_append_entries_starts_outlets_in_an_empty_file(tmp_path):
    path = tmp_path / "sources.yaml"
    entry = {"id": "b", "name": "B", "feeds": ["https://b.example/rss"]}

    result = append_entries("# nothing yet\n", path, [entry])

    assert result.startswith("# nothing yet\noutlets:\n")
    assert list(parse_registry(result, path).outlets) == ["b"]


def test_append_entries_refuses_a_flow_style_list(tmp_path):
    path = tmp_path / "sources.yaml"
    entry = {"id": "b", "name": "B", "feeds": ["https://b.example/rss"]}

    with pytest.raises(InputError) as caught:
        append_entries("outlets: []\n", path, [entry])

    assert caught.value.problems[0].line == 1
    assert caught.value.problems[0].field == "outlets"
