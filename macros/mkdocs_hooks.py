"""MkDocs hooks of the adapter (listed under hooks: in mkdocs.yml): finish each page after Markdown
(its guides in their slots, its Sources section out of the search index), give procedure pages a
search boost, and drop the build's state when the build ends."""

from __future__ import annotations

from typing import Any

# The key under which define_env (macros/__init__.py) keeps the build's GuideBuild in the config.
# Written out, not imported: MkDocs loads this file by path, outside its package.
BUILD_KEY = "drg_build"

# Pages that are run step by step rank above pages that mention the same commands in passing.
PROCEDURE_FOLDERS = ("procedures/", "planning/")
PROCEDURE_BOOST = 4


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Give procedure pages a search boost (Material's `search: boost:`) unless their front matter sets one."""
    if page.file.src_uri.startswith(PROCEDURE_FOLDERS) and not page.file.src_uri.endswith("index.md"):
        search = page.meta.setdefault("search", {})
        if isinstance(search, dict):
            search.setdefault("boost", PROCEDURE_BOOST)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put each guide rendered by the guide() macro into the page, after Markdown has run; keep Sources out of search."""
    from mkdocs.exceptions import PluginError

    build = config.get(BUILD_KEY)
    if build is None:
        return html
    try:
        return build.finish_page(html)  # type: ignore[no-any-return]
    except LookupError as error:  # UnfilledSlot
        raise PluginError(f"{page.file.src_uri}: {error}") from None


def on_post_build(config: Any) -> None:
    """Drop the build's state: the next build (mkdocs serve) starts from nothing."""
    config.pop(BUILD_KEY, None)
