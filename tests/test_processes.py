"""Calls shared among forked processes come back in order, failures named."""

from __future__ import annotations

import os
from functools import partial

import pytest

from newsdigest.processes import ProcessFailed, cores, map_in_chunks, run_shared


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_back_in_order_from_several_processes() -> None:
    results = run_shared([partial(square_and_pid, n) for n in range(7)], processes=3)
    assert [square for square, _pid in results] == [n * n for n in range(7)]
    assert len({pid for _square, pid in results}) == 3
    assert results[0][1] == os.getpid()


def test_one_process_runs_everything_here() -> None:
    results = run_shared([partial(square_and_pid, n) for n in range(3)], processes=1)
    assert {pid for _square, pid in results} == {os.getpid()}
    assert run_shared([], processes=4) == []


def fail_on(bad: int, number: int) -> int:
    if number == bad:
        raise ValueError(f"cannot take {number}")
    return number


@pytest.mark.parametrize("bad", [0, 1])
def test_a_failure_here_or_in_a_child_names_the_error(bad: int) -> None:
    with pytest.raises(ProcessFailed, match=f"ValueError: cannot take {bad}"):
        run_shared([partial(fail_on, bad, n) for n in range(4)], processes=2)


def test_here_false_leaves_every_call_to_forked_processes() -> None:
    calls = [partial(square_and_pid, n) for n in range(4)]
    results = run_shared(calls, processes=2, here=False)
    assert [square for square, _pid in results] == [0, 1, 4, 9]
    assert os.getpid() not in {pid for _square, pid in results}


def test_cores_counts_the_cpus_this_process_may_use() -> None:
    expected = (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count()
    )
    assert cores() == expected >= 1


def squares_and_pids(numbers: list[int]) -> list[tuple[int, int]]:
    return [square_and_pid(number) for number in numbers]


@pytest.mark.parametrize("parallel_from", [0, 8])
def test_chunks_come_back_joined_in_order(
    parallel_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsdigest.processes.cores", lambda: 2)
    results = map_in_chunks(
        squares_and_pids, list(range(7)), chunk=2, parallel_from=parallel_from
    )
    assert [square for square, _pid in results] == [n * n for n in range(7)]
    assert len({pid for _square, pid in results}) == (2 if parallel_from == 0 else 1)
