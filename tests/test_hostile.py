"""Issue 12, hostile input round 2: each item refused or neutralised with its exact message.

The single-file reproductions live in tests/fixtures/broken/ (golden messages, checked by
test_check_errors.py); these tests cover what needs a folder, a site, a renderer or a binder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import markdown
import pytest

from macros import problems as problems_module
from macros.__main__ import main
from macros.catalog import MAX_MAP_ANSWERS, Unpublished, load_catalog
from macros.offline import foreign_css, foreign_requests
from macros.problems import Problem, ProblemsFound, Suggester, escape
from macros.render import GuideRenderer
from macros.sanitize import sanitize

from .conftest import FIXTURES

SMALL = (FIXTURES / "valid" / "small.yml").read_text(encoding="utf-8")


def guide_text(guide_id: str) -> str:
    """The small fixture guide under another id."""
    return SMALL.replace("id: small", f"id: {guide_id}", 1)


def project(tmp_path: Path, guides: dict[str, str], pages: tuple[str, ...] | None = None) -> Path:
    """A folder with decisions/ (the given files), docs/ (the fixture procedures) and a page per guide."""
    shutil.copytree(FIXTURES / "docs" / "procedures", tmp_path / "docs" / "procedures")
    (tmp_path / "docs" / "guides").mkdir()
    (tmp_path / "decisions").mkdir()
    for name, text in guides.items():
        (tmp_path / "decisions" / name).write_text(text, encoding="utf-8")
    for guide_id in pages if pages is not None else [Path(name).stem for name in guides]:
        (tmp_path / "docs" / "guides" / f"{guide_id}.md").write_text(f"# {guide_id}\n")
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], root: Path, *files: str) -> tuple[int, list[str]]:
    """Run `python -m macros check` in ``root``; the exit code and the problem lines."""
    old = Path.cwd()
    os.chdir(root)
    try:
        code = main(["check", *files])
    finally:
        os.chdir(old)
    out, _ = capsys.readouterr()
    return code, out.splitlines()


# --- 1. Linear time on broken files --------------------------------------------------------------


def test_suggestions_share_a_budget_so_many_misspelt_ids_stay_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    searches = []
    real = problems_module.difflib.get_close_matches
    monkeypatch.setattr(problems_module.difflib, "get_close_matches", lambda *a, **k: searches.append(a[0]) or real(*a, **k))
    suggest = Suggester([f"q{i}" for i in range(10_000)])
    shown = [suggest(f"qq{i}") for i in range(10_000)]
    assert len(searches) == 2, "20,000 comparisons buy two searches of 10,000 ids"
    assert shown[0] == "(known: q0, q90, q80, q1, q10, q100, q1000, q1001, ... and 9992 more)", "closest first"
    assert shown[-1] == "(known: q0, q1, q10, q100, q1000, q1001, q1002, q1003, ... and 9992 more)"


def test_a_small_guide_gets_a_suggestion_for_every_mistake() -> None:
    suggest = Suggester(["cluster-type", "os-version", "rto"])
    assert [suggest("os-versoin") for _ in range(1000)][-1] == "(known: os-version, cluster-type, rto)"


def test_a_file_of_misspelt_next_ids_reports_each_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = "".join(
        f"  - id: q{i}\n    text: Q{i}?\n    answers:\n      - {{id: a, label: A, next: x{i}}}\n      - {{id: b, label: B, outcome: o}}\n"
        for i in range(300)
    )
    text = f"id: many\ntitle: Many\nintroduction: Broken.\nquestions:\n{questions}outcomes:\n  - {{id: o, title: O, summary: S, procedures: [procedures/alpha.md]}}\n"
    root = project(tmp_path, {"many.yml": text})
    code, lines = check(capsys, root)
    unknown = [line for line in lines if "leads to unknown question" in line]
    assert code == 1
    assert len(unknown) == 300
    assert (
        unknown[0]
        == "decisions/many.yml:8: question 'q0': answer 'a' leads to unknown question 'x0' (known: q0, q1, q10, q100, q101, q102, q103, q104, ... and 292 more)"
    )


# --- 2. One problem, one line ------------------------------------------------------------------


def test_every_value_is_printed_escaped_so_a_problem_is_one_line() -> None:
    problem = Problem("d/x\n.yml", 3, "guide 'a\x1b]0;t\x07'", "key 'k\nforged.yml:1: x' \x00 \u2028 \u202e \\ é")
    assert str(problem) == "d/x\\n.yml:3: guide 'a\\x1b]0;t\\x07': key 'k\\nforged.yml:1: x' \\x00 \\u2028 \\u202e \\ é"
    assert len(str(problem).splitlines()) == 1
    assert escape("tab\there\r") == "tab\\there\\r"


def test_a_file_name_with_a_newline_is_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"a\nb.yml": guide_text("a-b")}, pages=())
    code, lines = check(capsys, root)
    assert code == 1
    assert lines == [
        "decisions/a\\nb.yml:1: guide 'a-b': has no page guides/a-b.md under docs/, so links and follow-ups to it would be dead; "
        'add the page with {{ guide("a-b") }}',
        "decisions/a\\nb.yml:1: guide 'a-b': the file must be named after its id: rename it to a-b.yml, or set id: a\\nb",
    ]


# --- 5. Links that would be dead ------------------------------------------------------------------


def test_a_procedure_left_out_by_exclude_docs_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"small.yml": guide_text("small")})
    (root / "docs" / "includes").mkdir()
    (root / "docs" / "includes" / "abbreviations.md").write_text("*[CMS]: Clustered mailbox server\n")
    (root / "mkdocs.yml").write_text("site_name: X\nsite_url: !ENV [X, 'http://x/']\nexclude_docs: |\n  /includes/*\n")
    text = (root / "decisions" / "small.yml").read_text().replace("[procedures/alpha.md]", "[includes/abbreviations.md]")
    (root / "decisions" / "small.yml").write_text(text)
    code, lines = check(capsys, root)
    assert code == 1
    assert lines == [
        "decisions/small.yml:33: outcome 'done-alpha': procedure page 'includes/abbreviations.md' is not published "
        "(exclude_docs in mkdocs.yml leaves it out), so links to it would be dead"
    ]


def test_draft_docs_and_the_guide_page_are_published_or_refused() -> None:
    import pathspec

    rules = Unpublished(pathspec.GitIgnoreSpec.from_lines(["/includes/*"]), pathspec.GitIgnoreSpec.from_lines(["drafts/"]))
    assert rules.reason("includes/abbreviations.md") == "exclude_docs in mkdocs.yml leaves it out"
    assert rules.reason("drafts/x.md") == "draft_docs in mkdocs.yml keeps it out of the built site"
    assert rules.reason(".hidden/x.md") == "MkDocs leaves out hidden files and templates/"
    assert rules.reason("procedures/x.md") is None


def test_a_guide_page_left_out_by_exclude_docs_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"small.yml": guide_text("small")})
    (root / "mkdocs.yml").write_text("site_name: X\nexclude_docs: guides/\n")
    code, lines = check(capsys, root)
    assert (code, lines) == (
        1,
        [
            "decisions/small.yml:1: guide 'small': its page guides/small.md is not published (exclude_docs in mkdocs.yml leaves it out), so links to the guide would be dead"
        ],
    )


# --- 6. Follow-ups -----------------------------------------------------------------------------------


def test_two_guides_that_follow_up_to_each_other_are_refused_with_the_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ping = guide_text("ping").replace("    warnings:\n", "    follow_up: [pong]\n    warnings:\n")
    pong = guide_text("pong").replace("    warnings:\n", "    follow_up: [ping]\n    warnings:\n")
    root = project(tmp_path, {"ping.yml": ping, "pong.yml": pong})
    code, lines = check(capsys, root)
    assert (code, lines) == (
        1,
        [
            "decisions/ping.yml:34: outcome 'done-alpha': follow-up guide 'pong' closes a cycle of guides: ping -> pong -> ping",
            "decisions/pong.yml:34: outcome 'done-alpha': follow-up guide 'ping' closes a cycle of guides: pong -> ping -> pong",
        ],
    )
    # Checked alone, each file still sees the other's follow-ups.
    assert check(capsys, root, "decisions/pong.yml") == (1, [lines[1]])


def test_a_chain_of_follow_ups_without_a_cycle_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = guide_text("first").replace("    warnings:\n", "    follow_up: [second]\n    warnings:\n")
    root = project(tmp_path, {"first.yml": first, "second.yml": guide_text("second")})
    code, lines = check(capsys, root)
    assert code == 0, lines


# --- 7. One guide, one file -----------------------------------------------------------------------


def test_one_rule_decides_which_files_are_decision_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"small.yml": guide_text("small"), ".hidden.yml": guide_text("hidden"), "other.yaml": guide_text("other")})
    (root / "decisions" / "broken.YML").write_text(guide_text("broken"))
    (root / "decisions" / "folder.yml").mkdir()
    (root / "decisions" / "decision.schema.json").write_text("{}")
    (root / "decisions" / "README.md").write_text("Decision files.\n")
    os.mkfifo(root / "decisions" / "x.yml")
    code, lines = check(capsys, root)
    assert code == 1
    assert lines == [
        "decisions/.hidden.yml:1: file: is hidden; decision files are named <id>.yml: rename it, or move it out of the folder",
        "decisions/broken.YML:1: file: is not named <id>.yml; decision files end in .yml (lower case): rename it to broken.yml, or move it out of the folder",
        "decisions/folder.yml:1: file: is a directory, not a decision file; remove it from the folder",
        "decisions/other.yaml:1: file: is not named <id>.yml; decision files end in .yml (lower case): rename it to other.yml, or move it out of the folder",
        "decisions/x.yml:1: file: is a FIFO, not a decision file; remove it from the folder",
    ]


def test_a_fifo_given_by_name_is_refused_without_opening_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {})
    os.mkfifo(root / "decisions" / "x.yml")  # opening it would block until a writer came
    assert check(capsys, root, "decisions/x.yml") == (
        1,
        ["decisions/x.yml:1: file: is a FIFO, not a text file; only regular files are read"],
    )


def test_checking_one_file_sees_the_ids_of_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"small.yml": guide_text("small")})
    draft = tmp_path / "draft"
    draft.mkdir()
    (draft / "small.yml").write_text(guide_text("small"))
    assert check(capsys, root, "draft/small.yml") == (
        1,
        ["draft/small.yml:1: guide 'small': duplicate guide id (also in decisions/small.yml)"],
    )
    assert check(capsys, root, "decisions/small.yml")[0] == 0


def test_a_file_given_by_name_follows_the_naming_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {})
    (root / "decisions" / "Small.YAML").write_text(guide_text("small"))
    assert check(capsys, root, "decisions/Small.YAML") == (
        1,
        [
            "decisions/Small.YAML:1: file: is not named <id>.yml; decision files end in .yml (lower case): rename it to small.yml, or move it out of the folder"
        ],
    )


# --- 8. Markdown fields are not a way in -------------------------------------------------------------

HOSTILE_MARKDOWN = [
    ("<script>alert(1)</script>", "<script"),
    ("[x](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "script:"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "data:"),
    ('<iframe src="https://evil.example/"></iframe>', "iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="background:url(https://evil.example/x)">x</p>', "url("),
    ("<svg><script>alert(1)</script></svg>", "<script"),
    ("<form action=x><input name=p></form>", "<form"),
]


@pytest.mark.parametrize(("text", "forbidden"), HOSTILE_MARKDOWN, ids=[t for t, _ in HOSTILE_MARKDOWN])
def test_hostile_markdown_is_sanitised_in_every_field(tmp_path: Path, text: str, forbidden: str) -> None:
    quoted = json.dumps(text)
    source = (
        guide_text("small")
        .replace("help: Look at `Get-Thing`.", f"help: {quoted}")
        .replace("summary: Follow **alpha**.", f"summary: {quoted}")
    )
    root = project(tmp_path, {"small.yml": source})
    renderer = GuideRenderer(load_catalog(root / "decisions", root / "docs"))
    html = renderer.render("small")
    body = html.split('<script type="application/json"', 1)[0] + html.split("</script>", 1)[1]  # the JSON island aside
    assert forbidden.lower() not in body.lower()


def test_the_sanitiser_keeps_what_markdown_makes() -> None:
    html = markdown.markdown('**b** `c` [link](../procedures/x.html#steps) [ext](https://example.org/) <abbr title="t">T</abbr>')
    assert sanitize(html) == html
    table = markdown.markdown("| a |\n|:-:|\n| b |\n", extensions=["tables"])
    assert sanitize(table) == table.replace("text-align: center;", "text-align:center")  # only the style's spacing


# --- 9. Footnotes stay on their node ------------------------------------------------------------------


def test_a_footnote_in_help_text_is_rendered_with_its_question(tmp_path: Path) -> None:
    source = guide_text("small").replace(
        "help: Look at `Get-Thing`.", 'help: "See the note.[^n]\\n\\n[^n]: The footnote of the first question."'
    )
    root = project(tmp_path, {"small.yml": source})
    converter = markdown.Markdown(extensions=["footnotes"], extension_configs={"footnotes": {"UNIQUE_IDS": True}})

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    html = GuideRenderer(load_catalog(root / "decisions", root / "docs"), convert).render("small")
    body = html.split("</script>", 1)[1]
    note = body.index("The footnote of the first question.")
    assert body.index('data-question="first"') < note < body.index('data-question="shared"')
    assert body.count('class="footnote"') == 1


# --- 10. The build fails cleanly; check enforces the build's limits ----------------------------------


def test_check_refuses_a_guide_too_big_for_a_map_with_the_builds_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = MAX_MAP_ANSWERS // 2 + 1
    questions = "".join(
        f"  - id: q{i}\n    text: Q{i}?\n    answers:\n      - {{id: a, label: A, {'next: q' + str(i + 1) if i + 1 < count else 'outcome: o'}}}\n"
        "      - {id: b, label: B, outcome: o}\n"
        for i in range(count)
    )
    text = f"id: chain\ntitle: Chain\nintroduction: Long.\nquestions:\n{questions}outcomes:\n  - {{id: o, title: O, summary: S, procedures: [procedures/alpha.md]}}\n"
    root = project(tmp_path, {"chain.yml": text})
    message = f"decisions/chain.yml:1: guide 'chain': has {2 * count} answers; the site draws decision maps of at most {MAX_MAP_ANSWERS} answers (split it into guides joined by follow_up)"
    assert check(capsys, root) == (1, [message])
    with pytest.raises(ProblemsFound) as found:  # what the site build's define_env calls, with the same default
        load_catalog(root / "decisions", root / "docs")
    assert str(found.value).endswith(message.split(":", 1)[1]), "the same line as check, but for the path"
    assert load_catalog(root / "decisions", root / "docs", max_map_answers=None).guides["chain"].facts.paths == count + 1


def test_check_draws_every_map_within_the_builds_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from macros import diagram

    root = project(tmp_path, {"small.yml": guide_text("small")})
    diagram.clear_cache()
    monkeypatch.setattr(diagram, "TIMEOUT", 1e-9)  # the build's limit, made too short for any map
    code, lines = check(capsys, root)
    diagram.clear_cache()
    assert (code, lines) == (1, ["decisions/small.yml:1: guide 'small': graphviz-pure took more than 1e-09 s to draw the decision map"])


def test_a_path_count_of_thousands_of_digits_goes_into_the_page(tmp_path: Path) -> None:
    root = project(tmp_path, {"small.yml": guide_text("small")})
    catalog = load_catalog(root / "decisions", root / "docs")
    catalog.guides["small"].facts.paths = 2**20_000
    data = GuideRenderer(catalog).tree("small", "guides/small.html")
    assert data["paths"] == "about 10^6020"
    json.dumps(data)  # the island: no ValueError for an int of over 4,300 digits
    catalog.guides["small"].facts.paths = 2**53
    assert GuideRenderer(catalog).tree("small", "guides/small.html")["paths"] == 2**53


# --- 11. Nothing half-written; no other host -----------------------------------------------------------


def test_every_way_a_page_makes_the_browser_request_another_host_is_found() -> None:
    html = """<img src="https://evil.example/x.png"><img srcset="a.png 1x, //cdn.example/b.png 2x">
<script src="http://evil.example/y.js"></script><link rel="stylesheet" href="https://evil.example/s.css">
<link rel="canonical" href="https://site.example/"><iframe src="https://evil.example/f"></iframe>
<p style="background:url('https://evil.example/bg.png')">x</p><style>@import "https://evil.example/i.css";</style>
<a href="https://example.org/">a link is not a request</a><a href="javascript:alert(1)">j</a>
<img src="data:image/png;base64,iVBORw0KGgo="><img src="../local.png"><meta http-equiv="refresh" content="0; url=https://evil.example/">
<svg><image href="https://evil.example/i.svg"/></svg><video poster="https://evil.example/p.jpg"></video>"""
    assert foreign_requests(html) == [
        "<img src> loads https://evil.example/x.png from another host",
        "<img srcset> loads //cdn.example/b.png from another host",
        "<script src> loads http://evil.example/y.js from another host",
        "<link href> loads https://evil.example/s.css from another host",
        "<iframe src> loads https://evil.example/f from another host",
        "<p style> loads https://evil.example/bg.png from another host",
        "<style> loads https://evil.example/i.css from another host",
        "<a href> runs javascript:alert(1) as script",
        "<meta refresh> loads https://evil.example/ from another host",
        "<image href> loads https://evil.example/i.svg from another host",
        "<video poster> loads https://evil.example/p.jpg from another host",
    ]


def test_disguised_addresses_are_found_as_a_browser_would_read_them() -> None:
    html = (
        r'<img src="\\evil.example\x.png"><img src="https:evil.example/x"><base href="https://evil.example/">'
        '<iframe srcdoc="&lt;img src=https://evil.example/y&gt;"></iframe><p style="background:url(\\68ttps://evil.example/z)">x</p>'
        '<img src="HTTPS://E.X/a"><img src=" java&#x09;script:alert(1)"><a href="mailto:x@example.org">mail is not a request</a>'
    )
    assert foreign_requests(html) == [
        "<img src> loads \\\\evil.example\\x.png from another host",
        "<img src> loads https:evil.example/x from another host",
        "<base href> loads https://evil.example/ from another host",
        "<iframe srcdoc> <img src> loads https://evil.example/y from another host",
        "<p style> loads https://evil.example/z from another host",
        "<img src> loads HTTPS://E.X/a from another host",
        "<img src> runs java\tscript:alert(1) as script",
    ]
    assert foreign_css('a { background: image-set("https://evil.example/x.png" 1x) } @font-face { src: url(fonts/x.woff) }') == [
        "loads https://evil.example/x.png from another host"
    ]


def test_a_binder_refused_writes_no_pdf_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from macros.binder import write_pdf

    out = tmp_path / "out" / "binder.pdf"
    refused, _ = write_pdf('<p>x</p><img src="https://example.invalid/logo.png">', tmp_path, out)
    assert refused == ["https://example.invalid/logo.png"]
    assert list(out.parent.iterdir()) == [], "nothing written, not even a temporary file"
    refused, warnings = write_pdf("<p>fine</p>", tmp_path, out)
    assert (refused, warnings) == ([], [])
    assert [p.name for p in out.parent.iterdir()] == ["binder.pdf"]


def test_the_binder_names_a_page_that_needs_another_host_and_writes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from macros.binder import build
    from macros.catalog import Catalog

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# Page\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nnav:\n  - Procedures:\n      - page.md\n")
    site = tmp_path / "site"
    site.mkdir()
    article = '<article class="md-content__inner"><h1>Page</h1><p><img src="https://evil.example/x.png" alt="x"></p></article>'
    (site / "page.html").write_text(f"<html><body>{article}</body></html>")
    out = site / "binder.pdf"
    problems, _ = build(site, out, Catalog(tmp_path / "docs"), tmp_path / "mkdocs.yml")
    assert problems == [
        "page.md: <img src> loads https://evil.example/x.png from another host; the binder, like the site, must not depend on another host"
    ]
    assert sorted(p.name for p in site.iterdir()) == ["page.html"], "no PDF, no temporary file"
