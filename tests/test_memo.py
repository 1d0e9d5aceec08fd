"""Per-story results kept between builds: reused only when nothing they read changed."""

from __future__ import annotations

import filecmp
import importlib
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from sitekit import Project

from newsdigest import pickles
from newsdigest.content import frontmatter
from newsdigest.content.storyfile import report_from_meta
from newsdigest.pelican.memo import MEMO_NAME, PARALLEL_FROM, Memo
from newsdigest.stories.syndication import copy_groups

#: The modules, not the functions ``newsdigest.pelican`` exports by their names.
ENRICH = importlib.import_module("newsdigest.pelican.enrich")
THREADS = importlib.import_module("newsdigest.pelican.threads")


def one(memo: Memo, kind: str, inputs: object, compute: Callable[[], object]) -> object:
    """One result from ``memo``."""
    return memo.results(kind, [(inputs, compute)])[0]


def test_a_result_is_computed_once_and_kept_for_the_next_build(tmp_path: Path) -> None:
    path = tmp_path / MEMO_NAME
    calls: list[str] = []
    first = Memo(path)
    assert one(first, "double", (2,), lambda: calls.append("a") or 4) == 4
    assert one(first, "double", (2,), lambda: calls.append("b") or 5) == 4
    first.save()
    second = Memo(path)
    assert one(second, "double", (2,), lambda: calls.append("c") or 6) == 4
    assert one(second, "double", (3,), lambda: calls.append("d") or 6) == 6
    assert calls == ["a", "d"]


def test_saving_drops_what_the_build_did_not_ask_for(tmp_path: Path) -> None:
    path = tmp_path / MEMO_NAME
    first = Memo(path)
    one(first, "kind", "old", lambda: 1)
    one(first, "kind", "kept", lambda: 2)
    first.save()
    second = Memo(path)
    one(second, "kind", "kept", lambda: 0)
    second.save()
    assert one(Memo(path), "kind", "old", lambda: "computed") == "computed"
    assert one(Memo(path), "kind", "kept", lambda: "computed") == 2


def test_results_of_other_code_or_a_broken_file_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / MEMO_NAME
    kept = Memo(path)
    one(kept, "kind", "x", lambda: "old code")
    kept.save()
    monkeypatch.setattr(pickles, "code_version", lambda: "edited code")
    assert one(Memo(path), "kind", "x", lambda: "new code") == "new code"
    path.write_bytes(b"not a pickle")
    assert one(Memo(path), "kind", "x", lambda: "afresh") == "afresh"


def test_many_missing_results_are_computed_in_several_processes(
    tmp_path: Path,
) -> None:
    memo = Memo(tmp_path / MEMO_NAME, processes=2)
    jobs = [((n,), partial(_square_and_pid, n)) for n in range(PARALLEL_FROM)]
    found = memo.results("square", [*jobs, jobs[0]])
    assert [square for square, _pid in found] == [
        *(n * n for n in range(PARALLEL_FROM)),
        0,
    ]
    assert len({pid for _square, pid in found}) == 2
    memo.save()
    again = Memo(tmp_path / MEMO_NAME, processes=2).results("square", jobs[:2])
    assert again == found[:2]


def _square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_no_memo_without_the_content_cache(tmp_path: Path) -> None:
    off = {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": "c"}
    assert Memo.for_settings(off).path is None
    on = {**off, "CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path)}
    assert Memo.for_settings(on).path == tmp_path / MEMO_NAME


@pytest.fixture
def sample(project: Project) -> Project:
    """The bundled sample content: copies, claims, threads and topics."""
    project.add_sample()
    return project


def test_a_rebuild_with_the_memo_writes_what_a_cold_build_writes(
    sample: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    sample.build(**cached)
    assert (sample.root / "cache" / MEMO_NAME).is_file()
    edited = _edit_into_a_copy(sample.content)
    computed: list[str] = []
    for module, name in [
        (ENRICH, "copy_groups"),
        (ENRICH, "_country_code"),
        (THREADS, "scan_item"),
    ]:
        function = getattr(module, name)
        monkeypatch.setattr(module, name, _counting(function, name, computed))

    warm = sample.build(**cached)

    # Only the edited story's results were computed again.
    assert computed == ["copy_groups", "_country_code", "scan_item"], edited
    cold = sample.build(
        OUTPUT_PATH=str(tmp_path / "cold"), CACHE_PATH=str(tmp_path / "cold-cache")
    )
    assert sorted(_files(warm)) == sorted(_files(cold))
    _, mismatch, errors = filecmp.cmpfiles(warm, cold, _files(warm), shallow=False)
    assert (mismatch, errors) == ([], [])


def _edit_into_a_copy(content: Path) -> Path:
    """Give a story's last report the first one's summary: a syndicated copy now."""
    for path in sorted(content.glob("stories/**/*.md")):
        document = frontmatter.read(path)
        reports = document.meta.get("reports") or []
        if len(reports) > 2 and len(reports[0]["summary"].split()) > 20:
            reports[-1]["summary"] = reports[0]["summary"]
            path.write_text(frontmatter.dump(document.meta, document.body))
            records = [report_from_meta(r) for r in reports]
            assert copy_groups(records), "the edit makes a copy"
            return path
    raise AssertionError("the sample has no story with three long reports")


def _counting(function, name: str, calls: list[str]):
    def counted(*args, **kwargs):
        calls.append(name)
        return function(*args, **kwargs)

    return counted


def _files(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
