"""axe-core (bundled with axe-playwright-python, injected into the page: no network) finds no
serious or critical violation on the home page, a guide, an outcome and a procedure page."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from .model import GuideModel, query

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def procedure_with_placeholders(page: Any, site_url: str) -> str:
    page.goto(site_url + "procedures/index.html")
    for href in page.eval_on_selector_all("article a[href$='.html']", "(links) => links.map((a) => a.href)"):
        page.goto(href)
        if page.locator("form.drg-values").count():
            return href
    pytest.skip("no procedure page has placeholders")


def test_no_serious_or_critical_accessibility_violation(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    guide = GuideModel(catalog["guides"][0])
    path = guide.path_to_outcome()
    targets = {
        "home": site_url + "index.html",
        "guide": site_url + guide.url,
        "outcome": site_url + guide.url + query(path),
        "procedure": procedure_with_placeholders(page, site_url),
    }
    axe = Axe()
    found = []
    for name, url in targets.items():
        page.goto(url)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                nodes = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
                found.append(f"{name} ({url}): {violation['impact']} {violation['id']}: {violation['help']} at {nodes}")
    assert not found, "\n".join(found)
