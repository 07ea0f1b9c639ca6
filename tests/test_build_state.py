"""Layer (d): no state outlives a build; two builds in one process, as mkdocs serve runs them."""

from __future__ import annotations

import gc
import logging
import subprocess
import weakref
from pathlib import Path

import pytest

from macros.engine.catalog import load_catalog
from macros.html import diagram
from macros.html.buildstate import GuideBuild, UnfilledSlot
from macros.html.render import GuideRenderer

from .conftest import FIXTURES
from .test_sites import tiny_site

pytestmark = pytest.mark.slow


def build_in_process(config_file: Path, out: Path) -> None:
    """What mkdocs serve does for each rebuild: load the config afresh, then build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(load_config(str(config_file), site_dir=str(out), strict=True))


def test_two_builds_in_one_process_share_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    builds: list[weakref.ref[GuideBuild]] = []
    real_init = GuideBuild.__init__

    def recording_init(self: GuideBuild, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        builds.append(weakref.ref(self))

    graphviz_runs: list[str] = []
    real_run = subprocess.run

    def counting_run(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
        command = args[0] if args else kwargs.get("args")
        if isinstance(command, list) and "graphviz" in str(command[0]):  # not git (the site version)
            graphviz_runs.append(str(command[0]))
        return real_run(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(GuideBuild, "__init__", recording_init)
    monkeypatch.setattr(diagram.subprocess, "run", counting_run)

    pages = []
    runs = []
    for n in (1, 2, 3):
        before = len(graphviz_runs)
        build_in_process(site / "mkdocs.yml", tmp_path / f"out{n}")
        runs.append(len(graphviz_runs) - before)
        pages.append((tmp_path / f"out{n}" / "guides" / "small.html").read_text())
        gc.collect()

    assert len(builds) == 3, "each build creates its own state"
    assert [ref() for ref in builds] == [None, None, None], "a finished build's state is freed (serve must not grow memory)"
    assert runs == [1, 1, 1], "each build draws its maps again: no diagram cache carries over"
    assert 'data-guide="small"' in pages[0]
    assert pages[0] == pages[1] == pages[2], "a rebuild renders the same page, slot keys included"
    assert "drg-guide-slot" not in pages[0]


def test_slots_are_filled_once_and_forgotten() -> None:
    catalog = load_catalog(FIXTURES / "valid", FIXTURES / "docs")
    build = GuideBuild(catalog, GuideRenderer(catalog), {"label": "test"})
    first = build.slot("small", "guides/small.html")
    second = build.slot("small", "guides/other.html")
    assert first != second
    assert len(build.pending) == 2
    page = build.fill_slots(f"<p>before</p>{first}<p>after</p>")
    assert 'data-guide="small"' in page
    assert "drg-guide-slot" not in page
    assert len(build.pending) == 1, "a filled slot's guide is not kept"
    with pytest.raises(UnfilledSlot, match="has no rendered guide in this build, so its guide would be lost"):
        build.fill_slots(first)  # a slot is filled once; a slot of no guide is an error, not a silent gap
