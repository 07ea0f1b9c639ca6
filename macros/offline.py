"""Find what in a page would make a browser contact another host, or run a link as script.

The site must work from a file share or USB stick with no other host reachable, and a page
must not leak its readers to one: images, scripts, styles, frames, media, fonts in CSS and
refresh redirects are all requests made without a click. The site build (macros/mkdocs_hooks.py)
and the binder refuse any page with one, naming the page and the address.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes whose URL the browser loads on its own, by element (None: any element).
_LOADED = {
    "src": None,
    "poster": {"video"},
    "data": {"object"},
    "background": None,
    "href": {"link", "image", "use", "feimage", "base"},
    "xlink:href": {"image", "use", "feimage"},
    "srcset": {"img", "source"},
    "imagesrcset": {"link"},
}
# <link rel=...> values that only name a page and load nothing.
_LINK_NOT_LOADED = {"canonical", "alternate", "author", "help", "license", "next", "prev", "search", "bookmark", "me"}
# url(...) and every quoted string: image-set("...") and @import "..." load plain strings too.
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))\s*\)|"([^"]*)"|'([^']*)'""", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
# Schemes a browser always resolves to a host, even written without '//' (https:evil.example).
_SPECIAL = {"http", "https", "ftp", "ws", "wss"}
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s]+)", re.IGNORECASE)
_SCRIPT_SCHEMES = {"javascript", "vbscript"}


def elsewhere(url: str) -> bool:
    """True when loading ``url`` contacts a host (a network address, or a host in a file: URL)."""
    # Browsers drop whitespace and controls inside URLs and read '\\' as '/' (so \\\\host is //host).
    cleaned = "".join(url.split()).replace("\\", "/")
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return True  # unparseable: a browser might still try it
    scheme = parts.scheme.lower()
    if scheme in {"data", "blob", "about"}:
        return False
    if scheme in _SPECIAL:
        return True
    return bool(parts.netloc) and not (scheme == "file" and parts.netloc.lower() == "localhost")


def _scheme(url: str) -> str:
    cleaned = "".join(url.split()).replace("\\", "/")
    return cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""


def _css_unescape(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return match.group(2)


def css_urls(css: str) -> list[str]:
    """Every url(...) and quoted string of a piece of CSS (CSS escapes decoded): what it may load."""
    css = _CSS_ESCAPE.sub(_css_unescape, css)
    return [next(group for group in match.groups() if group is not None) for match in _CSS_URL.finditer(css)]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def _load(self, url: str, what: str) -> None:
        if elsewhere(url):
            self.found.append(f"{what} loads {url.strip()} from another host")
        elif _scheme(url) in _SCRIPT_SCHEMES:
            self.found.append(f"{what} runs {url.strip()[:80]} as script")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        rel = set(values.get("rel", "").lower().split())
        for name, value in values.items():
            if name.startswith("on"):
                continue  # event handlers are the sanitiser's business; they make no request by themselves
            elements = _LOADED.get(name, set())
            if elements is not None and tag not in elements:
                if name in {"href", "action", "formaction"} and _scheme(value) in _SCRIPT_SCHEMES:
                    self.found.append(f"<{tag} {name}> runs {value.strip()[:80]} as script")
                continue
            if tag == "link" and name == "href" and rel and rel <= _LINK_NOT_LOADED:
                continue
            if name in {"srcset", "imagesrcset"}:
                for candidate in value.split(","):
                    if candidate.split():
                        self._load(candidate.split()[0], f"<{tag} {name}>")
            else:
                self._load(value, f"<{tag} {name}>")
        if "srcdoc" in values:  # a frame's whole document, written in the attribute
            self.found.extend(f"<{tag} srcdoc> {item}" for item in foreign_requests(values["srcdoc"]))
        if "style" in values:
            for url in css_urls(values["style"]):
                self._load(url, f"<{tag} style>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH_URL.search(values.get("content", ""))
            if match:
                self._load(match.group(1), "<meta refresh>")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for url in css_urls(data):
                self._load(url, "<style>")


def foreign_requests(html: str) -> list[str]:
    """What in the page would contact another host (or run a link as script), one line each, in page order."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return list(dict.fromkeys(scanner.found))


def foreign_css(css: str) -> list[str]:
    """What in a style sheet would load from another host (url() and @import), one line each."""
    return list(dict.fromkeys(f"loads {url.strip()} from another host" for url in css_urls(css) if elsewhere(url)))
