"""MkDocs hooks of the adapter (listed under hooks: in mkdocs.yml): finish each page after Markdown
(its guides in their slots, its Sources section out of the search index), give procedure pages a
search boost, refuse pages that need another host, and drop the build's state when the build ends."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

# MkDocs loads this file by path. Import its package the way mkdocs-macros does (the project
# folder on sys.path, then import by name), for the checks the adapter shares with the macros.
# The build's state is not in the package: define_env keeps it in the build's config.
_PROJECT = str(Path(__file__).resolve().parent.parent.parent)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)
macros = importlib.import_module("macros.adapters.mkdocs")

# The key under which define_env (macros/adapters/mkdocs.py) keeps the build's GuideBuild in the config.
BUILD_KEY = macros.BUILD_KEY

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
    build = config.get(BUILD_KEY)
    offered = build.profile_choices(page.meta.get("placeholders")) if build is not None else None
    if offered:
        page.meta["drg_profile_choices"] = offered
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put each guide rendered by the guide() macro into the page, after Markdown has run; keep Sources out of search."""
    from mkdocs.exceptions import PluginError

    from macros.html.buildstate import MacroFailed, UnfilledSlot

    build = config.get(BUILD_KEY)
    if build is None:
        return html
    try:
        return build.finish_page(html)  # type: ignore[no-any-return]
    except MacroFailed as error:
        raise PluginError(str(error)) from None
    except UnfilledSlot as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Refuse a page that would make the browser request another host, before it is written."""
    macros.check_page(output, page.file.src_uri)
    return output


def on_post_build(config: Any) -> None:
    """Refuse a style sheet that would load from another host (pages are checked one by one above); drop the build's state."""
    config.pop(BUILD_KEY, None)  # the next build (mkdocs serve) starts from nothing
    macros.check_stylesheets(Path(config["site_dir"]))
