"""How clustering and related stories scale: time and peak memory, synthetic reports.

Usage: ``.venv/bin/python -m bench.cluster_bench [SIZES...] [--results PATH]``
(``make bench`` runs it for 10,000 and 100,000 reports).

Each size runs in a fresh process so that its peak memory is its own. The
reports are synthetic and reproducible (seeded): about 3,000 a day, events of
1 to 12 reports told with a few shared names, places and figures in varying
words, 10% of them undated. The table has one row per size: reports,
stories, wall and CPU seconds for ``cluster()`` (vectorising included; CPU
counts the worker processes that share the text analysis out), wall and CPU
seconds of the related-story search over the stories found (each story's
text its reports' first sentences, as a build gives it its reports'
headlines; from eight blocks of entries on, every CPU takes a share), peak
resident memory of the process and of its largest worker (forked, so they
share much of it), and pairwise F1 against the generating events. Below it,
issue 8's targets: time per report at the largest size against the smallest
(at most 1.5 times; the related search's CPU time too, for comparison),
and peak memory under 2 GiB. The table is printed and
written to ``--results`` (Markdown).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from newsdigest.processes import cores
from newsdigest.stories.cluster import Item, cluster
from newsdigest.stories.evaluate import pairwise
from newsdigest.stories.related import Entry, related

REPORTS_PER_DAY = 3000
#: Issue 8: time per report at the largest size, at most this times the smallest.
PER_REPORT_GROWTH = 1.5
#: Issue 8: peak memory below this at 100,000 reports.
PEAK_MIB = 2048
START = datetime(2026, 1, 1, tzinfo=UTC)
SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tor", "vel", "dun", "bri", "ash")
SYLLABLES += ("mor", "quin", "zal", "pe", "ther", "gan", "ul", "fen", "ro", "sti")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def synthetic(count: int, seed: int = 2026) -> tuple[list[Item], dict[str, str]]:
    """``count`` reports in events, and each report's event."""
    rng = random.Random(seed)
    vocabulary = [_word(rng, 4) for _ in range(30000)]
    names = [_word(rng, 2).title() + " " + _word(rng, 3).title() for _ in range(40000)]
    places = [_word(rng, 3).title() for _ in range(5000)]
    common = list(accumulate(1 / (rank + 20) for rank in range(len(vocabulary))))
    items: list[Item] = []
    events: dict[str, str] = {}
    while len(items) < count:
        event = f"e{len(set(events.values()))}"
        moment = START + timedelta(days=len(items) / REPORTS_PER_DAY)
        actors = rng.sample(names, 2)
        place = rng.choice(places)
        figure = f"{rng.randint(11, 9999)} {rng.choice(['million', 'per cent', ''])}"
        topic = rng.choices(vocabulary, cum_weights=common, k=6)
        for number in range(min(rng.randint(1, 12), count - len(items))):
            words = rng.sample(topic, 3) + rng.choices(
                vocabulary, cum_weights=common, k=12
            )
            rng.shuffle(words)
            text = (
                f"{rng.choice(actors)} {' '.join(words[:5])} in {place}. "
                f"{' '.join(words[5:])} {figure}, {rng.choice(actors)} said."
            )
            dated = rng.random() > 0.1
            when = moment + timedelta(hours=rng.uniform(0, 30)) if dated else None
            items.append(Item(f"{event}-{number}", text, when, "en"))
            events[items[-1].id] = event
    return items, events


def measure(count: int) -> dict[str, float]:
    """Timings and peak memory of clustering ``count`` reports in this process."""
    items, events = synthetic(count)
    started, cpu = time.perf_counter(), _cpu()
    assignment = cluster(items)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    entries = story_entries(items, assignment)
    started, related_cpu = time.perf_counter(), _cpu()
    related(entries, processes=cores())
    related_seconds = time.perf_counter() - started
    related_cpu = _cpu() - related_cpu
    return {
        "reports": count,
        "stories": len(set(assignment.values())),
        "seconds": seconds,
        "cpu": cpu,
        "related": related_seconds,
        "related_cpu": related_cpu,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "f1": pairwise(events, assignment).f1,
    }


def report(rows: list[dict[str, float]], command: str) -> str:
    """The rows as a Markdown table, then the targets against the largest size."""
    heading = (
        f"Synthetic reports, {REPORTS_PER_DAY:,} a day, 10% undated; one process "
        f"per size; {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d}."
    )
    columns = ("reports", "stories", "seconds", "CPU s", "related s")
    columns += ("related CPU s", "peak MiB", "worker peak MiB", "pairwise F1")
    lines = [heading, f"Command: `{command}`", "", "| " + " | ".join(columns) + " |"]
    lines.append("|" + "---:|" * len(columns))
    lines += [
        f"| {r['reports']:,} | {r['stories']:,} | {r['seconds']:.1f} "
        f"| {r['cpu']:.1f} | {r['related']:.2f} | {r['related_cpu']:.2f} "
        f"| {r['peak_mib']:,.0f} "
        f"| {r['worker_mib']:,.0f} | {r['f1']:.3f} |"
        for r in rows
    ]
    if len(rows) < 2:  # nothing to compare with
        return "\n".join(lines) + "\n"
    small, large = rows[0], rows[-1]
    sizes = f"{large['reports']:,} against {small['reports']:,} reports"
    lines += ["", f"| Target ({sizes}) | value | target |", "|---|---:|---:|"]
    for label, key in [
        ("clustering", "seconds"),
        ("related stories", "related"),
        ("related stories, CPU", "related_cpu"),
    ]:
        each = [row[key] / row["reports"] * 1e6 for row in (small, large)]
        growth = each[1] / each[0]
        mark = "✓" if growth <= PER_REPORT_GROWTH else "✗"
        target = "–" if key == "related_cpu" else f"≤ {PER_REPORT_GROWTH} {mark}"
        lines.append(
            f"| {label}, µs per report: {each[0]:.0f} → {each[1]:.0f} "
            f"| {growth:.2f}× | {target} |"
        )
    peak = max(row["peak_mib"] for row in rows)
    mark = "✓" if peak < PEAK_MIB else "✗"
    lines.append(f"| peak MiB | {peak:,.0f} | < {PEAK_MIB:,} {mark} |")
    return "\n".join(lines) + "\n"


def story_entries(items: list[Item], assignment: dict[str, str]) -> list[Entry]:
    """The related-story search's entries for the stories of ``assignment``."""
    members: dict[str, list[Item]] = {}
    for item in items:
        members.setdefault(assignment[item.id], []).append(item)
    entries = []
    for key, story in sorted(members.items()):
        times = [item.published for item in story if item.published] or [START]
        text = " ".join(item.text.split(". ", 1)[0] for item in story)
        entries.append(Entry(key, text, min(times), max(times)))
    return entries


def _cpu() -> float:
    """CPU seconds of this process and of the workers it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Run each size in its own process; print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--results", type=Path, help="write the table here too")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure(args.one)), flush=True)  # noqa: T201
        return 0
    rows = []
    for size in sorted(args.sizes):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(done.stdout.splitlines()[-1]))
    sizes = " ".join(str(size) for size in sorted(args.sizes))
    text = report(rows, f"python -m bench.cluster_bench {sizes}")
    if args.results:
        args.results.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
