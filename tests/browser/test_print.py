"""Browser printing (Chromium's print media emulation): no control of any kind is rendered on a
guide, an outcome, a procedure or the home page, and headings keep with what follows them."""

from __future__ import annotations

from typing import Any

import pytest

from .model import GuideModel, query

pytestmark = pytest.mark.browser

CONTROLS = (
    "button, input, select, textarea, form, summary, .md-button, [role='button'], [data-action],"
    " .drg-values, .drg-proc__bar, .drg-proc__confirm, .drg-step__tick, .drg-guide__toolbar, .drg-copy-text"
)
RENDERED = """(selector) => [...document.querySelectorAll(selector)]
  .filter((node) => node.checkVisibility() && [...node.getClientRects()].some((r) => r.width > 0 && r.height > 0))
  .map((node) => node.outerHTML.slice(0, 120))"""


def printed_controls(page: Any, url: str) -> list[str]:
    page.emulate_media(media="screen")
    page.goto(url)
    assert page.evaluate(RENDERED, CONTROLS), f"{url}: the test needs controls on screen to prove anything"
    page.emulate_media(media="print")
    try:
        return page.evaluate(RENDERED, CONTROLS)
    finally:
        page.emulate_media(media="screen")


def test_printing_a_guide_an_outcome_a_procedure_and_home_renders_no_control(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    guide = GuideModel(catalog["guides"][0])
    path = guide.path_to_outcome()
    urls = [
        site_url + "index.html",
        site_url + guide.url,
        site_url + guide.url + query(path),
        site_url + "procedures/e2007-recover-cms.html#CMSName=EXCL01",
    ]
    found = {url: printed_controls(page, url) for url in urls}
    assert not {url: controls for url, controls in found.items() if controls}


def test_printed_headings_keep_with_what_follows_them(page: Any, site_url: str) -> None:
    page.goto(site_url + "procedures/e2007-recover-cms.html")
    page.emulate_media(media="print")
    try:
        breaks = page.eval_on_selector_all(
            "article h1, article h2, article h3, article h4", "(hs) => hs.map((h) => getComputedStyle(h).breakAfter)"
        )
    finally:
        page.emulate_media(media="screen")
    assert len(breaks) > 5
    assert set(breaks) == {"avoid"}
