"""MkDocs hooks of the adapter (listed under hooks: in mkdocs.yml): fill in the rendered guides, then drop the build's state."""

from __future__ import annotations

from typing import Any

# The key under which define_env (macros/__init__.py) keeps the build's GuideBuild in the config.
# Written out, not imported: MkDocs loads this file by path, outside its package.
BUILD_KEY = "drg_build"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put each guide rendered by the guide() macro into the page, after Markdown has run."""
    from mkdocs.exceptions import PluginError

    build = config.get(BUILD_KEY)
    if build is None:
        return html
    try:
        return build.fill_slots(html)  # type: ignore[no-any-return]
    except LookupError as error:  # UnfilledSlot
        raise PluginError(f"{page.file.src_uri}: {error}") from None


def on_post_build(config: Any) -> None:
    """Drop the build's state: the next build (mkdocs serve) starts from nothing."""
    config.pop(BUILD_KEY, None)
