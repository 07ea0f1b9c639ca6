"""Every answer edge of every guide, clicked in a real browser, leads where the model says."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .model import SHOWN, GuideModel, query

pytestmark = pytest.mark.browser

# The page's state once it shows exactly `node` (falsy until then), for wait_for_function.
WAIT_SHOWN = f"""(node) => {{
  const state = ({SHOWN})();
  return state.shown.length === 1 && state.shown[0] === node && state;
}}"""
# Open a state the way a pasted link or the Back button does, without reloading the page.
RESTORE = f"""(search) => {{
  history.pushState(null, "", location.pathname + search);
  dispatchEvent(new PopStateEvent("popstate"));
  return ({SHOWN})();
}}"""
# A real click on the answer link, refused if the link is not visible; the page updates at once.
CLICK = f"""(selector) => {{
  const link = document.querySelector(selector);
  if (!link || !link.checkVisibility()) return null;
  link.click();
  return ({SHOWN})();
}}"""


def check_state(state: dict[str, Any], guide: GuideModel, path: list[tuple[str, str]], where: str) -> list[str]:
    """Differences between what the page shows and what the model says for this path."""
    node = guide.node_after(path)
    problems = []
    if state["shown"] != [node]:
        problems.append(f"{where}: shows {state['shown']}, the model says {node}")
    if state["search"] != query(path):
        problems.append(f"{where}: URL query {state['search']!r}, expected {query(path)!r}")
    numbers = [int(n) for n in re.findall(r"\d+", state["progress"])]
    expected = [len(path) + 1, len(path) + guide.longest(node[2:])] if node.startswith("q:") else [len(path)]
    if numbers[: len(expected)] != expected:
        problems.append(f"{where}: progress {state['progress']!r}, expected the numbers {expected}")
    wanted = sorted(guide.map_ids(path) & set(state["maps"]))
    if state["taken"] != wanted:
        problems.append(f"{where}: map marks {state['taken']}, expected {wanted}")
    return problems


def test_every_answer_edge_leads_to_the_models_next_question_or_outcome(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    problems: list[str] = []
    edges = 0
    for data in catalog["guides"]:
        guide = GuideModel(data)
        page.goto(site_url + guide.url)
        for qid, path in guide.reach.items():
            problems += check_state(page.evaluate(RESTORE, query(path)), guide, path, f"{guide.id} opened at {qid}")
            for answer in guide.questions[qid]["answers"]:
                edges += 1
                taken = [*path, (qid, answer["id"])]
                where = f"{guide.id}: {qid} -> {answer['id']}"
                state = page.evaluate(CLICK, f'[data-question="{qid}"] a[data-answer="{answer["id"]}"]')
                if state is None:
                    problems.append(f"{where}: the answer is not shown")
                    continue
                problems += check_state(state, guide, taken, where)
                if state["focus"] != guide.node_after(taken):
                    problems.append(f"{where}: focus is in {state['focus']}, not on the new {guide.node_after(taken)}")
                page.go_back()  # Back steps back one question
                try:
                    state = page.wait_for_function(WAIT_SHOWN, arg=f"q:{qid}", timeout=15000).json_value()
                except PlaywrightTimeout:
                    problems.append(f"{where}, then Back: shows {page.evaluate(SHOWN)['shown']}, not q:{qid}")
                    page.goto(site_url + guide.url)
                    continue
                problems += check_state(state, guide, path, f"{where}, then Back")
    assert edges, "no guide has an answer"
    assert not problems, f"{len(problems)} problem(s) in {edges} edges:\n" + "\n".join(problems)
