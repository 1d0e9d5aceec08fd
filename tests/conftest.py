"""Shared fixtures: isolated Pelican signals and throwaway projects."""

from __future__ import annotations

import weakref
from pathlib import Path

import blinker
import pytest
from pelican import signals
from sitekit import Project

_SIGNALS = [s for s in vars(signals).values() if isinstance(s, blinker.Signal)]


@pytest.fixture(autouse=True)
def _isolate_pelican_signals():
    """Disconnect receivers a test connected: blinker signals are global."""
    before = {signal: set(signal.receivers) for signal in _SIGNALS}
    yield
    for signal in _SIGNALS:
        for key in set(signal.receivers) - before[signal]:
            receiver = signal.receivers[key]
            if isinstance(receiver, weakref.ref):
                receiver = receiver()
            if receiver is not None:
                signal.disconnect(receiver)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project in a temporary folder."""
    return Project(tmp_path)
