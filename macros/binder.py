"""The printed DR binder: one PDF of the whole site, usable with no computer at all.

Guides are printed from the model (numbered questions whose answers name the page to turn to);
every other page is the article of the built site, cleaned for paper. A Jinja template assembles
one HTML document, WeasyPrint lays it out, and CSS ``target-counter()`` fills in the page numbers.
No MkDocs import: the binder reads ``mkdocs.yml`` as YAML and the built site as HTML.
"""

from __future__ import annotations

import posixpath
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
import yaml
from markupsafe import Markup

from .catalog import Catalog, GuideEntry, read_page
from .problems import Problem
from .render import TEMPLATES, default_markdown
from .urls import guide_page, page_url
from .version import site_version

BINDER_TEMPLATES = TEMPLATES / "binder"
STYLESHEET = BINDER_TEMPLATES / "binder.css"
# Nav sections left out of the binder: they are for people who edit the site, not for the shelf.
SKIPPED_SECTIONS = ("Authoring",)
# Answer paths listed per procedure and guide in the index; the rest are counted, never listed.
MAX_PATHS_LISTED = 12
# Elements that only make sense on a screen. Authors can add the class drg-screen-only to more.
_SCREEN_ONLY_TAGS = {"script", "style", "noscript", "template", "button", "form", "input", "select", "textarea", "nav", "iframe"}
_SCREEN_ONLY_CLASSES = {"headerlink", "md-content__button", "md-clipboard", "md-source-file", "drg-guide__toolbar", "drg-screen-only"}
_EXTERNAL = ("http:", "https:", "mailto:", "ftp:", "tel:")
_XLINK = "{http://www.w3.org/1999/xlink}"


class BinderError(Exception):
    """The binder cannot be built; the message names the file and what is wrong."""


def anchor(url: str, fragment: str = "") -> str:
    """The id, unique in the binder, of a site page (site-relative URL) or of an anchor on it."""
    page = "p-" + url.removesuffix(".html").replace("/", ".")
    return f"{page}__{fragment}" if fragment else page


# --- Which pages, in which order -------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: tags such as !ENV and !!python/name become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (only site_name and nav are used)."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - safe loader subclass
    except (OSError, yaml.YAMLError) as error:
        raise BinderError(f"{config}: cannot read: {error}") from None
    return data if isinstance(data, dict) else {}


def _nav_pages(items: Any) -> Iterator[str]:
    """Every Markdown page of a nav subtree, in order (external links are skipped)."""
    if isinstance(items, str):
        if items.endswith(".md") and "://" not in items:
            yield items
    elif isinstance(items, list):
        for item in items:
            yield from _nav_pages(item)
    elif isinstance(items, dict):
        for value in items.values():
            yield from _nav_pages(value)


def nav_sections(config: dict[str, Any], docs_dir: Path) -> list[tuple[str, list[str]]]:
    """Top-level nav sections as (title, pages); pages of a section's folder missing from the nav are added."""
    nav = config.get("nav")
    sections: list[tuple[str, list[str]]] = []
    if isinstance(nav, list):
        for item in nav:
            if isinstance(item, dict) and len(item) == 1:
                title, children = next(iter(item.items()))
                if isinstance(children, list) and str(title) not in SKIPPED_SECTIONS:
                    sections.append((str(title), list(_nav_pages(children))))
    else:  # no nav: one section per top-level folder
        for folder in sorted(p for p in docs_dir.iterdir() if p.is_dir() and p.name not in {"assets", "includes"}):
            title = folder.name.replace("-", " ").capitalize()
            if title not in SKIPPED_SECTIONS:
                sections.append((title, [f"{folder.name}/index.md"]))
    listed = {page for _, pages in sections for page in pages}
    for _, pages in sections:
        folders = {posixpath.dirname(page) for page in pages} - {""}
        for folder in sorted(folders):
            for path in sorted((docs_dir / folder).glob("*.md")):
                rel = f"{folder}/{path.name}"
                if rel not in listed:
                    pages.append(rel)
                    listed.add(rel)
    for _, pages in sections:
        pages[:] = [page for page in pages if (docs_dir / page).is_file()]
    return sections


# --- Built pages, cleaned for paper -------------------------------------------------------------


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
class Section:
    """A top-level nav section: its index page is the introduction, the other pages follow."""

    title: str
    anchor: str
    intro: Doc | None
    docs: list[Doc]


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _local(name: str) -> str:
    if name.startswith(_XLINK):
        return "xlink:" + name[len(_XLINK) :]
    return name.rsplit("}", 1)[-1]


class PageCleaner:
    """Turns the article of a built page into print HTML with binder-wide ids and links."""

    def __init__(self, site_dir: Path, printed: set[str]) -> None:
        self.site_dir = site_dir
        self.printed = printed

    def href(self, href: str, from_url: str) -> tuple[str | None, bool]:
        """Where a link goes in the binder: (new href or None to drop the link, is it internal)."""
        if href.lower().startswith(_EXTERNAL):
            return href, False
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None, False
        fragment = unquote(parts.fragment)
        if not parts.path:
            return "#" + anchor(from_url, fragment), True
        target = posixpath.normpath(posixpath.join(posixpath.dirname(from_url), unquote(parts.path)))
        if target.endswith(".md"):
            target = page_url(target)
        if target in self.printed:
            return "#" + anchor(target, fragment), True
        return None, False

    def src(self, src: str, from_url: str) -> str:
        """An image or other resource as a path relative to the site folder (the base URL of the binder)."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or src.startswith("/"):
            return src
        return posixpath.normpath(posixpath.join(posixpath.dirname(from_url), unquote(parts.path)))

    def clean(self, container: ET.Element, from_url: str) -> ET.Element:
        """Drop screen-only parts, open collapsed blocks, unfold tabs, rewrite ids and links; in place."""
        parents = {child: parent for parent in container.iter() for child in parent}
        for element in list(container.iter()):
            if not isinstance(element.tag, str):  # comments, processing instructions
                _remove(element, parents)
                continue
            element.tag = _local(element.tag)
            if element.tag in _SCREEN_ONLY_TAGS or _classes(element) & _SCREEN_ONLY_CLASSES or "hidden" in element.attrib:
                _remove(element, parents)
        for tabs in [e for e in container.iter() if "tabbed-set" in _classes(e)]:
            _unfold_tabs(tabs)
        for element in container.iter():
            for name in [n for n in element.attrib if n.startswith("{")]:
                element.set(_local(name), element.attrib.pop(name))
            if element.get("id"):
                element.set("id", anchor(from_url, element.get("id", "")))
            if element.tag == "details":
                element.set("open", "open")
            if element.tag == "img" and element.get("src"):
                element.set("src", self.src(element.get("src", ""), from_url))
            if element.tag == "a" and element.get("href") is not None:
                original = element.get("href", "")
                new, internal = self.href(original, from_url)
                if new is None:
                    del element.attrib["href"]
                    element.set("class", " ".join([*_classes(element), "drg-binder__unlinked"]))
                    continue
                element.set("href", new)
                extra = "drg-binder__xref" if internal else "drg-binder__external"
                if not internal and _text(element) in {original, original.removeprefix("mailto:")}:
                    extra = "drg-binder__bare"  # the URL is already the link text: do not print it twice
                element.set("class", " ".join([*_classes(element), extra]))
        return container


def _remove(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> None:
    """Remove an element but keep its tail text in the document."""
    parent = parents.get(element)
    if parent is None:
        return
    if element.tail and element.tail.strip():
        siblings = list(parent)
        index = siblings.index(element)
        if index:
            previous = siblings[index - 1]
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _unfold_tabs(tabs: ET.Element) -> None:
    """Print every tab of a pymdownx.tabbed set, each block under its label."""
    labels: list[ET.Element] = []
    blocks: list[ET.Element] = []
    for child in tabs.iter():
        classes = _classes(child)
        if child.tag == "label":
            labels.append(child)
        elif "tabbed-block" in classes or ("tabbed-content" in classes and not any("tabbed-block" in _classes(c) for c in child)):
            blocks.append(child)
    titles = []
    for label in labels:
        title = ET.Element("p", {"class": "drg-binder__tab"})
        title.text = label.text
        title.extend(list(label))
        titles.append(title)
    tabs.clear()
    tabs.set("class", "drg-binder__tabs")
    for title, block in zip(titles, blocks, strict=False):
        block.attrib.pop("hidden", None)
        tabs.append(title)
        tabs.append(block)


def _parse(html: str) -> ET.Element:
    import tinyhtml5

    return tinyhtml5.parse(html, namespace_html_elements=False)


def _serialize(container: ET.Element) -> Markup:
    """The children of a cleaned element as HTML (parsed and cleaned above, so trusted)."""
    container.tail = None
    parts = [container.text or ""]
    parts.extend(ET.tostring(child, method="html", encoding="unicode") for child in container)
    return Markup("".join(parts))


def fragment_html(html: str, from_url: str, cleaner: PageCleaner) -> Markup:
    """Markdown output (decision files) with links and ids rewritten like page content."""
    body = _parse(html).find("body")
    if body is None:
        return Markup("")
    return _serialize(cleaner.clean(body, from_url))


def read_article(site_dir: Path, url: str, cleaner: PageCleaner) -> tuple[str, ET.Element]:
    """The title (first h1) and cleaned article element of a built page."""
    path = site_dir / url
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BinderError(f"{path}: cannot read the built page ({error.strerror}); build the site first") from None
    root = _parse(html)
    articles = [e for e in root.iter("article") if "md-content__inner" in _classes(e)] or list(root.iter("article"))
    if not articles:
        raise BinderError(f'{path}: no <article class="md-content__inner"> element; is this a page of the built site?')
    article = articles[0]
    cleaner.clean(article, url)
    title = ""
    heading = article.find(".//h1")
    if heading is not None:
        title = _text(heading)
        parents = {child: parent for parent in article.iter() for child in parent}
        _remove(heading, parents)
    return title, article


# --- The guides, from the model -----------------------------------------------------------------


def guide_view(entry: GuideEntry, catalog: Catalog, titles: dict[str, str], md: Callable[[str | None], Markup]) -> dict[str, Any]:
    """A guide as plain data for the print template: numbered questions, outcomes, binder anchors."""
    guide, facts = entry.guide, entry.facts
    url = page_url(guide_page(guide.id))

    def procedure(rel: str) -> dict[str, str]:
        target = page_url(rel)
        return {"title": titles.get(target, catalog.pages[rel].title), "anchor": anchor(target)}

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
    questions = []
    for q in guide.questions:
        answers = []
        for a in q.answers:
            item: dict[str, Any] = {"id": a.id, "label": a.label, "explanation": md(a.explanation) if a.explanation else None}
            if a.next is not None:
                item["next"] = {"number": facts.number[a.next], "anchor": anchor(url, f"q-{a.next}")}
            else:
                item["outcome"] = outcomes[a.outcome or ""]
            answers.append(item)
        questions.append(
            {
                "id": q.id,
                "number": facts.number[q.id],
                "anchor": anchor(url, f"q-{q.id}"),
                "text": q.text,
                "help": md(q.help) if q.help else None,
                "answers": answers,
                "start": q.id == guide.start_id,
            }
        )
    start = next(q for q in questions if q["start"])
    return {
        "id": guide.id,
        "title": guide.title,
        "anchor": anchor(url),
        "introduction": md(guide.introduction),
        "start": start,
        "questions": questions,
        "outcomes": list(outcomes.values()),
        "paths": facts.paths,
        "map": decision_map(entry, catalog, url),
    }


def decision_map(entry: GuideEntry, catalog: Catalog, url: str) -> Markup | None:
    """HOOK: the guide's decision map as inline SVG from macros.diagram, once that module exists.

    ``diagram.guide_svg(entry, catalog, href)`` calls ``href(target)`` for "q-ID", "o-ID" or a
    page path such as "procedures/x.md"; here it gets the binder's internal #anchors.
    """
    try:
        from . import diagram  # type: ignore[attr-defined]
    except ImportError:
        return None

    def href(target: str) -> str:
        if target.endswith(".md"):
            return "#" + anchor(page_url(target))
        return "#" + anchor(url, target)

    return Markup(diagram.guide_svg(entry, catalog, href))


def answer_paths(entry: GuideEntry, targets: set[str], cap: int) -> tuple[list[dict[str, Any]], int]:
    """Up to ``cap`` start-to-outcome paths ending in one of ``targets`` (outcome ids), and how many exist.

    Counting is one pass over the answers; listing walks only branches that reach a target, so
    each listed path costs its length and a guide with a huge number of paths cannot explode it.
    """
    guide, facts = entry.guide, entry.facts
    by_id = {q.id: q for q in guide.questions}
    outcomes = {o.id: o.title for o in guide.outcomes}
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
    frames = [(guide.start_id, iter(by_id[guide.start_id].answers))]
    steps: list[dict[str, Any]] = []  # the answers that led to each frame but the first
    while frames and len(listed) < cap:
        qid, answers = frames[-1]
        answer = next(answers, None)
        if answer is None:
            frames.pop()
            if steps:
                steps.pop()
            continue
        step = {"number": facts.number[qid], "label": answer.label}
        if answer.next is not None:
            if reach[answer.next]:
                steps.append(step)
                frames.append((answer.next, iter(by_id[answer.next].answers)))
        elif answer.outcome in targets:
            listed.append({"steps": [*steps, step], "outcome": outcomes[answer.outcome]})
    return listed, reach.get(guide.start_id, 0)


def procedure_index(catalog: Catalog, titles: dict[str, str], cap: int = MAX_PATHS_LISTED) -> list[dict[str, Any]]:
    """For each procedure an outcome points at: per guide, the answer paths that lead to it."""
    procedures = {rel for entry in catalog.guides.values() for o in entry.guide.outcomes for rel in o.procedures}

    def title(rel: str) -> str:
        return titles.get(page_url(rel), catalog.pages[rel].title)

    index = []
    for rel in sorted(procedures, key=lambda r: title(r).lower()):
        guides = []
        for entry in catalog.guides.values():
            targets = {o.id for o in entry.guide.outcomes if rel in o.procedures}
            if targets:
                paths, total = answer_paths(entry, targets, cap)
                url = page_url(guide_page(entry.guide.id))
                guides.append(
                    {"title": entry.guide.title, "anchor": anchor(url), "paths": paths, "total": total, "more": total - len(paths)}
                )
        index.append({"title": title(rel), "anchor": anchor(page_url(rel)), "guides": guides})
    return index


# --- Assembly ----------------------------------------------------------------------------------


@dataclass
class Binder:
    """Everything the binder template needs."""

    site_name: str
    version: dict[str, str]
    sections: list[Section]
    index: list[dict[str, Any]]

    def render(self) -> str:
        """The binder as one HTML document."""
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(BINDER_TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        return env.get_template("binder.html.jinja").render(binder=self)


def assemble(site_dir: Path, catalog: Catalog, config: Path, project_dir: Path | None = None) -> Binder:
    """Collect the guides (from the model) and every page of the binder's sections (from the built site)."""
    settings = read_config(config)
    docs_dir = catalog.docs_dir
    sections = nav_sections(settings, docs_dir)
    # Every page an outcome points at is printed, even when no nav section holds it.
    listed = {page for _, pages in sections for page in pages}
    missing = sorted(rel for rel in catalog.pages if rel not in listed)
    if missing:
        sections.append(("More procedures", missing))
    cleaner = PageCleaner(site_dir, {page_url(page) for _, pages in sections for page in pages})

    problems: list[str] = []
    articles: dict[str, tuple[str, ET.Element]] = {}
    for _, pages in sections:
        for rel in pages:
            try:
                articles[rel] = read_article(site_dir, page_url(rel), cleaner)
            except BinderError as error:
                problems.append(str(error))
    if problems:
        raise BinderError("\n".join(problems))
    titles = {page_url(rel): heading for rel, (heading, _) in articles.items() if heading}
    guide_pages = {guide_page(gid): entry for gid, entry in catalog.guides.items()}
    convert = default_markdown()

    result: list[Section] = []
    for title, pages in sections:
        intro = None
        docs = []
        for rel in pages:
            heading, article = articles[rel]
            url = page_url(rel)
            page = read_page(docs_dir, rel)
            meta = {} if isinstance(page, Problem) else page.meta
            entry = guide_pages.get(rel)
            view = None
            if entry is not None:
                parents = {child: parent for parent in article.iter() for child in parent}
                for element in [e for e in article.iter() if e.get("data-guide")]:
                    _remove(element, parents)  # the interactive guide: printed from the model below

                def md(text: str | None, url: str = url) -> Markup:
                    return fragment_html(convert(text or ""), url, cleaner)

                view = guide_view(entry, catalog, titles, md)
                heading = entry.guide.title
            doc = Doc(rel, url, anchor(url), heading or posixpath.basename(rel), _serialize(article), meta, view)
            if posixpath.basename(rel) == "index.md" and intro is None and not docs:
                intro = doc
            else:
                docs.append(doc)
        result.append(Section(title, "s-" + "-".join(title.lower().split()), intro, docs))
    version = site_version(project_dir or config.parent)
    return Binder(str(settings.get("site_name") or "Exchange DR Guide"), version, result, procedure_index(catalog, titles))


# --- PDF ------------------------------------------------------------------------------------------


def local_fetcher(roots: list[Path], refused: list[str]) -> Any:
    """A WeasyPrint URL fetcher that reads files under ``roots`` and data: URLs, and refuses the rest."""
    from weasyprint.urls import URLFetcher

    allowed = [root.resolve() for root in roots]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(url2pathname(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            refused.append(url)
            raise ValueError(f"the binder reads local files only, refused {url}")

    return LocalOnly(allowed_protocols=("file", "data"))


def write_pdf(html: str, site_dir: Path, out: Path) -> list[str]:
    """Lay out the binder HTML and write the PDF; return the URLs refused (none for a good site)."""
    from weasyprint import CSS, HTML

    refused: list[str] = []
    fetcher = local_fetcher([site_dir, BINDER_TEMPLATES], refused)
    document = HTML(string=html, base_url=site_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=STYLESHEET, url_fetcher=fetcher)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(out, stylesheets=[stylesheet])
    return refused


def build(site_dir: Path, out: Path, catalog: Catalog, config: Path) -> int:
    """Build the binder PDF from a built site; 0 on success, 1 with messages on stderr otherwise."""
    try:
        binder = assemble(site_dir, catalog, config)
    except BinderError as error:
        print(f"binder: {error}", file=sys.stderr)  # noqa: T201 - command-line report
        return 1
    refused = write_pdf(binder.render(), site_dir, out)
    if refused:
        for url in sorted(set(refused)):
            print(f"binder: refused to fetch {url}: the binder (and the site) must not depend on another host", file=sys.stderr)  # noqa: T201
        return 1
    return 0
