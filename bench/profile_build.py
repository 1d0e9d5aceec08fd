"""Where one build's wall time goes: start-up, read, enrich, render, write, finish.

    python -m bench.profile_build SITE [SETTINGS]

Builds ``SITE`` (a folder with ``benchconf.py``, as ``make bench`` lays it
out; keep one with ``--keep``) in this process. Phases are cut at Pelican's
signals; rendering is the time spent in ``jinja2.Template.render`` during
the output phase, per template, and writing is the rest of that phase (the
writer, feeds, sitemaps, files copied), with pages rendered in this one
process (``NEWSDIGEST_RENDER_PROCESSES = 1``). No profiler runs, so the
figures are real times.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

#: Start-up is timed from here: Pelican, Jinja and the plugin load after it.
STARTED = time.perf_counter()

#: Signal -> the phase that starts when it fires, in firing order.
PHASES = {
    "article_generator_init": "read (readers, cache, Article objects)",
    "all_generators_finalized": "enrich (coverage, related, rank) and links",
    "get_writer": "output (render + write)",
    "finalized": "finish (finalized receivers)",
}


def timed_render(render: Callable[..., str], spent: Counter[str]) -> Callable[..., str]:
    """``Template.render``, adding the time each call takes to ``spent[name]``."""

    def render_and_time(template: Any, *args: Any, **kwargs: Any) -> str:
        start = time.perf_counter()
        try:
            return render(template, *args, **kwargs)
        finally:
            spent[f"render {template.name}"] += time.perf_counter() - start

    return render_and_time


def profile(site: Path, settings_name: str) -> dict[str, float]:
    """Build ``site`` once; seconds per phase, in order."""
    import jinja2  # noqa: PLC0415 (timed as start-up)
    from pelican import Pelican, signals  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    marks = [("start-up (imports, settings, plugins)", STARTED)]

    def mark(label: str) -> Callable[..., None]:
        def receiver(*_args: Any, **_kwargs: Any) -> None:
            if all(label != name for name, _ in marks):
                marks.append((label, time.perf_counter()))

        return receiver

    receivers = [mark(label) for label in PHASES.values()]
    for name, receiver in zip(PHASES, receivers, strict=True):
        getattr(signals, name).connect(receiver)
    rendering: Counter[str] = Counter()
    jinja2.Template.render = timed_render(jinja2.Template.render, rendering)
    os.chdir(site)
    # One process renders, so each page's render is timed here.
    settings = read_settings(settings_name, {"NEWSDIGEST_RENDER_PROCESSES": 1})
    Pelican(settings).run()
    marks.append(("end", time.perf_counter()))
    phases = {label: end - start for (label, start), (_next, end) in pairwise(marks)}
    output = phases.pop(PHASES["get_writer"])
    return {
        **{k: v for k, v in phases.items() if k != PHASES["finalized"]},
        **dict(rendering.most_common()),
        "write (files, feeds, sitemaps, static)": output - rendering.total(),
        PHASES["finalized"]: phases.get(PHASES["finalized"], 0.0),
    }


if __name__ == "__main__":
    phases = profile(
        Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "benchconf.py"
    )
    total = sum(phases.values())
    for label, seconds in phases.items():
        sys.stdout.write(f"{label:45} {seconds:6.2f} s {seconds / total:6.1%}\n")
    sys.stdout.write(f"{'total':45} {total:6.2f} s\n")
