"""Load and check every decision file together, with the procedure pages they point at."""

from __future__ import annotations

import gc
import os
import re
import stat
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec
import yaml

from . import safeyaml
from .graph import GraphFacts, check_guide
from .load import load_guide
from .model import Guide
from .problems import Problem, ProblemsFound, known
from .symptoms import Source, SymptomEntry, collect
from .urls import guide_page

# The same front matter block MkDocs reads: a leading '---' line, YAML, then '---' or '...'.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\r?\n(.*?\r?\n)?(?:\.{3}|-{3})[ \t]*\r?\n", re.DOTALL)
# A page path under docs/: no absolute paths, no '.' or '..' segments, ends in .md.
_PAGE = re.compile(r"([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.md")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
# The largest decision map the site build draws, in answers (its edges). Graphviz's layout time
# grows much faster than the map and depends on its shape: a layered 900-answer map takes 2 s,
# a random 208-answer one 28 s, against the limit of 30 s (macros/html/diagram.py). The largest real
# guide has 88. Bigger guides are refused at once; smaller ones are drawn by check within the
# same time limit as the build (macros/__main__.py), so check refuses what the build cannot draw.
MAX_MAP_ANSWERS = 500


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
    line: int = 1  # of the guide's id, where problems with the guide as a whole are reported

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


# The one rule for which files are decision files: regular files named <id>.yml (lower-case
# .yml), not hidden. Anything else in decisions/ that looks like YAML is refused, never skipped
# or read silently; other files (the editor schema decision.schema.json, a README) are left alone.
_LOOKS_LIKE_YAML = re.compile(r".*\.ya?ml", re.IGNORECASE | re.DOTALL)


def name_problem(path: Path) -> Problem | None:
    """The problem with a decision file's name, if it breaks the rule (<id>.yml, lower case, not hidden)."""
    name = path.name
    if name.startswith("."):
        return Problem(
            display_path(path), 1, "file", "is hidden; decision files are named <id>.yml: rename it, or move it out of the folder"
        )
    if not name.endswith(".yml") or len(name) == len(".yml"):
        return Problem(
            display_path(path),
            1,
            "file",
            f"is not named <id>.yml; decision files end in .yml (lower case): rename it to {Path(name).stem.lower()}.yml, or move it out of the folder",
        )
    return None


def decision_files(decisions_dir: Path) -> list[Path]:
    """Every decision file of a folder, in a stable order (files breaking the rule left out)."""
    return scan_decisions(decisions_dir)[0]


def scan_decisions(decisions_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every decision file, in a stable order, and a problem for each file that looks like one but breaks the rule."""
    files: list[Path] = []
    problems: list[Problem] = []
    try:
        entries = sorted(os.scandir(decisions_dir), key=lambda e: e.name)
    except OSError as error:
        return [], [Problem(display_path(decisions_dir), 1, "folder", f"cannot be read: {error.strerror}")]
    for entry in entries:
        if not _LOOKS_LIKE_YAML.fullmatch(entry.name):
            continue
        path = decisions_dir / entry.name
        wrong_name = name_problem(path)
        if wrong_name is not None:
            problems.append(wrong_name)
            continue
        try:
            mode = entry.stat().st_mode  # follows a symbolic link; never opens the file
        except OSError as error:
            problems.append(Problem(display_path(path), 1, "file", f"cannot be read: {error.strerror}"))
            continue
        if not stat.S_ISREG(mode):
            problems.append(
                Problem(display_path(path), 1, "file", f"is {safeyaml.file_kind(mode)}, not a decision file; remove it from the folder")
            )
            continue
        files.append(path)
    return files, problems


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: tags such as !ENV become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# MkDocs never publishes hidden files or a top-level templates/ folder, whatever the config says.
_MKDOCS_DEFAULT = pathspec.GitIgnoreSpec.from_lines([".*", "/templates/"])


class Unpublished:
    """Which pages under docs/ a build leaves out, and why: MkDocs' own rule, exclude_docs, draft_docs."""

    def __init__(self, exclude_docs: pathspec.PathSpec | None = None, draft_docs: pathspec.PathSpec | None = None) -> None:
        rules = [
            ("MkDocs leaves out hidden files and templates/", _MKDOCS_DEFAULT),
            ("exclude_docs in mkdocs.yml leaves it out", exclude_docs),
            ("draft_docs in mkdocs.yml keeps it out of the built site", draft_docs),
        ]
        self.rules = [(why, spec) for why, spec in rules if spec is not None]

    @classmethod
    def from_config(cls, config: Path) -> Unpublished:
        """The rules of a mkdocs.yml (MkDocs' own rule only, when there is none)."""
        try:
            data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        except (OSError, yaml.YAMLError):
            data = None
        data = data if isinstance(data, dict) else {}
        specs = [data.get(key) for key in ("exclude_docs", "draft_docs")]
        return cls(*(pathspec.GitIgnoreSpec.from_lines(spec.splitlines()) if isinstance(spec, str) else None for spec in specs))

    def reason(self, rel: str) -> str | None:
        """Why the page at ``rel`` (relative to docs/) is not published, or None when it is."""
        return next((why for why, spec in self.rules if spec.match_file(rel)), None)


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
    unpublished: Unpublished | None = None,
    max_map_answers: int | None = MAX_MAP_ANSWERS,
) -> Catalog:
    """Load, validate and check the given decision files (default: all); raise ProblemsFound.

    Given files are checked as members of ``decisions_dir``: ids used by its other files count.
    ``max_map_answers`` (None: no limit) refuses a guide whose map the site build would not draw.
    """
    with _collector_paused():
        return _load_catalog(decisions_dir, docs_dir, files, max_bytes, unpublished or Unpublished(), max_map_answers)


def _load_catalog(
    decisions_dir: Path, docs_dir: Path, files: list[Path] | None, max_bytes: int, unpublished: Unpublished, max_map_answers: int | None
) -> Catalog:
    problems: list[Problem] = []
    catalog = Catalog(docs_dir)
    loaded = []
    in_folder, folder_problems = scan_decisions(decisions_dir)
    if files is None:
        files = in_folder
        problems.extend(folder_problems)
        other_paths: list[Path] = []
    else:
        given = {path.resolve() for path in files}
        other_paths = [path for path in in_folder if path.resolve() not in given]
    for path in files:
        wrong_name = name_problem(path)
        if wrong_name is not None:
            problems.append(wrong_name)
            continue
        item = load_guide(path, display_path(path), max_bytes)
        problems.extend(item.problems)
        if item.guide is not None:
            loaded.append(item)

    # The other files of the folder, when only some are checked: their ids and follow-ups count.
    context = [other for other in (load_guide(path, display_path(path), max_bytes) for path in other_paths) if other.guide is not None]
    known_guides: dict[str, str] = {}
    follow_ups: dict[str, set[str]] = {}
    for item in context:
        assert item.guide is not None
        known_guides.setdefault(item.guide.id, item.path)
        follow_ups.setdefault(item.guide.id, {f for o in item.guide.outcomes for f in o.follow_up})
    for item in loaded:
        guide = item.guide
        assert guide is not None
        line = safeyaml.line_of(item.raw, ("id",))
        if Path(item.path).stem != guide.id:
            problems.append(
                Problem(
                    item.path,
                    line,
                    f"guide '{guide.id}'",
                    f"the file must be named after its id: rename it to {guide.id}.yml, or set id: {Path(item.path).stem}",
                )
            )
        if guide.id in known_guides:
            problems.append(Problem(item.path, line, f"guide '{guide.id}'", f"duplicate guide id (also in {known_guides[guide.id]})"))
            continue
        known_guides[guide.id] = item.path
        follow_ups[guide.id] = {f for o in guide.outcomes for f in o.follow_up}
    # Symptom routes need a sound graph; other files, and broken guides, still lend their definitions.
    others: list[Source] = [Source(item.path, item.guide, item.raw) for item in context]  # type: ignore[arg-type]
    checked: list[Source] = []

    for item in loaded:
        guide = item.guide
        assert guide is not None
        if known_guides.get(guide.id) != item.path:
            continue
        graph_problems, facts = check_guide(guide, item.raw, item.path)
        problems.extend(graph_problems)
        problems.extend(_guide_page_problems(item.path, item.raw, guide.id, docs_dir, unpublished))
        answers = sum(len(question.answers) for question in guide.questions)
        if max_map_answers is not None and answers > max_map_answers:
            problems.append(
                Problem(item.path, safeyaml.line_of(item.raw, ("id",)), f"guide '{guide.id}'", map_too_big(answers, max_map_answers))
            )
        # Symptom routes need a sound graph; a broken guide still lends its definitions to the others.
        (others if graph_problems else checked).append(Source(item.path, guide, item.raw))
        for i, outcome in enumerate(guide.outcomes):
            node = f"outcome '{outcome.id}'"
            problems.extend(_repeats(item, i, "procedures", "procedure"))
            problems.extend(_repeats(item, i, "follow_up", "follow-up guide"))
            for j, rel in enumerate(outcome.procedures):
                line = safeyaml.line_of(item.raw, ("outcomes", i, "procedures", j))
                if rel in catalog.pages:
                    continue
                found = _procedure_page(docs_dir, rel, unpublished)
                if isinstance(found, str):
                    problems.append(Problem(item.path, line, node, found))
                elif isinstance(found, Problem):
                    problems.append(found)
                else:
                    catalog.pages[rel] = found
            for j, follow in enumerate(outcome.follow_up):
                line = safeyaml.line_of(item.raw, ("outcomes", i, "follow_up", j))
                if follow not in known_guides:
                    problems.append(
                        Problem(item.path, line, node, f"follow-up guide '{follow}' does not exist {known(known_guides, follow)}")
                    )
                    continue
                cycle = _path_back(follow_ups, follow, guide.id)
                if cycle is not None:
                    shown = " -> ".join([guide.id, *cycle])
                    problems.append(Problem(item.path, line, node, f"follow-up guide '{follow}' closes a cycle of guides: {shown}"))
        catalog.guides[guide.id] = GuideEntry(item.path, guide, facts, safeyaml.line_of(item.raw, ("id",)))
    catalog.symptoms, symptom_problems = collect(checked, others)
    problems.extend(symptom_problems)
    if problems:
        raise ProblemsFound(problems)
    return catalog


def _repeats(item: Any, index: int, key: str, noun: str) -> list[Problem]:
    """An outcome that lists the same procedure or follow-up twice (it would be shown twice)."""
    outcome = item.guide.outcomes[index]
    first: dict[str, int] = {}
    found = []
    for j, value in enumerate(getattr(outcome, key)):
        line = safeyaml.line_of(item.raw, ("outcomes", index, key, j))
        if value in first:
            found.append(
                Problem(item.path, line, f"outcome '{outcome.id}'", f"lists {noun} '{value}' twice (first at line {first[value]})")
            )
        first.setdefault(value, line)
    return found


def map_too_big(answers: int, limit: int) -> str:
    """The one message for a guide too big to draw, printed by check and by the site build alike."""
    return f"has {answers} answers; the site draws decision maps of at most {limit} answers (split it into guides joined by follow_up)"


def _guide_page_problems(path: str, raw: Any, guide_id: str, docs_dir: Path, unpublished: Unpublished) -> list[Problem]:
    """A guide needs its page under docs/guides/, published; else links and follow-ups to it are dead."""
    rel = guide_page(guide_id)
    line = safeyaml.line_of(raw, ("id",))
    node = f"guide '{guide_id}'"
    why = unpublished.reason(rel)
    if why is not None:
        return [Problem(path, line, node, f"its page {rel} is not published ({why}), so links to the guide would be dead")]
    if not (docs_dir / rel).is_file():
        return [
            Problem(
                path,
                line,
                node,
                f"has no page {rel} under {display_path(docs_dir)}/, so links and follow-ups to it would be dead; "
                f'add the page with {{{{ guide("{guide_id}") }}}}',
            )
        ]
    return []


def _procedure_page(docs_dir: Path, rel: str, unpublished: Unpublished) -> PageInfo | Problem | str:
    """The page an outcome points at, a problem in the page itself, or what is wrong with the reference."""
    if not _PAGE.fullmatch(rel):
        return f"procedure '{rel}' must be a page path under docs/ ending in .md, such as procedures/x.md"
    why = unpublished.reason(rel)
    if why is not None:
        return f"procedure page '{rel}' is not published ({why}), so links to it would be dead"
    if not (docs_dir / rel).is_file():
        return f"procedure page '{rel}' does not exist under {display_path(docs_dir)}/"
    return read_page(docs_dir, rel)


def _path_back(follow_ups: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The shortest chain of follow-ups from ``start`` back to ``goal`` (both included), or None."""
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            chain = []
            step: str | None = current
            while step is not None:
                chain.append(step)
                step = parent[step]
            return chain[::-1]
        for nxt in sorted(follow_ups.get(current, ())):
            if nxt not in parent:
                parent[nxt] = current
                queue.append(nxt)
    return None
