"""A build meant for publishing bakes in no local address; DRG_SITE_URL sets the public one; the
home page links the binder only once the PDF is there; search leaves Sources sections out."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from macros.binderlink import show_binder_link

from .conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow

LOCAL = re.compile(r"(?:127\.0\.0\.1|localhost)(?::\d+)?/")


def published_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.suffix in {".html", ".xml", ".json"} and not p.is_relative_to(site / "assets")]


def test_a_build_without_a_public_address_bakes_in_no_local_one(built_site: Path) -> None:
    if os.environ.get("DRG_SITE_URL"):
        pytest.skip("DRG_SITE_URL is set in this environment")
    files = published_files(built_site)
    assert len(files) > 20
    baked = [str(p.relative_to(built_site)) for p in files if LOCAL.search(p.read_text(encoding="utf-8"))]
    assert not baked, f"a local address in {baked}"
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in home
    assert 'name="drg-site-url"' not in home


def test_drg_site_url_sets_the_canonical_link_sitemap_and_ticket_address(tmp_path: Path) -> None:
    public = "https://dr.example.org/exchange/"
    out = tmp_path / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", out, env={"DRG_SITE_URL": public})
    assert result.returncode == 0, result.stderr
    page = (out / "procedures" / "e2007-recover-cms.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{public}procedures/e2007-recover-cms.html">' in page
    assert f'<meta name="drg-site-url" content="{public}">' in page
    assert f"<loc>{public}procedures/e2007-recover-cms.html</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert not [p for p in published_files(out) if LOCAL.search(p.read_text(encoding="utf-8"))]


def test_sources_sections_are_left_out_of_search_and_procedures_are_boosted(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    procedures = {d["location"].split("#")[0] for d in docs if d["location"].startswith("procedures/e")}
    assert len(procedures) > 10
    assert not [d["location"] for d in docs if d["location"].endswith("#sources")]
    assert {d.get("boost") for d in docs if d["location"].startswith("procedures/e")} == {4}
    # Pages that cite commands rank after the procedures; the symptom index, where a code or message
    # lands, is weighed as a procedure (its front matter).
    citing = [
        d for d in docs if d["location"].startswith(("reference/", "guides/")) and not d["location"].startswith("reference/symptoms.")
    ]
    assert citing
    assert not [d["location"] for d in citing if d.get("boost", 1) > 1]


def test_the_binder_link_is_hidden_until_the_pdf_is_written(tmp_path: Path) -> None:
    source = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert re.search(r"<p [^>]*data-drg-binder hidden>.*href=\"exchange-dr-binder.pdf\"", source)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<p class="x" data-drg-binder hidden>the <a href="exchange-dr-binder.pdf">binder</a></p>')
    pdf = site / "exchange-dr-binder.pdf"
    assert not show_binder_link(site, pdf), "no PDF, no link"
    assert " hidden" in (site / "index.html").read_text()
    assert not show_binder_link(site, tmp_path / "elsewhere.pdf")
    pdf.write_bytes(b"%PDF-1.7\n")
    assert show_binder_link(site, pdf)
    assert (site / "index.html").read_text() == '<p class="x" data-drg-binder>the <a href="exchange-dr-binder.pdf">binder</a></p>'
    assert show_binder_link(site, pdf), "a second run leaves it shown"
