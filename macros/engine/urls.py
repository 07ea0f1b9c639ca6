"""Page paths to URLs, the way MkDocs maps them with use_directory_urls: false (needed for file://)."""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath


def page_url(rel: str) -> str:
    """Site-relative URL of a page under docs/: 'procedures/x.md' -> 'procedures/x.html'."""
    path = PurePosixPath(rel)
    if path.stem == "README":
        path = path.with_name("index.md")
    return str(path.with_suffix(".html"))


def guide_page(guide_id: str) -> str:
    """Where the page of a guide lives under docs/ (one page per guide, named after its id)."""
    return f"guides/{guide_id}.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from one site-relative page URL to another, as a relative URL."""
    start = posixpath.dirname(from_url) or "."
    target, _, fragment = to_url.partition("#")
    rel = posixpath.relpath(target, start)
    return f"{rel}#{fragment}" if fragment else rel
