"""Symptoms in decision files: routes into the guides (implied and assumed answers) and the index page."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.catalog import load_catalog
from macros.problems import ProblemsFound
from macros.render import GuideRenderer

from .conftest import FIXTURES, ROOT, compare_golden

GUIDE = """\
id: tiny
title: Tiny
introduction: Two ways to the same question.
questions:
  - id: version
    text: Which version?
    answers:
      - id: e2007
        label: Exchange 2007
        next: failed
      - id: e2010
        label: Exchange 2010
        next: failed
  - id: failed
    text: What failed?
    symptoms:
      - id: cluster-down
        kind: event-id
        event_source: FailoverClustering
        match: ["1135"]
        meaning: A node left the cluster.
        source: https://learn.microsoft.com/example
    answers:
      - id: database
        label: A database
        outcome: done
        symptoms:
          - id: read-verify
            kind: error-code
            match: ["-1018", JET_errReadVerifyFailure]
            meaning: Checksum error on a database page.
            field: true
      - id: server
        label: The server
        next: rto
  - id: rto
    text: How long can you wait?
    answers:
      - id: hours
        label: Hours
        outcome: done
        symptoms:
          - id: read-verify
            implies: {version: e2010}
      - id: days
        label: Days
        outcome: done
outcomes:
  - id: done
    title: Done
    summary: Done.
    procedures: [procedures/alpha.md]
"""


def catalog_of(tmp_path: Path, text: str) -> object:
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    (decisions / "tiny.yml").write_text(text, encoding="utf-8")
    return load_catalog(decisions, FIXTURES / "docs")


def test_routes_give_the_shortest_path_and_mark_what_the_symptom_does_not_imply(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, GUIDE)
    entries = {e.symptom.id: e for e in catalog.symptoms}  # type: ignore[attr-defined]
    assert list(entries) == ["read-verify", "cluster-down"], "error codes first, then events"
    first, second = entries["read-verify"].routes
    # Either version reaches 'failed': the first in the file is chosen and marked assumed.
    assert first.steps == (("version", "e2007"), ("failed", "database"))
    assert first.implied == (False, True)
    assert first.assumed == [("version", "e2007")]
    assert first.lands == ("o", "done")
    assert first.url == "guides/tiny.html?version=e2007&failed=database"
    # implies: steers the path and counts as implied; 'failed=server' is the only way on.
    assert second.steps == (("version", "e2010"), ("failed", "server"), ("rto", "hours"))
    assert second.implied == (True, True, True)
    # A question listing lands on that question, with the answers before it.
    (question,) = entries["cluster-down"].routes
    assert (question.steps, question.lands, question.claimed) == ((("version", "e2007"),), ("q", "failed"), None)


def test_an_implied_answer_that_no_path_can_pass_is_refused(tmp_path: Path) -> None:
    text = GUIDE.replace("implies: {version: e2010}", "implies: {failed: database}")
    with pytest.raises(ProblemsFound) as found:
        catalog_of(tmp_path, text)
    assert [p.message for p in found.value.problems] == [
        "answer 'hours': symptom 'read-verify': no path from the start question reaches it through the implied answers"
    ]


def test_the_index_page_has_an_anchored_heading_and_a_link_per_route(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, GUIDE)
    html = GuideRenderer(catalog).symptom_index("reference/symptoms.html")  # type: ignore[arg-type]
    assert '<h2 class="drg-symptom__title" id="symptom-read-verify">-1018 JET_errReadVerifyFailure<a class="headerlink"' in html
    assert '<h2 class="drg-symptom__title" id="symptom-cluster-down">FailoverClustering event 1135<a class="headerlink"' in html
    assert 'href="../guides/tiny.html?version=e2007&amp;failed=database"' in html
    assert 'data-lands="q:failed"' in html
    assert html.count("(<strong>assumed</strong>") == 2, "version is assumed on the two routes through failed"
    assert "Field observation" in html


def test_the_real_decision_files_list_at_least_thirty_sourced_symptoms_across_the_versions() -> None:
    catalog = load_catalog(ROOT / "decisions", ROOT / "docs")
    symptoms = [entry.symptom for entry in catalog.symptoms]
    assert len(symptoms) >= 30
    assert {"2003", "2007", "2010"} <= {v for s in symptoms for v in s.versions}
    assert {s.kind for s in symptoms} == {"error-code", "event-id", "status", "client-message"}
    assert all(entry.routes for entry in catalog.symptoms), "every symptom leads somewhere"
    assert all(s.source or s.field for s in symptoms)


def test_the_index_html_matches_its_golden_file(tmp_path: Path, update_golden: bool) -> None:
    catalog = catalog_of(tmp_path, GUIDE)
    html = GuideRenderer(catalog).symptom_index("reference/symptoms.html")  # type: ignore[arg-type]
    compare_golden(ROOT / "tests" / "golden" / "symptoms.html", html, update_golden)
