"""Slugs that are safe file and URL names; times that are always aware UTC."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsdigest.slugs import MAX_LENGTH, make_slug, unique_slug
from newsdigest.times import format_time, parse_time, utc_now

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# --- make_slug -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Storm hits the coast", "storm-hits-the-coast"),
        ("Héllo Wörld — Ünïcode!", "hello-world-unicode"),
        ("Привет мир", "privet-mir"),
        ("Ça coûte 5 €", "ca-coute-5-eur"),
        ("北京 news", "bei-jing-news"),
        ("  Many   spaces\tand\nlines  ", "many-spaces-and-lines"),
    ],
)
def test_slug_is_lowercase_ascii_words_joined_by_hyphens(text, slug):
    assert make_slug(text) == slug


@pytest.mark.parametrize("text", ["", "   ", "!!!", "...", "—", "🙂🙂", "..", "/"])
def test_empty_or_punctuation_only_text_still_gets_a_slug(text):
    assert make_slug(text) == "story"


def test_very_long_text_is_cut_to_80_on_a_word_boundary():
    slug = make_slug("word " * 100)
    assert len(slug) <= MAX_LENGTH == 80
    assert SAFE_SLUG.match(slug)
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"word"}


def test_very_long_single_word_is_cut_to_80():
    slug = make_slug("x" * 500)
    assert slug == "x" * 80


@pytest.mark.parametrize(
    "text",
    [
        "../../etc/passwd",
        "..\\..\\windows\\system32",
        "/absolute/path",
        "a/../b",
        "~/.ssh/id_rsa",
        ".hidden",
        "name\x00with nul",
    ],
)
def test_path_tricks_give_a_plain_name(text):
    slug = make_slug(text)
    assert SAFE_SLUG.match(slug)
    assert "/" not in slug
    assert "\\" not in slug
    assert ".." not in slug
    assert not slug.startswith(".")


def test_path_traversal_keeps_its_words():
    assert make_slug("../../etc/passwd") == "etc-passwd"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("CON", "con-story"),
        ("nul", "nul-story"),
        ("Prn", "prn-story"),
        ("AUX", "aux-story"),
        ("com1", "com1-story"),
        ("LPT9", "lpt9-story"),
        ("NUL!", "nul-story"),
    ],
)
def test_windows_reserved_names_are_never_a_slug(text, slug):
    assert make_slug(text) == slug


@pytest.mark.parametrize("text", ["Con artist jailed", "con.txt", "Console wars"])
def test_reserved_word_inside_a_longer_slug_is_fine(text):
    assert not make_slug(text).endswith("-story")


@pytest.mark.parametrize(
    "text",
    ["Storm hits coast", "Ünïcode ✓", "", "CON", "../../x", "a" * 300, "word " * 50],
)
def test_every_slug_is_safe(text):
    slug = make_slug(text)
    assert SAFE_SLUG.match(slug)
    assert 0 < len(slug) <= MAX_LENGTH


# --- unique_slug -----------------------------------------------------------


def test_unique_slug_is_the_plain_slug_when_free():
    assert unique_slug("Storm hits coast", set()) == "storm-hits-coast"
    assert unique_slug("Storm hits coast", {"other"}) == "storm-hits-coast"


def test_unique_slug_adds_2_then_3():
    taken = {"storm"}
    assert unique_slug("Storm", taken) == "storm-2"
    taken.add("storm-2")
    assert unique_slug("Storm", taken) == "storm-3"


def test_unique_slug_skips_gaps_in_order():
    assert unique_slug("Storm", {"storm", "storm-2", "storm-3", "storm-5"}) == (
        "storm-4"
    )


def test_unique_slug_for_empty_text():
    assert unique_slug("!!!", {"story"}) == "story-2"


def test_unique_slug_does_not_change_the_taken_set():
    taken = {"storm"}
    unique_slug("Storm", taken)
    assert taken == {"storm"}


# --- parse_time ------------------------------------------------------------


def test_aware_datetime_is_converted_to_utc():
    paris = timezone(timedelta(hours=1))
    parsed = parse_time(datetime(2026, 3, 3, 11, 0, tzinfo=paris))
    assert parsed == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    assert parsed.tzinfo is UTC


def test_naive_datetime_is_taken_as_utc():
    parsed = parse_time(datetime(2026, 3, 3, 10, 0))  # noqa: DTZ001
    assert parsed == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    assert parsed.tzinfo is UTC


def test_date_is_midnight_utc():
    assert parse_time(date(2026, 3, 3)) == datetime(2026, 3, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-03T10:00:00Z", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("2026-03-03T12:00:00+02:00", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("2026-03-03T10:00:00", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("2026-03-03", datetime(2026, 3, 3, tzinfo=UTC)),
        ("  2026-03-03T10:00:00Z\n", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("Tue, 03 Mar 2026 10:00:00 GMT", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("Tue, 03 Mar 2026 11:00:00 +0100", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("3 Mar 2026 05:00:00 -0500", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        # ISO 8601 forms Python's own parser leaves to dateutil's.
        ("2026-062", datetime(2026, 3, 3, tzinfo=UTC)),
        ("2026-03-02T24:00:00Z", datetime(2026, 3, 3, tzinfo=UTC)),
        ("2026-03-03t10:00:00z", datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("2026-03", datetime(2026, 3, 1, tzinfo=UTC)),
    ],
)
def test_strings_are_parsed_to_utc(text, expected):
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_struct_time_from_feedparser_is_utc():
    stamp = time.struct_time((2026, 3, 3, 10, 0, 0, 1, 62, 0))
    assert parse_time(stamp) == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "junk",
    [
        "junk",
        "",
        "   ",
        "2026-13-45",
        "Tue, 99 Foo 2026",
        None,
        12345,
        1.5,
        True,
        [],
        {"date": "2026-03-03"},
    ],
)
def test_junk_is_rejected_with_value_error(junk):
    with pytest.raises(ValueError, match="not a date and time"):
        parse_time(junk)


@pytest.mark.parametrize("partial", ["10", "March", "Monday", "5 pm"])
def test_partial_date_is_rejected_not_completed_from_today(partial):
    with pytest.raises(ValueError, match="not a date and time"):
        parse_time(partial)


@pytest.mark.filterwarnings("ignore::dateutil.parser.UnknownTimezoneWarning")
@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("Tue, 03 Mar 2026 10:00:00 EST", 15),
        ("Tue, 03 Mar 2026 10:00:00 PDT", 17),
        ("Tue, 03 Mar 2026 10:00:00 CDT", 15),
    ],
)
def test_rfc_822_zone_names_are_honoured(text, hour):
    assert parse_time(text) == datetime(2026, 3, 3, hour, 0, tzinfo=UTC)


# --- format_time and utc_now -----------------------------------------------


def test_format_time_writes_utc_with_z_to_the_second():
    new_york = timezone(timedelta(hours=-5))
    moment = datetime(2026, 3, 3, 5, 0, 7, 999_999, tzinfo=new_york)
    assert format_time(moment) == "2026-03-03T10:00:07Z"


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-03T10:00:00Z",
        "1999-12-31T23:59:59Z",
        "2026-02-28T00:00:01Z",
        "0004-01-01T00:00:00Z",  # strftime("%Y") wrote 4-01-01, which no parser reads
    ],
)
def test_format_time_round_trips_strings(text):
    assert format_time(parse_time(text)) == text


def test_format_time_round_trips_datetimes():
    moment = datetime(2026, 3, 3, 10, 11, 12, tzinfo=UTC)
    assert parse_time(format_time(moment)) == moment
    tokyo = datetime(2026, 3, 3, 19, 11, 12, tzinfo=timezone(timedelta(hours=9)))
    assert parse_time(format_time(tokyo)) == moment


def test_utc_now_is_aware_and_whole_seconds():
    now = utc_now()
    assert now.tzinfo is UTC
    assert now.microsecond == 0
    assert abs(datetime.now(UTC) - now) < timedelta(seconds=5)
