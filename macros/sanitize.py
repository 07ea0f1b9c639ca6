"""Sanitise the HTML that Markdown makes of decision-file fields, with nh3 (the Ammonia sanitiser).

Markdown passes raw HTML through, so ``help: <script>...`` or ``[x](javascript:...)`` in a
decision file would reach the published page. Every fragment is cleaned after conversion:
only the elements and attributes that Markdown and the site's extensions produce are kept;
scripts, styles, event handlers, iframes and forms are dropped, and links may only be
relative, http(s) or mailto (no ``javascript:`` or ``data:``).
"""

from __future__ import annotations

import nh3

_TAGS = {
    *("p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var"),
    *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "abbr", "q", "cite"),
    *("a", "img", "ul", "ol", "li", "dl", "dt", "dd", "details", "summary"),
    *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "li": {"value"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style"},
    "details": {"open"},
    "abbr": {"title"},
}
_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """The HTML with everything that could run script or load from a hidden place removed."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},  # Markdown tables align columns this way
    )
