"""MkDocs hooks of the adapter (listed under hooks: in mkdocs.yml): fill in the rendered guides,
keep each page's Sources section out of the search index, and refuse pages that need another host."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

# MkDocs loads this file by path. Import its package the way mkdocs-macros does (the project
# folder on sys.path, then import by name), so both share one module and its rendered guides.
_PROJECT = str(Path(__file__).resolve().parent.parent)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)
macros = importlib.import_module("macros")

# A page's Sources section names every command its sources are about, so a search for a command
# found pages that only cite it before the procedure that runs it. Material's search skips a
# section whose heading has data-search-exclude; the heading's id is the one Markdown gives it.
_SOURCES = re.compile(r'<h2 id="sources"(?=[\s>])')


# Pages that are run step by step rank above pages that mention the same commands in passing.
PROCEDURE_FOLDERS = ("procedures/", "planning/")
PROCEDURE_BOOST = 4


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Give procedure pages a search boost (Material's `search: boost:`) unless their front matter sets one."""
    if page.file.src_uri.startswith(PROCEDURE_FOLDERS) and not page.file.src_uri.endswith("index.md"):
        search = page.meta.setdefault("search", {})
        if isinstance(search, dict):
            search.setdefault("boost", PROCEDURE_BOOST)
    # An organisation's build: the profile's candidates for this page's placeholders (overrides/main.html).
    offered = macros.profile_choices(page.meta.get("placeholders"))
    if offered:
        page.meta["drg_profile_choices"] = offered
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put each guide rendered by the guide() macro into the page, after Markdown has run."""
    return _SOURCES.sub('<h2 id="sources" data-search-exclude', macros.fill_slots(html), count=1)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Refuse a page that would make the browser request another host, before it is written."""
    macros.check_page(output, page.file.src_uri)
    return output


def on_post_build(config: Any) -> None:
    """Refuse a style sheet that would load from another host (pages are checked one by one above)."""
    macros.check_stylesheets(Path(config["site_dir"]))
