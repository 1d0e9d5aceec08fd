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
from typing import Any

from pelican.writers import FileOverwriteFailedError, Writer

from newsdigest.filewrites import keep_or_restore, replace_file
from newsdigest.pelican.reuse import PageReuse
from newsdigest.pelican.settings import plugin_settings

logger = logging.getLogger(__name__)

PREVIOUS_OUTPUT = "previous-output"


def previous_output_path(settings: dict[str, Any]) -> Path:
    """Where a build keeps the old outputs it may reuse."""
    return Path(settings["CACHE_PATH"]) / PREVIOUS_OUTPUT


class PendingOutput(io.StringIO):
    """One output's text, written on close only if its bytes changed.

    A changed output is written to its ``.partial`` sibling and renamed over
    the old file; nothing is created for an unchanged one, nor for one Pelican
    skips (``skipped``: an earlier, overriding write of the same file stands).
    """

    def __init__(
        self, target: str, encoding: str, previous: Path, *, skipped: bool = False
    ) -> None:
        super().__init__()
        self._target = target
        self._encoding = encoding
        self._previous = previous
        self.skipped = skipped

    def close(self) -> None:
        """Write the output if its bytes changed, then close."""
        if not self.closed and not self.skipped:
            data = self.getvalue().replace("\n", os.linesep).encode(self._encoding)
            if not keep_or_restore(self._target, data, self._previous):
                replace_file(self._target, data)
        super().close()

    def __exit__(self, kind: object, *details: object) -> None:
        """Write on success; after an error, leave the old file as it was."""
        if kind is None:
            self.close()
        else:
            self.discard()

    def discard(self) -> None:
        """Close without writing anything."""
        self.skipped = True
        super().close()

    def __del__(self) -> None:
        """Write nothing when collected: only ``close`` (or ``with``) writes.

        A page rendered in another process leaves this process's copy unused.
        """
        self.skipped = True


class KeepUnchangedWriter(Writer):
    """Pelican's writer, except that an output with unchanged bytes is not rewritten.

    An article page whose inputs did not change since the last build is not
    even rendered (:mod:`newsdigest.pelican.reuse`).
    """

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings)
        self.reuse = PageReuse(
            self.settings, previous_output_path(self.settings), self._written_files
        )

    def write_file(self, name: str, template: Any, context: dict, *args, **kwargs):
        """Pelican's ``write_file``; an unchanged article page keeps its last text."""
        template = self.reuse.template_for(name, template, context, kwargs)
        return super().write_file(name, template, context, *args, **kwargs)

    def note_written(self, filename: str) -> None:
        """Count a file a generator wrote itself (a feed, a sitemap) as output.

        Page reuse keeps it with the build's other outputs, and a later
        build that does not write it deletes it as stale.
        """
        self._written_files.add(filename)

    def _open_w(
        self, filename: str, encoding: str, override: bool = False
    ) -> PendingOutput:
        """Pelican's rules against writing one file twice; the file waits for close.

        The rules are those of Pelican's ``Writer._open_w`` (4.12), which
        would also create the file: opening (and for an unchanged page then
        deleting) a file per page cost about half a millisecond each.
        """
        relative = os.path.relpath(filename, self.output_path)
        previous = previous_output_path(self.settings) / relative
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time '
                    "(was previously overwritten)"
                )
            logger.info('Skipping "%s", not overwriting', filename)
            return PendingOutput(filename, encoding, previous, skipped=True)
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return PendingOutput(filename, encoding, previous)


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
    if not same_file_system(previous, output):
        # Old files could be copied aside, never moved back: Pelican's way.
        logger.info("not keeping old outputs: %s is on another file system", output)
        previous.rmdir()
        return
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


def same_file_system(one: Path, other: Path) -> bool:
    """Whether a file can be renamed from folder ``one`` into folder ``other``."""
    return one.stat().st_dev == other.stat().st_dev


def _pelican_empties(settings: dict[str, Any], output: Path) -> bool:
    """Whether Pelican will empty ``output`` (never when it holds the content)."""
    return not Path(settings["PATH"]).resolve().is_relative_to(output)
