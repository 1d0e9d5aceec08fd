"""The ``newsdigest`` command: parse arguments, call the pipeline, report.

Thin by design: every command is a few lines over functions that tests call
directly. Input problems print as ``file:line: field: what`` and exit 1,
never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from newsdigest import __version__
from newsdigest.errors import InputError, NewsdigestError
from newsdigest.processes import exit_at_once
from newsdigest.registry import load_registry
from newsdigest.stories.cluster import DEFAULT_THRESHOLD, DEFAULT_WINDOW
from newsdigest.times import utc_now
from newsdigest.wire.records import STATUSES

if TYPE_CHECKING:
    from newsdigest.ingest.run import FeedOutcome, IngestSummary

# Each command imports what only it needs when it runs: `newsdigest check`
# (which `make html` runs before every build) then starts without loading the
# feed reader, the state store and the sparse maths ingest needs.

#: What ``newsdigest --help`` says the command is for.
DESCRIPTION = (
    "Build a news digest that shows its bias: ingest the outlets in "
    "sources.yaml into stories, check content/ before a build, and write "
    "the desk's dispatches. README.md describes each workflow."
)
DEFAULT_SOURCES = Path("sources.yaml")
DEFAULT_CONTENT = Path("content")
DEFAULT_STATE = Path(".newsdigest/state.sqlite")
#: Path options several commands share: name -> (default, help).
_PATH_OPTIONS = {
    "sources": (DEFAULT_SOURCES, "registry file"),
    "content": (DEFAULT_CONTENT, "content folder"),
    "state": (DEFAULT_STATE, "state store file"),
}


def run() -> None:
    """The ``newsdigest`` command: :func:`main`, then exit at once.

    (:func:`~newsdigest.processes.exit_at_once`); an error still exits the
    usual way.
    """
    exit_at_once(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    console = Console(stderr=False, highlight=False)
    try:
        return args.command(args, console)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)  # noqa: T201 - one unwrapped line each
        return 1
    except NewsdigestError as error:
        print(f"newsdigest: {error}", file=sys.stderr)  # noqa: T201
        return 1
    except OSError as error:  # a file it could not read or write: say which
        where = f"{error.filename}: " if error.filename else ""
        print(f"newsdigest: {where}{error.strerror or error}", file=sys.stderr)  # noqa: T201
        return 1
    except KeyboardInterrupt:  # every write is atomic: nothing is half done
        print("newsdigest: interrupted", file=sys.stderr)  # noqa: T201
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdigest", description=DESCRIPTION)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log debug messages"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = _command(commands, "ingest", "fetch the registry's feeds into story files")
    _add_paths(ingest, "sources", "content", "state")
    ingest.add_argument(
        "--retry-gone",
        action="store_true",
        help="fetch feeds that answered 404 or 410 before, too",
    )
    ingest.set_defaults(command=_ingest)

    check = _command(commands, "check", "validate the registry and every content file")
    _add_paths(check, "sources", "content")
    check.add_argument(
        "--cache",
        type=Path,
        help="keep each file's result here; unchanged files are not read again",
    )
    check.set_defaults(command=_check)

    opml = _command(
        commands, "import-opml", "add a feed reader's OPML export as outlets"
    )
    opml.add_argument("opml", type=Path, help="OPML file")
    _add_paths(opml, "sources", sources="registry to extend")
    opml.add_argument("--dry-run", action="store_true", help="show what would be added")
    opml.set_defaults(command=_import_opml)

    grouping = _command(
        commands, "cluster", "group JSON Lines reports into stories, as ingest does"
    )
    grouping.add_argument("--input", type=Path, required=True, help="reports.jsonl")
    grouping.add_argument(
        "--output", type=Path, required=True, help="assignments.jsonl to write"
    )
    grouping.add_argument(
        "--window-hours",
        type=float,
        default=DEFAULT_WINDOW.total_seconds() / 3600,
        help="time window for dated reports (default %(default)s)",
    )
    grouping.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help="mean similarity a report needs to join a story (default %(default)s)",
    )
    grouping.set_defaults(command=_cluster)

    dispatch = _command(commands, "dispatch", "write the desk's dispatches")
    actions = dispatch.add_subparsers(required=True, metavar="ACTION")
    new = _command(actions, "new", "scaffold a dispatch and print its path")
    new.add_argument(
        "title", type=_given("title", "Harbor bridge reopens"), help="the headline"
    )
    new.add_argument(
        "--desk",
        required=True,
        type=_given("desk", "Americas Desk"),
        help="the desk that publishes it",
    )
    new.add_argument(
        "--section", help="e.g. Economy, Climate: the kicker and a Wire page"
    )
    new.add_argument(
        "--from-story", metavar="SLUG", help="a story whose reports become sources"
    )
    _add_paths(
        new,
        "content",
        "sources",
        "state",
        state="state store file (the desk's intake log is next to it)",
    )
    new.set_defaults(command=_dispatch_new)
    develop = _command(
        actions, "develop", "add a timestamped development to a dispatch"
    )
    develop.add_argument("slug", help="the dispatch's slug")
    develop.add_argument(
        "text",
        type=_given("development", "Divers reach the wreck"),
        help="what happened",
    )
    develop.add_argument(
        "--status",
        choices=STATUSES,
        help="the status to set (without it, a Final dispatch becomes Updated)",
    )
    _add_paths(develop, "content")
    develop.set_defaults(command=_dispatch_develop)
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
) -> argparse.ArgumentParser:
    """Add a subcommand whose one-line summary is also its description."""
    return commands.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + "."
    )


def _given(what: str, example: str) -> Callable[[str], str]:
    """An argument type refusing an empty or blank ``what`` before anything is written.

    ``newsdigest check`` would refuse the dispatch it made (and ``make html``
    stop), so the command does at once.
    """

    def given(value: str) -> str:
        if not value.strip():
            message = f'a dispatch needs a {what}, e.g. "{example}"'
            raise argparse.ArgumentTypeError(message)
        return value

    return given


def _add_paths(parser: argparse.ArgumentParser, *names: str, **helps: str) -> None:
    """Add the shared ``--sources``/``--content``/``--state`` options."""
    for name in names:
        default, text = _PATH_OPTIONS[name]
        parser.add_argument(
            f"--{name}", type=Path, default=default, help=helps.get(name, text)
        )


def _ingest(args: argparse.Namespace, console: Console) -> int:
    from rich.progress import Progress  # noqa: PLC0415

    from newsdigest.ingest.run import IngestOptions, run_ingest  # noqa: PLC0415

    registry = load_registry(args.sources)
    feeds = sum(len(o.feeds) for o in registry.outlets.values() if o.kind == "news")
    with Progress(
        console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task("Fetching feeds", total=feeds)

        def advance(_feed: FeedOutcome) -> None:
            bar.advance(task)

        summary = run_ingest(
            registry,
            args.content,
            args.state,
            options=IngestOptions(retry_gone=args.retry_gone),
            on_feed=advance,
        )
    _print_summary(summary, console)
    return 0


def _print_summary(summary: IngestSummary, console: Console) -> None:
    from rich.table import Table  # noqa: PLC0415

    table = Table(title="Ingest summary", show_header=False, title_justify="left")
    table.add_row(
        "Feeds",
        f"{summary.feeds_with('ok')} ok, "
        f"{summary.feeds_with('not-modified')} not modified, "
        f"{summary.feeds_with('gone')} gone, {summary.feeds_with('failed')} failed, "
        f"{summary.feeds_with('waiting')} waiting to retry",
    )
    table.add_row(
        "Reports", f"{summary.reports_new} new, {summary.reports_duplicate} duplicate"
    )
    table.add_row(
        "Stories",
        f"{len(summary.stories_new)} new, {len(summary.stories_updated)} updated",
    )
    if summary.dispatches_new or summary.dispatches_updated:
        table.add_row(
            "Dispatches",
            f"{len(summary.dispatches_new)} new, "
            f"{len(summary.dispatches_updated)} updated",
        )
    if summary.held_back:
        table.add_row(
            "Locked",
            ", ".join(
                f"{count} report(s) held back from {slug}"
                for slug, count in sorted(summary.held_back.items())
            ),
        )
    if summary.reports_removed:
        table.add_row(
            "Removed",
            ", ".join(
                f"{len(urls)} report(s) deleted from {slug}, now under removed:"
                for slug, urls in sorted(summary.reports_removed.items())
            ),
        )
    if summary.rebuilt_state:
        table.add_row("State", "rebuilt from content/")
    elif summary.files_reindexed:
        table.add_row("State", f"{summary.files_reindexed} changed story file(s) read")
    console.print(table)
    for feed in summary.feeds:
        if feed.error:
            console.print(
                f"[red]{feed.status}[/] {feed.outlet} {feed.location}: {feed.error}"
            )
        for problem in feed.problems:
            console.print(
                f"[yellow]warning[/] {feed.outlet} {feed.location}: {problem}"
            )


def _check(args: argparse.Namespace, console: Console) -> int:
    from newsdigest.check import check_project  # noqa: PLC0415

    problems, files = check_project(args.sources, args.content, args.cache)
    if problems:
        raise InputError(problems)
    console.print(f"{files} files OK")
    return 0


def _cluster(args: argparse.Namespace, console: Console) -> int:
    from newsdigest.stories.cluster import cluster_records  # noqa: PLC0415
    from newsdigest.stories.jsonl import read_reports, write_assignments  # noqa: PLC0415

    records = read_reports(args.input)
    stories = cluster_records(
        records, window=timedelta(hours=args.window_hours), threshold=args.threshold
    )
    write_assignments(args.output, records, stories)
    console.print(
        f"{len(records)} report(s) in {len(set(stories))} story(ies) -> {args.output}"
    )
    return 0


def _import_opml(args: argparse.Namespace, console: Console) -> int:
    from newsdigest.opml import import_opml  # noqa: PLC0415

    added = import_opml(args.opml, args.sources, dry_run=args.dry_run)
    verb = "would add" if args.dry_run else "added"
    console.print(
        f"{verb} {len(added)} outlet(s) to {args.sources}: {', '.join(added) or 'none'}"
    )
    return 0


def _dispatch_new(args: argparse.Namespace, console: Console) -> int:
    from newsdigest.wire.dispatchfile import new_dispatch  # noqa: PLC0415
    from newsdigest.wire.intake import intake_path, read_intake  # noqa: PLC0415

    outlets = load_registry(args.sources).outlets if args.from_story else {}
    path = new_dispatch(
        args.content,
        args.title,
        desk=args.desk,
        section=args.section,
        now=utc_now(),
        story_slug=args.from_story,
        outlets=outlets,
        intake=read_intake(intake_path(args.state)) if args.from_story else None,
    )
    console.print(str(path), soft_wrap=True, markup=False)
    return 0


def _dispatch_develop(args: argparse.Namespace, console: Console) -> int:
    from newsdigest.wire.dispatchfile import develop_dispatch  # noqa: PLC0415

    path = develop_dispatch(
        args.content, args.slug, args.text, now=utc_now(), status=args.status
    )
    console.print(str(path), soft_wrap=True, markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
