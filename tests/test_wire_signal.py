"""The signal rating follows its published rule, for any set of sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdigest.records import Outlet
from newsdigest.wire.dispatch import redact, signal_problems
from newsdigest.wire.records import INTERNAL, SOURCE_KINDS, Dispatch, Source
from newsdigest.wire.signal import LEVELS, fold_name, origins, rank, signal_read

OUTLETS = {
    "harbor": Outlet("harbor", "The Harbor Ledger", (), owner_group="Tidewater"),
    "courier": Outlet("courier", "The Tidewater Courier", (), owner_group="Tidewater"),
    "granite": Outlet("granite", "The Granite Standard", (), owner_group="Ironvale"),
    "rampart": Outlet("rampart", "The Rampart Signal", ()),
    "tips": Outlet("tips", "Night Tips Line", (), intake="internal"),
}


@st.composite
def source_lists(draw: st.DrawFn, max_size: int = 8) -> list[Source]:
    """Sources sharing owners, copying each other and mixing in internal intake."""
    sources: list[Source] = []
    for index in range(draw(st.integers(0, max_size))):
        copy = draw(st.none() | st.integers(0, index - 1)) if index else None
        sources.append(
            Source(
                name=f"source {index}",
                kind=draw(st.sampled_from(SOURCE_KINDS)),
                outlet=draw(st.none() | st.sampled_from(sorted(OUTLETS))),
                owner_group=draw(st.none() | st.sampled_from(["Tidewater", "Kestrel"])),
                internal=draw(st.integers(0, 4)) == 0,
                copy_of=None
                if copy is None
                else draw(st.sampled_from([f"source {copy}", f"SOURCE  {copy}"])),
            )
        )
    return sources


def fresh(index: int, kind: str = "Outlet report") -> Source:
    """A source independent of every other: its own owner, its own text."""
    return Source(f"independent {index}", kind, owner_group=f"Owner {index}")


def level(sources: list[Source]) -> str:
    return signal_read(sources, OUTLETS).level


@given(source_lists())
def test_one_independent_origin_is_never_strong_or_confirmed(
    sources: list[Source],
) -> None:
    if len(origins(sources, OUTLETS)) <= 1:
        assert level(sources) in ("Unverified", "Single-source")


@given(
    st.sampled_from(SOURCE_KINDS),
    st.lists(
        st.sampled_from(["copy", "sibling", "same owner", "owner spelled otherwise"]),
        max_size=6,
    ),
)
def test_one_source_repeated_any_way_stays_single_source(
    kind: str, repeats: list[str]
) -> None:
    sources = [Source("The Harbor Ledger", kind, outlet="harbor")]
    for number, how in enumerate(repeats):
        name = f"repeat {number}"
        sources.append(
            {
                "copy": Source(name, kind, copy_of="The Harbor Ledger"),
                "sibling": Source(name, kind, outlet="courier"),
                "same owner": Source(name, kind, owner_group="Tidewater"),
                "owner spelled otherwise": Source(name, kind, owner_group=" Tidéwater"),
            }[how]
        )
    assert level(sources) == "Single-source"


@given(st.integers(1, 12))
def test_any_amount_of_internal_intake_is_one_source(items: int) -> None:
    sources = [Source(f"tip {n}", INTERNAL, internal=True) for n in range(items)]
    assert level(sources) == "Single-source"


@given(source_lists(), st.sampled_from(SOURCE_KINDS))
def test_adding_an_independent_source_never_lowers_the_rating(
    sources: list[Source], kind: str
) -> None:
    before = rank(level(sources))
    after = rank(level([*sources, fresh(99, kind)]))
    assert after >= before
    if before < rank("Strong") and kind != INTERNAL:
        assert after > before


@given(source_lists(), source_lists(max_size=3))
def test_adding_any_source_never_lowers_the_rating(
    sources: list[Source], more: list[Source]
) -> None:
    renamed = [
        Source(f"more {s.name}", s.kind, s.url, s.outlet, s.owner_group, s.internal)
        for s in more
    ]
    assert rank(level([*sources, *renamed])) >= rank(level(sources))


@given(source_lists())
def test_redacting_internal_sources_keeps_the_rating(sources: list[Source]) -> None:
    dispatch = Dispatch("T", "Desk", "Developing", sources=tuple(sources))
    redacted = redact(dispatch, OUTLETS).sources
    assert level(list(redacted)) == level(sources)
    internal = [s for s in redacted if s.internal]
    assert len(internal) <= 1
    assert all(s.name == INTERNAL and s.url is None for s in internal)
    hidden = {fold_name(s.name) for s in sources if s.internal or s.outlet == "tips"}
    for source in redacted:
        assert source.internal or fold_name(source.name) not in hidden
        assert fold_name(source.copy_of or "") not in hidden


@pytest.mark.parametrize(
    ("count", "on_record", "expected"),
    [
        (0, False, "Unverified"),
        (1, True, "Single-source"),
        (2, True, "Corroborated"),
        (3, False, "Strong"),
        (3, True, "Confirmed"),
        (5, False, "Strong"),
    ],
)
def test_levels_follow_the_published_thresholds(
    count: int, on_record: bool, expected: str
) -> None:
    sources = [fresh(i) for i in range(count)]
    if on_record and sources:
        sources[0] = fresh(0, "Official statement")
    assert level(sources) == expected


def test_internal_intake_counts_once_and_is_never_on_the_record() -> None:
    sources = [
        Source("tip one", "Official statement", internal=True),
        Source("tip two", INTERNAL, internal=True),
        fresh(1),
        fresh(2),
    ]
    read = signal_read(sources)
    assert len(read.origins) == 3
    assert read.level == "Strong"
    assert "2 internal intake items count as one" in read.explanation


def test_a_source_from_an_internal_outlet_is_internal_intake() -> None:
    sources = [
        Source("Caller 14", "Official statement", outlet="tips"),
        Source("Caller 15", "Interview", outlet="night tips line"),
        Source("tip", INTERNAL, internal=True),
        fresh(1),
        fresh(2),
    ]
    read = signal_read(sources, OUTLETS)
    assert len(read.origins) == 3
    assert read.level == "Strong"
    assert "3 internal intake items count as one" in read.explanation
    redacted = redact(Dispatch("T", "Desk", "Developing", sources=tuple(sources)))
    assert redact(redacted, OUTLETS).sources == (
        Source(INTERNAL, INTERNAL, internal=True),
        fresh(1),
        fresh(2),
    )


def test_explanation_names_shared_owners_and_copies() -> None:
    read = signal_read(
        [
            Source("The Harbor Ledger", "Outlet report", outlet="harbor"),
            Source("The Tidewater Courier", "Outlet report", outlet="courier"),
            Source("Morning Echo", "Outlet report", copy_of="The Harbor Ledger"),
            Source("The Granite Standard", "Outlet report", outlet="granite"),
        ],
        OUTLETS,
    )
    assert read.level == "Corroborated"
    assert read.explanation == (
        "4 sources from 2 independent origins. The Harbor Ledger and The Tidewater "
        "Courier share an owner (Tidewater); Morning Echo republishes The Harbor "
        "Ledger. That supports Corroborated."
    )


def test_outlet_named_by_name_finds_its_owner_in_the_registry() -> None:
    sources = [
        Source("Ledger", "Outlet report", outlet="The Harbor Ledger"),
        Source("Courier", "Outlet report", outlet="courier"),
    ]
    assert level(sources) == "Single-source"


def test_desk_may_lower_the_rating_but_never_raise_it() -> None:
    sources = [fresh(1), fresh(2)]
    lowered = signal_read(sources, set_by_desk="Single-source")
    assert (lowered.level, lowered.supported, lowered.lowered) == (
        "Single-source",
        "Corroborated",
        True,
    )
    assert "below what the sources support" in lowered.explanation
    assert signal_read(sources, set_by_desk="Confirmed").level == "Corroborated"
    for desk_level in LEVELS:
        dispatch = Dispatch(
            "T",
            "Desk",
            "Final",
            date=datetime(2026, 11, 20, tzinfo=UTC),
            sources=tuple(sources),
            signal=desk_level,
            signal_line=7,
        )
        problems = signal_problems(dispatch, "d.md", {})
        assert bool(problems) == (rank(desk_level) > rank("Corroborated"))
        for problem in problems:
            assert str(problem).startswith(f'd.md:7: signal: "{desk_level}" is higher')
