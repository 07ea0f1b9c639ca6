"""Procedure pages: placeholder values checked by kind, and the steps checklist on a phone and
across tabs. The kinds come from the page's front matter, never from the markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from ..conftest import ROOT
from .conftest import Guard

pytestmark = pytest.mark.browser

PAGE = "procedures/e2007-recover-cms.html"
# A good value of each kind, and values of that kind's shape that the form must refuse.
GOOD = {
    "hostname": "EXCL01",
    "fqdn": "mail.contoso.com",
    "ipv4": "10.0.0.7",
    "path": "D:\\Exchange Data\\SG1",
    "exchange-object": "First Storage Group",
    "text": "INC-1234 failover",
}
WRONG_KIND = {
    "hostname": ["excl01.contoso.com", "EXCL_01", "EXCL 01"],
    "fqdn": ["EXCL01", "mail..contoso.com"],
    "ipv4": ["10.0.0.256", "10.0.0", "EXCL01"],
    "path": ["SG1", "D:/SG1", "\\\\"],
    "exchange-object": ["SG1\\DB1", "-SG1"],
}
# Refused whatever the kind: a parameter, a switch, a comment, look-alikes, invisible controls.
HOSTILE = [
    "EXCL01 -Force #",
    "EXCL01 -Confirm:$false",
    "EXCL01 /m:Uninstall",
    "EXCL01 # rest",
    "\u201cEXCL01\u201d",
    "\u2018EXCL01\u2019",
    "EXCL01 \u2013Force",
    "EXCL01 \u2014Force",
    "EXCL\u202e10",
    "EXCL01\u2028Remove-Mailbox",
    "EXCL01\u2029x",
    "EXCL01; Remove-Mailbox x",
]


def kinds() -> dict[str, str]:
    text = (ROOT / "docs" / PAGE.replace(".html", ".md")).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    return {name: spec["kind"] for name, spec in meta["placeholders"].items()}


def codes(page: Any) -> str:
    return page.evaluate(
        "() => [...document.querySelectorAll('article code')].filter((c) => !c.closest('form')).map((c) => c.textContent).join('\\n')"
    )


def state(page: Any, name: str) -> dict[str, Any]:
    return page.evaluate(
        """(name) => {
          const input = document.querySelector(`form.drg-values input[name="${name}"]`);
          const error = document.getElementById(input.id + "-error");
          return { invalid: input.getAttribute("aria-invalid"), next: input.nextElementSibling === error,
                   shown: !!error && error.checkVisibility() && error.textContent.length > 0,
                   described: (input.getAttribute("aria-describedby") || "").split(" ").includes(error && error.id) };
        }""",
        name,
    )


def test_each_placeholder_accepts_its_kind_and_refuses_others_with_a_message_next_to_the_field(page: Any, site_url: str) -> None:
    fields = kinds()
    assert {"hostname", "ipv4", "path", "exchange-object"} <= set(fields.values()), "the page tests four kinds"
    page.goto(site_url + PAGE)
    for name, kind in fields.items():
        selector = f'form.drg-values input[name="{name}"]'
        page.fill(selector, GOOD[kind])
        assert state(page, name)["invalid"] == "false", f"{name} ({kind}) refused {GOOD[kind]!r}"
        if f"<{name}>" in codes(page) or GOOD[kind] in codes(page):
            assert GOOD[kind] in codes(page)
        for value in WRONG_KIND.get(kind, []) + HOSTILE:
            page.fill(selector, value)
            got = state(page, name)
            assert got["invalid"] == "true", f"{name} ({kind}) accepted {value!r}"
            assert got["shown"], f"{name}: a message says why"
            assert got["next"], f"{name}: the message sits next to the field"
            assert got["described"], f"{name}: the field is described by the message"
            assert value not in codes(page), f"{value!r} reached a command"
        page.fill(selector, "")
    page.evaluate("() => localStorage.clear()")


def test_a_hostile_value_in_a_ticket_link_is_refused_too(page: Any, site_url: str) -> None:
    name = next(n for n, k in kinds().items() if k == "hostname")
    page.goto(site_url + PAGE + f"#{name}=EXCL01%20-Force%20%23")
    assert state(page, name)["invalid"] == "true"
    assert "-Force" not in codes(page)


# --- 7. The checklist ------------------------------------------------------------------------------


def ticks(page: Any) -> list[bool]:
    return page.eval_on_selector_all("input.drg-step__box", "(boxes) => boxes.map((b) => b.checked)")


def test_start_a_new_run_asks_first_and_then_clears_ticks_and_values(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGE)
    page.evaluate("() => localStorage.clear()")
    page.reload()
    page.locator("input.drg-step__box").nth(0).check()
    page.fill('form.drg-values input[name="CMSName"]', "EXCL01")
    page.click('[data-action="new-run"]')
    assert page.locator('[data-action="new-run-confirm"]').is_visible(), "it asks first"
    page.click('[data-action="new-run-cancel"]')
    assert ticks(page)[0], "No keeps the ticks"
    assert not page.locator('[data-action="new-run-confirm"]').is_visible()
    page.click('[data-action="new-run"]')
    page.click('[data-action="new-run-confirm"]')
    assert not any(ticks(page))
    assert page.input_value('form.drg-values input[name="CMSName"]') == ""
    page.reload()
    assert not any(ticks(page)), "a reload brings nothing back"


def test_an_old_tab_does_not_bring_the_last_incidents_ticks_back(make_context: Callable[..., tuple[Any, Guard]], site_url: str) -> None:
    context, guard = make_context()
    old = context.new_page()
    old.goto(site_url + PAGE)
    old.locator("input.drg-step__box").nth(0).check()
    new = context.new_page()
    new.goto(site_url + PAGE)
    assert ticks(new)[0]
    new.click('[data-action="new-run"]')
    new.click('[data-action="new-run-confirm"]')
    old.locator("input.drg-step__box").nth(1).check()  # the old tab, still open, ticks on
    new.reload()
    assert ticks(new)[:2] == [False, True], "only the tick made after the new run"
    assert ticks(old)[:2] == [False, True], "the old tab dropped the last incident's tick"
    guard.check()
    context.close()


def test_on_a_phone_done_steps_are_dimmed_times_do_not_cover_titles_and_targets_are_44px(
    make_context: Callable[..., tuple[Any, Guard]], site_url: str
) -> None:
    context, guard = make_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + PAGE)
    boxes = page.locator("input.drg-step__box")
    for i in range(3):
        boxes.nth(i).check()
    page.evaluate("document.activeElement.blur()")  # a focused step is shown at full strength
    result = page.evaluate(
        """() => {
          const rect = (n) => n.getBoundingClientRect();
          const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          const items = [...document.querySelectorAll("ol[data-drg-steps] > li")];
          const done = items.filter((li) => li.classList.contains("drg-step--done"));
          const covered = done.filter((li) => {
            const time = rect(li.querySelector(".drg-step__time"));
            const range = document.createRange();
            const lead = li.querySelector(":scope > p") || li;
            range.selectNodeContents(lead);
            return [...range.getClientRects()].some((r) => r.width > 0 && overlap(time, r));
          });
          const targets = [...document.querySelectorAll(".drg-step__tick, .drg-proc__bar button")].map(rect);
          return {
            done: done.length,
            opacity: done.map((li) => Number(getComputedStyle(li).opacity)),
            open: items.filter((li) => !li.classList.contains("drg-step--done")).map((li) => Number(getComputedStyle(li).opacity)),
            covered: covered.length,
            small: targets.filter((r) => r.height < 44 || r.width < 44).length,
            targets: targets.length,
          };
        }"""
    )
    assert result["done"] == 3
    assert all(o < 1 for o in result["opacity"]), f"done steps are dimmed: {result}"
    assert all(o == 1 for o in result["open"])
    assert result["covered"] == 0, "a tick time covers a step title"
    assert result["targets"] > 3
    assert result["small"] == 0, "every tap target is at least 44 px"
    page.evaluate("() => localStorage.clear()")
    guard.check()
    context.close()
