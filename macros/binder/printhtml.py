"""Pages of the built site, cleaned for paper: the binder's view of one HTML page.

A real HTML parser (tinyhtml5, the one WeasyPrint uses) reads each page; the article element is
kept, screen-only parts are dropped, collapsed blocks and tabs are opened, and every id and link
is rewritten so that a link between site pages becomes a link inside the one binder document.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from ..engine.urls import page_url

# Elements that only make sense on a screen. Authors can add the class drg-screen-only to more.
SCREEN_ONLY_TAGS = frozenset({"script", "style", "noscript", "template", "button", "form", "input", "select", "textarea", "nav", "iframe"})
SCREEN_ONLY_CLASSES = frozenset(
    {"headerlink", "md-content__button", "md-clipboard", "md-source-file", "footnote-backref", "drg-guide__toolbar", "drg-screen-only"}
)
_EXTERNAL = ("http:", "https:", "mailto:", "ftp:", "tel:")
_XLINK = "{http://www.w3.org/1999/xlink}"


class PageError(Exception):
    """A built page cannot be read for the binder; the message names the file."""


def anchor(url: str, fragment: str = "") -> str:
    """The id, unique in the binder, of a site page (site-relative URL) or of an anchor on it."""
    page = "p-" + url.removesuffix(".html").replace("/", ".")
    return f"{page}__{fragment}" if fragment else page


def classes(element: ET.Element) -> set[str]:
    """The element's class names."""
    return set((element.get("class") or "").split())


def text_of(element: ET.Element) -> str:
    """The element's text with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def _local(name: str) -> str:
    if name.startswith(_XLINK):
        return "xlink:" + name[len(_XLINK) :]
    return name.rsplit("}", 1)[-1]


def _add_class(element: ET.Element, name: str) -> None:
    element.set("class", " ".join([*(element.get("class") or "").split(), name]))


def remove(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> None:
    """Remove an element from its parent, keeping the text that follows it."""
    parent = parents.get(element)
    if parent is None:
        return
    if element.tail and element.tail.strip():
        siblings = list(parent)
        index = siblings.index(element)
        if index:
            siblings[index - 1].tail = (siblings[index - 1].tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def parents_of(root: ET.Element) -> dict[ET.Element, ET.Element]:
    """Each element's parent (ElementTree keeps no parent pointers)."""
    return {child: parent for parent in root.iter() for child in parent}


def unwrap(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> None:
    """Replace an element by its content (text and children) in its parent."""
    parent = parents.get(element)
    if parent is None:
        return
    index = list(parent).index(element)
    children = list(element)
    before = parent[index - 1] if index else None

    def append_text(text: str, after: ET.Element | None) -> None:
        if after is not None:
            after.tail = (after.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    parent.remove(element)
    append_text(element.text or "", before)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
        parents[child] = parent
    append_text(element.tail or "", children[-1] if children else before)


def _unfold_tabs(tabs: ET.Element) -> None:
    """Print every tab of a pymdownx.tabbed set, each block under its label."""
    labels = [e for e in tabs.iter() if e.tag == "label"]
    blocks = [e for e in tabs.iter() if "tabbed-block" in classes(e)]
    if not blocks:  # the older markup: one tabbed-content per label
        blocks = [e for e in tabs.iter() if "tabbed-content" in classes(e)]
    titles = []
    for label in labels:
        title = ET.Element("p", {"class": "drg-binder__tab"})
        title.text = label.text
        title.extend(list(label))
        titles.append(title)
    tabs.clear()
    tabs.set("class", "drg-binder__tabs")
    for title, block in zip(titles, blocks, strict=False):
        tabs.append(title)
        tabs.append(block)


class PageCleaner:
    """Turns built HTML into print HTML with binder-wide ids and links."""

    def __init__(self, printed: set[str]) -> None:
        self.printed = printed  # site-relative URLs of the pages in the binder

    def href(self, href: str, from_url: str) -> tuple[str | None, str]:
        """Where a link goes in the binder, and its kind: 'local' (same page), 'xref', 'external' or 'gone'."""
        if href.lower().startswith(_EXTERNAL):
            return href, "external"
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None, "gone"
        fragment = unquote(parts.fragment)
        if not parts.path:
            return "#" + anchor(from_url, fragment), "local"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(from_url), unquote(parts.path)))
        if target.endswith(".md"):
            target = page_url(target)
        if target in self.printed:
            return "#" + anchor(target, fragment), "xref"
        return None, "gone"

    def clean(self, container: ET.Element, from_url: str) -> ET.Element:
        """Drop screen-only parts, open collapsed blocks, unfold tabs, rewrite ids, links and images; in place."""
        parents = parents_of(container)
        for element in list(container.iter()):
            if not isinstance(element.tag, str):  # comments, processing instructions
                remove(element, parents)
                continue
            element.tag = _local(element.tag)
            if element.tag in SCREEN_ONLY_TAGS or classes(element) & SCREEN_ONLY_CLASSES or "hidden" in element.attrib:
                remove(element, parents)
        for tabs in [e for e in container.iter() if "tabbed-set" in classes(e)]:
            _unfold_tabs(tabs)
        # Plain text in code blocks and no <abbr> wrappers: fewer boxes to lay out, and the
        # colours of syntax highlighting do not survive a black and white printer anyway.
        for block in container.iter("pre"):
            code = next(block.iter("code"), block)
            code.text = "".join(code.itertext())
            for child in list(code):
                code.remove(child)
        parents = parents_of(container)
        for element in list(container.iter("abbr")):
            unwrap(element, parents)
        for element in container.iter():
            for name in [n for n in element.attrib if n.startswith("{")]:
                element.set(_local(name), element.attrib.pop(name))
            if element.get("id"):
                element.set("id", anchor(from_url, element.get("id", "")))
            if element.tag == "details":
                element.set("open", "open")
            elif element.tag == "img" and element.get("src"):
                src = element.get("src", "")
                parts = urlsplit(src)
                if not (parts.scheme or parts.netloc or src.startswith("/")):  # relative to the site folder, the binder's base
                    element.set("src", posixpath.normpath(posixpath.join(posixpath.dirname(from_url), unquote(parts.path))))
            elif element.tag == "a" and element.get("href") is not None:
                original = element.get("href", "")
                new, kind = self.href(original, from_url)
                if new is None:
                    del element.attrib["href"]
                    _add_class(element, "drg-binder__unlinked")
                    continue
                element.set("href", new)
                if kind == "external" and text_of(element) in {original, original.removeprefix("mailto:")}:
                    kind = "bare"  # the address is already the link text: do not print it twice
                _add_class(element, f"drg-binder__{kind}")
        return container


def parse(html: str) -> ET.Element:
    """An HTML document as an ElementTree, parsed the way browsers (and WeasyPrint) parse it."""
    import tinyhtml5

    return tinyhtml5.parse(html, namespace_html_elements=False)


def serialize(container: ET.Element) -> Markup:
    """The content of a cleaned element as HTML (parsed and cleaned above, so safe to insert)."""
    parts = [Markup.escape(container.text or "")]
    for child in container:
        parts.append(Markup(ET.tostring(child, method="html", encoding="unicode")))
    return Markup("").join(parts)


def clean_fragment(html: str, from_url: str, cleaner: PageCleaner) -> Markup:
    """HTML converted from Markdown outside MkDocs (decision files), with ids and links rewritten like pages."""
    body = parse(html).find("body")
    return serialize(cleaner.clean(body, from_url)) if body is not None else Markup("")


class _ArticleFinder(HTMLParser):
    """Where a page's main article starts and ends, found by a tokenizer (so a comment, a script
    or an attribute that mentions the element cannot fool it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "article" or self.end is not None:
            return
        if self.start is None:
            if "md-content__inner" in (dict(attrs).get("class") or "").split():
                self.start, self._depth = self.getpos(), 1
        else:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.start is not None and self.end is None:
            self._depth -= 1
            if not self._depth:
                self.end = self.getpos()


def _article_source(html: str) -> str:
    """The article element's source, or the whole page when it has no main article.

    The theme's navigation is most of every page; parsing only the article halves the binder's
    reading time.
    """
    finder = _ArticleFinder()
    finder.feed(html)
    finder.close()
    if finder.start is None or finder.end is None:
        return html
    offsets = [0]  # where each line starts; HTMLParser counts lines by "\n" alone
    for line in html.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    start = offsets[finder.start[0] - 1] + finder.start[1]
    end = offsets[finder.end[0] - 1] + finder.end[1]
    return html[start : html.index(">", end) + 1]


def read_article(site_dir: Path, url: str, cleaner: PageCleaner) -> tuple[str, ET.Element]:
    """The title (first h1, removed) and the cleaned article element of a built page."""
    path = site_dir / url
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PageError(f"{path}: cannot read the built page ({error.strerror}); build the site first") from None
    root = parse(_article_source(html))
    articles = [e for e in root.iter("article") if "md-content__inner" in classes(e)] or list(root.iter("article"))
    if not articles:
        raise PageError(f'{path}: no <article class="md-content__inner"> element; is this a page of the built site?')
    article = articles[0]
    cleaner.clean(article, url)
    title = ""
    heading = next(article.iter("h1"), None)
    if heading is not None:
        title = text_of(heading)
        remove(heading, parents_of(article))
    return title, article
