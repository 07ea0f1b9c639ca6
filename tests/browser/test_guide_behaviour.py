"""One guide at a time in a real browser: URL state, reload, Back, change, start again, notices,
direct links, keyboard, the live region and copy for ticket. Routes come from the exported model;
no test asserts on wording."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .model import SHOWN, GuideModel, Step, query

pytestmark = pytest.mark.browser

ISLAND = "JSON.parse(document.querySelector('script.drg-guide__data').textContent)"


def shown(page: Any) -> list[str]:
    return page.evaluate(SHOWN)["shown"]


def answer(page: Any, qid: str, aid: str) -> None:
    page.click(f'[data-question="{qid}"] a[data-answer="{aid}"]')


def search(page: Any) -> str:
    return page.evaluate("location.search")


@pytest.fixture(scope="module")
def guide(catalog: dict[str, Any]) -> GuideModel:
    """The guide with the longest path to an outcome, so that every step has something to test."""
    return max((GuideModel(g) for g in catalog["guides"]), key=lambda g: len(g.path_to_outcome()))


def shared_next(catalog: dict[str, Any]) -> tuple[GuideModel, Step, str, Step] | None:
    """A question with two answers leading to the same next question, and an answer there."""
    for data in catalog["guides"]:
        model = GuideModel(data)
        for question in data["questions"]:
            by_next: dict[str, list[str]] = {}
            for a in question["answers"]:
                if a.get("next"):
                    by_next.setdefault(a["next"], []).append(a["id"])
            for nxt, answers in by_next.items():
                if len(answers) > 1:
                    later = model.questions[nxt]["answers"][0]["id"]
                    return model, (question["id"], answers[0]), answers[1], (nxt, later)
    return None


def test_answers_go_into_the_url_and_a_reload_restores_them(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    page.goto(site_url + guide.url)
    assert shown(page) == [f"q:{guide.start}"]
    for step in path:
        answer(page, *step)
    assert search(page) == query(path)
    assert shown(page) == [guide.node_after(path)]
    page.reload()
    assert search(page) == query(path)
    assert shown(page) == [guide.node_after(path)]
    history = page.locator(".drg-guide__history-item")
    assert history.count() == len(path)
    for i, (qid, aid) in enumerate(path):
        assert guide.questions[qid]["text"] in history.nth(i).inner_text()
        assert guide.answer_label(qid, aid) in history.nth(i).inner_text()


def test_back_steps_back_one_question_at_a_time(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    page.goto(site_url + guide.url)
    for step in path:
        answer(page, *step)
    for n in range(len(path) - 1, -1, -1):
        page.go_back()
        page.wait_for_function("(q) => location.search === q", arg=query(path[:n]))
        assert shown(page) == [guide.node_after(path[:n])]
        assert page.locator(".drg-guide__history-item").count() == n


def test_change_keeps_later_answers_that_still_apply(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    found = shared_next(catalog)
    if found is None:
        pytest.skip("no guide has two answers leading to the same question")
    model, (qid, first), second, later = found
    path = [*model.reach[qid], (qid, first), later]
    page.goto(site_url + model.url + query(path))
    index = len(model.reach[qid])
    page.locator(".drg-guide__change").nth(index).click()
    assert shown(page) == [f"q:{qid}"]
    assert search(page) == query(model.reach[qid])
    chosen = page.locator(f'[data-question="{qid}"] a[aria-current="true"]')
    assert chosen.get_attribute("data-answer") == first, "the previous answer is marked"
    answer(page, qid, second)
    kept = [*model.reach[qid], (qid, second), later]
    assert search(page) == query(kept)
    assert shown(page) == [model.node_after(kept)]
    assert page.locator(".drg-guide__notice").is_visible(), "the kept answers are mentioned"
    page.go_back()
    assert shown(page) == [f"q:{qid}"]


def test_change_drops_later_answers_that_no_longer_apply(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    for index, (qid, aid) in enumerate(path[:-1]):
        others = [a for a in guide.questions[qid]["answers"] if a["id"] != aid and a.get("next") != path[index + 1][0]]
        if others:
            break
    else:
        pytest.skip("no answer on this path leads elsewhere")
    page.goto(site_url + guide.url + query(path))
    page.locator(".drg-guide__change").nth(index).click()
    answer(page, qid, others[0]["id"])
    expected = [*path[:index], (qid, others[0]["id"])]
    assert search(page) == query(expected)
    assert shown(page) == [guide.node_after(expected)]


def test_start_again_clears_the_answers_and_focuses_the_first_question(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    page.goto(site_url + guide.url + query(path))
    page.click('[data-action="restart"]')
    assert search(page) == ""
    assert shown(page) == [f"q:{guide.start}"]
    assert page.evaluate(SHOWN)["focus"] == f"q:{guide.start}"
    assert page.locator(".drg-guide__history-item").count() == 0
    page.go_back()
    assert search(page) == query(path), "start again is one step of history too"


def test_stale_and_unknown_keys_are_ignored_with_a_quiet_notice(page: Any, site_url: str, guide: GuideModel) -> None:
    first = guide.questions[guide.start]["answers"][0]["id"]
    next_q = guide.target(guide.start, first)
    page.goto(site_url + guide.url + f"?{guide.start}={first}&no-such-question=x&{guide.start}=again")
    assert shown(page) == [next_q]
    assert page.locator(".drg-guide__notice").is_visible()
    page.goto(site_url + guide.url + f"?{guide.start}=no-such-answer&%E2%9C%93=%ZZ#%ZZ")
    assert shown(page) == [f"q:{guide.start}"]
    assert page.locator(".drg-guide__notice").is_visible()
    page.goto(site_url + guide.url + f"?{guide.start}={first}")
    assert not page.locator(".drg-guide__notice").is_visible(), "no notice for a clean link"


def test_a_direct_link_to_an_outcome_or_question_shows_it(page: Any, site_url: str, guide: GuideModel) -> None:
    outcome = next(iter(guide.outcomes))
    page.goto(site_url + guide.url + f"#o-{outcome}")
    assert shown(page) == [f"o:{outcome}"]
    assert page.locator(".drg-guide__notice").is_visible()
    qid = list(guide.questions)[-1]
    page.goto(site_url + guide.url + f"#q-{qid}")
    assert shown(page) == [f"q:{qid}"]
    aid = guide.questions[qid]["answers"][0]["id"]
    answer(page, qid, aid)
    assert shown(page) == [guide.target(qid, aid)]
    page.click('[data-action="restart"]')
    assert shown(page) == [f"q:{guide.start}"]


def test_keyboard_only_answers_and_focus_follows_the_new_question(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    page.goto(site_url + guide.url)
    page.locator(".drg-guide__progress").click()  # a starting point for Tab that is not a control
    for step in path:
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "[document.activeElement.dataset.answer, document.activeElement.closest('[data-question]')?.dataset.question]"
            )
            if focused == [step[1], step[0]]:
                break
        else:
            pytest.fail(f"Tab never reached answer {step}")
        page.keyboard.press("Enter")
        state = page.evaluate(SHOWN)
        assert state["shown"] == [guide.target(*step)]
        assert state["focus"] == guide.target(*step), "focus moves to the new question or outcome"
    assert search(page) == query(path)


def test_the_live_region_announces_each_new_question(page: Any, site_url: str, guide: GuideModel) -> None:
    page.goto(site_url + guide.url)
    live = page.locator(".drg-guide__progress")
    assert live.get_attribute("aria-live") == "polite"
    assert live.is_visible()
    step = guide.path_to_outcome()[0]
    answer(page, *step)
    node = guide.target(*step)
    text = guide.questions[node[2:]]["text"] if node.startswith("q:") else guide.outcomes[node[2:]]["title"]
    assert text in live.text_content()
    assert re.search(r"\d", live.text_content())


def copied_summary_lines(guide: GuideModel, path: list[Step], site: str, version: str) -> list[str]:
    """What a summary must contain for this path, by content (titles, labels, URLs, version)."""
    outcome = guide.outcomes[guide.node_after(path)[2:]]
    needed = [guide.data["title"], site + guide.url + query(path), outcome["title"], version]
    for qid, aid in path:
        needed += [guide.questions[qid]["text"], guide.answer_label(qid, aid)]
    needed += [site + procedure["url"] for procedure in outcome["procedures"]]
    return needed


def test_copy_for_ticket_writes_the_state_outcome_procedures_and_version(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    page.goto(site_url + guide.url + query(path))
    island = page.evaluate(ISLAND)
    page.evaluate("navigator.clipboard.writeText('')")
    page.click('[data-action="copy-summary"]')
    page.wait_for_function("navigator.clipboard.readText().then((text) => text.length > 0)")
    text = page.evaluate("navigator.clipboard.readText()")
    for needed in copied_summary_lines(guide, path, site_url, island["version"]):
        assert needed in text, f"{needed!r} missing from the summary:\n{text}"
    assert "<" not in text, "plain text, no markup"


def test_copy_falls_back_to_a_selected_textarea_when_the_clipboard_is_refused(page: Any, site_url: str, guide: GuideModel) -> None:
    path = guide.path_to_outcome()
    page.goto(site_url + guide.url + query(path))
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError')); }")
    page.click('[data-action="copy-summary"]')
    area = page.locator("textarea.drg-copy-text")
    area.wait_for()
    island = page.evaluate(ISLAND)
    text = area.input_value()
    for needed in copied_summary_lines(guide, path, site_url, island["version"]):
        assert needed in text
    selection = page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd, document.activeElement.tagName]"
    )
    assert selection == [0, len(text), "TEXTAREA"], "focused and selected, ready for Ctrl+C"
