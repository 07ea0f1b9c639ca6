"""Layer (b): every real decision file checks, walks completely, and matches the export contract."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from macros.engine.catalog import decision_files, load_catalog
from macros.engine.model import json_schema
from macros.engine.safeyaml import load, read_text

from .conftest import ROOT

DECISIONS = ROOT / "decisions"
FILES = decision_files(DECISIONS)


def test_there_are_decision_files() -> None:
    assert FILES


def test_check_passes_on_every_real_decision_file() -> None:
    result = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == len(FILES)


def test_committed_schema_is_the_generated_one() -> None:
    committed = json.loads((DECISIONS / "decision.schema.json").read_text())
    assert committed == json_schema(), "run: python -m macros schema > decisions/decision.schema.json"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_editor_schema_accepts_every_real_file(path) -> None:
    data, problems = load(read_text(path), str(path))
    assert problems == []
    jsonschema.validate(data, json.loads((DECISIONS / "decision.schema.json").read_text()))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_path_ends_in_an_outcome_with_existing_procedures(path) -> None:
    """Walk every edge from the start: each answer reaches a question or an outcome whose pages exist."""
    catalog = load_catalog(DECISIONS, ROOT / "docs", [path])
    (entry,) = catalog.guides.values()
    guide = entry.guide
    questions = {q.id: q for q in guide.questions}
    outcomes = {o.id: o for o in guide.outcomes}
    seen, todo, reached = set(), [guide.start_id], set()
    while todo:
        question = questions[todo.pop()]
        if question.id in seen:
            continue
        seen.add(question.id)
        for answer in question.answers:
            if answer.next:
                todo.append(answer.next)
            else:
                reached.add(answer.outcome)
                for page in outcomes[answer.outcome].procedures:
                    assert (ROOT / "docs" / page).is_file(), page
    assert seen == set(questions), "every question is reachable"
    assert reached == set(outcomes), "every outcome is reachable"
    assert entry.facts.paths >= len(outcomes)


def test_export_matches_the_contract() -> None:
    result = subprocess.run([sys.executable, "-m", "macros", "export"], cwd=ROOT, capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    assert set(data) == {"guides"}
    assert len(data["guides"]) == len(FILES)
    for guide in data["guides"]:
        assert set(guide) == {"id", "title", "url", "start", "questions", "outcomes", "paths"}
        assert guide["url"] == f"guides/{guide['id']}.html"
        assert isinstance(guide["paths"], int)
        assert guide["paths"] > 0
        for question in guide["questions"]:
            assert set(question) == {"id", "text", "answers"}
            for answer in question["answers"]:
                assert set(answer) in ({"id", "label", "next"}, {"id", "label", "outcome"})
        for outcome in guide["outcomes"]:
            assert set(outcome) == {"id", "title", "procedures"}
            for procedure in outcome["procedures"]:
                assert set(procedure) == {"title", "url"}
                assert not procedure["url"].startswith(("/", "http"))
                assert procedure["url"].endswith(".html")
