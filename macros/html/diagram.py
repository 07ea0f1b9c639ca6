"""Decision maps: a flowchart of each guide, laid out by Graphviz (the graphviz-pure package) from its model.

The DOT source comes from ``templates/map.dot.jinja``; Graphviz lays it out and writes SVG; this module
strips Graphviz's prolog, comments and fixed size, and wraps the drawing in ``templates/map.svg.jinja``.
Drawings are cached in memory by the hash of their DOT source, never on disk, in a ``DiagramCache``
that belongs to one build (macros/html/buildstate.py): nothing is kept from one build to the next.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter, OrderedDict
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..engine.catalog import Catalog, GuideEntry
from ..engine.model import Answer
from ..engine.urls import page_url, relative

TEMPLATES = Path(__file__).parent / "templates"
COMMAND = "graphviz-pure"
TIMEOUT = 30.0  # seconds; a real guide takes milliseconds
CACHE_SIZE = 64  # drawings kept in memory per build (a guide's map is drawn once per page that shows it)
# Characters per line before a label wraps, by kind of label.
WRAP = {"question": 24, "answer": 16, "outcome": 22, "procedure": 22}
# Left to right when the widest rank has more than this many nodes per rank of depth: such a
# tree is much wider than deep, and pages scroll down more easily than sideways.
WIDE = 1.5

# Every value in the DOT template is escaped for both places it may land: "quoted strings" (ids,
# URLs) and HTML-like labels <...>. XML character references cover quotes and markup. Graphviz
# decodes references and then reads backslash escapes (\N is the node name, \n a line break,
# \\ one backslash), so a backslash is written as two references to '\': the DOT source never
# holds a quote or backslash from the data, so no value can end a string early.
_DOT_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\\": "&#92;&#92;"} | {chr(c): " " for c in [*range(32), 127]}
)
_SVG_START = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'\bviewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)"')
# Graphviz's comments and <title> elements repeat internal node names (q-ID, o-ID): browsers would
# show them as tooltips and screen readers would read them. Graphviz escapes '<' in text, so these
# patterns cannot match inside a label.
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")


class DiagramError(RuntimeError):
    """Graphviz could not draw a decision map: not installed, failed, or too slow."""


class DiagramCache:
    """Graphviz's SVG by the hash of its DOT source, the most recently used ``size`` drawings."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._drawings: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._drawings)

    def __repr__(self) -> str:
        return f"DiagramCache({len(self)} of {self.size} drawings)"

    def get(self, key: str) -> str | None:
        """The drawing stored under ``key``, now the most recently used, or None."""
        if key not in self._drawings:
            return None
        self._drawings.move_to_end(key)
        return self._drawings[key]

    def put(self, key: str, svg: str) -> None:
        """Keep a drawing, forgetting the least recently used beyond ``size``."""
        self._drawings[key] = svg
        while len(self._drawings) > self.size:
            self._drawings.popitem(last=False)


def dot_escape(value: object) -> str:
    """Escape any value for the DOT template (used as the template environment's finalize)."""
    return str(value).translate(_DOT_ESCAPES)


def _environment() -> jinja2.Environment:
    # The DOT template escapes every {{ }} with dot_escape and nothing bypasses it (not even
    # |safe), so HTML autoescaping is off there; the SVG template is XML, with autoescape on.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("svg.jinja", "html.jinja"), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


_ENV = _environment()
_DOT_ENV = _ENV.overlay(finalize=dot_escape)


# Characters an answer label keeps in a compact (printed overview) map.
COMPACT_ANSWER = 28


def wrap(text: str, kind: str) -> list[str]:
    """A label as lines short enough for a readable map (whitespace collapsed, words kept whole)."""
    return textwrap.wrap(" ".join(text.split()), WRAP[kind], break_on_hyphens=False) or [""]


def direction(entry: GuideEntry) -> str:
    """'TB' for a tree about as deep as it is wide, 'LR' for a much wider one (ranks as Graphviz's dot sets them)."""
    guide, facts = entry.guide, entry.facts
    rank: dict[str, int] = {f"q-{guide.start_id}": 0}
    # Most remaining questions first is a topological order: an answer leads to a shorter remainder.
    for question in sorted(guide.questions, key=lambda q: -facts.longest_from.get(q.id, 0)):
        here = rank.get(f"q-{question.id}", 0)
        for answer in question.answers:
            target = f"q-{answer.next}" if answer.next is not None else f"o-{answer.outcome}"
            rank[target] = max(rank.get(target, 0), here + 1)
    sizes = Counter(rank.values())
    return "LR" if max(sizes.values()) > WIDE * len(sizes) else "TB"


def reachable(entry: GuideEntry, root: str) -> set[str]:
    """Every node ('q-ID' or 'o-ID') a walk from the question ``root`` can reach, ``root`` included."""
    questions = {q.id: q for q in entry.guide.questions}
    seen = {f"q-{root}"}
    todo = [root]
    while todo:
        for answer in questions[todo.pop()].answers:
            node = f"q-{answer.next}" if answer.next is not None else f"o-{answer.outcome}"
            if node not in seen:
                seen.add(node)
                if answer.next is not None:
                    todo.append(answer.next)
    return seen


def dot_source(
    entry: GuideEntry,
    catalog: Catalog,
    href: Callable[[str], str],
    compact: bool = False,
    id_prefix: str = "",
    only: set[str] | None = None,
    stubs: set[str] | frozenset[str] = frozenset(),
) -> str:
    """The DOT source of a guide's map: numbered questions, answers on the edges, outcomes and procedures.

    ``compact`` draws an overview for paper: question numbers without their text, answers cut to a
    few words, outcomes without their procedure rows (the pages that follow carry the full text).
    ``only`` draws part of the map (node ids 'q-ID' and 'o-ID'); questions in ``stubs`` are drawn
    without their answers, where another part of the map continues them.
    """
    guide, facts = entry.guide, entry.facts
    if only is not None:
        missing = {
            f"q-{a.next}" if a.next is not None else f"o-{a.outcome}"
            for q in guide.questions
            if f"q-{q.id}" in only and f"q-{q.id}" not in stubs
            for a in q.answers
        } - only
        if missing:
            raise ValueError(f"part of the map of '{guide.id}' leads to nodes it leaves out: {sorted(missing)}")

    def answer_lines(label: str) -> list[str]:
        return wrap(textwrap.shorten(label, COMPACT_ANSWER, placeholder="…"), "answer") if compact else wrap(label, "answer")

    def target(answer: Answer) -> str:
        return f"q-{answer.next}" if answer.next is not None else f"o-{answer.outcome}"

    questions = [
        {
            "id": question.id,
            "number": facts.number[question.id],
            "start": question.id == guide.start_id,
            "lines": [] if compact else wrap(question.text, "question"),
            "href": href(f"q-{question.id}"),
            "answers": []
            if f"q-{question.id}" in stubs
            else [{"id": a.id, "target": target(a), "lines": answer_lines(a.label)} for a in question.answers],
        }
        for question in guide.questions
        if only is None or f"q-{question.id}" in only
    ]
    outcomes = [
        {
            "id": outcome.id,
            "title": outcome.title,
            "lines": wrap(outcome.title, "outcome"),
            "href": href(f"o-{outcome.id}"),
            "procedures": [
                {
                    "title": catalog.pages[rel].title,
                    "lines": wrap(catalog.pages[rel].title, "procedure"),
                    "href": href(rel),
                }
                for rel in ([] if compact else outcome.procedures)
            ],
        }
        for outcome in guide.outcomes
        if only is None or f"o-{outcome.id}" in only
    ]
    return _DOT_ENV.get_template("map.dot.jinja").render(
        guide=guide, rankdir=direction(entry), questions=questions, outcomes=outcomes, id_prefix=id_prefix
    )


def page_links(from_url: str) -> Callable[[str], str]:
    """The ``href`` for a map on the page at ``from_url``: #anchors for 'q-ID' and 'o-ID', relative URLs for pages."""

    def href(target: str) -> str:
        # Ids are kebab-case, so only a page path ends in '.md'.
        return relative(from_url, page_url(target)) if target.endswith(".md") else f"#{target}"

    return href


def find_command() -> str:
    """The Graphviz program: $DRG_GRAPHVIZ if set, else graphviz-pure next to the running Python (the venv), else on PATH."""
    explicit = os.environ.get("DRG_GRAPHVIZ")
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise DiagramError(f"DRG_GRAPHVIZ is set to '{explicit}', which is not an executable program")
        return found
    found = shutil.which(COMMAND, path=str(Path(sys.executable).parent)) or shutil.which(COMMAND)
    if found is None:
        raise DiagramError(
            f"{COMMAND} is not installed, so decision maps cannot be drawn: run 'make site' (it installs "
            "requirements.txt into .venv/) or '.venv/bin/pip install -r requirements.txt -c constraints.txt'"
        )
    return found


def draw(dot: str, name: str, timeout: float | None = None, cache: DiagramCache | None = None) -> str:
    """Graphviz's SVG for a DOT source, from ``cache`` when this exact source was drawn before."""
    timeout = TIMEOUT if timeout is None else timeout
    key = hashlib.sha256(dot.encode("utf-8")).hexdigest()
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        return cached
    command = find_command()
    program = Path(command).name
    try:
        result = subprocess.run(
            [command, "-Tsvg"],
            input=dot,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DiagramError(f"{name}: {program} took more than {timeout:g} s to draw the decision map") from None
    except OSError as error:
        raise DiagramError(f"{name}: could not run {command}: {error.strerror or error}") from None
    if result.returncode != 0 or not result.stdout:
        detail = " ".join(result.stderr.split())[:500] or "no message"
        raise DiagramError(f"{name}: {program} failed drawing the decision map (exit {result.returncode}): {detail}")
    if cache is not None:
        cache.put(key, result.stdout)
    return result.stdout


def map_problems(catalog: Catalog, href_for: Callable[[str], Callable[[str], str]]) -> list[str]:
    """Draw every guide's map as the site build does, within its time limit; one line per map that fails."""
    failures = []
    for entry in catalog.guides.values():
        try:
            guide_svg(entry, catalog, href_for(entry.guide.id))
        except DiagramError as error:
            failures.append(str(error))
    return failures


def guide_svg(
    entry: GuideEntry,
    catalog: Catalog,
    href: Callable[[str], str],
    compact: bool = False,
    id_prefix: str = "",
    only: set[str] | None = None,
    stubs: set[str] | frozenset[str] = frozenset(),
    cache: DiagramCache | None = None,
) -> str:
    """An inline <svg> map of a guide (or of part of it, see dot_source); ``href`` maps 'q-ID', 'o-ID' or a docs path like 'procedures/x.md' to a link."""
    name = f"{entry.path}:{entry.line}: guide '{entry.guide.id}'"  # PATH:LINE: NODE, as check prints problems
    raw = draw(dot_source(entry, catalog, href, compact, id_prefix, only, stubs), name, cache=cache)
    start = _SVG_START.search(raw)
    end = raw.rfind("</svg>")
    box = _VIEWBOX.search(start.group(0)) if start else None
    if start is None or box is None or end < start.end():
        raise DiagramError(f"{name}: {COMMAND} wrote no SVG with a viewBox for the decision map")
    body = _TITLE.sub("", _COMMENT.sub("", raw[start.end() : end])).strip("\n")
    return _ENV.get_template("map.svg.jinja").render(
        guide=entry.guide,
        questions=len(entry.guide.questions),
        outcomes=len(entry.guide.outcomes),
        viewbox=" ".join(box.groups()),
        width=box.group(3),
        id_prefix=id_prefix,
        body=Markup(body),  # Graphviz's own SVG, drawn from escaped DOT; checked by tests/test_diagram.py
    )
