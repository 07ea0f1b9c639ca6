"""The printed DR binder: one PDF of the whole site, usable with no computer at all.

Guides are printed from the model: numbered questions whose answers name the page to turn to.
Every other page is the article of the built site, cleaned for paper (printhtml.py). A Jinja
template assembles one HTML document, WeasyPrint lays it out, and CSS ``target-counter()`` fills
in every page number. No MkDocs import: ``mkdocs.yml`` is read as YAML, the site as HTML.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import yaml
from markupsafe import Markup

from ..engine.catalog import Catalog, GuideEntry, read_page
from ..engine.problems import Problem
from ..engine.symptoms import heading
from ..engine.urls import guide_page, page_url
from ..engine.version import site_version
from ..html.offline import foreign_requests
from ..html.profile import SERVICE_TEXT, Profile
from ..html.profile import candidates as profile_candidates
from ..html.render import default_markdown
from ..html.sanitize import sanitize
from .printhtml import PageCleaner, PageError, anchor, clean_fragment, parents_of, read_article, remove, serialize
from .progress import Progress

BINDER_TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = BINDER_TEMPLATES / "binder.css"
# Nav sections left out of the binder: they are for people who edit the site, not for the shelf.
SKIPPED_SECTIONS = ("Authoring",)
# Answer paths listed per procedure and guide in the index; the rest are counted, never listed.
MAX_PATHS_LISTED = 8
# Room for a decision map, in points (binder.css: A4, margins 24/14 mm; map at most 205 mm high
# on a portrait page, 160 mm on a landscape one). Graphviz draws labels at 11-12 pt, scaled with
# the map.
MAP_PORTRAIT = (172 * 72 / 25.4, 205 * 72 / 25.4)
MAP_LANDSCAPE = (259 * 72 / 25.4, 160 * 72 / 25.4)
# No text of a printed map is smaller than this (points), legible in a dark data centre; a map
# that would print smaller is split (decision_map).
MAP_MIN_FONT_PT = 6.0
_FONT_SIZE = re.compile(r'font-size="([\d.]+)"')
_VIEWBOX = re.compile(r'viewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')


class BinderError(Exception):
    """The binder cannot be built; the message names the file and what is wrong."""


# --- Which pages, in which order: the site's nav -------------------------------------------------


@dataclass
class NavPart:
    """Pages of a nav section, under a sub-heading of the nav (or none: title "")."""

    title: str
    pages: list[str] = field(default_factory=list)


@dataclass
class NavSection:
    """A top-level nav section, its parts in nav order."""

    title: str
    parts: list[NavPart] = field(default_factory=list)

    def pages(self) -> list[str]:
        """Every page of the section, in order."""
        return [page for part in self.parts for page in part.pages]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: tags such as !ENV and !!python/name become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (site_name, site_description and nav are used)."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # a SafeLoader: no objects built
    except (OSError, yaml.YAMLError) as error:
        raise BinderError(f"{config}: cannot read it: {error}") from None
    return data if isinstance(data, dict) else {}


def _pages(item: Any) -> list[str]:
    """Every Markdown page of a nav subtree, in order (links to other sites are skipped)."""
    if isinstance(item, str):
        return [item] if item.endswith(".md") and "://" not in item else []
    if isinstance(item, list):
        return [page for child in item for page in _pages(child)]
    if isinstance(item, dict):
        return [page for child in item.values() for page in _pages(child)]
    return []


def nav_outline(config: dict[str, Any], docs_dir: Path) -> list[NavSection]:
    """The binder's sections: top-level nav sections but SKIPPED_SECTIONS, with their nav sub-headings.

    A page in a section's folder that the nav does not list is still printed, in a last part
    "Other pages": the binder must not lose a procedure because someone forgot the nav.
    """
    nav = config.get("nav")
    sections: list[NavSection] = []
    if isinstance(nav, list):
        for item in nav:
            if not (isinstance(item, dict) and len(item) == 1):
                continue  # a page at the top (Home): the binder has its own cover and contents
            title, children = next(iter(item.items()))
            if not isinstance(children, list) or str(title) in SKIPPED_SECTIONS:
                continue
            section = NavSection(str(title))
            for child in children:
                if isinstance(child, dict) and len(child) == 1 and isinstance(next(iter(child.values())), list):
                    section.parts.append(NavPart(str(next(iter(child))), _pages(child)))
                else:
                    if not section.parts or section.parts[-1].title:
                        section.parts.append(NavPart(""))
                    section.parts[-1].pages.extend(_pages(child))
            sections.append(section)
    else:  # no nav in mkdocs.yml: one section per top-level folder
        for folder in sorted(p for p in docs_dir.iterdir() if p.is_dir() and p.name not in {"assets", "includes"}):
            title = folder.name.replace("-", " ").capitalize()
            if title not in SKIPPED_SECTIONS:
                sections.append(NavSection(title, [NavPart("", [f"{folder.name}/index.md"])]))
    listed = {page for section in sections for page in section.pages()}
    for section in sections:
        others = []
        for folder in sorted({posixpath.dirname(page) for page in section.pages()} - {""}):
            others.extend(rel for p in sorted((docs_dir / folder).glob("*.md")) if (rel := f"{folder}/{p.name}") not in listed)
        listed.update(others)
        if others:
            section.parts.append(NavPart("" if len(section.parts) == 1 and not section.parts[0].title else "Other pages", others))
        for part in section.parts:
            part.pages = [page for page in part.pages if (docs_dir / page).is_file()]
        section.parts = [part for part in section.parts if part.pages]
    return [section for section in sections if section.parts]


# --- What the template prints -------------------------------------------------------------------


@dataclass
class Doc:
    """One page of the site as printed: where it lives, its title and its cleaned article."""

    path: str
    url: str
    anchor: str
    title: str
    body: Markup
    meta: dict[str, Any] = field(default_factory=dict)
    guide: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"Doc({self.path!r}, title={self.title!r})"


@dataclass
class Part:
    """Pages under one nav sub-heading ("" for none); an index.md first is its introduction."""

    title: str
    anchor: str
    intro: Doc | None
    docs: list[Doc]


@dataclass
class Section:
    """A top-level nav section; an index.md first is its introduction."""

    title: str
    anchor: str
    intro: Doc | None
    parts: list[Part]

    @property
    def docs(self) -> list[Doc]:
        """Every page printed in the section, in order."""
        return [doc for part in self.parts for doc in ([part.intro] if part.intro else []) + part.docs]


@dataclass
class Binder:
    """Everything the binder template needs."""

    site_name: str
    description: str
    version: dict[str, str]
    sections: list[Section]
    index: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    symptoms: list[dict[str, Any]] = field(default_factory=list)
    profile: Profile | None = None  # an organisation's own binder (make binder PROFILE=FILE)

    def candidates(self, placeholders: Any) -> dict[str, list[str]]:
        """The profile's values for a page's placeholders, by name ({} without a profile)."""
        if self.profile is None or not isinstance(placeholders, dict):
            return {}
        return profile_candidates(self.profile, placeholders)

    @property
    def guides(self) -> list[Doc]:
        """The guide pages, in binder order."""
        return [doc for section in self.sections for doc in section.docs if doc.guide]

    def render(self) -> str:
        """The binder as one HTML document."""
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(BINDER_TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["count"] = count_text
        return env.get_template("binder.html.jinja").render(binder=self, services=SERVICE_TEXT)


def count_text(count: int) -> str:
    """A path count for print: exact up to a billion, then its order of magnitude."""
    if count < 10**9:
        return f"{count:,}"
    return f"about 10^{int((count.bit_length() - 1) * 0.30103)}"  # log10(2): no huge int to str


# --- The guides, from the model -----------------------------------------------------------------


def guide_view(entry: GuideEntry, catalog: Catalog, titles: dict[str, str], md: Callable[[str | None], Markup]) -> dict[str, Any]:
    """A guide as plain data for the print template: numbered questions, outcomes, binder anchors."""
    guide, facts = entry.guide, entry.facts
    url = page_url(guide_page(guide.id))

    def procedure(rel: str) -> dict[str, str]:
        return {"title": titles.get(page_url(rel), catalog.pages[rel].title), "anchor": anchor(page_url(rel))}

    outcomes = {
        o.id: {
            "id": o.id,
            "anchor": anchor(url, f"o-{o.id}"),
            "title": o.title,
            "summary": md(o.summary),
            "warnings": [md(w) for w in o.warnings],
            "procedures": [procedure(rel) for rel in o.procedures],
            "follow_up": [
                {"title": catalog.guides[g].guide.title if g in catalog.guides else g, "anchor": anchor(page_url(guide_page(g)))}
                for g in o.follow_up
            ],
        }
        for o in guide.outcomes
    }
    questions = [
        {
            "id": q.id,
            "number": facts.number[q.id],
            "anchor": anchor(url, f"q-{q.id}"),
            "text": q.text,
            "help": md(q.help) if q.help else None,
            "answers": [
                {
                    "id": a.id,
                    "label": a.label,
                    "explanation": md(a.explanation) if a.explanation else None,
                    "next": {"number": facts.number[a.next], "anchor": anchor(url, f"q-{a.next}")} if a.next is not None else None,
                    "outcome": outcomes[a.outcome] if a.outcome is not None else None,
                }
                for a in q.answers
            ],
        }
        for q in guide.questions
    ]
    return {
        "id": guide.id,
        "title": guide.title,
        "introduction": md(guide.introduction),
        "start": {"number": facts.number[guide.start_id], "anchor": anchor(url, f"q-{guide.start_id}")},
        "questions": questions,
        "outcomes": list(outcomes.values()),
        "paths": facts.paths,
        "maps": decision_map(entry, catalog, url),
    }


def decision_map(entry: GuideEntry, catalog: Catalog, url: str) -> list[dict[str, Any]]:
    """The guide's decision map as inline SVG (macros/html/diagram.py), in as many parts as legibility needs.

    Each part gets a portrait or a landscape page, whichever prints it larger, and must print its
    smallest text at MAP_MIN_FONT_PT or more: first the full map, then the compact overview
    (question numbers, short answers, outcome titles); when even that is too small, the map is
    split into sub-trees: the start question with the questions its answers lead to, then the
    sub-tree of each of those, split again the same way where needed. Empty when there is no
    diagram module.
    """
    try:
        from ..html import diagram
    except ImportError:
        return []

    def href(target: str) -> str:
        if target.endswith(".md"):
            return "#" + anchor(page_url(target))
        return "#" + anchor(url, target)

    parts: list[dict[str, Any]] = []

    def draw(only: set[str] | None, stubs: set[str], force: bool) -> dict[str, Any] | None:
        for compact in (False, True):
            prefix = f"{entry.guide.id}--m{len(parts) + 1}--"
            svg = diagram.guide_svg(entry, catalog, href, compact=compact, id_prefix=prefix, only=only, stubs=stubs)
            box = _VIEWBOX.search(svg)
            if box is None:
                return {"svg": Markup(svg), "wide": False, "compact": compact, "font": None}  # the diagram module's own escaped output
            width, height = float(box.group(3)), float(box.group(4))
            portrait = min(MAP_PORTRAIT[0] / width, MAP_PORTRAIT[1] / height)
            landscape = min(MAP_LANDSCAPE[0] / width, MAP_LANDSCAPE[1] / height)
            sizes = [float(size) for size in _FONT_SIZE.findall(svg)] or [MAP_MIN_FONT_PT]
            font = min(sizes) * max(portrait, landscape)
            if font >= MAP_MIN_FONT_PT or (force and compact):
                return {"svg": Markup(svg), "wide": landscape > portrait, "compact": compact, "font": round(font, 1)}
        return None

    questions = {q.id: q for q in entry.guide.questions}
    todo: list[str | None] = [None]  # None: the whole map
    seen: set[str | None] = set()
    while todo:
        root = todo.pop(0)
        if root in seen:  # a question two answers lead to is split out once
            continue
        seen.add(root)
        only = None if root is None else diagram.reachable(entry, root)
        part = draw(only, set(), force=False)
        if part is None:
            top = root or entry.guide.start_id
            below = [a.next for a in questions[top].answers if a.next is not None]
            below = list(dict.fromkeys(below))
            only = {f"q-{top}"} | {f"q-{q}" for q in below} | {f"o-{a.outcome}" for a in questions[top].answers if a.outcome is not None}
            part = draw(only, {f"q-{q}" for q in below}, force=True)
            todo.extend(below)
        assert part is not None
        part["from"] = None if root is None else entry.facts.number[root]
        part["questions"] = sorted(entry.facts.number[n[2:]] for n in (only or {f"q-{q}" for q in questions}) if n.startswith("q-"))
        parts.append(part)
    return parts


def answer_paths(entry: GuideEntry, targets: set[str], cap: int) -> tuple[list[dict[str, Any]], int]:
    """Up to ``cap`` start-to-outcome paths ending in one of ``targets`` (outcome ids), and how many exist.

    Counting is one pass over the answers; listing walks only branches that reach a target, so
    each listed path costs its length and a guide with a huge number of paths cannot explode it.
    """
    guide, facts = entry.guide, entry.facts
    by_id = {q.id: q for q in guide.questions}
    titles = {o.id: o.title for o in guide.outcomes}
    reach: dict[str, int] = {}  # paths from each question to a target outcome
    pending = [guide.start_id]
    while pending:  # iterative post-order: a question is counted once all its successors are
        qid = pending[-1]
        todo = [a.next for a in by_id[qid].answers if a.next is not None and a.next not in reach]
        if todo:
            pending.extend(todo)
            continue
        pending.pop()
        reach[qid] = sum(reach[a.next] if a.next is not None else int(a.outcome in targets) for a in by_id[qid].answers)
    listed: list[dict[str, Any]] = []
    frames = [iter(by_id[guide.start_id].answers)]
    asked = [guide.start_id]
    steps: list[dict[str, Any]] = []  # the answer given at each question of ``asked`` but the last
    while frames and len(listed) < cap:
        answer = next(frames[-1], None)
        if answer is None:
            frames.pop()
            asked.pop()
            if steps:
                steps.pop()
            continue
        step = {"number": facts.number[asked[-1]], "label": answer.label}
        if answer.next is not None:
            if reach[answer.next]:
                steps.append(step)
                asked.append(answer.next)
                frames.append(iter(by_id[answer.next].answers))
        elif answer.outcome in targets:
            listed.append({"steps": [*steps, step], "outcome": titles[answer.outcome]})
    return listed, reach[guide.start_id]


def procedure_index(catalog: Catalog, titles: dict[str, str], cap: int = MAX_PATHS_LISTED) -> list[dict[str, Any]]:
    """For each page an outcome points at, by title: per guide, the answer paths that lead to it."""

    def title(rel: str) -> str:
        return titles.get(page_url(rel), catalog.pages[rel].title)

    procedures = {rel for entry in catalog.guides.values() for o in entry.guide.outcomes for rel in o.procedures}
    index = []
    for rel in sorted(procedures, key=lambda r: title(r).lower()):
        guides = []
        for entry in catalog.guides.values():
            targets = {o.id for o in entry.guide.outcomes if rel in o.procedures}
            if targets:
                paths, total = answer_paths(entry, targets, cap)
                guides.append(
                    {
                        "title": entry.guide.title,
                        "anchor": anchor(page_url(guide_page(entry.guide.id))),
                        "paths": paths,
                        "total": total,
                        "more": total - len(paths),
                    }
                )
        index.append({"title": title(rel), "anchor": anchor(page_url(rel)), "guides": guides})
    return index


def symptom_index(catalog: Catalog) -> list[dict[str, Any]]:
    """For each symptom: its meaning and, per route into a guide, the answers (Q numbers) and where to turn."""
    items = []
    for entry in catalog.symptoms:
        routes = []
        for route in entry.routes:
            checked = catalog.guides[route.guide_id]
            url = page_url(guide_page(route.guide_id))
            questions = {q.id: q for q in checked.guide.questions}
            steps = [
                {
                    "number": checked.facts.number[qid],
                    "label": next(a.label for a in questions[qid].answers if a.id == aid),
                    "assumed": not implied,
                }
                for (qid, aid), implied in zip(route.steps, route.implied, strict=True)
            ]
            kind, node = route.lands
            if kind == "q":
                lands = {"question": checked.facts.number[node], "title": questions[node].text, "anchor": anchor(url, f"q-{node}")}
            else:
                title = next(o.title for o in checked.guide.outcomes if o.id == node)
                lands = {"question": None, "title": title, "anchor": anchor(url, f"o-{node}")}
            routes.append({"guide": route.guide_title, "guide_anchor": anchor(url), "steps": steps, "lands": lands})
        symptom = entry.symptom
        items.append({"id": symptom.id, "heading": heading(symptom), "meaning": symptom.meaning, "field": symptom.field, "routes": routes})
    return items


# --- Assembly ----------------------------------------------------------------------------------


def _slug(*words: str) -> str:
    return "-".join("-".join(word.lower().split()) for word in words if word)


@dataclass
class Printing:
    """What every printed page is made from: the model, the site's cleaned articles and their headings."""

    catalog: Catalog
    articles: dict[str, tuple[str, ET.Element]]  # docs path -> (heading, article) of the built page
    titles: dict[str, str]  # page URL -> its heading in the built site
    cleaner: PageCleaner
    markdown: Callable[[str], str]
    foreign: list[str] = field(default_factory=list)  # what a printed page would fetch from another host

    def refuse_foreign(self, rel: str, html: str) -> None:
        """Note everything in ``html`` that would make the PDF fetch from another host."""
        self.foreign.extend(f"{rel}: {item}; the binder, like the site, must not depend on another host" for item in foreign_requests(html))


def assemble(site_dir: Path, catalog: Catalog, config: Path, project_dir: Path | None = None) -> Binder:
    """Collect the guides (from the model) and every page of the binder's sections (from the built site)."""
    settings = read_config(config)
    outline = binder_outline(settings, catalog)
    cleaner = PageCleaner({page_url(page) for section in outline for page in section.pages()})
    articles = read_articles(site_dir, outline, cleaner)
    warnings = point_missing_anchors_at_pages(articles, catalog)
    titles = {page_url(rel): heading for rel, (heading, _) in articles.items() if heading}
    printing = Printing(catalog, articles, titles, cleaner, default_markdown())
    sections = print_sections(outline, printing)
    if printing.foreign:  # found before anything is laid out or written
        raise BinderError("\n".join(dict.fromkeys(printing.foreign)))
    return Binder(
        str(settings.get("site_name") or "Exchange DR Guide"),
        str(settings.get("site_description") or ""),
        site_version(project_dir or config.parent),
        sections,
        procedure_index(catalog, titles),
        warnings,
        symptom_index(catalog),
    )


def binder_outline(settings: dict[str, Any], catalog: Catalog) -> list[NavSection]:
    """The nav outline, plus a last section for pages an outcome points at that no nav section holds."""
    outline = nav_outline(settings, catalog.docs_dir)
    listed = {page for section in outline for page in section.pages()}
    missing = sorted(rel for rel in catalog.pages if rel not in listed)
    if missing:  # every page an outcome points at is printed
        outline.append(NavSection("More procedures", [NavPart("", missing)]))
    return outline


def read_articles(site_dir: Path, outline: list[NavSection], cleaner: PageCleaner) -> dict[str, tuple[str, ET.Element]]:
    """The heading and cleaned article of every page in the outline, read from the built site; every unreadable page is reported at once."""
    problems: list[str] = []
    articles = {}
    for rel in [page for section in outline for page in section.pages()]:
        try:
            articles[rel] = read_article(site_dir, page_url(rel), cleaner)
        except PageError as error:
            problems.append(str(error))
    if problems:
        raise BinderError("\n".join(problems))
    return articles


def print_doc(rel: str, printing: Printing) -> Doc:
    """One page as printed: its article, and for a guide page the guide from the model instead of its interactive form."""
    heading, article = printing.articles[rel]
    url = page_url(rel)
    page = read_page(printing.catalog.docs_dir, rel)
    printed = Doc(rel, url, anchor(url), heading or posixpath.basename(rel), Markup(""), {} if isinstance(page, Problem) else page.meta)
    entry = next((e for gid, e in printing.catalog.guides.items() if guide_page(gid) == rel), None)
    if entry is not None:
        parents = parents_of(article)
        for element in [e for e in article.iter() if e.get("data-guide")]:
            remove(element, parents)  # the interactive guide: printed from the model instead

        def md(text: str | None) -> Markup:
            html = clean_fragment(sanitize(printing.markdown(text or "")), url, printing.cleaner)
            printing.refuse_foreign(rel, html)
            return html

        printed.guide = guide_view(entry, printing.catalog, printing.titles, md)
        printed.title = entry.guide.title
    printed.body = serialize(article)
    printing.refuse_foreign(rel, printed.body)
    return printed


def print_sections(outline: list[NavSection], printing: Printing) -> list[Section]:
    """The outline as printed sections and parts; an index.md first in a part is its introduction."""

    def split(pages: list[str]) -> tuple[Doc | None, list[Doc]]:
        docs = [print_doc(rel, printing) for rel in pages]
        if docs and posixpath.basename(docs[0].path) == "index.md":
            return docs[0], docs[1:]
        return None, docs

    sections = []
    for nav_section in outline:
        intro = None
        parts = []
        for i, nav_part in enumerate(nav_section.parts):
            part_intro, docs = split(nav_part.pages)
            if i == 0 and not nav_part.title:
                intro, part_intro = part_intro, None
            parts.append(Part(nav_part.title, "s-" + _slug(nav_section.title, nav_part.title), part_intro, docs))
        sections.append(Section(nav_section.title, "s-" + _slug(nav_section.title), intro, parts))
    return sections


def point_missing_anchors_at_pages(articles: dict[str, tuple[str, ET.Element]], catalog: Catalog) -> list[str]:
    """Point links to an anchor no page has at the top of their page instead, and say so.

    MkDocs only notes a missing anchor (validation.anchors is "info" by default); in the PDF such
    a link would lead nowhere.
    """
    known = {anchor(page_url(rel)) for rel in articles}
    known.update(e.get("id", "") for _, article in articles.values() for e in article.iter() if e.get("id"))
    for gid, entry in catalog.guides.items():
        url = page_url(guide_page(gid))
        known.update(anchor(url, f"q-{q.id}") for q in entry.guide.questions)
        known.update(anchor(url, f"o-{o.id}") for o in entry.guide.outcomes)
    warnings = []
    for rel, (_, article) in articles.items():
        for link in article.iter("a"):
            target = link.get("href", "")
            if not target.startswith("#") or target[1:] in known:
                continue
            page, _, fragment = target[1:].partition("__")
            link.set("href", "#" + page)
            warnings.append(f"{rel}: a link goes to '#{fragment}', which its page does not have; in the binder it goes to the page")
    return warnings


# --- PDF ------------------------------------------------------------------------------------------


def local_fetcher(roots: list[Path], refused: list[str]) -> Any:
    """A WeasyPrint URL fetcher that reads data: URLs and files under ``roots``, and refuses anything else."""
    from weasyprint.urls import URLFetcher

    allowed = [root.resolve() for root in roots]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in {"", "localhost"}:
                path = Path(url2pathname(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"the binder reads local files only; refused {url}")

    return LocalOnly(allowed_protocols=("file", "data"))


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (a missing anchor, a CSS rule it ignores...) to report them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


def write_pdf(html: str, site_dir: Path, out: Path) -> tuple[list[str], list[str]]:
    """Lay out the binder and write the PDF; return the URLs refused and WeasyPrint's warnings (none for a good site).

    The PDF is written to a temporary file beside ``out`` and renamed into place only when nothing
    was refused and WeasyPrint warned of nothing, so a failed run leaves no half-right binder.
    """
    from weasyprint import CSS, HTML
    from weasyprint.logger import LOGGER

    refused: list[str] = []
    collect = _Collect()
    LOGGER.addHandler(collect)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        fetcher = local_fetcher([site_dir, BINDER_TEMPLATES], refused)
        document = HTML(string=html, base_url=site_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
        stylesheet = CSS(filename=STYLESHEET, url_fetcher=fetcher)
        document.write_pdf(temporary, stylesheets=[stylesheet])
        warnings = [m for m in collect.messages if not any(url in m for url in refused)]  # refusals are reported once, below
        if not refused and not warnings:
            os.replace(temporary, out)
    finally:
        LOGGER.removeHandler(collect)
        temporary.unlink(missing_ok=True)
    return refused, warnings


def build(
    site_dir: Path, out: Path, catalog: Catalog, config: Path, progress: Progress | None = None, profile: Profile | None = None
) -> tuple[list[str], list[str]]:
    """Write the binder PDF from a built site; return (problems, warnings), one line each.

    Any problem fails the build and writes nothing: a page missing from the site, a page that
    needs another host (named, with the address, before layout starts), a warning from WeasyPrint.
    The binder is checked as strictly as the site. ``progress`` shows the stage and page on a
    terminal (macros.progress).
    """
    progress = progress or Progress(enabled=False)
    try:
        import weasyprint  # noqa: F401 - fail early, with advice, when it or Pango is missing
    except (ImportError, OSError) as error:
        return [f"WeasyPrint cannot start ({error}); install requirements-binder.txt and Pango (README: The printed binder)"], []
    progress.stage("reading the pages of the built site")
    try:
        binder = assemble(site_dir, catalog, config)
    except BinderError as error:
        progress.close()
        return str(error).splitlines(), []
    binder.profile = profile
    progress.stage("assembling the binder")
    html = binder.render()
    with progress.follow_weasyprint():
        refused, messages = write_pdf(html, site_dir, out)
    progress.close()
    problems = [f"refused to fetch {url}: the binder, like the site, must not depend on another host" for url in sorted(set(refused))]
    problems.extend(f"WeasyPrint: {message}" for message in messages)
    return problems, binder.warnings
