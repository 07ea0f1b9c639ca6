"""The manifest of published URLs: every page, and every guide question and outcome anchor.

Tickets outlive releases, so a URL in ``tests/published-urls.txt`` may leave the site only with a
redirect (mkdocs-redirects, ``plugins: redirects: redirect_maps`` in mkdocs.yml) that still leads
to it. New URLs are recorded with ``--update`` so that they become promises too.

    python -m tools.manifest                 check against a fresh strict build
    python -m tools.manifest --update        add the site's new URLs (never removes one)
    python -m tools.manifest --site site/    use an existing build instead
"""

from __future__ import annotations

import argparse
import itertools
import os
import posixpath
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "published-urls.txt"
UPDATE_COMMAND = ".venv/bin/python -m tools.manifest --update"
HEADER = """\
# Published URLs: every page and every guide question and outcome anchor, site-relative, sorted.
# A line may go only with a redirect in mkdocs.yml (plugins: redirects: redirect_maps) that still
# leads to it. Add new URLs with: .venv/bin/python -m tools.manifest --update
"""
# Not pages: Material's 404 page and the theme's assets.
SKIPPED = ("404.html",)
SKIPPED_DIRS = ("assets/", "search/")


class _PageParser(HTMLParser):
    """The ids of a page, its guide anchors, its headings, and its redirect target if it is a stub."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.redirect: str | None = None
        self.headings: list[tuple[str, str]] = []  # (tag, id) of headings with an id
        self.self_links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        ident = values.get("id")
        if ident:
            self.ids.add(ident)
            if "data-question" in values or "data-outcome" in values:
                self.anchors.append(ident)
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.headings.append((tag, ident))
        if tag == "a" and values.get("href", "").startswith("#"):
            self.self_links.add(values["href"][1:])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            _, _, target = values.get("content", "").partition("url=")
            self.redirect = target.strip() or None


@dataclass
class Page:
    """One HTML file of the built site."""

    url: str
    ids: set[str]
    anchors: list[str]
    redirect: str | None
    headings: list[tuple[str, str]]
    self_links: set[str]

    def __repr__(self) -> str:
        kind = f"redirect to {self.redirect!r}" if self.redirect else f"{len(self.anchors)} anchors"
        return f"Page({self.url!r}, {kind})"


@dataclass
class Site:
    """The pages of a built site, by site-relative URL."""

    root: Path
    pages: dict[str, Page] = field(default_factory=dict)

    def published(self) -> list[str]:
        """Every page URL and guide anchor of the site (redirect stubs are not pages), sorted."""
        urls: set[str] = set()
        for page in self.pages.values():
            if page.redirect is None:
                urls.add(page.url)
                urls.update(f"{page.url}#{anchor}" for anchor in page.anchors)
        return sorted(urls)

    def resolve(self, url: str, hops: int = 5) -> str | None:
        """None when ``url`` leads to a page (and anchor) of this site, else why it does not."""
        path, _, anchor = url.partition("#")
        page = self.pages.get(path)
        if page is None:
            return "no such page and no redirect from it"
        if page.redirect is not None:
            if hops == 0:
                return "too many redirects"
            target, _, target_anchor = page.redirect.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            anchor = target_anchor or anchor  # the stub carries the old URL's fragment over
            problem = self.resolve(f"{resolved}#{anchor}" if anchor else resolved, hops - 1)
            return f"redirects to {resolved}, where there is {problem}" if problem else None
        if anchor and anchor not in page.ids:
            return f"no anchor #{anchor} on the page"
        return None


def scan(site_dir: Path) -> Site:
    """Read every HTML page of a built site."""
    site = Site(site_dir)
    for file in sorted(site_dir.rglob("*.html")):
        url = file.relative_to(site_dir).as_posix()
        if url in SKIPPED or url.startswith(SKIPPED_DIRS):
            continue
        parser = _PageParser()
        parser.feed(file.read_text(encoding="utf-8"))
        site.pages[url] = Page(url, parser.ids, parser.anchors, parser.redirect, parser.headings, parser.self_links)
    return site


def read_manifest(path: Path = MANIFEST) -> list[str]:
    """The manifest's URLs in file order, without comments and blank lines."""
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("# ")]


def write_manifest(urls: list[str] | set[str], path: Path = MANIFEST) -> None:
    """Write the manifest: the header, then one URL per line, sorted and unique."""
    path.write_text(HEADER + "".join(f"{url}\n" for url in sorted(set(urls))), encoding="utf-8")


@dataclass
class Report:
    """What differs between the manifest and a built site."""

    missing: list[tuple[str, str]]  # (url, why it no longer resolves)
    added: list[str]
    disorder: list[str]  # duplicate or out-of-order lines
    manifest: Path = MANIFEST

    def ok(self) -> bool:
        return not (self.missing or self.added or self.disorder)

    def missing_message(self) -> str:
        lines = [f"{len(self.missing)} published URL(s) no longer lead anywhere; tickets link to them:"]
        lines += [f"  {url}: {why}" for url, why in self.missing]
        lines.append(
            "Keep the page or anchor, or add a redirect in mkdocs.yml under plugins: redirects: redirect_maps "
            "(old.md: new.md, or old.md: new.md#anchor). A guide question or outcome id cannot be redirected: keep it."
        )
        return "\n".join(lines)

    def added_message(self) -> str:
        lines = [f"{len(self.added)} published URL(s) are not in {_shown(self.manifest)} yet:"]
        lines += [f"  {url}" for url in self.added]
        lines.append(f"Record them (they become promises) with: {UPDATE_COMMAND}   then commit the manifest.")
        return "\n".join(lines)

    def disorder_message(self) -> str:
        lines = [f"{_shown(self.manifest)} must be sorted with one URL per line; out of place or repeated:"]
        lines += [f"  {url}" for url in self.disorder]
        lines.append(f"Rewrite it with: {UPDATE_COMMAND}")
        return "\n".join(lines)

    def message(self) -> str:
        parts = []
        if self.missing:
            parts.append(self.missing_message())
        if self.added:
            parts.append(self.added_message())
        if self.disorder:
            parts.append(self.disorder_message())
        return "\n\n".join(parts)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def compare(manifest: list[str], site: Site, path: Path = MANIFEST) -> Report:
    """Check every manifest URL against the site, and every URL of the site against the manifest."""
    missing = []
    for url in manifest:
        problem = site.resolve(url)
        if problem:
            missing.append((url, problem))
    known = set(manifest)
    added = [url for url in site.published() if url not in known]
    disorder = [url for previous, url in itertools.pairwise(manifest) if url <= previous]
    return Report(missing, added, disorder, path)


def build(out: Path) -> None:
    """A strict build of the real site into ``out``; exits with MkDocs' output when it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"mkdocs build --strict failed:\n{result.stdout}{result.stderr}")


def main(argv: list[str] | None = None) -> int:
    """Check the manifest (exit 1 on any difference) or, with --update, add the new URLs."""
    parser = argparse.ArgumentParser(prog="python -m tools.manifest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="add the site's new URLs to the manifest; never removes one")
    parser.add_argument("--site", type=Path, help="an existing build to read instead of building the site")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="the manifest file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site
        if site_dir is None:
            site_dir = Path(tmp) / "site"
            build(site_dir)
        manifest = read_manifest(args.manifest)
        report = compare(manifest, scan(site_dir), args.manifest)
    if args.update:
        write_manifest(set(manifest) | set(report.added), args.manifest)
        print(f"{args.manifest}: {len(report.added)} URL(s) added, {len(set(manifest) | set(report.added))} in all")
        if report.missing:
            print(report.missing_message(), file=sys.stderr)
            return 1
        return 0
    if report.ok():
        print(f"{args.manifest}: all {len(manifest)} published URLs resolve, and no new one is unrecorded")
        return 0
    print(report.message(), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
