"""Share calls out among forked processes, this one included; exit at once.

A forked process sees the parent's memory as it was (copy on write), so the
calls and everything they read need no pickling; only results come back, over
a pipe. Without ``os.fork`` (Windows) everything runs here.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from typing import NoReturn, TypeVar

T = TypeVar("T")
Item = TypeVar("Item")


def cores() -> int:
    """How many processes can run at once: this process's CPUs (affinity)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def exit_at_once(code: int) -> NoReturn:
    """End this process with ``code`` without freeing its objects one by one.

    After a build or an ingest that takes about 0.3 s of a 3 s run; the
    operating system takes the whole process back at once. Logs and output
    are flushed first.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class ProcessFailed(RuntimeError):
    """A call failed in one of the processes; the message holds the tracebacks."""


def run_shared(
    calls: Sequence[Callable[[], T]], processes: int, *, here: bool = True
) -> list[T]:
    """Each call's result, in order; the calls shared among ``processes`` processes.

    Share ``k`` is ``calls[k::processes]``; this process runs share 0, or with
    ``here=False`` leaves every share to a forked process (so nothing the calls
    do stays in this one). If any call fails, every process still finishes and
    :class:`ProcessFailed` names all the failures.
    """
    processes = max(1, min(processes, len(calls)))
    if not hasattr(os, "fork"):
        processes, here = 1, True
    first = 1 if here else 0
    children = [_fork(calls[share::processes]) for share in range(first, processes)]
    results: list[T] = [None] * len(calls)  # type: ignore[list-item]
    failures = []
    try:
        if here:
            results[0::processes] = [call() for call in calls[0::processes]]
    except Exception:  # noqa: BLE001 (raised below with the children's)
        failures.append(traceback.format_exc())
    finally:
        for share, child in enumerate(children, start=first):
            done, failure = _wait(*child)
            if failure:
                failures.append(failure)
            else:
                results[share::processes] = done
    if failures:
        raise ProcessFailed("\n".join(failures))
    return results


def map_in_chunks(
    function: Callable[[Sequence[Item]], Sequence[T]],
    items: Sequence[Item],
    *,
    chunk: int,
    parallel_from: int,
) -> list[T]:
    """``function`` of each run of ``chunk`` items, its results joined in order.

    From ``parallel_from`` items on, the runs are shared among :func:`cores`
    processes (:func:`run_shared`); below that all run here.
    """
    runs = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    processes = cores() if len(items) >= parallel_from else 1
    done = run_shared([partial(function, run) for run in runs], processes)
    return [result for results in done for result in results]


def _fork(calls: Sequence[Callable[[], T]]) -> tuple[int, int]:
    """Run ``calls`` in a child process; its pid and the pipe its results come on."""
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)
    status = 0
    try:
        outcome: tuple[bool, object] = (True, [call() for call in calls])
    except BaseException:  # noqa: BLE001 (reported to the parent, which raises)
        outcome, status = (False, traceback.format_exc()), 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _wait(pid: int, results: int) -> tuple[list, str]:
    """A child's results and "", or [] and its failure report."""
    with os.fdopen(results, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        succeeded, outcome = pickle.loads(data)
    except Exception:  # noqa: BLE001 (a child that died before reporting)
        return [], f"process {pid} ended with status {status} and no report"
    return (outcome, "") if succeeded else ([], str(outcome))
