"""Procedure pages: placeholder values fill every command and copy button and ride in the URL;
the steps checklist keeps its ticks, with their times, across a reload."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

# Every code element of the article outside the placeholders form, with its text.
CODES = "() => [...document.querySelectorAll('article code')].filter((c) => !c.closest('form.drg-values')).map((c) => c.textContent)"
# The same, from the page's HTML as served (before any script), and whether each one holds the
# placeholder as one run of text or split over several highlighting tokens.
SERVED = """async (name) => {
  const html = await (await fetch(location.href)).text();
  const doc = new DOMParser().parseFromString(html, "text/html");
  return [...doc.querySelectorAll("article code")].filter((c) => !c.closest("form.drg-values"))
    .map((c) => [c.textContent, c.textContent.includes("<" + name + ">") && !c.innerHTML.includes("&lt;" + name + "&gt;")]);
}"""


@pytest.fixture(scope="module")
def procedure(shared: tuple[Any, Any], site_url: str) -> dict[str, Any]:
    """A procedure page with steps and two placeholders, one split over highlighting tokens in a command."""
    page, _ = shared
    page.goto(site_url + "procedures/index.html")
    for href in page.eval_on_selector_all("article a[href$='.html']", "(links) => links.map((a) => a.href.split('#')[0])"):
        page.goto(href)
        kinds = dict(page.eval_on_selector_all("form.drg-values input[name]", "(inputs) => inputs.map((i) => [i.name, i.dataset.kind])"))
        names = list(kinds)
        # The test types EXMBX-01 and 10.0.0.7: take placeholders whose kind accepts those values.
        used = [
            n
            for n in names
            if kinds[n] in (None, "text", "hostname", "exchange-object") and any(split for _, split in page.evaluate(SERVED, n))
        ]
        others = [n for n in names if kinds[n] in (None, "text", "ipv4") and n not in used[:1]]
        if len(names) >= 2 and used and others and page.locator("h2#steps").count():
            return {"url": href.removeprefix(site_url), "names": names, "used": used[0], "other": others[0]}
    pytest.fail("no procedure page has two placeholders, one split by syntax highlighting, and steps: the test would prove nothing")


def test_values_fill_every_command_and_copy_button_and_go_into_the_url_fragment(
    page: Any, site_url: str, procedure: dict[str, Any]
) -> None:
    name, other = procedure["used"], procedure["other"]
    page.goto(site_url + procedure["url"])
    served = page.evaluate(SERVED, name)
    assert any(split for _, split in served), "Pygments split the placeholder over several tokens"

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + procedure["url"] + f"#{name}=EXMBX-01")
    assert page.locator("form.drg-values").is_visible()
    assert page.input_value(f'form.drg-values input[name="{name}"]') == "EXMBX-01", "the value comes from the URL"
    now = page.evaluate(CODES)
    assert len(now) == len(served)
    for (before, _), after in zip(served, now, strict=True):
        assert after == before.replace(f"<{name}>", "EXMBX-01"), f"{before!r} became {after!r}"

    page.fill(f'form.drg-values input[name="{other}"]', "10.0.0.7")
    assert page.evaluate("(name) => new URLSearchParams(location.hash.slice(1)).get(name)", other) == "10.0.0.7"
    assert page.evaluate("location.search") == ""
    assert not any(f"<{other}>" in text for text in page.evaluate(CODES))

    block = page.locator("div.highlight", has=page.locator("code", has_text="EXMBX-01")).first
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy'], button.md-clipboard").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "EXMBX-01" in copied, "Material's copy button copies the filled command"
    assert f"<{name}>" not in copied

    page.reload()
    assert page.input_value(f'form.drg-values input[name="{other}"]') == "10.0.0.7", "a ticket link carries the values"
    assert not any("EXMBX-01" in url or "10.0.0.7" in url for url in requested), "values are never sent to a server"
    page.click("form.drg-values button[type='reset']")
    assert page.evaluate("location.hash") == ""
    assert [text for text, _ in served] == page.evaluate(CODES), "clearing restores the placeholders"


def test_checklist_ticks_and_their_times_survive_a_reload(page: Any, site_url: str, procedure: dict[str, Any]) -> None:
    page.goto(site_url + procedure["url"])
    page.evaluate("() => localStorage.clear()")
    page.reload()
    boxes = page.locator("input.drg-step__box")
    steps = page.evaluate("document.querySelectorAll('h2#steps ~ ol')[0].querySelectorAll(':scope > li').length")
    assert boxes.count() == steps > 1, "one box per top-level step"
    assert page.locator("ol input.drg-step__box").count() == steps
    boxes.nth(0).check()
    boxes.nth(steps - 1).check()

    page.reload()
    boxes = page.locator("input.drg-step__box")
    ticked = [boxes.nth(i).is_checked() for i in range(steps)]
    assert ticked == [True] + [False] * (steps - 2) + [True]
    times = page.eval_on_selector_all("time.drg-step__time", "(nodes) => nodes.map((t) => t.dateTime)")
    assert times[0], "each tick keeps the time it was made"
    assert times[-1]
    assert not any(times[1:-1])

    page.fill(f'form.drg-values input[name="{procedure["used"]}"]', "EXMBX-01")
    page.click("button.drg-proc__button >> nth=0")
    page.wait_for_function("navigator.clipboard.readText().then((text) => text.includes('EXMBX-01'))")
    text = page.evaluate("navigator.clipboard.readText()")
    # The link carries the values, after the incident id the ticks started (issue 13).
    assert re.search(re.escape(procedure["url"]) + r"#incident=[a-z0-9]+&" + procedure["used"] + "=EXMBX-01", text), (
        "the link carries the values"
    )
    assert page.get_attribute('meta[name="drg-version"]', "content") in text, "the site version"
    assert text.count("[x]") == 2
    assert text.count("[ ]") == steps - 2

    boxes.nth(0).uncheck()
    page.reload()
    assert not page.locator("input.drg-step__box").nth(0).is_checked()
    assert page.locator("input.drg-step__box").nth(steps - 1).is_checked()
    page.evaluate("() => localStorage.clear()")


def test_a_value_with_shell_metacharacters_is_not_filled_in(page: Any, site_url: str, procedure: dict[str, Any]) -> None:
    name = procedure["used"]
    page.goto(site_url + procedure["url"] + f"#{name}=EX01%3B%20Remove-Mailbox%20x")
    field = page.locator(f'form.drg-values input[name="{name}"]')
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{field.get_attribute('id')}-error").is_visible()
    codes = page.evaluate(CODES)
    assert not any("Remove-Mailbox" in text for text in codes), "a link cannot put a command into a command"
    assert any(f"<{name}>" in text for text in codes)
