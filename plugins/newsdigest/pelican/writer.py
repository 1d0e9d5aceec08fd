"""Write only what changed: an output whose bytes are the same keeps its file.

Pelican renders every page on every build and rewrites every file, so every
mtime changes and every sync uploads the whole site. :class:`KeepUnchangedWriter`
renders as usual but leaves a file alone (bytes, mtime, inode) when the new
bytes equal what is on disk; a changed file is written to a ``.partial``
sibling and renamed over the old one, so a server never sees half a page.
Pages and feeds both go through it.

Two things outside the writer would still touch every file:

- ``DELETE_OUTPUT_DIRECTORY`` (on in ``publishconf.py``): Pelican empties the
  output folder before anything is written, so there would be nothing left to
  compare with. Just before that, :func:`keep_previous_output` moves the old
  files (all but ``OUTPUT_RETENTION``) into ``<CACHE_PATH>/previous-output/``;
  the writer moves an old file back instead of writing when its bytes match.
- Theme static files: Pelican copies them on every build. They are copied
  into the same folder first.

At the end, :func:`restore_unchanged_output` moves back every old file whose
new copy has the same bytes and deletes the rest of that folder. So output
is exactly what Pelican would have written (stale pages still go away with
``DELETE_OUTPUT_DIRECTORY``) while unchanged files keep their mtimes. If the
old files cannot be moved (another file system), Pelican's behaviour is kept.
"""

from __future__ import annotations

import filecmp
import io
import logging
import os
import shutil
from pathlib import Path
from typing import IO, Any

from pelican.writers import Writer

from newsdigest.pelican.settings import plugin_settings

logger = logging.getLogger(__name__)

#: Suffix of the file a changed output is written to before it is renamed.
PARTIAL_SUFFIX = ".partial"
PREVIOUS_OUTPUT = "previous-output"


def previous_output_path(settings: dict[str, Any]) -> Path:
    """Where a build keeps the old outputs it may reuse."""
    return Path(settings["CACHE_PATH"]) / PREVIOUS_OUTPUT


def same_bytes(path: Path | str, data: bytes) -> bool:
    """Whether the regular file at ``path`` holds exactly ``data``."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False


def keep_or_restore(target: Path | str, data: bytes, previous: Path | None) -> bool:
    """Whether ``target`` holds ``data``, once ``previous`` is moved back if it does.

    ``previous`` is the old copy of ``target`` set aside by
    :func:`keep_previous_output`; moving it back keeps its mtime.
    """
    if same_bytes(target, data):
        return True
    if previous is not None and same_bytes(previous, data):
        os.replace(previous, target)
        return True
    return False


def write_if_changed(
    target: Path | str, data: bytes, previous: Path | None = None
) -> bool:
    """Write ``data`` to ``target`` unless it holds it already; return whether it wrote.

    For files a generator writes itself rather than through the writer.
    ``previous`` is as for :func:`keep_or_restore`; a changed file is written
    to a ``.partial`` sibling and renamed over the old one.
    """
    if keep_or_restore(target, data, previous):
        return False
    partial = f"{target}{PARTIAL_SUFFIX}"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, target)
    return True


class PendingOutput(io.StringIO):
    """One output's text, written on close only if its bytes changed.

    ``opened`` is the file Pelican's own checks opened: the ``.partial``
    sibling of the output, or ``os.devnull`` when Pelican skips the output.
    A changed output is written there and renamed over the old file.
    """

    def __init__(self, target: str, opened: IO[str], previous: Path) -> None:
        super().__init__()
        self._target = target
        self._opened = opened
        self._previous = previous

    @property
    def skipped(self) -> bool:
        """Whether Pelican skips this output (an earlier write overrides it)."""
        return self._opened.name == os.devnull

    def release(self) -> None:
        """Close the ``.partial`` file until :meth:`reopen` (maybe in a child)."""
        self._opened.close()

    def reopen(self) -> PendingOutput:
        """Open the ``.partial`` file again, to write the output through this object."""
        self._opened = open(  # noqa: SIM115 (closed by close(), like Pelican's)
            self._opened.name, "w", encoding=self._opened.encoding
        )
        return self

    def close(self) -> None:
        """Write the output if its bytes changed, then close."""
        if not self.closed:
            self._finish(self.getvalue())
        super().close()

    def __exit__(self, kind: object, *details: object) -> None:
        """Write on success; after an error, leave the old file as it was."""
        if kind is None:
            self.close()
        else:
            self.discard()
            super().close()

    def _finish(self, text: str) -> None:
        opened = self._opened
        if self.skipped or keep_or_restore(
            self._target,
            text.replace("\n", os.linesep).encode(opened.encoding),
            self._previous,
        ):
            self.discard()
        else:
            opened.write(text)
            opened.close()
            os.replace(opened.name, self._target)

    def discard(self) -> None:
        """Close the ``.partial`` file and remove it (if it is still there)."""
        self._opened.close()
        if not self.skipped:
            Path(self._opened.name).unlink(missing_ok=True)


class KeepUnchangedWriter(Writer):
    """Pelican's writer, except that an output with unchanged bytes is not rewritten."""

    def _open_w(
        self, filename: str, encoding: str, override: bool = False
    ) -> PendingOutput:
        """Open ``filename`` for writing; Pelican's checks apply to its ``.partial``."""
        partial = super()._open_w(filename + PARTIAL_SUFFIX, encoding, override)
        relative = os.path.relpath(filename, self.output_path)
        previous = previous_output_path(self.settings) / relative
        return PendingOutput(filename, partial, previous)


def keep_previous_output(generator: Any) -> None:
    """Before a build writes anything, set aside what it would overwrite blindly."""
    settings = generator.settings
    if not plugin_settings(settings)["NEWSDIGEST_KEEP_UNCHANGED_OUTPUT"]:
        return
    output = Path(settings["OUTPUT_PATH"]).resolve()
    previous = previous_output_path(settings).resolve()
    shutil.rmtree(previous, ignore_errors=True)  # left by an interrupted build
    if not output.is_dir():
        return
    previous.mkdir(parents=True)
    if settings["DELETE_OUTPUT_DIRECTORY"] and _pelican_empties(settings, output):
        for entry in sorted(output.iterdir()):
            if entry.name in settings["OUTPUT_RETENTION"] or previous.is_relative_to(
                entry
            ):
                continue
            try:
                entry.rename(previous / entry.name)
            except OSError as error:
                logger.info("not keeping old outputs, Pelican rewrites all: %s", error)
                return
    theme_static = output / settings["THEME_STATIC_DIR"]
    if theme_static.is_dir() and theme_static != output:
        shutil.copytree(
            theme_static, previous / settings["THEME_STATIC_DIR"], dirs_exist_ok=True
        )


def restore_unchanged_output(pelican: Any) -> None:
    """Move back old files whose new copy has the same bytes; drop the rest."""
    previous = previous_output_path(pelican.settings)
    if not previous.is_dir():
        return
    output = Path(pelican.output_path)
    for old in list(previous.rglob("*")):  # files move out while we look
        new = output / old.relative_to(previous)
        if (
            old.is_file()
            and not old.is_symlink()
            and new.is_file()
            and not new.is_symlink()
            and filecmp.cmp(old, new, shallow=False)
        ):
            os.replace(old, new)
    shutil.rmtree(previous, ignore_errors=True)


def _pelican_empties(settings: dict[str, Any], output: Path) -> bool:
    """Whether Pelican will empty ``output`` (never when it holds the content)."""
    return not Path(settings["PATH"]).resolve().is_relative_to(output)
