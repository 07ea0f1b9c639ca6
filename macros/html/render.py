"""Render a checked guide to HTML through Jinja templates, plus the JSON island the browser reads."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from ..engine import reseed
from ..engine.catalog import Catalog, GuideEntry, read_page
from ..engine.graph import count_text
from ..engine.problems import Problem, known
from ..engine.symptoms import SymptomEntry, heading
from ..engine.urls import guide_page, page_url, relative
from .diagram import DiagramCache, guide_svg, page_links
from .sanitize import sanitize

TEMPLATES = Path(__file__).parent / "templates"
# Between fragments converted in one pass; Markdown keeps an HTML comment block as it is.
_SEPARATOR = "\n\n<!-- drg-fragment-boundary -->\n\n"


def default_markdown() -> Callable[[str], str]:
    """A plain Python-Markdown converter, for use outside MkDocs (tests, other renderers)."""
    import markdown

    converter = markdown.Markdown(extensions=["admonition", "attr_list", "tables", "fenced_code"])

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    return convert


KIND_LABELS = {"error-code": "Error code", "event-id": "Event ID", "status": "Status value", "client-message": "Client message"}
KIND_COUNTED = {  # (one, several), for "49 symptoms: 19 error codes, 1 event ID, ..."
    "error-code": ("error code", "error codes"),
    "event-id": ("event ID", "event IDs"),
    "status": ("status value", "status values"),
    "client-message": ("client message", "client messages"),
}


def symptom_view(entry: SymptomEntry, catalog: Catalog, from_url: str) -> dict[str, Any]:
    """One symptom as plain data for the index template, its links relative to ``from_url``."""
    symptom = entry.symptom
    routes = []
    for route in entry.routes:
        guide = catalog.guides[route.guide_id].guide
        questions = {q.id: q for q in guide.questions}
        outcomes = {o.id: o for o in guide.outcomes}
        kind, node = route.lands
        lands_text = f"question \u201c{questions[node].text}\u201d" if kind == "q" else f"outcome \u201c{outcomes[node].title}\u201d"
        given = [
            {
                "question": questions[qid].text,
                "answer": next(a.label for a in questions[qid].answers if a.id == aid),
                "implied": implied,
                "claimed": (qid, aid) == route.claimed,
            }
            for (qid, aid), implied in zip(route.steps, route.implied, strict=True)
        ]
        routes.append(
            {
                "guide_id": route.guide_id,
                "guide_title": route.guide_title,
                "href": relative(from_url, route.url),
                "lands": f"{kind}:{node}",
                "lands_text": lands_text,
                "given": given,
            }
        )
    return {
        "id": symptom.id,
        "heading": heading(symptom),
        "kind": KIND_LABELS.get(symptom.kind or "", symptom.kind or ""),
        "kind_id": symptom.kind or "",
        "meaning": symptom.meaning or "",
        "versions": list(symptom.versions),
        "source": symptom.source,
        "source_host": urlsplit(symptom.source).hostname if symptom.source else None,
        "field": symptom.field,
        "event_source": symptom.event_source,
        "routes": routes,
    }


class PageIndexError(ValueError):
    """A page listed in an index has unreadable front matter."""


class UnknownGuide(LookupError):
    """A page asked for a guide id that no decision file defines."""


class GuideRenderer:
    """Knows one template folder and turns guides of a catalog into HTML.

    A renderer lives as long as one build: its decision maps are cached in ``diagrams``, which is
    new with each renderer unless one is passed in.
    """

    def __init__(
        self,
        catalog: Catalog,
        markdown: Callable[[str], str] | None = None,
        version: str = "unknown",
        site_url: str = "",
        diagrams: DiagramCache | None = None,
    ) -> None:
        self.catalog = catalog
        self.version = version
        self.site_url = site_url
        self.diagrams = DiagramCache() if diagrams is None else diagrams
        self._markdown = markdown or default_markdown()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def md_batch(self, texts: list[str]) -> Callable[[str | None], Markup]:
        """Convert many fragments, mostly in one Markdown pass; return a lookup the templates call as md().

        Fragments are Markdown authored in decision files; the HTML is sanitised (macros/html/sanitize.py)
        before it is trusted, so a field cannot add a script, an event handler or a javascript: link.

        Each conversion with the site's full extension set has a fixed cost (the glossary is
        appended and every block processor runs) that dwarfs the fragments themselves, so one
        pass per guide instead of one per fragment keeps guide pages cheap to build. A fragment
        with a footnote is converted on its own, so its footnotes stay with its node instead of
        gathering at the end of the pass. If a fragment swallows a separator (an unclosed code
        fence, say), fall back to one at a time.
        """
        unique = list(dict.fromkeys(t for t in texts if t))
        alone = [t for t in unique if "[^" in t]
        batch = [t for t in unique if "[^" not in t]
        html = self._markdown(_SEPARATOR.join(batch)) if batch else ""
        parts = html.split(_SEPARATOR.strip())
        if len(parts) != len(batch):
            parts = [self._markdown(t) for t in batch]
        parts += [self._markdown(t) for t in alone]
        converted = {text: Markup(sanitize(part.strip())) for text, part in zip(batch + alone, parts, strict=True)}

        def lookup(text: str | None) -> Markup:
            return converted[text] if text else Markup("")

        return lookup

    def entry(self, guide_id: str) -> GuideEntry:
        """The checked guide with this id, or an error that lists the valid ids."""
        try:
            return self.catalog.guides[guide_id]
        except KeyError:
            raise UnknownGuide(f"unknown guide '{guide_id}' {known(self.catalog.guides, guide_id)}") from None

    def tree(self, guide_id: str, from_url: str) -> dict[str, Any]:
        """The guide as plain data with links relative to the page at ``from_url``."""
        entry = self.entry(guide_id)
        guide, facts = entry.guide, entry.facts
        questions = {}
        for question in guide.questions:
            answers = []
            for answer in question.answers:
                item: dict[str, str] = {"id": answer.id, "label": answer.label}
                if answer.next is not None:
                    item["next"] = answer.next
                else:
                    item["outcome"] = answer.outcome or ""
                answers.append(item)
            questions[question.id] = {
                "number": facts.number[question.id],
                "text": question.text,
                "longest": facts.longest_from[question.id],
                "answers": answers,
            }
        outcomes = {
            outcome.id: {
                "title": outcome.title,
                "procedures": [
                    {"title": self.catalog.pages[rel].title, "url": relative(from_url, page_url(rel)), "site_url": page_url(rel)}
                    for rel in outcome.procedures
                ],
                "follow_up": [
                    {
                        "id": other,
                        "title": self.catalog.guides[other].guide.title if other in self.catalog.guides else other,
                        "url": relative(from_url, page_url(guide_page(other))),
                    }
                    for other in outcome.follow_up
                ],
            }
            for outcome in guide.outcomes
        }
        return {
            "id": guide.id,
            "title": guide.title,
            "start": guide.start_id,
            "page": from_url,
            "site_url": self.site_url,
            "version": self.version,
            # Exact while JavaScript numbers are (2^53); beyond, the count as people read it. A path
            # count can have thousands of digits, more than JSON encoding of an int allows.
            "paths": facts.paths if facts.paths <= 2**53 else count_text(facts.paths),
            "questions": questions,
            "outcomes": outcomes,
        }

    def reseed_table(self, indent: int = 0) -> str:
        """The re-seed time table (sizes by line rates) in Markdown, every cell from reseed.py, indented for a list item."""
        table = str(self.env.get_template("reseed_table.md.jinja").render(reseed.table())).strip()
        return textwrap.indent(table, " " * indent).lstrip()

    def page_index(self, folder: str, from_url: str) -> str:
        """A table of every page in a docs folder (e.g. procedures), from their front matter."""
        pages = []
        for path in sorted((self.catalog.docs_dir / folder).glob("*.md")):
            if path.name == "index.md":
                continue
            rel = f"{folder}/{path.name}"
            page = read_page(self.catalog.docs_dir, rel)
            if isinstance(page, Problem):
                raise PageIndexError(str(page))
            meta = page.meta
            pages.append(
                {
                    "id": str(meta.get("id", path.stem)),
                    "title": page.title,
                    "url": relative(from_url, page_url(rel)),
                    "exchange": [str(v) for v in meta.get("exchange") or []],
                    "duration": str(meta.get("duration", "")),
                }
            )
        return self.env.get_template("page_index.html.jinja").render(pages=pages)

    def symptom_index(self, from_url: str) -> str:
        """The symptom index (every symptom of the decision files, with links into the guides) as HTML."""
        entries = [symptom_view(entry, self.catalog, from_url) for entry in self.catalog.symptoms]
        kinds = [
            {"kind": kind, "label": label, "counted": KIND_COUNTED[kind], "count": sum(1 for e in entries if e["kind"] == label)}
            for kind, label in KIND_LABELS.items()
            if any(e["kind"] == label for e in entries)
        ]
        return self.env.get_template("symptoms.html.jinja").render(entries=entries, kinds=kinds)

    def render(self, guide_id: str, from_url: str | None = None) -> str:
        """The guide's HTML: every question and outcome, linked by anchors, plus the JSON island."""
        entry = self.entry(guide_id)
        from_url = from_url or page_url(guide_page(guide_id))
        data = self.tree(guide_id, from_url)
        template = self.env.get_template("guide.html.jinja")
        map_svg = Markup(guide_svg(entry, self.catalog, page_links(from_url), cache=self.diagrams))
        guide = entry.guide
        fragments = [guide.introduction]
        for question in guide.questions:
            fragments.append(question.help or "")
            fragments.extend(answer.explanation or "" for answer in question.answers)
        for outcome in guide.outcomes:
            fragments.append(outcome.summary)
            fragments.extend(outcome.warnings)
        md = self.md_batch(fragments)
        return template.render(guide=guide, data=data, md=md, version=self.version, map_svg=map_svg)
