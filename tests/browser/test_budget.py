"""The guide's own JavaScript and CSS stay small (no browser needed)."""

from __future__ import annotations

from ..conftest import ROOT

ASSETS = ROOT / "docs" / "assets" / "drg"
# Bytes, unminified. 20,000 until issue 10 (2026-12-03) added the map's views and scrolling, the
# ticket address logic and the checks of ids from the URL: 19,746 -> 29,351 bytes.
BUDGET = 32_000
# The guide's own code: its script and styles, the helpers it shares with procedures, the map styles.
GUIDE_ASSETS = ("guide.js", "guide.css", "common.js", "map.css")


def test_the_guide_script_and_styles_stay_under_budget() -> None:
    size = sum((ASSETS / name).stat().st_size for name in GUIDE_ASSETS)
    assert size < BUDGET, f"{' + '.join(GUIDE_ASSETS)} are {size} bytes; the budget is {BUDGET}"


def test_the_scripts_and_styles_are_loaded_by_mkdocs_yml() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    for name in (
        "common.js",
        "incident.js",
        "guide.js",
        "guide.css",
        "map.css",
        "procedure.js",
        "procedure.css",
        "theme.js",
        "theme.css",
        "iframe-worker.js",
    ):
        assert (ASSETS / name).is_file(), name
        assert f"assets/drg/{name}" in config, f"{name} is not listed in mkdocs.yml"
