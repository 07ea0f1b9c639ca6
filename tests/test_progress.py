"""make binder shows its stage and the page WeasyPrint is laying out on a terminal, and nothing in
a CI log or when its output is not a terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from macros.progress import Progress, wanted

from .conftest import ROOT


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_wanted_on_a_terminal_only_and_never_under_ci() -> None:
    assert wanted(Terminal(), {})
    assert not wanted(io.StringIO(), {})
    assert not wanted(Terminal(), {"CI": "true"})
    assert not wanted(Terminal(), {"CI": "1"})
    assert wanted(Terminal(), {"CI": "false"})


def test_weasyprint_steps_and_pages_become_one_status_line(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from weasyprint import HTML

    out = Terminal()
    progress = Progress("binder", out, enabled=True)
    progress.stage("assembling the binder")
    pages = "".join(f'<p style="break-before: page">page {n}</p>' for n in range(3))
    with progress.follow_weasyprint():
        HTML(string=f"<html><body>{pages}</body></html>").write_pdf(tmp_path / "x.pdf")
    progress.close()
    text = out.getvalue()
    for shown in ("binder: assembling the binder", "binder: laying out: page 1", "binder: laying out: page 3", "binder: writing the PDF"):
        assert shown in text
    assert text.endswith("\r\x1b[K"), "the line is cleared for what follows"
    assert "\n" not in text, "one line, rewritten in place"


def test_quiet_progress_writes_nothing_and_leaves_weasyprint_alone(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    import logging

    from weasyprint import HTML

    out = io.StringIO()
    progress = Progress("binder", out)
    assert not progress.enabled
    progress.stage("reading")
    with progress.follow_weasyprint():
        HTML(string="<p>x</p>").write_pdf(tmp_path / "x.pdf")
    progress.close()
    assert out.getvalue() == ""
    assert not logging.getLogger("weasyprint.progress").handlers


@pytest.mark.parametrize("ci", ["", "true"])
def test_the_binder_command_shows_progress_on_a_terminal_unless_ci(tmp_path: Path, ci: str) -> None:
    # A site with nothing in it fails fast, after its first stage: enough to see the status line.
    primary, secondary = pty.openpty()
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "macros", "binder", "--site", str(tmp_path), "--out", str(tmp_path / "b.pdf")],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    text = b"".join(chunks).decode()
    assert result.returncode == 1, text
    assert ("binder: reading the pages of the built site" in text) == (ci == ""), text
