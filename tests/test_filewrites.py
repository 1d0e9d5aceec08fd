"""filewrites.replace_file: a sibling written, then renamed over the target."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from newsdigest.filewrites import replace_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_replaces_the_target_and_makes_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "page.html"
    replace_file(target, b"one")
    replace_file(target, "twó")
    assert target.read_bytes() == "twó".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]


def test_fixed_sibling_is_made_with_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    old = os.umask(0o027)
    try:
        replace_file(target, b"{}", sibling=".{name}.partial")
    finally:
        os.umask(old)
    assert _mode(target) == 0o640


def test_random_sibling_is_owner_only_unless_a_mode_is_given(tmp_path: Path) -> None:
    kept, story = tmp_path / "cache.pickle", tmp_path / "story.md"
    replace_file(kept, b"x", sibling=".{name}-{random}")
    replace_file(story, b"x", sibling=".#{random}.tmp", fsync=True, mode=0o644)
    assert (_mode(kept), _mode(story)) == (0o600, 0o644)


def test_a_failed_check_leaves_the_old_file_and_no_sibling(tmp_path: Path) -> None:
    target = tmp_path / "sources.yaml"
    target.write_bytes(b"old")

    def changed() -> None:
        assert [p.name for p in tmp_path.glob(".sources.yaml.*.tmp")]
        raise RuntimeError("changed meanwhile")

    with pytest.raises(RuntimeError):
        replace_file(
            target, b"new", sibling=".{name}.{random}.tmp", before_replace=changed
        )
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["sources.yaml"]
