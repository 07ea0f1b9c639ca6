"""The Zensical build (make site-zensical) in Chromium: from file://, search and guides included."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT
from .support import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def first_guide() -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "macros", "export"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["guides"][0]  # type: ignore[no-any-return]


def test_the_zensical_site_works_from_file_urls_search_and_guides_included(zensical_site: Path, make_context: Callable[..., Any]) -> None:
    context, guard = make_context()
    page = context.new_page()
    guide = first_guide()
    page.goto((zensical_site / "index.html").as_uri())
    page.click(".md-search__button")  # Zensical's search is a dialog in a shadow root; Playwright's CSS pierces it
    page.keyboard.type(guide["title"].split()[-1])
    page.locator("[role=option]").first.wait_for()

    page.goto((zensical_site / guide["url"]).as_uri())
    assert page.locator("[data-question]:visible").count() == 1, "JavaScript shows one question at a time"
    question = guide["questions"][0]
    answer = question["answers"][0]
    page.click(f'[data-question="{question["id"]}"] a[data-answer="{answer["id"]}"]')
    assert page.evaluate("location.search") == f"?{question['id']}={answer['id']}", "the answer is in the file:// URL"
    guard.check()


def test_every_zensical_page_loads_without_console_errors_or_requests_to_other_hosts(
    zensical_site: Path, make_context: Callable[..., Any]
) -> None:
    context, guard = make_context()
    page = context.new_page()
    pages = sorted(
        p.relative_to(zensical_site).as_posix() for p in zensical_site.rglob("*.html") if not p.is_relative_to(zensical_site / "assets")
    )
    assert len(pages) > 5
    with serve(zensical_site) as site_url:  # over http, as the MkDocs build's test: 404.html is a server's page
        for url in pages:
            page.goto(site_url + url, wait_until="load")
    guard.check()
