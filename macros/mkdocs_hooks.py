"""MkDocs hooks of the adapter (listed under hooks: in mkdocs.yml): fill in the rendered guides, check pages."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

# MkDocs loads this file by path. Import its package the way mkdocs-macros does (the project
# folder on sys.path, then import by name), so both share one module and its rendered guides.
_PROJECT = str(Path(__file__).resolve().parent.parent)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)
macros = importlib.import_module("macros")


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put each guide rendered by the guide() macro into the page, after Markdown has run."""
    return macros.fill_slots(html)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Refuse a page that would make the browser request another host, before it is written."""
    macros.check_page(output, page.file.src_uri)
    return output


def on_post_build(config: Any) -> None:
    """Refuse a style sheet that would load from another host (pages are checked one by one above)."""
    macros.check_stylesheets(Path(config["site_dir"]))
