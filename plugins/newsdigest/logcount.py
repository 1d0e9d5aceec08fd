"""A log handler that counts the records at or above a level."""

from __future__ import annotations

import logging

#: The loggers whose records a build's errors come through.
BUILD_LOGGERS = ("pelican", "newsdigest")


class LogCount(logging.Handler):
    """Counts the records it is handed at ``level`` or above."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        """Count ``record``."""
        self.count += 1

    def attach(self, names: tuple[str, ...] = BUILD_LOGGERS) -> LogCount:
        """Start counting what the loggers ``names`` log.

        Their own loggers, not the root one: a handler there before Pelican
        sets up logging would keep Pelican from setting it up. With ``-q``
        Pelican logs no errors, so none are counted.
        """
        self._names = names
        for name in names:
            logging.getLogger(name).addHandler(self)
        return self

    def detach(self) -> None:
        """Stop counting."""
        for name in self._names:
            logging.getLogger(name).removeHandler(self)
