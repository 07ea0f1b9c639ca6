"""No map text in the printed binder is smaller than 6 pt: a map too large for that is printed in
parts (sub-trees), and every question is drawn in one of them. The PDF itself is measured in
test_binder.py, with the session's one binder."""

from __future__ import annotations

import pytest

from macros.binder import MAP_MIN_FONT_PT, decision_map
from macros.catalog import Catalog, load_catalog
from macros.diagram import dot_source, reachable
from macros.urls import guide_page, page_url

from .conftest import ROOT


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "decisions", ROOT / "docs")


def test_every_question_is_drawn_in_a_legible_part_of_its_guides_map(catalog: Catalog) -> None:
    split = 0
    for guide_id, entry in catalog.guides.items():
        parts = decision_map(entry, catalog, page_url(guide_page(guide_id)))
        assert parts, guide_id
        drawn = {number for part in parts for number in part["questions"]}
        assert drawn == set(entry.facts.number.values()), guide_id
        for part in parts:
            assert part["font"] >= MAP_MIN_FONT_PT, f"{guide_id}: a part prints at {part['font']} pt"
        split += len(parts) > 1
    assert split, "no guide is large enough to need splitting: the test proves nothing"


def test_part_of_a_map_may_not_lead_outside_it(catalog: Catalog) -> None:
    entry = max(catalog.guides.values(), key=lambda e: len(e.guide.questions))
    start = entry.guide.start_id
    whole = reachable(entry, start)
    assert len(whole) == len(entry.guide.questions) + len(entry.guide.outcomes)
    with pytest.raises(ValueError, match="leads to nodes it leaves out"):
        dot_source(entry, catalog, lambda target: "#", only={f"q-{start}"})
    source = dot_source(entry, catalog, lambda target: "#", only={f"q-{start}"}, stubs={f"q-{start}"})
    assert f'"q-{start}"' in source
    assert "->" not in source, "a stub is drawn without its answers"
