"""Progress of long work (the binder) on a terminal: one status line with the stage and the page.

Quiet when the output is not a terminal or when CI is set (CI=true): logs stay readable and only
the final result is printed. WeasyPrint reports its steps and each page it lays out to its
"weasyprint.progress" logger; follow_weasyprint() turns those records into the status line.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_STEPS = [
    (re.compile(r"^Step 1 "), "reading the binder's HTML"),
    (re.compile(r"^Step 2 "), "reading the stylesheets"),
    (re.compile(r"^Step 3 "), "applying the stylesheets"),
    (re.compile(r"^Step 4 "), "building the page boxes"),
    (re.compile(r"^Step 5 .*Repagination #(\d+)"), "laying out again for page numbers, pass {0}"),
    (re.compile(r"^Step 5 .*Page (\d+)"), "laying out: page {0}"),
    (re.compile(r"^Step 6 "), "writing the PDF"),
    (re.compile(r"^Step 7 "), "writing the PDF metadata"),
]


def wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """True when progress belongs on this stream: a terminal, and not a CI run."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """A one-line status on a terminal ("binder: laying out: page 12"); does nothing elsewhere."""

    def __init__(self, prefix: str = "binder", stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.prefix = prefix
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.stage_text = ""
        self.shown = ""

    def __repr__(self) -> str:
        return f"Progress({self.prefix!r}, enabled={self.enabled}, stage={self.stage_text!r})"

    def stage(self, text: str) -> None:
        """Show a new stage of the work."""
        self.stage_text = text
        self._show(text)

    def _show(self, text: str) -> None:
        if not self.enabled or text == self.shown:
            return
        self.shown = text
        self.stream.write(f"\r\x1b[K{self.prefix}: {text}")
        self.stream.flush()

    def weasyprint_record(self, message: str) -> None:
        """Show one of WeasyPrint's progress messages as a stage or a page count."""
        for pattern, text in _STEPS:
            match = pattern.search(message)
            if match:
                self._show(text.format(*match.groups()))
                return

    def close(self) -> None:
        """End the status line so what follows starts on a line of its own."""
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self.shown = ""

    @contextmanager
    def follow_weasyprint(self) -> Iterator[None]:
        """While the block runs, show WeasyPrint's steps and pages (its progress logger)."""
        if not self.enabled:
            yield
            return
        logger = logging.getLogger("weasyprint.progress")
        handler = _Forward(self)
        level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)


class _Forward(logging.Handler):
    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        self.progress.weasyprint_record(record.getMessage())
