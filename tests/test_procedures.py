"""Every procedure and planning page has the one shape of docs/authoring/procedure-pages.md."""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path

import pytest

from macros.catalog import read_page
from macros.cmdmodel import releases_from

from .conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(p for folder in ("procedures", "planning") for p in (DOCS / folder).glob("*.md") if p.name != "index.md")
# A duration starts with its basis: our estimate (replace it with your rehearsal time), arithmetic
# shown on the page, or a figure a cited source gives.
DURATION_BASES = {"estimate", "derived", "documented"}
# The kinds of placeholder value (docs/authoring/procedure-pages.md); docs/assets/drg/procedure.js
# checks typed values against the same list.
KINDS = {"hostname", "fqdn", "ipv4", "path", "exchange-object", "text"}
SECTIONS = ["When to use", "When not to use", "Prerequisites", "Steps", "Verify", "Roll back or fail back", "Pitfalls", "Sources"]


def body_and_meta(path: Path) -> tuple[str, dict]:
    page = read_page(DOCS, str(path.relative_to(DOCS)))
    assert not hasattr(page, "message"), str(page)
    text = path.read_text(encoding="utf-8")
    return text.split("\n---", 2)[-1], page.meta


def test_there_are_procedure_pages() -> None:
    assert len(PAGES) >= 20


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_front_matter(path: Path) -> None:
    _, meta = body_and_meta(path)
    assert meta.get("id") == path.stem
    assert isinstance(meta.get("title"), str)
    assert meta["title"].strip()
    assert meta.get("exchange")
    assert all(releases_from(str(v)) for v in meta["exchange"]), meta["exchange"]
    assert isinstance(meta.get("duration"), str)
    assert isinstance(meta.get("placeholders", {}), dict)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name) for name in meta.get("placeholders") or {})
    datetime.date.fromisoformat(str(meta.get("last_reviewed")))
    assert meta.get("sources")


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_duration_states_its_basis(path: Path) -> None:
    """Every duration says where it comes from, as docs/authoring/procedure-pages.md defines."""
    _, meta = body_and_meta(path)
    basis, _, figure = meta["duration"].partition(": ")
    assert basis in DURATION_BASES, f"duration must start with one of {sorted(DURATION_BASES)}: {meta['duration']!r}"
    assert re.search(r"\d", figure), "a duration gives a number"


def test_every_row_of_the_numbers_page_names_its_basis() -> None:
    """Thresholds, defaults and figures on the RTO and RPO page each carry a source or say derived."""
    text = (DOCS / "reference" / "rto-rpo.md").read_text(encoding="utf-8")
    lines = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL).splitlines()
    separators = [i for i, line in enumerate(lines) if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line)]
    body = [line for i in separators for line in itertools.takewhile(lambda row: row.startswith("|"), lines[i + 1 :])]
    assert len(separators) >= 5
    assert len(body) >= 20
    for row in body:
        assert re.search(r"sources\.md#|derived|unverified", row, re.IGNORECASE), f"no source or basis: {row}"


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_sections_in_order(path: Path) -> None:
    body, meta = body_and_meta(path)
    outside_code = re.sub(r"^```.*?^```", "", body, flags=re.MULTILINE | re.DOTALL)
    headings = re.findall(r"^## (.+?)\s*$", outside_code, re.MULTILINE)
    assert headings == SECTIONS
    h1 = re.findall(r"^# (.+?)\s*$", outside_code, re.MULTILINE)
    assert h1 == [meta["title"]]


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_placeholders_used_in_commands_are_declared(path: Path) -> None:
    body, meta = body_and_meta(path)
    code = "\n".join(re.findall(r"^```[a-z]*[^\n]*\n(.*?)^```", body, re.MULTILINE | re.DOTALL))
    used = set(re.findall(r"<([A-Za-z][A-Za-z0-9]*)>", code))
    assert used <= set(meta.get("placeholders") or {}), f"undeclared: {sorted(used - set(meta.get('placeholders') or {}))}"


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_source_is_linked_in_the_sources_section(path: Path) -> None:
    body, meta = body_and_meta(path)
    sources = body.split("\n## Sources", 1)[1]
    for url in meta["sources"]:
        assert f"({url})" in sources or f"<{url}>" in sources, url


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_code_fences_name_their_language(path: Path) -> None:
    body, _ = body_and_meta(path)
    opening = [m.group(2).strip() for i, m in enumerate(re.finditer(r"^(\s*)```(.*)$", body, re.MULTILINE)) if i % 2 == 0]
    assert all(opening), "every fenced block names its language (powershell, bat, text)"


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_placeholder_declares_its_kind_and_label(path: Path) -> None:
    _, meta = body_and_meta(path)
    for name, spec in (meta.get("placeholders") or {}).items():
        assert isinstance(spec, dict), f"{name}: write {{kind: KIND, label: TEXT}}, not a bare description"
        assert set(spec) == {"kind", "label"}, f"{name}: keys are kind and label, not {sorted(spec)}"
        assert spec["kind"] in KINDS, f"{name}: kind {spec['kind']!r} is not one of {sorted(KINDS)}"
        assert isinstance(spec["label"], str), name
        assert spec["label"].strip(), name


def test_the_browser_checks_the_same_kinds() -> None:
    script = (DOCS / "assets" / "drg" / "procedure.js").read_text(encoding="utf-8")
    block = script.split("var KINDS = {", 1)[1].split("\n    };", 1)[0]
    assert set(re.findall(r'^      "?([a-z0-9-]+)"?: \{', block, re.MULTILINE)) == KINDS
