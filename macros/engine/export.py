"""The public JSON export of every guide (its shape is a contract: see DESIGN.md)."""

from __future__ import annotations

from typing import Any

from .catalog import Catalog
from .urls import guide_page, page_url


def export(catalog: Catalog) -> dict[str, Any]:
    """Every guide as {"guides": [...]} with site-relative URLs and its number of paths."""
    guides = []
    for entry in catalog.guides.values():
        guide = entry.guide
        questions = [
            {
                "id": q.id,
                "text": q.text,
                "answers": [{"id": a.id, "label": a.label, **({"next": a.next} if a.next else {"outcome": a.outcome})} for a in q.answers],
            }
            for q in guide.questions
        ]
        outcomes = [
            {
                "id": o.id,
                "title": o.title,
                "procedures": [{"title": catalog.pages[p].title, "url": page_url(p)} for p in o.procedures],
            }
            for o in guide.outcomes
        ]
        guides.append(
            {
                "id": guide.id,
                "title": guide.title,
                "url": page_url(guide_page(guide.id)),
                "start": guide.start_id,
                "questions": questions,
                "outcomes": outcomes,
                "paths": entry.facts.paths,
            }
        )
    return {"guides": guides}
