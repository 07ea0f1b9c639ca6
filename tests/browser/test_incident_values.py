"""An incident in Chromium on the example organisation's build: a guide, then two procedures,
each value typed (or chosen from the profile) once, and the timeline for the ticket in order.
Routes come from the exported model."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Guard
from .model import GuideModel, Step
from .support import serve

pytestmark = pytest.mark.browser

FIRST = "procedures/e2007-recover-cms.html"
SECOND = "procedures/e2007-scr-activate-standby-cluster.html"
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d"


@pytest.fixture(scope="module")
def profile_url(profile_site: Path) -> Iterator[str]:
    with serve(profile_site) as url:
        yield url


@pytest.fixture
def tab(make_context: Callable[..., tuple[Any, Guard]]) -> Iterator[tuple[Any, Guard]]:
    """A new tab of its own (sessionStorage is per tab), with the clipboard allowed."""
    context, guard = make_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
    )
    page = context.new_page()
    yield page, guard
    guard.check()
    context.close()


def path_to(guide: GuideModel, procedure: str) -> list[Step]:
    """The shortest answers to an outcome whose first procedure is ``procedure``."""
    best: list[Step] | None = None
    for qid, steps in guide.reach.items():
        for answer in guide.questions[qid]["answers"]:
            outcome = answer.get("outcome")
            procedures = guide.outcomes[outcome]["procedures"] if outcome else []
            if procedures and procedures[0]["url"] == procedure:
                path = [*steps, (qid, answer["id"])]
                best = path if best is None or len(path) < len(best) else best
    assert best, f"{guide.id}: no outcome leads to {procedure}"
    return best


def copied(page: Any, selector: str) -> str:
    page.evaluate("navigator.clipboard.writeText('')")
    page.click(selector)
    page.wait_for_function("navigator.clipboard.readText().then((text) => text.length > 0)")
    return page.evaluate("navigator.clipboard.readText()")


def test_an_incident_across_a_guide_and_two_procedures_types_each_value_once(
    tab: tuple[Any, Guard], profile_url: str, catalog: dict[str, Any]
) -> None:
    page, _ = tab
    guide = next(GuideModel(g) for g in catalog["guides"] if g["id"] == "recover-exchange-2007-cluster")
    path = path_to(guide, FIRST)

    # 1. The guide: every answer clicked (each one goes into the incident's timeline).
    page.goto(profile_url + guide.url)
    for qid, aid in path:
        page.click(f'[data-question="{qid}"] a[data-answer="{aid}"]')
    outcome = guide.node_after(path)[2:]
    record = copied(page, '[data-action="copy-summary"]')
    answers = [line for line in record.splitlines() if re.match(STAMP + "  answer  ", line)]
    assert len(answers) == len(path), record
    for (qid, aid), line in zip(path, answers, strict=True):
        assert line.endswith(f"{guide.questions[qid]['text']} -> {guide.answer_label(qid, aid)}")

    # 2. The outcome's link carries the incident to the first procedure.
    page.locator(f'[data-outcome="{outcome}"] a.drg-guide__open-procedure').first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[0] == profile_url + FIRST
    assert re.search(r"#incident=[a-z0-9]{6,32}$", page.url), "the link carries the incident id, and no values yet"
    incident = page.url.split("incident=")[1]
    assert page.locator(".drg-values__incident").is_hidden(), "nothing from this incident yet"

    # The profile's choice fills the CMS name and its address together; a storage group its database.
    page.select_option('select[data-profile-group="cms"]', label="FBK07-CMS1 (CCR clustered mailbox server on cluster FBK07-CL1)")
    assert page.input_value("#drg-value-CMSName") == "FBK07-CMS1"
    assert page.input_value("#drg-value-IP") == "192.0.2.15"
    page.select_option('select[data-profile-group="database"]', label="FBK-SG2 / FBK-DB2 on FBK07-CMS1")
    assert page.input_value("#drg-value-StorageGroup") == "FBK-SG2"
    assert page.input_value("#drg-value-DatabaseName") == "FBK-DB2"
    assert "FBK07-CMS1" in page.locator(".drg-ph[data-ph='CMSName']").first.text_content()
    page.fill("#drg-value-DataPath", "S:\\ExchData")  # typed values still work
    assert f"incident={incident}&" in page.url
    assert "CMSName=FBK07-CMS1" in page.url
    page.locator("ol[data-drg-steps] > li input.drg-step__box").nth(0).check()
    page.locator("ol[data-drg-steps] > li input.drg-step__box").nth(1).check()

    # 3. A link to the second procedure carries the incident and its values.
    page.locator(f'article a[href^="{SECOND.split("/")[1]}"]').first.click()
    page.wait_for_load_state()
    assert page.url.startswith(profile_url + SECOND + f"#incident={incident}")
    for name, value in {"CMSName": "FBK07-CMS1", "IP": "192.0.2.15", "StorageGroup": "FBK-SG2", "DatabaseName": "FBK-DB2"}.items():
        assert page.input_value(f"#drg-value-{name}") == value, f"{name} is offered again, not typed again"
    assert page.input_value("#drg-value-StandbyNode") == ""
    page.fill("#drg-value-StandbyNode", "FBK07-SCR1")
    page.locator("ol[data-drg-steps] > li input.drg-step__box").nth(0).check()

    # 4. The ticket: the values, then the whole incident in order, each line with its time.
    text = copied(page, '[data-action="copy-progress"]')
    assert "CMSName = FBK07-CMS1" in text
    assert "StandbyNode = FBK07-SCR1" in text
    timeline = text.split("Incident timeline (", 1)[1].splitlines()[1:]
    timeline = [line for line in timeline if re.match(STAMP, line)]
    kinds = [line.split("  ")[1] for line in timeline]
    assert kinds == ["answer"] * len(path) + ["step done"] * 3
    stamps = [line[: line.index("  ")] for line in timeline]
    assert stamps == sorted(stamps), "oldest first"
    assert "Recover a lost clustered mailbox server" in timeline[len(path)]
    assert "step 1." in timeline[len(path)]
    assert "step 2." in timeline[len(path) + 1]
    assert "Activate an SCR copy on a standby cluster" in timeline[-1]

    # 5. The same as CSV.
    with page.expect_download() as download:
        page.click('[data-action="export-timeline"]')
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["time", "local time", "kind", "page", "what"]
    assert [row[2] for row in rows[1:]] == kinds
    assert rows[1][4].startswith(guide.questions[path[0][0]]["text"])

    # 6. Clearing the incident's values empties what came from it, and says so.
    assert page.locator(".drg-values__incident").is_visible()
    page.click('[data-action="clear-incident"]')
    assert page.input_value("#drg-value-CMSName") == ""
    assert page.input_value("#drg-value-StandbyNode") == "FBK07-SCR1", "values typed on this page stay"
    assert "cleared" in page.locator(".drg-values__incident").text_content()


def test_a_guide_starts_from_the_failed_server_and_shows_what_the_profile_knows(tab: tuple[Any, Guard], profile_url: str) -> None:
    page, _ = tab
    page.goto(profile_url + "guides/recover-from-outage.html")
    page.click('a[data-profile-target="FBK07-CMS1"]')
    page.wait_for_load_state()
    assert page.evaluate("location.search") == "?version=e2007&e2007-topology=ccr"
    answers = page.locator(".drg-guide__history-item")
    assert answers.count() == 2, "the version and the topology come from the profile"
    assert answers.locator("a.drg-guide__change").count() == 2, "each with a Change link"
    shown = page.locator("[data-question]:visible")
    assert shown.count() == 1
    assert shown.get_attribute("data-question") not in ("version", "e2007-topology"), "the engineer answers only the rest"
