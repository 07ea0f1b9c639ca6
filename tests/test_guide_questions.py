"""Questions whose answers decide routing: wait times as numeric bands, Windows before wait time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from macros.catalog import decision_files, load_catalog
from macros.model import Guide

from .conftest import ROOT

GUIDES = {
    path.stem: load_catalog(ROOT / "decisions", ROOT / "docs", [path]).guides[path.stem].guide
    for path in decision_files(ROOT / "decisions")
}
WAIT_BANDS = ["Less than 1 hour", "1 to 8 hours", "More than 8 hours"]


def paths(guide: Guide) -> Iterator[list[str]]:
    """Every start-to-outcome path as the list of question ids asked."""
    questions = {q.id: q for q in guide.questions}
    stack = [[guide.start_id]]
    while stack:
        path = stack.pop()
        for answer in questions[path[-1]].answers:
            if answer.next:
                stack.append([*path, answer.next])
            else:
                yield path


def test_every_wait_time_question_answers_in_the_same_numeric_bands() -> None:
    asked = [q for guide in GUIDES.values() for q in guide.questions if q.dimension == "rto"]
    assert len(asked) >= 10
    for question in asked:
        assert [a.label for a in question.answers] == WAIT_BANDS, question.id
        assert [a.id for a in question.answers] == ["minutes", "hours", "days"], "ids stay: they are in ticket URLs"


@pytest.mark.parametrize("guide_id", ["recover-from-outage", "recover-exchange-2007-cluster"])
def test_the_windows_version_is_asked_before_the_wait_time(guide_id: str) -> None:
    guide = GUIDES[guide_id]
    dimension = {q.id: q.dimension for q in guide.questions}
    both = 0
    for path in paths(guide):
        kinds = [dimension[q] for q in path]
        if "os" in kinds and "rto" in kinds:
            both += 1
            assert kinds.index("os") < kinds.index("rto"), path
    assert both > 0


def test_a_copy_that_is_failed_and_suspended_fits_one_answer_only() -> None:
    guide = GUIDES["reseed-or-not"]
    symptoms = [q for q in guide.questions if q.dimension == "failure"]
    assert len(symptoms) == 3
    for question in symptoms:
        fits = [a.id for a in question.answers if "Failed and Suspended" in a.label]
        assert fits == ["failed"], question.id
        suspended = next(a for a in question.answers if a.id == "suspended")
        assert "not Failed" in suspended.label, question.id
