"""The symptom index in a real browser: every link lands on the guide state it promises, and the
site search puts each symptom's entry in the top three results for its code or name."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from .model import SHOWN, GuideModel
from .support import search_results

pytestmark = pytest.mark.browser

PAGE = "reference/symptoms.html"
# Every link of the index, as the page has it: the guide, where it says it lands, and its URL.
LINKS = """() => [...document.querySelectorAll("[data-symptom] a[data-guide-link]")].map((a) => ({
  symptom: a.closest("[data-symptom]").dataset.symptom,
  guide: a.dataset.guideLink,
  lands: a.dataset.lands,
  href: a.href,
}))"""
ENTRIES = """() => [...document.querySelectorAll("[data-symptom]")].map((s) => ({
  id: s.dataset.symptom,
  kind: s.dataset.kind,
  heading: [...s.querySelector("h2").childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(""),
}))"""
# The answers the guide lists as given, question text and answer label, in order.
HISTORY = """() => [...document.querySelectorAll(".drg-guide__history-item")].map((li) => [
  li.querySelector(".drg-guide__history-question").textContent,
  li.querySelector(".drg-guide__history-answer").textContent,
])"""
NOTICE = "() => { const n = document.querySelector('.drg-guide__notice'); return n && !n.hidden ? n.textContent : ''; }"


def test_every_symptom_link_lands_on_the_state_it_promises(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    guides = {data["id"]: GuideModel(data) for data in catalog["guides"]}
    page.goto(site_url + PAGE)
    links = page.evaluate(LINKS)
    assert len({link["symptom"] for link in links}) >= 30, "the index lists at least 30 symptoms with links"
    problems: list[str] = []
    for link in links:
        where = f"{link['symptom']} -> {link['href']}"
        guide = guides[link["guide"]]
        path = parse_qsl(urlsplit(link["href"]).query)
        expected = guide.node_after(path)
        if link["lands"] != expected:
            problems.append(f"{where}: the index says it lands on {link['lands']}, the guide's model says {expected}")
        page.goto(link["href"])
        state = page.evaluate(SHOWN)
        if state["shown"] != [expected]:
            problems.append(f"{where}: shows {state['shown']}, expected {expected}")
        wanted = [[guide.questions[q]["text"], guide.answer_label(q, a)] for q, a in path]
        if page.evaluate(HISTORY) != wanted:
            problems.append(f"{where}: the answers shown are {page.evaluate(HISTORY)}, expected {wanted}")
        if page.evaluate(NOTICE):
            problems.append(f"{where}: the guide ignored some answers: {page.evaluate(NOTICE)}")
    assert not problems, f"{len(problems)} problem(s) in {len(links)} links:\n" + "\n".join(problems)


def search_top(page: Any, start: str, query: str) -> list[str]:
    """The first three result links for a query, as the search box of a fresh page shows them."""
    return search_results(page, start, query)[:3]


def test_search_puts_each_symptom_in_the_top_three_for_its_code_and_its_name(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGE)
    entries = page.evaluate(ENTRIES)
    problems = []
    searched = 0
    for entry in entries:
        heading = entry["heading"]
        # The whole heading (code and name, or the message); for an error code the bare code as
        # typed (-1018, ecNotEncrypted); for an event its source and ID (ESE 474), and the bare ID
        # when it has three digits or more (a bare 4 or 11 matches every longer ID by prefix).
        queries = [heading]
        if entry["kind"] == "error-code":
            queries.append(heading.split()[0])
        elif entry["kind"] == "event-id":
            source, _, number = heading.split()[:3]
            queries += [f"{source} {number}"] + ([number] if len(number) >= 3 else [])
        for query in dict.fromkeys(q if len(q) <= 80 else q[:80].rsplit(" ", 1)[0] for q in queries):
            searched += 1
            top = search_top(page, site_url + PAGE, query)
            if not any(href.endswith(f"#symptom-{entry['id']}") for href in top):
                problems.append(f"{query!r}: #symptom-{entry['id']} is not in the top three {top}")
    assert searched >= 30
    assert not problems, f"{len(problems)} of {searched} searches missed:\n" + "\n".join(problems)
