"""Skip a build that would change nothing.

The build is a pure function of its inputs: the settings, the content, the
theme, the plugins and the registry (nothing reads the clock). After each
successful build the plugin writes a record to ``CACHE_PATH`` (the settings'
digest, the input folders and a digest of every input file's path, size and
mtime, and every output file's size and mtime). ``newsdigest-build`` takes
Pelican's arguments; when the settings and inputs match the record and every
output file is still as the build left it, Pelican would write the same bytes,
so it says so and stops. Otherwise, or with ``--force``, it runs Pelican.
A build that logged an error (a file Pelican could not process) writes no
record, so the next one runs again, and ``newsdigest-build`` exits with 1;
one stopped by Ctrl-C (which Pelican only logs) exits with 130.

Files the build keeps but does not make (``OUTPUT_RETENTION``: the search
index, made after it) are not in the record: indexing does not make the next
build run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from newsdigest.filewrites import replace_file
from newsdigest.logcount import LogCount
from newsdigest.processes import exit_at_once

#: The record's file name in ``CACHE_PATH``.
RECORD_NAME = "newsdigest-build.json"
#: Libraries whose version changes what a build writes.
LIBRARIES = ("pelican", "jinja2", "markdown", "pyyaml", "nh3", "feedgenerator")
#: Folders under an input folder that are never inputs: bytecode, git, and the
#: package metadata pip rewrites on every install.
SKIPPED_FOLDERS = frozenset({"__pycache__", ".git"})
SKIPPED_SUFFIX = ".egg-info"
#: What ``newsdigest-build --help`` says before Pelican's own help.
HELP = """\
newsdigest-build [--force] [PELICAN OPTIONS]: build the site with Pelican,
unless the settings, inputs and output are as the last build left them.

  --force  build even when nothing changed since the last build

Pelican's options:
"""


@dataclass
class BuildRecord:
    """What one build read and wrote."""

    settings: str
    roots: list[str]
    inputs: str
    #: Output path relative to ``OUTPUT_PATH`` -> [size, mtime_ns].
    outputs: dict[str, list[int]] = field(default_factory=dict)


def settings_digest(settings: dict[str, Any]) -> str:
    """A digest of the settings and of Python's and the libraries' versions."""
    text = json.dumps(
        [sys.version, library_versions(), settings],
        sort_keys=True,
        default=repr,
        indent=None,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def library_versions() -> dict[str, str]:
    """The version of each library whose version changes what a build writes."""
    return {name: version(name) for name in LIBRARIES}


def inputs_digest(roots: Iterable[str]) -> str:
    """A digest of the path, size and mtime of every file under ``roots``."""
    digest = hashlib.sha256()
    for root in roots:
        for name, stat in files_under(Path(root)):
            line = f"{root}\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
            digest.update(line.encode())
    return digest.hexdigest()


def begin(settings: dict[str, Any], roots: Sequence[str | Path]) -> BuildRecord:
    """Forget the last build's record and note what this one starts from."""
    _record_path(settings).unlink(missing_ok=True)
    names = [str(Path(root).resolve()) for root in roots]
    return BuildRecord(settings_digest(settings), names, inputs_digest(names))


def complete(record: BuildRecord, settings: dict[str, Any]) -> None:
    """Write ``record`` with every file now in the output folder (atomically).

    But those under ``OUTPUT_RETENTION``, which the build does not make.
    """
    output = Path(settings["OUTPUT_PATH"])
    kept = frozenset(settings.get("OUTPUT_RETENTION") or ())
    record.outputs = {
        name: [stat.st_size, stat.st_mtime_ns]
        for name, stat in files_under(output, skip=kept)
    }
    text = json.dumps(asdict(record))
    replace_file(_record_path(settings), text, sibling=".{name}.partial")


def up_to_date(settings: dict[str, Any]) -> bool:
    """Whether a build with ``settings`` would find all as the last one left it."""
    try:
        data = json.loads(_record_path(settings).read_text(encoding="utf-8"))
        record = BuildRecord(**data)
    except (OSError, ValueError, TypeError):
        return False
    if record.settings != settings_digest(settings):
        return False
    if record.inputs != inputs_digest(record.roots):
        return False
    output = Path(settings["OUTPUT_PATH"])
    for name, (size, mtime_ns) in record.outputs.items():
        try:
            stat = (output / name).stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """``newsdigest-build [--force] PELICAN-ARGS``: build unless nothing changed."""
    from pelican import DEFAULT_CONFIG_NAME, get_config, parse_arguments  # noqa: PLC0415
    from pelican import main as pelican_main  # noqa: PLC0415 (only to build)
    from pelican.settings import read_settings  # noqa: PLC0415

    arguments = list(sys.argv[1:] if argv is None else argv)
    if {"-h", "--help"} & set(arguments):
        print(HELP)  # noqa: T201 - then Pelican prints its help and exits
    force = "--force" in arguments
    arguments = [argument for argument in arguments if argument != "--force"]
    args = parse_arguments(arguments)
    serving = args.autoreload or args.listen
    if not (force or serving):
        settings_file = args.settings
        if settings_file is None and os.path.isfile(DEFAULT_CONFIG_NAME):
            settings_file = DEFAULT_CONFIG_NAME
        settings = read_settings(settings_file, override=get_config(args))
        if up_to_date(settings):
            print(  # noqa: T201 - the one line this command says
                f"Nothing changed since the last build: {settings['OUTPUT_PATH']} "
                "is up to date (--force builds anyway)."
            )
            return 0
    errors = LogCount(logging.ERROR).attach()
    interrupted = []

    def interrupt(signum: int, frame: object) -> None:
        """Note Ctrl-C, which Pelican catches and only logs, then raise it."""
        interrupted.append(signum)
        signal.default_int_handler(signum, frame)

    before = signal.signal(signal.SIGINT, interrupt)
    try:
        pelican_main(arguments)
    finally:
        signal.signal(signal.SIGINT, before)
        errors.detach()
    if interrupted:
        print(  # noqa: T201 - after Pelican's own log
            "newsdigest-build: interrupted; the output folder is incomplete until "
            "the next build.",
            file=sys.stderr,
        )
        return 130
    if errors.count:
        errors_logged = "1 error" if errors.count == 1 else f"{errors.count} errors"
        print(  # noqa: T201 - after Pelican's own log
            f"newsdigest-build: {errors_logged} above; the site lacks what they name.",
            file=sys.stderr,
        )
        return 1
    return 0


def run() -> None:
    """The ``newsdigest-build`` command: :func:`main`, then exit at once.

    (:func:`~newsdigest.processes.exit_at_once`); an error still exits the
    usual way.
    """
    exit_at_once(main())


def files_under(
    root: Path, skip: Collection[str] = ()
) -> list[tuple[str, os.stat_result]]:
    """Every file under ``root``, sorted, by its ``/``-joined name under ``root``.

    With its stat; a file ``root`` is itself, named ``.``. Symbolic links are
    followed, as Pelican follows them: a linked file is stated as its target,
    a linked folder walked (each real folder once, so a link loop ends). A
    dangling link is stated as the link. Files and folders right under
    ``root`` named in ``skip`` are left out, unwalked. A folder's files come
    before its subfolders', as ``os.walk`` gives them; a folder that cannot
    be read is left out, as ``os.walk`` leaves it. Names are joined as
    strings: making a ``Path`` of each took half the walk.
    """
    if not root.is_dir():
        return [(".", _stat(root))] if os.path.lexists(root) else []
    found = []
    walked = set()
    # (folder, its name under root with a trailing "/", its real path, names
    # to skip in it); the next folder last.
    folders = [(str(root), "", os.path.realpath(root), frozenset(skip))]
    while folders:
        folder, prefix, real, skipped = folders.pop()
        if real in walked:
            continue
        walked.add(real)
        try:
            with os.scandir(folder) as scan:
                entries = sorted(
                    (entry for entry in scan if entry.name not in skipped),
                    key=lambda entry: entry.name,
                )
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            name = prefix + entry.name
            if not entry.is_dir():
                found.append((name, _stat(entry)))
            elif entry.name not in SKIPPED_FOLDERS and not entry.name.endswith(
                SKIPPED_SUFFIX
            ):
                subfolders.append(
                    (entry.path, f"{name}/", _real_path(entry, real), frozenset())
                )
        folders += reversed(subfolders)
    return found


def _real_path(folder: os.DirEntry, parent: str) -> str:
    """``folder``'s real path, its parent's being ``parent``: resolved if a link."""
    if folder.is_symlink():
        return os.path.realpath(folder.path)
    return os.path.join(parent, folder.name)


def _stat(path: Path | os.DirEntry) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:  # a dangling link
        return path.stat(follow_symlinks=False)


def _record_path(settings: dict[str, Any]) -> Path:
    return Path(settings["CACHE_PATH"]) / RECORD_NAME
