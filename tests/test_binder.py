"""The printed binder: the cleaning of built pages, the index of answer paths, and the real PDF
read back with pypdf (text, page references, bookmarks) and pdfplumber (where text lies)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from macros.binder import (
    MAP_MIN_FONT_PT,
    answer_paths,
    count_text,
    local_fetcher,
    nav_outline,
    point_missing_anchors_at_pages,
    read_config,
    write_pdf,
)
from macros.catalog import Catalog, GuideEntry, load_catalog
from macros.graph import check_guide
from macros.model import Guide
from macros.printhtml import PageCleaner, anchor, parse, serialize
from macros.urls import guide_page, page_url

from .conftest import ROOT

MM = 72 / 25.4
# binder.css: @page margins (left 24 mm for the hole punch, right 14 mm).
LEFT, RIGHT = 24 * MM, 14 * MM


def squash(text: str) -> str:
    """Text with every run of whitespace made one space."""
    return " ".join(text.split())


def bare(text: str) -> str:
    """Text without any whitespace: a line break in a PDF can fall anywhere (even after "/"), and
    text extraction then adds or drops a space, so the PDF's text is compared without any."""
    return "".join(text.split())


# --- Cleaning built pages (fast) ------------------------------------------------------------


ARTICLE = """<html><body><nav>site navigation</nav>
<article class="md-content__inner md-typeset">
<h1 id="title">Title<a class="headerlink" href="#title">¶</a></h1>
<p>See <a href="other.html#steps">the steps</a>, <a href="#local">below</a>, <a href="https://example.org/a">a source</a>,
<a href="https://example.org/b">https://example.org/b</a> and <a href="../authoring/index.html">authoring</a>.</p>
<div class="drg-guide__toolbar"><button data-action="restart">Start again</button></div>
<form class="drg-values" hidden><input name="x"></form>
<details class="note"><summary>More</summary><p>Hidden by default</p></details>
<div class="tabbed-set tabbed-alternate"><input type="radio" checked><input type="radio">
<div class="tabbed-labels"><label>Exchange 2007</label><label>Exchange 2010</label></div>
<div class="tabbed-content"><div class="tabbed-block"><p>first tab</p></div><div class="tabbed-block"><p>second tab</p></div></div></div>
<pre><code><span class="n">Get-Thing</span> <span class="p">-Name</span> x</code></pre>
<p id="local">An <abbr title="Clustered mailbox server">CMS</abbr> here.</p>
</article></body></html>"""


def cleaned() -> str:
    root = parse(ARTICLE)
    article = next(root.iter("article"))
    PageCleaner({"procedures/page.html", "procedures/other.html"}).clean(article, "procedures/page.html")
    return str(serialize(article))


def test_screen_only_parts_are_left_out() -> None:
    html = cleaned()
    for gone in ("¶", "Start again", "<button", "<form", "<input", "site navigation", "drg-guide__toolbar"):
        assert gone not in html, gone


def test_collapsed_blocks_are_opened_and_every_tab_is_printed_under_its_label() -> None:
    html = cleaned()
    assert '<details class="note" open="open">' in html
    assert html.index("Exchange 2007") < html.index("first tab") < html.index("Exchange 2010") < html.index("second tab")
    assert "tabbed-labels" not in html


def test_links_between_site_pages_become_anchors_inside_the_binder() -> None:
    html = cleaned()
    assert f'href="#{anchor("procedures/other.html", "steps")}"' in html
    assert f'href="#{anchor("procedures/page.html", "local")}"' in html
    assert f'id="{anchor("procedures/page.html", "local")}"' in html
    assert 'href="https://example.org/a" class="drg-binder__external"' in html
    assert 'href="https://example.org/b" class="drg-binder__bare"' in html, "an address shown as its own text is not printed twice"
    assert '<a class="drg-binder__unlinked">authoring</a>' in html, "a page left out of the binder keeps its text, not its link"


def test_code_is_plain_text_and_abbreviations_are_unwrapped() -> None:
    html = cleaned()
    assert "<pre><code>Get-Thing -Name x</code></pre>" in html
    assert "An CMS here." in html


# --- Which pages, in which order (fast) -------------------------------------------------------


def test_the_outline_follows_the_nav_and_keeps_the_pages_it_forgets(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for rel in ("index.md", "procedures/index.md", "procedures/b.md", "procedures/a.md", "procedures/forgotten.md", "authoring/index.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# Page\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\n"
        "site_url: !ENV [SITE_URL, 'http://127.0.0.1/']\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "nav:\n"
        "  - Home: index.md\n"
        "  - Procedures:\n"
        "      - procedures/index.md\n"
        "      - Group:\n          - procedures/b.md\n          - procedures/a.md\n          - procedures/missing.md\n"
        "      - Elsewhere: https://example.org/\n"
        "  - Authoring:\n      - authoring/index.md\n"
    )
    config = read_config(tmp_path / "mkdocs.yml")
    assert config["site_name"] == "Test"
    outline = [(s.title, [(p.title, p.pages) for p in s.parts]) for s in nav_outline(config, docs)]
    assert outline == [
        (
            "Procedures",
            [
                ("", ["procedures/index.md"]),
                ("Group", ["procedures/b.md", "procedures/a.md"]),
                ("Other pages", ["procedures/forgotten.md"]),
            ],
        )
    ]


def test_a_link_to_an_anchor_no_page_has_leads_to_its_page_and_is_reported() -> None:
    root = parse('<article><p id="here">x</p><a href="other.html#gone">o</a><a href="#here">h</a></article>')
    article = next(root.iter("article"))
    PageCleaner({"a/page.html", "a/other.html"}).clean(article, "a/page.html")
    other = next(parse("<article><h2 id='there'>y</h2></article>").iter("article"))
    PageCleaner({"a/page.html", "a/other.html"}).clean(other, "a/other.html")
    catalog = Catalog(Path("docs"))
    warnings = point_missing_anchors_at_pages({"a/page.md": ("Page", article), "a/other.md": ("Other", other)}, catalog)
    assert warnings == ["a/page.md: a link goes to '#gone', which its page does not have; in the binder it goes to the page"]
    hrefs = [a.get("href") for a in article.iter("a")]
    assert hrefs == [f"#{anchor('a/other.html')}", f"#{anchor('a/page.html', 'here')}"]


# --- The index of answer paths (fast) --------------------------------------------------------


def explosive_guide(depth: int) -> GuideEntry:
    """A chain of questions, each with two answers to the next: 2**depth paths."""
    questions: list[dict[str, Any]] = []
    for i in range(depth):
        following = {"next": f"q{i + 1}"} if i + 1 < depth else {"outcome": "end"}
        questions.append(
            {
                "id": f"q{i}",
                "text": f"Question {i}?",
                "answers": [{"id": "a", "label": "A", **following}, {"id": "b", "label": "B", **following}],
            }
        )
    guide = Guide.model_validate(
        {
            "id": "explosive",
            "title": "Explosive",
            "introduction": "Many paths.",
            "questions": questions,
            "outcomes": [{"id": "end", "title": "The end", "summary": "Done.", "procedures": ["procedures/alpha.md"]}],
        }
    )
    problems, facts = check_guide(guide, None, "explosive.yml")
    assert not problems
    return GuideEntry("explosive.yml", guide, facts)


def test_answer_paths_are_listed_up_to_the_cap_and_the_rest_counted() -> None:
    entry = explosive_guide(200)
    listed, total = answer_paths(entry, {"end"}, cap=5)
    assert total == 2**200
    assert len(listed) == 5
    assert [step["number"] for step in listed[0]["steps"]] == list(range(1, 201))
    assert [step["label"] for step in listed[0]["steps"]] == ["A"] * 200, "authored order first"
    assert listed[0]["outcome"] == "The end"
    assert count_text(2**200) == "about 10^60"
    assert count_text(1234) == "1,234"


def test_answer_paths_to_an_outcome_no_answer_reaches_are_none() -> None:
    listed, total = answer_paths(explosive_guide(3), {"elsewhere"}, cap=5)
    assert (listed, total) == ([], 0)


# --- Offline: WeasyPrint may read local files only (fast) ------------------------------------


def test_the_url_fetcher_refuses_every_url_but_local_files(tmp_path: Path) -> None:
    refused: list[str] = []
    fetcher = local_fetcher([tmp_path], refused)
    (tmp_path / "ok.css").write_text("p {}")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri()).read() == b"p {}"
    for url in (
        "https://example.invalid/x.png",
        "http://127.0.0.1:9/x.css",
        "ftp://example.invalid/x",
        (tmp_path.parent / "x.css").as_uri(),
    ):
        with pytest.raises(ValueError, match="local files only"):
            fetcher.fetch(url)
    assert len(refused) == 4


def test_a_page_that_needs_another_host_is_reported_and_nothing_is_fetched(tmp_path: Path) -> None:
    html = '<p>x</p><img src="https://example.invalid/logo.png"><link rel="stylesheet" href="http://example.invalid/a.css">'
    refused, warnings = write_pdf(html, tmp_path, tmp_path / "out.pdf")
    assert sorted(refused) == ["http://example.invalid/a.css", "https://example.invalid/logo.png"]
    assert not warnings, "a refusal is reported once, not again as WeasyPrint's warning"


def test_weasyprint_warnings_are_reported(tmp_path: Path) -> None:
    refused, warnings = write_pdf('<p><a href="#nowhere">a link to no anchor</a></p>', tmp_path, tmp_path / "out.pdf")
    assert not refused
    assert any("nowhere" in warning for warning in warnings), warnings


# --- The real binder (slow: the whole site, then WeasyPrint) ----------------------------------


@pytest.fixture(scope="session")
def binder_pdf(built_site: Path) -> Path:
    """The real binder, built once per session from the real site, as ``make binder`` does."""
    out = built_site / "exchange-dr-binder.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "macros", "binder", "--site", str(built_site), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"python -m macros binder failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT / "decisions", ROOT / "docs")


@pytest.fixture(scope="session")
def reader(binder_pdf: Path) -> Any:
    import pypdf

    return pypdf.PdfReader(binder_pdf)


@pytest.fixture(scope="session")
def pages(reader: Any) -> list[str]:
    """The text of each page (index 0 is page 1), without whitespace (see bare)."""
    return [bare(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="session")
def dest_page(reader: Any) -> dict[str, int]:
    """The page number (from 1) of every named destination, i.e. of every anchor a link points at."""
    return {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


def outline(reader: Any) -> list[tuple[int, str, int]]:
    """Every bookmark as (level from 1, title, page from 1), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


@pytest.mark.slow
def test_the_cover_names_the_version_and_warns_that_paper_goes_stale(pages: list[str]) -> None:
    from macros.version import site_version

    version = site_version(ROOT)  # the commit may have moved on since the build: compare its shape
    assert re.search(r"Version\(gitcommit\)([0-9a-f]{7,40}(-modified)?|unknown)Builton\d{4}-\d{2}-\d{2}", pages[0])
    assert version["date"] in pages[0]
    assert bare("Check the date: a printed copy goes stale.") in pages[0]
    assert re.search(r"page2of\d+$", pages[1]), "footer: page X of Y"


@pytest.mark.slow
def test_every_question_of_every_guide_and_every_procedure_title_is_printed(catalog: Catalog, pages: list[str]) -> None:
    text = "".join(pages)
    assert catalog.guides
    for entry in catalog.guides.values():
        for question in entry.guide.questions:
            heading = f"Question {entry.facts.number[question.id]}. {question.text}"
            assert bare(heading) in text, f"{entry.guide.id}: {heading}"
        for outcome in entry.guide.outcomes:
            assert bare(f"Outcome: {outcome.title}") in text, f"{entry.guide.id}: {outcome.id}"
    for rel, page in catalog.pages.items():
        assert bare(page.title) in text, rel


def guide_ranges(catalog: Catalog, dest_page: dict[str, int]) -> dict[str, range]:
    """The pages each guide is printed on: its title to its last outcome."""
    ranges = {}
    for gid, entry in catalog.guides.items():
        url = page_url(guide_page(gid))
        last = max(dest_page[anchor(url, f"o-{o.id}")] for o in entry.guide.outcomes)
        ranges[gid] = range(dest_page[anchor(url)], last + 1)
    return ranges


@pytest.mark.slow
def test_every_go_to_question_names_the_page_where_that_question_starts(
    catalog: Catalog, pages: list[str], dest_page: dict[str, int]
) -> None:
    checked = 0
    for gid, numbers in guide_ranges(catalog, dest_page).items():
        entry = catalog.guides[gid]
        by_number = {entry.facts.number[q.id]: q for q in entry.guide.questions}
        url = page_url(guide_page(gid))
        for number in numbers:
            for k, n in re.findall(r"gotoquestion(\d+)\(page(\d+)\)", pages[number - 1]):
                question = by_number[int(k)]
                assert dest_page[anchor(url, f"q-{question.id}")] == int(n), f"{gid}: question {k} is not on page {n}"
                assert bare(f"Question {k}. {question.text}") in pages[int(n) - 1], f"{gid}: page {n} lacks question {k}"
                checked += 1
    assert checked >= sum(len([a for q in e.guide.questions for a in q.answers if a.next]) for e in catalog.guides.values())


@pytest.mark.slow
def test_every_outcome_and_procedure_reference_names_the_page_where_it_starts(
    catalog: Catalog, pages: list[str], dest_page: dict[str, int]
) -> None:
    titles = {rel: bare(page.title) for rel, page in catalog.pages.items()}
    checked = 0
    for gid, numbers in guide_ranges(catalog, dest_page).items():
        entry = catalog.guides[gid]
        url = page_url(guide_page(gid))
        text = "".join(pages[n - 1] for n in numbers)
        starts: dict[str, set[int]] = {}  # two outcomes of a guide may share a title
        for outcome in entry.guide.outcomes:
            starts.setdefault(outcome.title, set()).add(dest_page[anchor(url, f"o-{outcome.id}")])
        for outcome in entry.guide.outcomes:
            refs = re.findall(rf"outcome:{re.escape(bare(outcome.title))}\(page(\d+)\)", text)
            assert refs, f"{gid}: no answer names outcome {outcome.id} with its page"
            for n in refs:
                assert int(n) in starts[outcome.title], f"{gid}: outcome {outcome.title!r} does not start on page {n}"
                assert bare(f"Outcome: {outcome.title}") in pages[int(n) - 1]
            for rel in outcome.procedures:
                refs = re.findall(rf"{re.escape(titles[rel])}\(page(\d+)\)", text)
                assert refs, f"{gid}: {rel} is never named with its page"
                for n in refs:
                    assert dest_page[anchor(page_url(rel))] == int(n), f"{rel} does not start on page {n}"
                    assert titles[rel] in pages[int(n) - 1]
                    checked += 1
    assert checked


@pytest.mark.slow
def test_the_contents_give_the_page_where_each_entry_starts(reader: Any) -> None:
    marks = outline(reader)
    by_title = {squash(title): page for _, title, page in marks}
    first = by_title["Contents"]
    last = by_title["How to use this binder"] - 1
    checked = 0
    for number in range(first, last + 1):
        for line in reader.pages[number - 1].extract_text().splitlines():
            match = re.fullmatch(r"(.+?)[ .]*\.\s*(\d+)", line.strip())  # "Title . . . . 12"
            if match and squash(match.group(1)) in by_title:
                assert by_title[squash(match.group(1))] == int(match.group(2)), line
                checked += 1
    assert checked >= len(marks) // 10, "the contents list the sections and pages"


@pytest.mark.slow
def test_bookmarks_mirror_the_sections_guides_and_procedures(catalog: Catalog, reader: Any) -> None:
    marks = outline(reader)
    top = [title for level, title, _ in marks if level == 1]
    for title in ("Cover", "Contents", "How to use this binder", "Guides", "Procedures", "Reference", "Incident log", "Contacts"):
        assert title in top, title
    assert "Authoring" not in top
    titles = [squash(title) for _, title, _ in marks]
    for entry in catalog.guides.values():
        assert entry.guide.title in titles, entry.guide.id
        start = titles.index(entry.guide.title)
        level = marks[start][0]
        children = []
        for child_level, title, _ in marks[start + 1 :]:
            if child_level <= level:
                break
            if child_level == level + 1:
                children.append(title)
        assert len([c for c in children if c.startswith("Question ")]) == len(entry.guide.questions), entry.guide.id
        assert len([c for c in children if c.startswith("Outcome: ")]) == len(entry.guide.outcomes), entry.guide.id
    for rel, page in catalog.pages.items():
        assert squash(page.title) in titles, rel
    assert [page for _, _, page in marks] == sorted(page for _, _, page in marks), "bookmarks follow the pages"


@pytest.mark.slow
def test_interactive_controls_are_left_out(pages: list[str]) -> None:
    text = "".join(pages)
    for control in ("Copy for ticket", "Start again", "Clear values", "Your values for the commands on this page", "¶"):
        assert bare(control) not in text, control


@pytest.mark.slow
def test_procedure_sources_are_printed_with_their_address(catalog: Catalog, pages: list[str]) -> None:
    text = "".join(pages)
    for rel, page in catalog.pages.items():
        for url in page.meta.get("sources") or []:
            assert bare(url) in text, f"{rel}: {url}"


@pytest.mark.slow
def test_no_text_runs_outside_the_page(binder_pdf: Path) -> None:
    import pdfplumber

    outside = []
    with pdfplumber.open(binder_pdf) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                if char["text"].isspace():
                    continue  # a space at the end of a line may hang past the margin, as in any browser
                if char["x0"] < LEFT - 1 or char["x1"] > page.width - RIGHT + 1 or char["top"] < 0 or char["bottom"] > page.height:
                    outside.append(f"page {page.page_number}: {char['text']!r} at x {char['x0']:.0f}-{char['x1']:.0f}")
    assert not outside, "\n".join(outside[:20])


@pytest.mark.slow
def test_the_home_page_links_to_the_binder(built_site: Path, binder_pdf: Path) -> None:
    assert 'href="exchange-dr-binder.pdf"' in (built_site / "index.html").read_text()
    assert binder_pdf.parent == built_site


@pytest.mark.slow
def test_every_guide_has_its_decision_map_printed(catalog: Catalog, pages: list[str]) -> None:
    """Each guide's map is in the binder (an overview when the full map would print too small)."""
    text = "".join(pages)
    for entry in catalog.guides.values():
        title = bare(f"Decision map of {entry.guide.title}")
        assert title in text, entry.guide.id
        # The map's own text is on the pages of its parts: every question number of the guide appears there.
        map_pages = "".join(page for page in pages if title in page)
        for number in entry.facts.number.values():
            assert bare(f"Question {number}") in map_pages, f"{entry.guide.id}: question {number} missing from its map"


@pytest.mark.slow
def test_no_text_in_the_binder_is_smaller_than_6_pt(binder_pdf: Path) -> None:
    import pdfplumber

    smallest: dict[int, float] = {}
    with pdfplumber.open(binder_pdf) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            sizes = [char["size"] for char in page.chars if char["text"].strip()]
            if sizes:
                smallest[number] = min(sizes)
    assert len(smallest) > 100
    small = {page: round(size, 2) for page, size in smallest.items() if size < MAP_MIN_FONT_PT}
    assert not small, f"text under {MAP_MIN_FONT_PT} pt on pages {small}"


@pytest.mark.slow
def test_the_symptom_index_names_the_question_and_page_to_turn_to(catalog: Catalog, pages: list[str], dest_page: dict[str, int]) -> None:
    from macros.symptoms import heading

    first, last = dest_page["symptom-index"], dest_page["index"] - 1
    text = "".join(pages[first - 1 : last])
    for entry in catalog.symptoms:
        assert bare(heading(entry.symptom)) in text, entry.symptom.id
    turns = [
        (int(k), int(n)) for number in range(first, last + 1) for k, n in re.findall(r"gotoquestion(\d+)\(page(\d+)\)", pages[number - 1])
    ]
    assert len(turns) == sum(1 for e in catalog.symptoms for r in e.routes if r.lands[0] == "q")
    for k, n in turns:
        assert bare(f"Question {k}.") in pages[n - 1], f"page {n} lacks question {k}"
