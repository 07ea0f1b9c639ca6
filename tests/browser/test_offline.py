"""The site without JavaScript, from file://, and every page free of console errors and of
requests to any other host (the guard in conftest.py aborts and reports those)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Guard
from .model import SHOWN, GuideModel, query
from .support import search_results

pytestmark = pytest.mark.browser


def test_without_javascript_the_anchors_lead_through_a_guide(
    make_context: Callable[..., tuple[Any, Guard]], site_url: str, catalog: dict[str, Any]
) -> None:
    context, guard = make_context(java_script_enabled=False)
    page = context.new_page()
    for data in catalog["guides"]:
        guide = GuideModel(data)
        page.goto(site_url + guide.url)
        assert page.locator("[data-question]:visible").count() == len(guide.questions), "every question is on the page"
        assert page.locator("[data-outcome]:visible").count() == len(guide.outcomes)
        assert not page.locator(".drg-guide__toolbar").is_visible(), "no buttons that need JavaScript"
        for qid, aid in guide.path_to_outcome():
            page.click(f'[data-question="{qid}"] a[data-answer="{aid}"]')
            kind, _, node = guide.target(qid, aid).partition(":")
            assert page.url.endswith(f"{guide.url}#{kind}-{node}")
            assert page.locator(f"#{kind}-{node}").is_visible()
            assert page.locator(f"#{kind}-{node}").evaluate("(n) => n.matches(':target')")
    guard.check()


def test_the_site_works_from_file_urls_search_and_guides_included(
    make_context: Callable[..., tuple[Any, Guard]], built_site: Path, catalog: dict[str, Any]
) -> None:
    context, guard = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    guide = GuideModel(catalog["guides"][0])
    # The search worker runs in the iframe shim (Material) or loads search.js (Zensical).
    found = search_results(page, (built_site / "index.html").as_uri(), guide.data["title"].split()[-1])
    assert (built_site / guide.url).as_uri() in [href.split("?")[0].split("#")[0] for href in found], found[:5]

    page.goto((built_site / guide.url).as_uri())
    path = guide.path_to_outcome()
    for step in path:
        page.click(f'[data-question="{step[0]}"] a[data-answer="{step[1]}"]')
    assert page.evaluate("location.search") == query(path), "the answers are in the file:// URL too"
    page.reload()
    assert page.evaluate(SHOWN)["shown"] == [guide.node_after(path)]
    page.go_back()
    assert page.evaluate(SHOWN)["shown"] == [guide.node_after(path[:-1])]
    page.go_forward()

    page.click('[data-action="copy-summary"]')
    page.wait_for_function("navigator.clipboard.readText().then((text) => text.length > 0)")
    text = page.evaluate("navigator.clipboard.readText()")
    assert (built_site / guide.url).as_uri() + query(path) in text, "no public address: the ticket links to the file"
    assert page.evaluate("drg.localNote") in text, "and says plainly that its links are local"

    outcome = guide.node_after(path)[2:]
    page.locator(f'[data-outcome="{outcome}"] a.drg-guide__procedure').first.click()
    page.wait_for_load_state()
    procedure, _, fragment = page.url.partition("#")
    assert procedure == (built_site / guide.outcomes[outcome]["procedures"][0]["url"]).as_uri()
    assert fragment.startswith("incident="), "the outcome's link carries the incident (issue 13), never to a server"
    assert page.locator("article.md-content__inner").count() == 1
    guard.check()


def test_every_page_loads_without_console_errors_or_requests_to_other_hosts(page: Any, site_url: str, built_site: Path) -> None:
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html") if not p.is_relative_to(built_site / "assets"))
    assert len(pages) > 5
    for url in pages:
        page.goto(site_url + url, wait_until="load")
    # the page fixture fails this test on any console error, exception or other-host request
