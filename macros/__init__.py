"""The Exchange DR Guide engine, in layers: engine/ (decision files and checks), html/ (guides,
maps, pages), binder/ (the printed PDF) and adapters/ (MkDocs, Zensical). ``python -m macros`` is
the command line.

mkdocs-macros imports this package (``module_name: macros`` in mkdocs.yml) and calls what it
finds here; the MkDocs adapter (adapters/mkdocs.py) does the work, imported only then, so the
command line never loads it.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Hand mkdocs-macros' call on to the MkDocs adapter (macros/adapters/mkdocs.py)."""
    from .adapters.mkdocs import define_env as mkdocs_define_env

    mkdocs_define_env(env)


def on_pre_page_macros(env: Any) -> None:
    """Hand mkdocs-macros' call before each page's macros on to the MkDocs adapter."""
    from .adapters.mkdocs import on_pre_page_macros as mkdocs_on_pre_page_macros

    mkdocs_on_pre_page_macros(env)
