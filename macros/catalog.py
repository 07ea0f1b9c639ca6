"""Load and check every decision file together, with the procedure pages they point at."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import safeyaml
from .graph import GraphFacts, check_guide
from .load import load_guide
from .model import Guide
from .problems import Problem, ProblemsFound, known
from .symptoms import Source, SymptomEntry, collect

# The same front matter block MkDocs reads: a leading '---' line, YAML, then '---' or '...'.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\r?\n(.*?\r?\n)?(?:\.{3}|-{3})[ \t]*\r?\n", re.DOTALL)
# A page path under docs/: no absolute paths, no '.' or '..' segments, ends in .md.
_PAGE = re.compile(r"([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.md")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass
class PageInfo:
    """A Markdown page under docs/ that an outcome points at."""

    path: str
    title: str
    meta: dict[str, Any]


@dataclass
class GuideEntry:
    """A checked guide: where it came from, the model and what the graph checks learned."""

    path: str
    guide: Guide
    facts: GraphFacts

    def __repr__(self) -> str:
        return f"GuideEntry({self.guide.id!r}, {self.path!r}, paths={self.facts.paths})"


@dataclass
class Catalog:
    """Every guide of the site and every page their outcomes lead to."""

    docs_dir: Path
    guides: dict[str, GuideEntry] = field(default_factory=dict)
    pages: dict[str, PageInfo] = field(default_factory=dict)
    symptoms: list[SymptomEntry] = field(default_factory=list)


def display_path(path: Path) -> str:
    """A path as authors see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def read_page(docs_dir: Path, rel: str) -> PageInfo | Problem:
    """Read a page's front matter and title; a Problem names the page when that fails."""
    path = docs_dir / rel
    name = display_path(path)
    try:
        text = safeyaml.read_text(path, 4 * 1024 * 1024)
    except safeyaml.YamlRefused as refused:
        return refused.problems[0]
    meta: dict[str, Any] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        body = text[match.end() :]
        try:
            data, problems = safeyaml.load(match.group(1) or "{}", name)
        except safeyaml.YamlRefused as refused:
            return Problem(name, refused.problems[0].line + 1, "front matter", refused.problems[0].message)
        if problems:
            return Problem(name, problems[0].line + 1, "front matter", problems[0].message)
        if isinstance(data, dict):
            meta = dict(data)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        heading = _H1.search(body)
        title = heading.group(1) if heading else Path(rel).stem.replace("-", " ").capitalize()
    return PageInfo(rel, title.strip(), meta)


def _symptoms_of(guide: Guide) -> Iterator[Any]:
    for question in guide.questions:
        yield from question.symptoms
        for answer in question.answers:
            yield from answer.symptoms


def decision_files(decisions_dir: Path) -> list[Path]:
    """Every decision file, in a stable order."""
    return sorted(p for p in decisions_dir.glob("*.yml") if p.is_file()) + sorted(p for p in decisions_dir.glob("*.yaml") if p.is_file())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading.

    Loading builds millions of small containers and no reference cycles; the collector's full
    passes would rescan all of them again and again, making large files superlinear to load.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_catalog(
    decisions_dir: Path,
    docs_dir: Path,
    files: list[Path] | None = None,
    max_bytes: int = safeyaml.MAX_BYTES,
) -> Catalog:
    """Load, validate and check the given decision files (default: all); raise ProblemsFound."""
    with _collector_paused():
        return _load_catalog(decisions_dir, docs_dir, files, max_bytes)


def _load_catalog(decisions_dir: Path, docs_dir: Path, files: list[Path] | None, max_bytes: int) -> Catalog:
    problems: list[Problem] = []
    catalog = Catalog(docs_dir)
    loaded = []
    for path in files if files is not None else decision_files(decisions_dir):
        item = load_guide(path, display_path(path), max_bytes)
        problems.extend(item.problems)
        if item.guide is not None:
            loaded.append(item)

    # Guides that fail to load still reserve their id, so follow-ups to them are not reported twice.
    known_guides: dict[str, str] = {}
    for item in loaded:
        guide = item.guide
        assert guide is not None
        if guide.id in known_guides:
            problems.append(
                Problem(
                    item.path,
                    safeyaml.line_of(item.raw, ("id",)),
                    f"guide '{guide.id}'",
                    f"duplicate guide id (also in {known_guides[guide.id]})",
                )
            )
            continue
        known_guides[guide.id] = item.path
    wanted = {f for item in loaded for o in item.guide.outcomes for f in o.follow_up} - known_guides.keys()  # type: ignore[union-attr]
    references = any(not s.is_definition for item in loaded for s in _symptoms_of(item.guide))  # type: ignore[arg-type]
    others: list[Source] = []
    if files is not None and (wanted or references):  # checking some files: they may point at other files of the site
        given = {Path(p).resolve() for p in files}
        for path in decision_files(decisions_dir):
            if path.resolve() not in given:
                other = load_guide(path, display_path(path), max_bytes)
                if other.guide is not None:
                    known_guides.setdefault(other.guide.id, other.path)
                    others.append(Source(other.path, other.guide, other.raw))
    checked: list[Source] = []

    for item in loaded:
        guide = item.guide
        assert guide is not None
        if known_guides.get(guide.id) != item.path:
            continue
        graph_problems, facts = check_guide(guide, item.raw, item.path)
        problems.extend(graph_problems)
        # Symptom routes need a sound graph; a broken guide still lends its definitions to the others.
        (others if graph_problems else checked).append(Source(item.path, guide, item.raw))
        for i, outcome in enumerate(guide.outcomes):
            node = f"outcome '{outcome.id}'"
            for j, rel in enumerate(outcome.procedures):
                line = safeyaml.line_of(item.raw, ("outcomes", i, "procedures", j))
                if rel in catalog.pages:
                    continue
                if not _PAGE.fullmatch(rel):
                    problems.append(
                        Problem(
                            item.path,
                            line,
                            node,
                            f"procedure '{rel}' must be a page path under docs/ ending in .md, such as procedures/x.md",
                        )
                    )
                    continue
                if not (docs_dir / rel).is_file():
                    problems.append(
                        Problem(item.path, line, node, f"procedure page '{rel}' does not exist under {display_path(docs_dir)}/")
                    )
                    continue
                page = read_page(docs_dir, rel)
                if isinstance(page, Problem):
                    problems.append(page)
                else:
                    catalog.pages[rel] = page
            for j, follow in enumerate(outcome.follow_up):
                if follow not in known_guides:
                    line = safeyaml.line_of(item.raw, ("outcomes", i, "follow_up", j))
                    problems.append(
                        Problem(item.path, line, node, f"follow-up guide '{follow}' does not exist {known(known_guides, follow)}")
                    )
        catalog.guides[guide.id] = GuideEntry(item.path, guide, facts)
    catalog.symptoms, symptom_problems = collect(checked, others)
    problems.extend(symptom_problems)
    if problems:
        raise ProblemsFound(problems)
    return catalog
