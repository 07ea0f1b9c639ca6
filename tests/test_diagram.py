"""Decision maps: drawn from each decision file at build time, complete, escaped, linked and cached."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macros.engine.catalog import Catalog, decision_files, display_path, load_catalog
from macros.engine.urls import guide_page, page_url
from macros.html import diagram
from macros.html.diagram import DiagramError, dot_escape, dot_source, guide_svg, page_links, wrap
from macros.html.render import GuideRenderer

from .conftest import FIXTURES, ROOT, mkdocs_build
from .test_sites import tiny_site

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
HOSTILE = FIXTURES / "diagram"
# What Graphviz may draw with; anything else in a map (say a <script>) came from a label.
DRAWING_TAGS = {"svg", "title", "desc", "g", "a", "path", "polygon", "polyline", "ellipse", "text"}


def small_catalog(decisions: Path = FIXTURES / "valid") -> Catalog:
    return load_catalog(decisions, FIXTURES / "docs")


def parse(svg: str) -> ET.Element:
    """The map as XML: it must be well-formed on its own, as the binder embeds it."""
    return ET.fromstring(svg)


def by_id(root: ET.Element) -> dict[str, ET.Element]:
    return {el.attrib["id"]: el for el in root.iter() if "id" in el.attrib}


def lines(element: ET.Element) -> list[str]:
    """The text lines drawn inside an element, in order."""
    return [text.text or "" for text in element.iter(f"{SVG}text")]


def links(element: ET.Element) -> list[tuple[str, str]]:
    """(href, tooltip) of every link inside an element."""
    return [(a.attrib[XLINK], a.attrib.get(XLINK_TITLE, "")) for a in element.iter(f"{SVG}a")]


def small_svg(from_url: str = "guides/small.html", decisions: Path = FIXTURES / "valid", cache: diagram.DiagramCache | None = None) -> str:
    catalog = small_catalog(decisions)
    return guide_svg(catalog.guides["small"], catalog, page_links(from_url), cache=cache)


# Every real guide: each question, outcome and answer is in its map, with the ids the JavaScript uses.


@pytest.fixture(scope="module")
def real_catalog() -> Catalog:
    return load_catalog(ROOT / "decisions", ROOT / "docs")


@pytest.mark.parametrize("path", decision_files(ROOT / "decisions"), ids=lambda p: p.stem)
def test_every_question_outcome_and_answer_of_every_real_guide_is_in_its_map(path: Path, real_catalog: Catalog) -> None:
    entry = next(e for e in real_catalog.guides.values() if e.path == display_path(path))
    guide = entry.guide
    root = parse(guide_svg(entry, real_catalog, page_links(page_url(guide_page(guide.id)))))
    ids = set(by_id(root))
    assert {i for i in ids if i.startswith("map-q-")} == {f"map-q-{q.id}" for q in guide.questions}
    assert {i for i in ids if i.startswith("map-o-")} == {f"map-o-{o.id}" for o in guide.outcomes}
    assert {i for i in ids if i.startswith("map-e-")} == {f"map-e-{q.id}--{a.id}" for q in guide.questions for a in q.answers}
    elements = by_id(root)
    for question in guide.questions:
        assert lines(elements[f"map-q-{question.id}"])[0] == f"Question {entry.facts.number[question.id]}"


# The map is drawn from the decision file at every build: change the file and the map follows.


def test_the_map_follows_the_decision_file(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    text = (FIXTURES / "valid" / "small.yml").read_text()
    (decisions / "small.yml").write_text(text)
    before = small_svg(decisions=decisions)

    changed = text.replace("label: X\n", "label: Cluster rebuilt\n").replace(
        "        label: Answer C\n        outcome: done-beta", "        label: Answer C\n        next: shared"
    )
    assert changed != text
    (decisions / "small.yml").write_text(changed)
    catalog = small_catalog(decisions)
    after = guide_svg(catalog.guides["small"], catalog, page_links("guides/small.html"))

    assert after != before
    assert lines(by_id(parse(before))["map-e-shared--x"]) == ["X"]
    assert lines(by_id(parse(after))["map-e-shared--x"]) == ["Cluster rebuilt"]
    edges = re.findall(r'^"(q-[^"]+)" -> "([^"]+)" \[id="([^"]+)"', dot_source(catalog.guides["small"], catalog, str), re.M)
    assert ("q-first", "q-shared", "map-e-first--c") in edges


def test_no_drawing_is_committed() -> None:
    tracked = subprocess.run(["git", "ls-files", "*.svg", "*.dot", "*.gv"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert tracked.stdout.split() == [], "maps are drawn at build time from decisions/; do not commit drawings"


# Escaping: labels with quotes, markup, entities and backslashes come out exactly as written.


def test_dot_escape_leaves_no_quote_backslash_or_markup_in_the_dot_source() -> None:
    escaped = dot_escape("a \"b\" \\ <c> & 'd' \n\x00")
    assert escaped == "a &quot;b&quot; &#92;&#92; &lt;c&gt; &amp; &#39;d&#39;   "
    assert not set(escaped) & set("\"\\<>'\n\x00")


def test_hostile_labels_are_drawn_exactly_as_written() -> None:
    catalog = load_catalog(HOSTILE / "decisions", HOSTILE / "docs")
    entry = catalog.guides["hostile"]
    root = parse(guide_svg(entry, catalog, page_links("guides/hostile.html")))
    assert {el.tag.removeprefix(SVG) for el in root.iter()} <= DRAWING_TAGS
    elements = by_id(root)
    question = entry.guide.questions[0]
    assert lines(elements["map-q-quotes"]) == ["Question 1", *wrap(question.text, "question")]
    assert lines(elements["map-q-entities"])[1:] == wrap(entry.guide.questions[1].text, "question")
    for q in entry.guide.questions:
        for answer in q.answers:
            assert lines(elements[f"map-e-{q.id}--{answer.id}"]) == wrap(answer.label, "answer"), answer.id
    outcome = entry.guide.outcomes[0]
    procedure = catalog.pages["procedures/hostile.md"].title
    assert {'"', "\\", "<", "&"} <= set(procedure)
    procedure_lines = wrap(procedure, "procedure")
    procedure_lines[0] = f"→ {procedure_lines[0]}"
    assert lines(elements["map-o-the-end"]) == [*wrap(outcome.title, "outcome"), *procedure_lines]
    assert links(elements["map-o-the-end"]) == [
        ("#o-the-end", f"Outcome: {outcome.title}"),
        ("../procedures/hostile.html", f"Procedure: {procedure}"),
    ]
    assert root.find(f"{SVG}title").text == 'Decision map: Hostile <labels> & "quotes"'


# Links: question boxes to their anchors, outcomes to theirs, procedures to their pages.


def test_map_links_point_at_the_anchors_and_pages_of_the_guide() -> None:
    elements = by_id(parse(small_svg()))
    assert links(elements["map-q-first"]) == [("#q-first", "Question 1")]
    assert links(elements["map-q-shared"]) == [("#q-shared", "Question 2")]
    assert [href for href, _ in links(elements["map-o-done-beta"])] == [
        "#o-done-beta",
        "../procedures/beta.html",
        "../procedures/alpha.html",
    ]
    deeper = by_id(parse(small_svg("guides/deeper/small.html")))
    assert [href for href, _ in links(deeper["map-o-done-alpha"])] == ["#o-done-alpha", "../../procedures/alpha.html"]


def test_every_anchor_in_the_map_exists_on_the_guide_page() -> None:
    html = GuideRenderer(small_catalog(), version="test").render("small", "guides/small.html")
    anchors = set(re.findall(r'xlink:href="#([^"]+)"', html))
    assert anchors == {"q-first", "q-shared", "o-done-alpha", "o-done-beta"}
    assert all(f'id="{anchor}"' in html for anchor in anchors)


def test_the_binder_can_map_targets_to_its_own_anchors() -> None:
    catalog = small_catalog()
    svg = guide_svg(catalog.guides["small"], catalog, lambda target: f"#binder-{target.replace('/', '-')}")
    hrefs = {href for _, el in by_id(parse(svg)).items() for href, _ in links(el)}
    assert {"#binder-q-first", "#binder-o-done-beta", "#binder-procedures-alpha.md"} <= hrefs
    assert all(h.startswith("#binder-") for h in hrefs)


def test_the_map_is_accessible_and_scales() -> None:
    root = parse(small_svg())
    assert "width" not in root.attrib
    assert "height" not in root.attrib
    assert re.fullmatch(r"0\.00 0\.00 [\d.]+ [\d.]+", root.attrib["viewBox"])
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.attrib["aria-labelledby"] == title.attrib["id"]
    assert root.attrib["aria-describedby"] == desc.attrib["id"]
    assert "numbered questions" in (desc.text or "")
    # Graphviz's own titles name internal nodes (q-first): they would be read out and shown as tooltips.
    assert len(root.findall(f".//{SVG}title")) == 1


# Running Graphviz: once per distinct map, with clear errors.


def test_each_distinct_map_is_drawn_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_run = subprocess.run

    def counting_run(*args, **kwargs):
        calls.append(args[0][0])
        return real_run(*args, **kwargs)

    cache = diagram.DiagramCache()
    monkeypatch.setattr(diagram.subprocess, "run", counting_run)
    first = small_svg(cache=cache)
    assert small_svg(cache=cache) == first
    assert len(calls) == 1
    small_svg("guides/deeper/small.html", cache=cache)
    assert len(calls) == 2
    assert small_svg(cache=diagram.DiagramCache()) == first, "a new cache (a new build) draws again"
    assert len(calls) == 3


def test_the_diagram_cache_keeps_the_most_recently_used_drawings() -> None:
    cache = diagram.DiagramCache(size=2)
    cache.put("a", "<svg>a</svg>")
    cache.put("b", "<svg>b</svg>")
    assert cache.get("a") == "<svg>a</svg>"  # now "b" is the least recently used
    cache.put("c", "<svg>c</svg>")
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == ("<svg>a</svg>", None, "<svg>c</svg>", 2)


def test_a_missing_graphviz_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRG_GRAPHVIZ", "no-such-graphviz-program")
    with pytest.raises(DiagramError, match="DRG_GRAPHVIZ is set to 'no-such-graphviz-program', which is not an executable program"):
        small_svg()
    monkeypatch.delenv("DRG_GRAPHVIZ")
    monkeypatch.setattr(diagram, "COMMAND", "no-such-graphviz-program")
    with pytest.raises(DiagramError, match="no-such-graphviz-program is not installed, so decision maps cannot be drawn: run 'make site'"):
        small_svg()


def test_a_slow_graphviz_times_out_with_a_clear_error() -> None:
    with pytest.raises(DiagramError, match=r"^guide 'x': graphviz-pure took more than 1e-09 s to draw the decision map$"):
        diagram.draw("digraph { a -> b }", "guide 'x'", timeout=1e-9)


def test_a_graphviz_failure_names_the_guide_and_shows_its_message() -> None:
    with pytest.raises(DiagramError, match=r"^guide 'x': graphviz-pure failed drawing the decision map \(exit 1\): .*syntax"):
        diagram.draw("digraph { a -> }", "guide 'x'")


@pytest.mark.slow
def test_a_graphviz_failure_fails_the_build_through_the_adapter(tmp_path: Path) -> None:
    site = tiny_site(tmp_path, [FIXTURES / "valid" / "small.yml"], ["small"])
    # mkdocs-macros imports a module_name folder from the project directory only.
    shutil.copytree(ROOT / "macros", site / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    result = mkdocs_build(site / "mkdocs.yml", tmp_path / "out", {"DRG_GRAPHVIZ": str(tmp_path / "missing-dot")})
    assert result.returncode != 0
    assert f"guides/small.md: DRG_GRAPHVIZ is set to '{tmp_path / 'missing-dot'}', which is not an executable program" in result.stderr
    assert not (tmp_path / "out" / "guides" / "small.html").exists()


# The real site: every guide page carries its map inline, and the map's stylesheet.


@pytest.mark.slow
def test_every_guide_page_of_the_built_site_has_its_map_inline(built_site: Path, real_catalog: Catalog) -> None:
    assert real_catalog.guides
    for guide_id, entry in real_catalog.guides.items():
        html = (built_site / page_url(guide_page(guide_id))).read_text(encoding="utf-8")
        svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg"[^>]*class="drg-map__svg".*?</svg>', html, re.S)
        assert svg is not None, guide_id
        ids = set(by_id(parse(svg.group(0))))
        assert {f"map-q-{q.id}" for q in entry.guide.questions} <= ids
        assert {f"map-o-{o.id}" for o in entry.guide.outcomes} <= ids
        assert 'href="../assets/drg/map.css"' in html
    assert (built_site / "assets" / "drg" / "map.css").is_file()


def test_graphviz_pure_is_pinned() -> None:
    for name in ("requirements.txt", "constraints.txt"):
        assert "graphviz-pure==0.2.2" in (ROOT / name).read_text().splitlines(), name
