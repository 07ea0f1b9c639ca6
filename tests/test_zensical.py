"""The second renderer: the same sources built with Zensical (macros/adapters/zensical.py, mkdocs-zensical.yml).

Tiny sites check the guide markup contract of DESIGN.md and the failures; the real site is built
as ``make site-zensical`` builds it, and walked in Chromium from file://.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tools import manifest

from . import test_sites as sites
from .conftest import FIXTURES, ROOT, zensical_build

pytest.importorskip("zensical", reason="Zensical is not installed: make test installs requirements-zensical.txt")

pytestmark = pytest.mark.slow

TINY_CONFIG = """\
site_name: Tiny
use_directory_urls: false
theme: {name: material, font: false}
plugins:
  - search
  - macros: {module_name: "", modules: [macros.adapters.zensical], on_error_fail: true, on_undefined: strict, render_by_default: false}
markdown_extensions: [admonition, attr_list, md_in_html, macros.adapters.zensical]
"""


def tiny_site(tmp_path: Path, decision_files: list[Path], page_guides: list[str]) -> Path:
    """A Zensical project with the fixture procedures, the given decision files and a page per listed guide."""
    return sites.tiny_site(tmp_path, decision_files, page_guides, TINY_CONFIG)


class Markup(HTMLParser):
    """The guide contract's attributes, the JSON island and the map of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[dict[str, str | None]] = []
        self.island = ""
        self._in_island = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.attrs.append({"tag": tag, **found})
        self._in_island = tag == "script" and found.get("type") == "application/json" and "drg-guide__data" in (found.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_island = False

    def handle_data(self, data: str) -> None:
        if self._in_island:
            self.island += data

    def values(self, name: str) -> list[str]:
        """Every value of a data- attribute, in document order."""
        return [str(a[name]) for a in self.attrs if name in a]


def read_markup(page: Path) -> Markup:
    parser = Markup()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_a_tiny_site_built_with_zensical_keeps_the_guide_markup_contract(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    result = zensical_build(site / "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    page = site / "site" / "guides" / "small.html"
    html = page.read_text(encoding="utf-8")
    markup = read_markup(page)
    assert markup.values("data-guide") == ["small"]
    assert set(markup.values("data-question")) == {"first", "shared"}
    assert set(markup.values("data-outcome")) == {"done-alpha", "done-beta"}
    assert len(markup.values("data-answer")) >= 4
    assert sorted(markup.values("data-action")) == ["copy-summary", "restart"]
    island = json.loads(markup.island)
    assert (island["id"], island["start"], sorted(island["questions"])) == ("small", "first", ["first", "shared"])
    assert island["outcomes"]["done-alpha"]["procedures"][0]["url"] == "../procedures/alpha.html"
    assert 'class="drg-map__svg"' in html, "the decision map is drawn"
    assert "drg-guide-slot" not in html, "every slot is filled after Markdown"
    assert (site / "site" / "procedures" / "alpha.html").is_file()


def test_a_broken_decision_file_fails_the_zensical_build_with_the_check_messages(tmp_path: Path) -> None:
    broken = FIXTURES / "broken" / "cycle.yml"
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml", broken], ["small"])
    result = zensical_build(site / "mkdocs.yml")
    assert result.returncode != 0
    expected = broken.with_suffix(".expected").read_text().replace("tests/fixtures/broken/", "decisions/")
    for line in expected.splitlines():
        assert line.split(":", 1)[1] in result.stderr, line


def test_make_site_zensical_stops_at_a_broken_decision_file_with_located_lines_and_no_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "mkdocs.yml", "mkdocs-zensical.yml"):
        shutil.copy2(ROOT / name, project / name)
    for folder in ("macros", "decisions", "docs", "catalogue", "overrides"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (project / ".venv").symlink_to(ROOT / ".venv")
    (project / "site-zensical").mkdir()  # an earlier build's output, which must not survive a failed one
    decision = sorted((project / "decisions").glob("*.yml"))[0]
    decision.write_text(decision.read_text() + "questions: [unclosed\n")
    stamps = [f"--old-file=.venv/{stamp}" for stamp in (".installed", ".installed-zensical")]  # installed: do not reinstall
    result = subprocess.run(["make", *stamps, "site-zensical"], cwd=project, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert re.search(rf"^decisions/{re.escape(decision.name)}:\d+: yaml: syntax error", output, re.MULTILINE), output
    assert "Traceback" not in output, "the engine's check reports it before Zensical starts"
    assert not (project / "site-zensical").exists()


def test_a_page_asking_for_an_unknown_guide_fails_the_zensical_build(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    (site / "docs" / "guides" / "typo.md").write_text('---\nrender_macros: true\n---\n{{ guide("smal") }}\n')
    result = zensical_build(site / "mkdocs.yml")
    assert result.returncode != 0
    assert "guides/typo.md: unknown guide 'smal' (known: small)" in result.stderr


def test_a_zensical_site_without_the_slot_extension_fails_instead_of_dropping_its_guides(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace(", macros.adapters.zensical]", "]"))
    result = zensical_build(config)
    assert result.returncode != 0
    assert "add macros.adapters.zensical under markdown_extensions: (it puts the rendered guides into their pages)" in result.stderr


# --- The real site, as make site-zensical builds it ----------------------------------------------


def export() -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "macros", "export"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_every_guide_of_the_real_site_is_complete_in_the_zensical_build(zensical_site: Path) -> None:
    for guide in export()["guides"]:
        markup = read_markup(zensical_site / guide["url"])
        assert markup.values("data-guide") == [guide["id"]]
        assert markup.values("data-question") == [q["id"] for q in guide["questions"]]
        assert markup.values("data-outcome") == [o["id"] for o in guide["outcomes"]]
        assert sorted(markup.values("data-action")) == ["copy-summary", "restart"]
        island = json.loads(markup.island)
        assert sorted(island["questions"]) == sorted(q["id"] for q in guide["questions"])
        for outcome in guide["outcomes"]:
            for procedure in outcome["procedures"]:
                assert (zensical_site / procedure["url"]).is_file(), procedure["url"]
        assert 'class="drg-map__svg"' in (zensical_site / guide["url"]).read_text(encoding="utf-8"), guide["id"]


def test_every_published_url_leads_somewhere_in_the_zensical_build(zensical_site: Path) -> None:
    report = manifest.compare(manifest.read_manifest(), manifest.scan(zensical_site))
    assert not report.missing, report.missing_message()


def test_the_zensical_build_makes_no_reference_to_another_host_in_scripts_or_styles(zensical_site: Path) -> None:
    for page in zensical_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<script src="http' not in html, page
        assert '<link rel="stylesheet" href="http' not in html, page
    assert 'name="drg-version"' in (zensical_site / "procedures" / "e2007-recover-cms.html").read_text(encoding="utf-8")
