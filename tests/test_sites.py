"""Layer (d): tiny sites built with mkdocs build --strict, good and broken, and the real site."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, mkdocs_build

pytestmark = pytest.mark.slow

TINY_CONFIG = f"""\
site_name: Tiny
use_directory_urls: false
hooks: [{ROOT / "macros" / "adapters" / "mkdocs_hooks.py"}]
theme: {{name: material, font: false}}
plugins:
  - search
  # The engine is imported as an installed-style module (PYTHONPATH), as a site elsewhere would.
  - macros: {{modules: [macros], on_error_fail: true, on_undefined: strict, render_by_default: false}}
markdown_extensions: [admonition, attr_list, md_in_html]
"""


def tiny_site(tmp_path: Path, decision_files: list[Path], page_guides: list[str], config: str = TINY_CONFIG) -> Path:
    """A site with the fixture procedures, the given decision files and a page per listed guide."""
    site = tmp_path / "tiny"
    shutil.copytree(FIXTURES / "docs", site / "docs")
    (site / "decisions").mkdir()
    for path in decision_files:
        shutil.copy(path, site / "decisions" / path.name)
    (site / "docs" / "index.md").write_text("# Tiny\n")
    (site / "docs" / "guides").mkdir(exist_ok=True)  # git keeps no empty folder in the fixtures
    for guide_id in page_guides:
        page = f'---\ntitle: {guide_id}\nrender_macros: true\n---\n\n{{{{ guide("{guide_id}") }}}}\n'
        (site / "docs" / "guides" / f"{guide_id}.md").write_text(page)
    (site / "mkdocs.yml").write_text(config)
    return site


def test_tiny_site_builds_strict_and_renders_the_guide(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "guides" / "small.html").read_text()
    assert 'data-guide="small"' in html
    assert 'href="../procedures/alpha.html"' in html
    assert (tmp_path / "out" / "procedures" / "alpha.html").is_file()


def test_a_broken_decision_file_no_page_uses_fails_the_build_with_check_messages(tmp_path: Path) -> None:
    broken = FIXTURES / "broken" / "cycle.yml"
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml", broken], ["small"])
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    expected = (broken.with_suffix(".expected")).read_text().replace("tests/fixtures/broken/", "decisions/")
    for line in expected.splitlines():
        assert line.split(":", 1)[1] in result.stderr, line
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "guides" / "small.html").exists(), "nothing may be published"


def test_a_page_asking_for_an_unknown_guide_fails_the_build(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    (site / "docs" / "guides" / "typo.md").write_text('---\nrender_macros: true\n---\n{{ guide("smal") }}\n')
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "guides/typo.md: unknown guide 'smal' (known: small)" in result.stderr
    assert "Traceback" not in result.stderr, "one located message, no traceback"


def test_a_guide_that_cannot_be_drawn_fails_the_build_with_one_message(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out", {"DRG_GRAPHVIZ": "no-such-graphviz"})
    assert result.returncode != 0
    assert "guides/small.md: DRG_GRAPHVIZ is set to 'no-such-graphviz', which is not an executable program" in result.stderr
    assert "Traceback" not in result.stderr
    (site / "docs" / "guides" / "bare.md").write_text("---\nrender_macros: true\n---\n{{ guide() }}\n")
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out2")
    assert result.returncode != 0
    assert 'guides/bare.md: guide() takes one guide id in quotes, such as {{ guide("small") }}' in result.stderr
    assert "Traceback" not in result.stderr


def test_a_macro_syntax_error_or_unknown_name_fails_the_build_with_one_located_message(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    page = site / "docs" / "guides" / "typo.md"
    page.write_text("---\nrender_macros: true\n---\n\nText.\n{{ guide( }}\n")
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "guides/typo.md:6: macro syntax error: unexpected '}', expected ')'" in result.stderr
    assert "Traceback" not in result.stderr
    page.write_text('---\nrender_macros: true\n---\n{{ gide("small") }}\n')
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    line = next(line for line in result.stderr.splitlines() if "unknown name" in line)
    lead = "ERROR   -  guides/typo.md: unknown name 'gide' in {{ }}; the macros are: "
    assert line.startswith(lead), line
    assert {"guide", "page_index"} <= set(line.removeprefix(lead).split(", ")), "the valid choices are listed"
    assert "Traceback" not in result.stderr


def test_a_page_that_loads_from_another_host_fails_the_build_naming_page_and_address(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    page = site / "docs" / "procedures" / "beta.md"
    page.write_text(page.read_text() + '\n![logo](https://evil.example/logo.png)\n\n<script src="//evil.example/x.js"></script>\n')
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert (
        "procedures/beta.md: <img src> loads https://evil.example/logo.png from another host; the site must work with no other host"
        in result.stderr
    )
    assert (
        "procedures/beta.md: <script src> loads //evil.example/x.js from another host; the site must work with no other host"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "procedures" / "beta.html").exists(), "the page is refused before it is written"
    page.write_text("# Beta\n")
    (site / "docs" / "extra.css").write_text('@import url("https://evil.example/font.css");\n')
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text() + "extra_css: [extra.css]\n")
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "extra.css: loads https://evil.example/font.css from another host; the site must work with no other host" in result.stderr
    assert "Traceback" not in result.stderr


def export() -> dict:
    out = subprocess.run([sys.executable, "-m", "macros", "export"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_every_export_url_and_procedure_exists_in_the_real_site(built_site: Path) -> None:
    data = export()
    assert data["guides"], "the site must have guides"
    for guide in data["guides"]:
        page = built_site / guide["url"]
        assert page.is_file(), guide["url"]
        html = page.read_text()
        assert f'data-guide="{guide["id"]}"' in html
        for question in guide["questions"]:
            assert f'id="q-{question["id"]}"' in html
        for outcome in guide["outcomes"]:
            assert f'id="o-{outcome["id"]}"' in html
            for procedure in outcome["procedures"]:
                assert (built_site / procedure["url"]).is_file(), procedure["url"]


def test_the_real_site_makes_no_reference_to_another_host_in_scripts_or_styles(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        assert "fonts.googleapis.com" not in html, page
        assert '<script src="http' not in html, page
        assert '<link rel="stylesheet" href="http' not in html, page


def test_a_site_without_the_adapter_hooks_fails_instead_of_dropping_its_guides(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    config = site / "mkdocs.yml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if not line.startswith("hooks:")))
    result = mkdocs_build(config, tmp_path / "out")
    assert result.returncode != 0
    assert "mkdocs.yml: add macros/adapters/mkdocs_hooks.py under hooks: (it puts the rendered guides into their pages)" in result.stderr
