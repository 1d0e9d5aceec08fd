"""When two feed items are the same report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from newsdigest.ingest.dedupe import keys_before_routes, report_keys
from newsdigest.ingest.parse import parse_feed
from newsdigest.normalize import canonical_url, normalize_headline
from newsdigest.records import Outlet, Report

FETCHED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
OUTLET = Outlet(id="daily", name="The Daily", feeds=("https://daily.example/feed",))


def _report(**changes) -> Report:
    fields = {
        "outlet": "daily",
        "url": "https://daily.example/a",
        "headline": "Storm hits the coast",
        "published": FETCHED,
    }
    fields.update(changes)
    return Report(**fields)


# --- canonical_url ---------------------------------------------------------


@pytest.mark.parametrize(
    "parameter",
    [
        "utm_source=rss",
        "utm_medium=social",
        "UTM_Campaign=spring",
        "fbclid=IwAR0abc",
        "gclid=Cj0KCQ",
        "msclkid=1",
        "mc_cid=2",
        "ns_mchannel=rss",
        "at_medium=feed",
    ],
)
def test_tracking_parameter_is_stripped(parameter):
    assert canonical_url(f"https://daily.example/a?{parameter}") == (
        "https://daily.example/a"
    )


def test_meaningful_parameters_survive_in_their_order():
    url = "https://daily.example/story?utm_source=x&id=7&fbclid=y&page=2&gclid=z&b=1"
    assert canonical_url(url) == "https://daily.example/story?id=7&page=2&b=1"


def test_parameters_are_not_sorted():
    assert canonical_url("https://daily.example/?z=1&a=2") == (
        "https://daily.example/?z=1&a=2"
    )


@pytest.mark.parametrize("anchor", ["#comments", "#top", "#", "#/", "#!", "#!/"])
def test_an_anchor_or_empty_route_is_dropped(anchor):
    assert canonical_url(f"https://daily.example/a{anchor}") == (
        "https://daily.example/a"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://hashbang.example/#/article/101",
        "https://hashbang.example/#!/article/101",
        "https://hashbang.example/#!article/101",
        "https://hashbang.example/app?id=7#/article/101?view=full",
    ],
)
def test_a_route_fragment_is_kept(url):
    assert canonical_url(url) == url


def test_links_differing_only_by_their_route_stay_different():
    routes = {canonical_url(f"https://hashbang.example/#/article/{n}") for n in (1, 2)}
    assert len(routes) == 2


def test_a_route_keeps_the_rest_of_the_url_canonical():
    url = "HTTPS://Hashbang.example:443?utm_source=rss#/article/101"
    assert canonical_url(url) == "https://hashbang.example/#/article/101"


def test_host_and_scheme_are_lowercased_but_path_is_not():
    assert canonical_url("HTTPS://Daily.EXAMPLE/Politics/Story") == (
        "https://daily.example/Politics/Story"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://daily.example:443/a", "https://daily.example/a"),
        ("http://daily.example:80/a", "http://daily.example/a"),
        ("HTTPS://Daily.example:443/a", "https://daily.example/a"),
        ("http://daily.example:8080/a", "http://daily.example:8080/a"),
        ("https://daily.example:80/a", "https://daily.example:80/a"),
        ("http://daily.example:443/a", "http://daily.example:443/a"),
    ],
)
def test_only_default_ports_are_dropped(url, expected):
    assert canonical_url(url) == expected


def test_empty_path_becomes_slash():
    assert canonical_url("https://daily.example") == "https://daily.example/"


def test_encoded_characters_in_query_survive():
    assert canonical_url("https://daily.example/s?q=a%2Bb&r=%26") == (
        "https://daily.example/s?q=a%2Bb&r=%26"
    )


def test_canonical_url_is_idempotent():
    for url in (
        "HTTPS://Daily.example:443/a?utm_source=x&id=1&q=caf%C3%A9#frag",
        "HTTPS://Daily.example:443/a?utm_source=x#!/route/1",
    ):
        once = canonical_url(url)
        assert canonical_url(once) == once


def test_ipv6_host_keeps_its_brackets():
    url = canonical_url("https://[2001:db8::1]:8443/a")
    assert url == "https://[2001:db8::1]:8443/a"
    assert urlsplit(url).port == 8443


# --- report_keys -----------------------------------------------------------


def test_report_keys_name_url_guid_and_dated_title():
    report = _report(guid="tag:daily.example,2026:1", headline="Storm hits, coast!")
    assert report_keys(report) == [
        "url:https://daily.example/a",
        "guid:daily:tag:daily.example,2026:1",
        "title:daily:2026-03-03T12:00:00Z:storm hits coast",
    ]


def test_report_without_guid_has_no_guid_key():
    keys = report_keys(_report(guid=None))
    assert not any(key.startswith("guid:") for key in keys)


def test_report_with_only_punctuation_headline_has_no_title_key():
    keys = report_keys(_report(headline="— !!! —"))
    assert keys == ["url:https://daily.example/a"]


def test_same_headline_from_two_outlets_is_not_the_same_report():
    ours = set(report_keys(_report(url="https://daily.example/1")))
    theirs = set(report_keys(_report(outlet="other", url="https://other.example/1")))
    assert not ours & theirs


def test_same_outlet_same_headline_different_punctuation_shares_title_key():
    first = set(report_keys(_report(url="https://daily.example/1")))
    second = set(
        report_keys(
            _report(url="https://daily.example/2", headline="STORM hits the coast!")
        )
    )
    assert first & second == {"title:daily:2026-03-03T12:00:00Z:storm hits the coast"}


@pytest.mark.parametrize("headline", ["Morning briefing", "Live updates", "Weather"])
def test_a_recurring_headline_published_again_is_another_report(headline):
    first = _report(url="https://daily.example/1", guid="1", headline=headline)
    again = _report(
        url="https://daily.example/2",
        guid="2",
        headline=headline,
        published=FETCHED + timedelta(days=1),
    )
    assert not set(report_keys(first)) & set(report_keys(again))


def test_same_headline_a_second_apart_is_another_report():
    first = _report(url="https://daily.example/1")
    again = _report(url="https://daily.example/2", published=FETCHED.replace(second=1))
    assert not set(report_keys(first)) & set(report_keys(again))


def test_an_undated_report_has_no_title_key():
    keys = report_keys(_report(undated=True))
    assert keys == ["url:https://daily.example/a"]


# --- keys_before_routes ----------------------------------------------------


def test_a_routed_report_without_guid_has_the_keys_it_was_stored_by_before():
    report = _report(url="https://daily.example/#/article/1", headline="Storm, hits!")
    assert keys_before_routes(report) == [
        "url:https://daily.example/",
        "title:daily:storm hits",
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"url": "https://daily.example/#/article/1", "guid": "daily-1"},
        {"url": "https://daily.example/a"},
        {"url": "https://daily.example/#/article/1", "headline": "!!!"},
    ],
    ids=["guid", "no-route", "no-headline"],
)
def test_other_reports_have_no_keys_from_before_routes(changes):
    assert keys_before_routes(_report(**changes)) == []


def _feed_with_link(link: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>D</title>'
        f"<item><title>Item</title><link>{link}</link>"
        "<pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>"
        "</channel></rss>"
    ).encode()


def test_items_differing_only_by_tracking_parameters_share_a_key():
    plain = parse_feed(
        _feed_with_link("https://daily.example/a?id=1"),
        OUTLET,
        location="https://daily.example/feed",
        fetched_at=FETCHED,
    ).reports[0]
    tracked = parse_feed(
        _feed_with_link(
            "https://Daily.example/a?utm_source=rss&amp;id=1&amp;fbclid=x#top"
        ),
        OUTLET,
        location="https://daily.example/feed",
        fetched_at=FETCHED,
    ).reports[0]
    assert plain.url == tracked.url == "https://daily.example/a?id=1"
    assert "url:https://daily.example/a?id=1" in set(report_keys(plain)) & set(
        report_keys(tracked)
    )


# --- normalize_headline ----------------------------------------------------


@pytest.mark.parametrize(
    "headline",
    [
        "Storm hits coast",
        "STORM HITS COAST",
        "Storm hits coast!",
        "  Storm — hits...   coast?! ",
        "storm_hits_coast",
        "«Storm» hits ‘coast’",
    ],
)
def test_headline_folds_case_punctuation_and_spacing(headline):
    assert normalize_headline(headline) == "storm hits coast"


def test_headline_keeps_letters_of_other_scripts_and_digits():
    assert (
        normalize_headline("Straße: 5 Tote in München") == "strasse 5 tote in münchen"
    )
    assert normalize_headline("北京 2026") == "北京 2026"


def test_different_words_stay_different():
    assert normalize_headline("Storm hits coast") != normalize_headline(
        "Storm misses coast"
    )
