"""Layer (c): golden snapshots of rendered guide HTML, and the markup contract of DESIGN.md."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from macros.engine.catalog import load_catalog
from macros.html.render import GuideRenderer, default_markdown

from .conftest import FIXTURES, ROOT, compare_golden


def render_small(from_url: str = "guides/small.html") -> str:
    catalog = load_catalog(FIXTURES / "valid", FIXTURES / "docs")
    return GuideRenderer(catalog, version="test-version", site_url="https://dr.example/").render("small", from_url)


class Collect(HTMLParser):
    """Attributes of every element, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script += data


def parse(html: str) -> Collect:
    parser = Collect()
    parser.feed(html)
    return parser


def test_rendered_guide_matches_golden_file(update_golden: bool) -> None:
    compare_golden(ROOT / "tests" / "golden" / "small.html", render_small(), update_golden)


def test_markup_contract_every_node_has_its_data_attribute_and_anchor() -> None:
    doc = parse(render_small())
    roots = [a for _, a in doc.elements if "data-guide" in a]
    assert [r["data-guide"] for r in roots] == ["small"]
    questions = {a["data-question"]: a["id"] for _, a in doc.elements if "data-question" in a}
    assert questions == {"first": "q-first", "shared": "q-shared"}
    outcomes = {a["data-outcome"]: a["id"] for _, a in doc.elements if "data-outcome" in a}
    assert outcomes == {"done-alpha": "o-done-alpha", "done-beta": "o-done-beta"}
    actions = sorted(a["data-action"] for _, a in doc.elements if "data-action" in a)
    assert actions == ["copy-summary", "restart"]


def test_without_javascript_every_answer_links_to_what_follows() -> None:
    doc = parse(render_small())
    links = [(a["data-answer"], a["href"]) for tag, a in doc.elements if tag == "a" and "data-answer" in a]
    assert links == [("a", "#q-shared"), ("b", "#q-shared"), ("c", "#o-done-beta"), ("x", "#o-done-alpha"), ("y", "#o-done-beta")]
    anchors = {a.get("id") for _, a in doc.elements}
    assert all(href[1:] in anchors for _, href in links)


def test_procedure_links_are_relative_to_the_page() -> None:
    doc = parse(render_small("guides/deeper/small.html"))
    hrefs = [a["href"] for tag, a in doc.elements if tag == "a" and "drg-guide__procedure" in (a.get("class") or "")]
    assert hrefs == ["../../procedures/alpha.html", "../../procedures/beta.html", "../../procedures/alpha.html"]


def test_json_island_carries_the_tree_and_is_safe_to_embed() -> None:
    html = render_small()
    doc = parse(html)
    data = json.loads(doc.script)
    assert data["start"] == "first"
    assert data["questions"]["first"]["answers"][0] == {"id": "a", "label": "Answer A <b>bold?</b>", "next": "shared"}
    assert data["questions"]["first"]["longest"] == 2
    assert data["outcomes"]["done-beta"]["procedures"][0]["title"] == "Beta procedure"
    assert data["paths"] == 5
    island = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert island is not None
    assert "<b>" not in island.group(1), "markup inside the JSON island must be escaped"


def test_labels_are_escaped_in_the_html() -> None:
    html = render_small()
    assert "Answer A &lt;b&gt;bold?&lt;/b&gt;" in html
    assert "Shared question &amp; more?" in html


def test_fragments_of_a_guide_are_converted_in_one_markdown_pass() -> None:
    calls: list[str] = []
    plain = default_markdown()

    def counting(text: str) -> str:
        calls.append(text)
        return plain(text)

    catalog = load_catalog(FIXTURES / "valid", FIXTURES / "docs")
    batched = GuideRenderer(catalog, counting, version="test-version", site_url="https://dr.example/").render("small")
    assert len(calls) == 1
    assert batched == render_small("guides/small.html")


def test_a_fragment_that_swallows_the_separator_falls_back_to_one_pass_each() -> None:
    renderer = GuideRenderer(load_catalog(FIXTURES / "valid", FIXTURES / "docs"))
    md = renderer.md_batch(["```text\nunclosed fence", "*after*"])
    assert str(md("*after*")) == "<p><em>after</em></p>"
    assert "unclosed fence" in str(md("```text\nunclosed fence"))
    assert str(md(None)) == ""
