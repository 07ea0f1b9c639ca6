"""The incident path in Chromium: ticket links that open where the site is served, the procedure
first at an outcome on a laptop and a phone, robust state from hostile URLs, and the home page.
Routes come from the exported model; no test asserts on wording."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, mkdocs_build
from .conftest import Guard
from .model import SHOWN, GuideModel, Step, query

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
URL = re.compile(r"\b(?:https?|file)://[^\s]+")
PUBLIC = "https://dr.example.org/exchange/"


def copied(page: Any, selector: str) -> str:
    """Click a copy button and return what reached the clipboard."""
    page.evaluate("navigator.clipboard.writeText('')")
    page.click(selector)
    page.wait_for_function("navigator.clipboard.readText().then((text) => text.length > 0)")
    return page.evaluate("navigator.clipboard.readText()")


def longest_path(guide: GuideModel) -> list[Step]:
    """A path to an outcome with procedures, as long as the guide has: the most history above."""
    best: list[Step] = []
    for qid in guide.questions:
        for answer in guide.questions[qid]["answers"]:
            outcome = answer.get("outcome")
            if outcome and guide.outcomes[outcome]["procedures"]:
                path = [*guide.reach[qid], (qid, answer["id"])]
                best = max(best, path, key=len)
    assert best, f"{guide.id}: no outcome with a procedure"
    return best


# --- 1. Ticket links ------------------------------------------------------------------------------


def test_a_ticket_copied_on_any_port_links_to_that_address_and_every_link_answers(
    page: Any, site_url: str, catalog: dict[str, Any]
) -> None:
    assert not site_url.endswith(":8000/"), "the server picked a free port"
    for data in catalog["guides"]:
        guide = GuideModel(data)
        path = longest_path(guide)
        page.goto(site_url + guide.url + query(path))
        text = copied(page, '[data-action="copy-summary"]')
        links = URL.findall(text)
        assert site_url + guide.url + query(path) in links, "the state link is the served address"
        assert len(links) >= 2, "the state and at least one procedure"
        for link in links:
            assert link.startswith(site_url), f"{link} is not where the page is served"
            assert page.request.get(link).status == 200, link
        assert page.evaluate("drg.localNote") not in text, "served over http: the links are not local"

        state = page.evaluate(SHOWN)
        page.goto(site_url + "index.html")
        page.goto(links[0])
        assert page.evaluate(SHOWN)["shown"] == state["shown"], "the state link opens the same state"
        assert page.locator(".drg-guide__history-item").count() == len(path)


def test_copy_progress_links_to_the_served_page_with_its_values(page: Any, site_url: str) -> None:
    page.goto(site_url + "procedures/e2007-recover-cms.html#CMSName=EXCL01")
    page.locator("input.drg-step__box").first.check()
    text = copied(page, '[data-action="copy-progress"]')
    links = URL.findall(text)
    assert links == [site_url + "procedures/e2007-recover-cms.html#CMSName=EXCL01"]
    assert page.request.get(links[0]).status == 200
    page.evaluate("() => localStorage.clear()")


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built for publishing at a public address (DRG_SITE_URL)."""
    out = tmp_path_factory.mktemp("public") / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", out, env={"DRG_SITE_URL": PUBLIC})
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def file_page(make_context: Callable[..., tuple[Any, Guard]]) -> Iterator[Any]:
    context, guard = make_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield page
    guard.check()
    context.close()


def test_from_file_without_a_public_address_the_ticket_says_its_links_are_local(
    file_page: Any, built_site: Path, catalog: dict[str, Any]
) -> None:
    guide = GuideModel(catalog["guides"][0])
    path = guide.path_to_outcome()
    file_page.goto((built_site / guide.url).as_uri() + query(path))
    text = copied(file_page, '[data-action="copy-summary"]')
    assert file_page.evaluate("drg.localNote") in text
    assert all(link.startswith("file://") for link in URL.findall(text))


def test_from_file_with_a_public_address_the_ticket_links_to_it(file_page: Any, public_site: Path, catalog: dict[str, Any]) -> None:
    guide = GuideModel(catalog["guides"][0])
    path = guide.path_to_outcome()
    file_page.goto((public_site / guide.url).as_uri() + query(path))
    text = copied(file_page, '[data-action="copy-summary"]')
    links = URL.findall(text)
    assert PUBLIC + guide.url + query(path) in links
    outcome = guide.outcomes[guide.node_after(path)[2:]]
    for procedure in outcome["procedures"]:
        assert PUBLIC + procedure["url"] in links
    assert all(link.startswith(PUBLIC) for link in links)
    assert file_page.evaluate("drg.localNote") not in text


# --- 3. The procedure first -----------------------------------------------------------------------


def boxes(page: Any, outcome: str) -> dict[str, Any]:
    return page.evaluate(
        """(id) => {
          const box = (node) => node && node.checkVisibility() ? node.getBoundingClientRect().toJSON() : null;
          const root = document.querySelector(`[data-outcome="${id}"]`);
          return {
            title: box(root.querySelector(".drg-guide__outcome-title")),
            open: box(root.querySelector(".drg-guide__open-procedure")),
            primary: root.querySelector(".drg-guide__open-procedure").classList.contains("md-button--primary"),
            history: box(document.querySelector(".drg-guide__history")),
            height: window.innerHeight,
          };
        }""",
        outcome,
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_open_the_procedure_sits_under_the_outcome_title_without_scrolling(
    make_context: Callable[..., tuple[Any, Guard]], site_url: str, catalog: dict[str, Any], viewport: dict[str, int]
) -> None:
    context, guard = make_context(viewport=viewport)
    page = context.new_page()
    for data in catalog["guides"]:
        guide = GuideModel(data)
        path = longest_path(guide)
        outcome = guide.node_after(path)[2:]
        page.goto(site_url + guide.url)
        for qid, aid in path:
            page.click(f'[data-question="{qid}"] a[data-answer="{aid}"]')
        clicked = boxes(page, outcome)
        page.goto(site_url + guide.url + query(path))
        opened = boxes(page, outcome)
        for how, got in (("clicked", clicked), ("ticket link", opened)):
            where = f"{guide.id} at {viewport['width']}x{viewport['height']} ({how})"
            assert got["primary"], where
            assert got["open"], where
            assert got["title"], where
            assert got["open"]["top"] >= got["title"]["bottom"], f"{where}: under the title"
            assert got["open"]["top"] - got["title"]["bottom"] < 48, f"{where}: directly under the title"
            assert got["open"]["top"] >= 0, f"{where}: visible without scrolling: {got}"
            assert got["open"]["bottom"] <= got["height"], f"{where}: visible without scrolling: {got}"
            assert got["history"]["top"] >= got["open"]["bottom"], f"{where}: the answers so far follow it"
    guard.check()
    context.close()


# --- 9. Robust state ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        "#o-constructor",
        "#o-__proto__",
        "#o-toString",
        "#q-constructor",
        "#q-__proto__",
        "#q-hasOwnProperty",
        "?constructor=x&__proto__=y&toString=z",
    ],
)
def test_hostile_ids_in_the_url_leave_the_guide_working_from_its_start(
    page: Any, site_url: str, catalog: dict[str, Any], tail: str
) -> None:
    guide = GuideModel(catalog["guides"][0])
    page.goto(site_url + guide.url + tail)
    assert page.evaluate(SHOWN)["shown"] == [f"q:{guide.start}"]
    assert page.locator(".drg-guide__notice").is_visible()
    step = guide.path_to_outcome()[0]
    page.click(f'[data-question="{step[0]}"] a[data-answer="{step[1]}"]')
    assert page.evaluate(SHOWN)["shown"] == [guide.target(*step)], "the guide still works"


def test_a_notice_quotes_at_most_200_characters(page: Any, site_url: str, catalog: dict[str, Any]) -> None:
    guide = GuideModel(catalog["guides"][0])
    long = "x" * 5000
    for tail in (f"?{long}=1", f"#o-{long}"):
        page.goto(site_url + guide.url + tail)
        notice = page.locator(".drg-guide__notice")
        assert notice.is_visible()
        assert "x" * 201 not in notice.text_content()
        assert "x" * 150 in notice.text_content(), "it still quotes the start of it"
        assert page.evaluate(SHOWN)["shown"] == [f"q:{guide.start}"]


# --- 6. Home and the top of a procedure -----------------------------------------------------------


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_home_has_one_start_for_an_outage_then_every_guide(
    make_context: Callable[..., tuple[Any, Guard]], site_url: str, catalog: dict[str, Any], viewport: dict[str, int]
) -> None:
    context, guard = make_context(viewport=viewport)
    page = context.new_page()
    page.goto(site_url + "index.html")
    primary = page.locator("article a.md-button--primary")
    assert primary.count() == 1, "one prominent start"
    start = min(catalog["guides"], key=lambda g: 0 if g["id"] == "recover-from-outage" else 1)
    assert primary.get_attribute("href") == start["url"]
    box = primary.bounding_box()
    assert box["y"] + box["height"] <= viewport["height"], "visible without scrolling"
    assert box["height"] >= 44
    hrefs = page.eval_on_selector_all("article li a", "(as) => as.map((a) => a.getAttribute('href'))")
    for data in catalog["guides"]:
        assert hrefs.count(data["url"]) == 1, f"{data['id']} is listed once"
    text = page.locator("article").inner_text()
    assert not re.search(r"\bmake\b|mkdocs|\.venv|pip ", text), "nothing for site builders"
    guard.check()
    context.close()


def test_the_binder_link_shows_only_where_the_pdf_was_built(page: Any, site_url: str, built_site: Path) -> None:
    page.goto(site_url + "index.html")
    link = page.locator("article a[href='exchange-dr-binder.pdf']")
    assert link.count() == 1
    assert link.is_visible() == (built_site / "exchange-dr-binder.pdf").is_file()


def test_a_procedure_page_shows_its_time_review_date_and_site_version_at_the_top(page: Any, site_url: str) -> None:
    import yaml

    source = (ROOT / "docs/procedures/e2007-recover-cms.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(source.split("---")[1])
    page.goto(site_url + "procedures/e2007-recover-cms.html")
    facts = page.locator(".drg-page-facts")
    assert facts.is_visible()
    text = facts.inner_text()
    assert str(meta["duration"]) in text
    assert str(meta["last_reviewed"]) in text
    assert page.get_attribute('meta[name="drg-version"]', "content") in text
    title = page.locator("article h1").bounding_box()
    assert facts.bounding_box()["y"] < title["y"] + title["height"] + 80, "at the top of the page"
