"""Shared fixtures: isolated Pelican signals and throwaway projects."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import Path

import blinker
import pytest
from browserkit import launch
from pelican import signals
from playwright.sync_api import Browser, sync_playwright
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run; each test opens its own pages."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
