"""The decision map on a phone and a laptop: closed with "my path only" on a narrow screen, the
full map scrolled to the current question, and a click on a box that keeps the answers or asks
first. Routes come from the exported model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import Guard
from .model import SHOWN, GuideModel, query

pytestmark = pytest.mark.browser

IN_VIEW = """(id) => {
  const node = document.getElementById(id), frame = document.querySelector(".drg-map__viewport");
  const a = node.getBoundingClientRect(), b = frame.getBoundingClientRect();
  return a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
}"""


def deep_guide(catalog: dict[str, Any]) -> tuple[GuideModel, list[tuple[str, str]]]:
    """The guide whose map is the largest, and its longest walk to a question (the far corner)."""
    guide = max((GuideModel(g) for g in catalog["guides"]), key=lambda g: len(g.questions))
    far = max(guide.reach, key=lambda q: len(guide.reach[q]))
    return guide, guide.reach[far]


def test_on_a_phone_the_map_starts_closed_and_shows_my_path_only_within_the_width(
    make_context: Callable[..., tuple[Any, Guard]], site_url: str, catalog: dict[str, Any]
) -> None:
    context, guard = make_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    guide, path = deep_guide(catalog)
    page.goto(site_url + guide.url + query(path))
    details = page.locator("details.drg-guide__map")
    assert details.evaluate("(d) => d.open") is False, "closed on a phone"
    page.click("details.drg-guide__map > summary")
    steps = page.locator(".drg-map__path > li")
    assert steps.count() == len(path) + 1, "each answer taken, then where it leads"
    for i, (qid, aid) in enumerate(path):
        assert guide.answer_label(qid, aid) in steps.nth(i).inner_text()
    assert not page.locator(".drg-map__viewport").is_visible(), "the full drawing waits to be asked for"
    fits = page.evaluate(
        "() => { const l = document.querySelector('.drg-map__path'); return l.scrollWidth <= l.clientWidth && l.getBoundingClientRect().right <= innerWidth; }"
    )
    assert fits, "my path fits the width"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "the page does not scroll sideways"

    page.click('[data-map-view="full"]')
    assert page.locator(".drg-map__viewport").is_visible()
    assert page.evaluate(IN_VIEW, "map-q-" + guide.node_after(path)[2:]), "scrolled to the current question"
    guard.check()
    context.close()


def test_on_a_laptop_the_full_map_opens_at_the_current_question(
    make_context: Callable[..., tuple[Any, Guard]], site_url: str, catalog: dict[str, Any]
) -> None:
    context, guard = make_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    guide, path = deep_guide(catalog)
    page.goto(site_url + guide.url + query(path))
    assert page.locator("details.drg-guide__map").evaluate("(d) => d.open")
    assert page.locator(".drg-map__viewport").is_visible()
    current = "map-q-" + guide.node_after(path)[2:]
    assert page.evaluate(IN_VIEW, current), "the current question is in view, not the map's top corner"
    assert not page.evaluate(IN_VIEW, f"map-q-{guide.start}") or len(path) < 3
    guard.check()
    context.close()


def test_clicking_an_answered_question_on_the_map_keeps_the_answers(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    guide, path = deep_guide(catalog)
    assert len(path) >= 3
    page.goto(site_url + guide.url + query(path))
    page.locator(f"#map-q-{guide.start} a").first.click()
    assert page.evaluate(SHOWN)["shown"] == [f"q:{guide.start}"]
    chosen = page.locator(f'[data-question="{guide.start}"] a[aria-current="true"]')
    assert chosen.get_attribute("data-answer") == path[0][1], "the answer given is marked"
    page.click(f'[data-question="{guide.start}"] a[data-answer="{path[0][1]}"]')
    assert page.evaluate("location.search") == query(path), "the same answer again brings every later answer back"
    assert page.evaluate(SHOWN)["shown"] == [guide.node_after(path)]


def test_clicking_a_box_off_the_path_asks_before_leaving_the_answers(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    guide, path = deep_guide(catalog)
    on_path = {q for q, _ in path} | {guide.node_after(path)[2:]}
    elsewhere = next(q for q in guide.questions if q not in on_path)
    page.goto(site_url + guide.url + query(path))
    page.locator(f"#map-q-{elsewhere} a").first.click()
    assert page.locator('[data-map="jump"]').is_visible(), "it asks first"
    assert page.evaluate("location.search") == query(path)
    assert page.evaluate(SHOWN)["shown"] == [guide.node_after(path)]
    page.click('[data-map="stay"]')
    assert not page.locator('[data-map="jump"]').is_visible()
    assert page.evaluate("location.search") == query(path)
    page.locator(f"#map-q-{elsewhere} a").first.click()
    page.click('[data-map="jump"]')
    assert page.evaluate(SHOWN)["shown"] == [f"q:{elsewhere}"]
    page.go_back()
    assert page.evaluate("location.search") == query(path), "Back returns to the answers"
    assert page.evaluate(SHOWN)["shown"] == [guide.node_after(path)]
