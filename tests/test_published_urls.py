"""Stable links: the committed manifest of published URLs (tools/manifest.py), redirects that
keep old URLs working, and a permalink on every heading and guide node of the real site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import manifest as m

from .conftest import mkdocs_build

REDIRECT = '<!doctype html><html><head><meta http-equiv="refresh" content="0; url={}"></head><body></body></html>'
GUIDE = '<article><ol><li id="q-first" data-question="first"><h2><a href="#q-first">Q</a></h2></li></ol><section id="o-done" data-outcome="done"></section></article>'


def fake_site(root: Path, files: dict[str, str]) -> m.Site:
    for name, html in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(html)
    return m.scan(root)


def test_a_url_that_disappears_without_a_redirect_is_reported(tmp_path: Path) -> None:
    site = fake_site(tmp_path, {"index.html": "<h1>Home</h1>", "guides/g.html": GUIDE})
    report = m.compare(["guides/g.html#q-gone", "guides/old.html", "index.html"], site)
    assert report.missing == [
        ("guides/g.html#q-gone", "no anchor #q-gone on the page"),
        ("guides/old.html", "no such page and no redirect from it"),
    ]
    assert "redirect_maps" in report.message()


def test_a_redirect_keeps_an_old_url_and_its_anchors_working(tmp_path: Path) -> None:
    site = fake_site(
        tmp_path,
        {
            "guides/g.html": GUIDE,
            "guides/old.html": REDIRECT.format("g.html"),
            "older.html": REDIRECT.format("guides/old.html"),
            "moved.html": REDIRECT.format("guides/g.html#o-done"),
            "broken.html": REDIRECT.format("nowhere.html"),
        },
    )
    assert site.resolve("guides/old.html#q-first") is None
    assert site.resolve("older.html#o-done") is None, "redirects are followed, the anchor carried over"
    assert site.resolve("moved.html") is None
    assert site.resolve("guides/old.html#q-gone") == "redirects to guides/g.html, where there is no anchor #q-gone on the page"
    assert site.resolve("broken.html") == "redirects to nowhere.html, where there is no such page and no redirect from it"
    assert site.published() == ["guides/g.html", "guides/g.html#o-done", "guides/g.html#q-first"], "stubs are not pages"


def test_a_new_url_must_be_recorded_and_the_message_says_how(tmp_path: Path) -> None:
    site = fake_site(tmp_path, {"index.html": "<h1>Home</h1>", "guides/g.html": GUIDE})
    report = m.compare(["index.html"], site)
    assert report.added == ["guides/g.html", "guides/g.html#o-done", "guides/g.html#q-first"]
    assert m.UPDATE_COMMAND in report.message()
    assert m.compare(["index.html", "guides/g.html"], site).disorder == ["guides/g.html"]


def test_update_adds_new_urls_and_never_removes_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake_site(tmp_path / "site", {"index.html": "<h1>Home</h1>", "guides/g.html": GUIDE})
    listed = tmp_path / "urls.txt"
    m.write_manifest(["gone.html", "index.html"], listed)
    assert m.main(["--site", str(tmp_path / "site"), "--manifest", str(listed), "--update"]) == 1, "a lost URL still fails"
    assert m.read_manifest(listed) == ["gone.html", "guides/g.html", "guides/g.html#o-done", "guides/g.html#q-first", "index.html"]
    assert "gone.html: no such page" in capsys.readouterr().err
    listed.write_text(listed.read_text().replace("gone.html\n", ""))
    assert m.main(["--site", str(tmp_path / "site"), "--manifest", str(listed)]) == 0


@pytest.mark.slow
def test_mkdocs_redirects_stubs_keep_old_urls_working(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n")
    (docs / "new.md").write_text("# New\n\n## Part\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Tiny\nuse_directory_urls: false\ntheme: {name: material, font: false}\n"
        "plugins:\n  - redirects:\n      redirect_maps: {old.md: new.md, gone/deep.md: new.md#part}\n"
    )
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    site = m.scan(tmp_path / "out")
    assert site.resolve("old.html#part") is None
    assert site.resolve("gone/deep.html") is None
    assert site.resolve("old.html#nowhere") is not None


def test_the_manifest_is_sorted_and_has_one_url_per_line() -> None:
    urls = m.read_manifest()
    assert urls, f"{m.MANIFEST} is missing or empty: create it with {m.UPDATE_COMMAND}"
    assert urls == sorted(set(urls)), f"rewrite it with {m.UPDATE_COMMAND}"
    assert all(" " not in url and not url.startswith("/") for url in urls)


@pytest.mark.slow
def test_no_published_url_disappeared_without_a_redirect(built_site: Path) -> None:
    report = m.compare(m.read_manifest(), m.scan(built_site))
    assert not report.missing, report.missing_message()


@pytest.mark.slow
def test_every_published_url_is_recorded_in_the_manifest(built_site: Path) -> None:
    report = m.compare(m.read_manifest(), m.scan(built_site))
    assert not report.added, report.added_message()


@pytest.mark.slow
def test_every_heading_and_guide_node_links_to_its_own_anchor(built_site: Path) -> None:
    missing = []
    for page in m.scan(built_site).pages.values():
        if page.redirect is None:
            targets = [f"{tag}#{ident}" for tag, ident in page.headings] + [f"guide node #{a}" for a in page.anchors]
            missing += [f"{page.url}: {target}" for target in targets if target.rpartition("#")[2] not in page.self_links]
    assert not missing, "headings and guide nodes without a permalink:\n" + "\n".join(missing)
