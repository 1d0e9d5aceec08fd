"""Score ``newsdigest cluster`` on the labelled sets; write ``eval/results.md``.

Usage: ``make eval-clustering`` (or ``.venv/bin/python eval/run.py``).

Sets: ``sample`` is built from the bundled sample feeds and
``sample/events.tsv`` (items labelled ``-`` left out); ``headlines`` and
``fulltext`` are the hand-labelled fictional sets in this folder. Each set is
scored twice in the same run: *before* is the original clustering
(``eval/baseline.py``), *after* is the clustering ingest uses today.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from baseline import cluster as baseline_cluster

from newsdigest.ingest.parse import parse_feed
from newsdigest.registry import load_registry
from newsdigest.stories.cluster import DEFAULT_THRESHOLD, Item, cluster_records
from newsdigest.stories.evaluate import Scores, bcubed, pairwise
from newsdigest.stories.text import cluster_text
from newsdigest.times import format_time, parse_time

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: When the sample feeds are "fetched": after their newest real item.
SAMPLE_FETCHED = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
#: Thresholds the sweep table tries, the default among them.
SWEEP = (0.1, 0.15, 0.2, 0.25, 0.3)

Record = dict[str, str]


def sample_records() -> list[Record]:
    """The sample feeds' reports as cluster input, each with its labelled event."""
    labels: dict[tuple[str, str], str] = {}
    with (REPO / "sample" / "events.tsv").open(encoding="utf-8") as handle:
        rows = csv.reader(
            (line for line in handle if not line.startswith("#")), delimiter="\t"
        )
        next(rows)
        for outlet, guid, event in rows:
            labels[outlet, guid] = event
    registry = load_registry(REPO / "sources.yaml")
    records: dict[str, Record] = {}
    for outlet in registry.outlets.values():
        for location in outlet.feeds:
            body = (registry.feed_base() / location).read_bytes()
            parsed = parse_feed(
                body, outlet, location=location, fetched_at=SAMPLE_FETCHED
            )
            for report in parsed.reports:
                event = labels.get((outlet.id, report.guid or report.url), "-")
                if event == "-":
                    continue
                record = {
                    "id": f"{outlet.id} {report.guid or report.url}",
                    "title": report.headline,
                    "text": report.summary,
                    "outlet": outlet.id,
                    "lang": report.lang or "",
                    "event": event,
                }
                if not report.undated:
                    record["published"] = format_time(report.published)
                records.setdefault(record["id"], record)
    return list(records.values())


def jsonl_records(path: Path) -> list[Record]:
    """A labelled JSON Lines set."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def before(records: list[Record]) -> list[str]:
    """Stories from the original clustering, over the same text."""
    items = [
        Item(
            r["id"],
            cluster_text(r.get("title", ""), r.get("text", "")),
            parse_time(r["published"]) if r.get("published") else None,
        )
        for r in records
    ]
    assignment = baseline_cluster(items)
    return [assignment[r["id"]] for r in records]


def score(
    records: list[Record], method: Callable[[list[Record]], list[str]]
) -> tuple[Scores, Scores, int]:
    """Pairwise and B-cubed scores of ``method`` on ``records``, and its story count."""
    gold = {r["id"]: r["event"] for r in records}
    predicted = dict(zip(gold, method(records), strict=True))
    return (
        pairwise(gold, predicted),
        bcubed(gold, predicted),
        len(set(predicted.values())),
    )


def undated(records: list[Record]) -> list[Record]:
    """The same records with their dates removed: no time window helps."""
    return [{k: v for k, v in r.items() if k != "published"} for r in records]


def comparison(sets: dict[str, list[Record]]) -> str:
    """Before and after, per set, as a Markdown table."""
    lines = [
        (
            "| set | items | events | method | stories | pairwise P | R | F1 "
            "| B-cubed P | R | F1 |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, records in sets.items():
        events = len({r["event"] for r in records})
        for label, method in (("before", before), ("after", cluster_records)):
            pair, cube, stories = score(records, method)
            lines.append(
                f"| {name} | {len(records)} | {events} | {label} | {stories} "
                f"| {pair.precision:.3f} | {pair.recall:.3f} | **{pair.f1:.3f}** "
                f"| {cube.precision:.3f} | {cube.recall:.3f} | **{cube.f1:.3f}** |"
            )
    return "\n".join(lines)


def sweep(sets: dict[str, list[Record]]) -> str:
    """Pairwise / B-cubed F1 of today's method across thresholds, per set."""
    lines = [
        "| threshold | " + " | ".join(sets) + " |",
        "|---|" + "---|" * len(sets),
    ]
    for threshold in SWEEP:
        cells = []
        for records in sets.values():
            pair, cube, _stories = score(
                records, lambda r, t=threshold: cluster_records(r, threshold=t)
            )
            cells.append(f"{pair.f1:.2f} / {cube.f1:.2f}")
        mark = " (default)" if threshold == DEFAULT_THRESHOLD else ""
        lines.append(f"| {threshold}{mark} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    """Print the tables and write them into ``eval/results.md``."""
    sample = sample_records()
    sets = {
        "sample": sample,
        "sample, undated": undated(sample),
        "headlines": jsonl_records(HERE / "headlines.jsonl"),
        "fulltext": jsonl_records(HERE / "fulltext.jsonl"),
    }
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    for marker, table in (("comparison", comparison(sets)), ("sweep", sweep(sets))):
        print(table, end="\n\n")  # noqa: T201 - this script's output
        start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            text = f"{head}{start}\n{table}\n{end}{rest.split(end, 1)[1]}"
        else:
            text += f"\n{start}\n{table}\n{end}\n"
    results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
