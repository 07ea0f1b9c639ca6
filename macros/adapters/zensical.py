"""The thin adapter between Zensical and the decision engine (mkdocs-zensical.yml; MkDocs has mkdocs.py beside it).

Zensical reads mkdocs.yml, runs mkdocs-macros modules through its own Markdown extension
(``zensical.extensions.macros``) and runs no MkDocs hooks. So this adapter is two things:

- ``define_env``, which Zensical's macros extension calls before it renders each page (not once
  per build: there is no build-start event on the Python side). The first call of a build
  creates the build's ``GuideBuild`` and keeps it in that build's config under BUILD_KEY; later
  calls reuse it while the decision files and pages are unchanged (``zensical serve``).
- ``makeExtension``, a Markdown extension (listed under markdown_extensions) whose
  postprocessor finishes each page after Markdown, as mkdocs_hooks.py does for MkDocs.

Zensical must import this module by name (``modules: [macros.adapters.zensical]`` with the
project folder on PYTHONPATH): its ``module_name`` loads a package's ``__init__.py`` by path,
where the engine's relative imports fail.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from ..engine import reseed
from ..engine.catalog import Unpublished
from ..html.buildstate import BuildError, GuideBuild
from ..html.diagram import DiagramError
from ..html.render import PageIndexError, UnknownGuide

BUILD_KEY = "drg_build"
EXTENSION = "macros.adapters.zensical"
# Zensical's own extensions that must not run again on the Markdown fragments of a guide.
_NOT_FOR_FRAGMENTS = ("zensical.extensions.macros", "zensical.extensions.context", EXTENSION)
# Zensical may call into Python for several pages at once: one build's state is made once, and
# its renderer (one Markdown converter, one diagram cache) renders one guide at a time.
_ONE_AT_A_TIME = threading.RLock()


class GuideBuildError(Exception):
    """The guides cannot be built; the message names the file, line and problem."""


def _catalogue(conf: dict[str, Any]) -> str | None:
    """The command catalogue the site names (extra: drg_command_catalogue), if any."""
    catalogue = (conf.get("extra") or {}).get("drg_command_catalogue")
    return str(catalogue) if catalogue else None


def _fingerprint(project: Path, docs_dir: Path, catalogue: str | None) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every decision file, page and the catalogue: a change means a new build's state."""
    files = sorted([*(project / "decisions").glob("*.y*ml"), *docs_dir.rglob("*.md"), *([project / catalogue] if catalogue else [])])
    return tuple((str(path), (stat := path.stat()).st_size, stat.st_mtime_ns) for path in files)


def _fragment_markdown(conf: dict[str, Any]) -> markdown.Markdown:
    """A Markdown converter with the site's extensions but Zensical's page machinery and this adapter."""
    extensions = [
        ext for ext in conf["markdown_extensions"] if (ext if isinstance(ext, str) else getattr(ext, "name", "")) not in _NOT_FOR_FRAGMENTS
    ]
    configs = {name: value for name, value in conf["mdx_configs"].items() if name not in _NOT_FOR_FRAGMENTS}
    if "footnotes" in extensions:  # as the MkDocs adapter: each fragment's footnotes keep their own ids
        configs["footnotes"] = {**configs.get("footnotes", {}), "UNIQUE_IDS": True}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def _unpublished(conf: dict[str, Any]) -> Unpublished:
    """exclude_docs and draft_docs, which Zensical keeps as the text of mkdocs.yml."""
    import pathspec

    specs = [conf.get(key) for key in ("exclude_docs", "draft_docs")]
    return Unpublished(*(pathspec.GitIgnoreSpec.from_lines(spec.splitlines()) if isinstance(spec, str) else None for spec in specs))


def current_build(conf: dict[str, Any]) -> GuideBuild:
    """This build's state, created on the first page of a build or when a decision file or page changed."""
    project = Path(conf["root_dir"]).resolve()
    docs_dir = (project / conf["docs_dir"]).resolve()
    fingerprint = _fingerprint(project, docs_dir, _catalogue(conf))
    with _ONE_AT_A_TIME:
        kept = conf.get(BUILD_KEY)
        if kept is not None and kept[0] == fingerprint:
            return kept[1]  # type: ignore[no-any-return]
        build = _start(conf, project, docs_dir)
        conf[BUILD_KEY] = (fingerprint, build)
        return build


def _start(conf: dict[str, Any], project: Path, docs_dir: Path) -> GuideBuild:
    """A new build's state, after checking that the config can show guides at all."""
    if conf.get("use_directory_urls"):
        raise GuideBuildError("mkdocs.yml: use_directory_urls must be false so the site works from file://")
    if EXTENSION not in [ext for ext in conf["markdown_extensions"] if isinstance(ext, str)]:
        raise GuideBuildError(
            f"mkdocs-zensical.yml: add {EXTENSION} under markdown_extensions: (it puts the rendered guides into their pages)"
        )
    converter = _fragment_markdown(conf)

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    conf.pop(BUILD_KEY, None)  # the previous build's state goes before the next is made
    try:
        unpublished = _unpublished(conf)
        return GuideBuild.start(project, docs_dir, convert, conf.get("site_url") or "", _catalogue(conf), unpublished)
    except BuildError as error:
        raise GuideBuildError(str(error)) from None


def define_env(env: Any) -> None:
    """Register the guide macros for the page Zensical is about to render."""
    conf = env.conf
    build = current_build(conf)
    env.variables["drg_version"] = build.version

    @env.macro
    def page_index(folder: str) -> str:
        """A table of the pages in a docs folder, from their front matter (title, versions, duration)."""
        try:
            with _ONE_AT_A_TIME:
                return current_build(conf).renderer.page_index(folder, env.page.url)
        except PageIndexError as error:
            raise GuideBuildError(str(error)) from None

    @env.macro
    def reseed_table(indent: int = 0) -> str:
        """The re-seed time table (sizes by line rates) in Markdown, every cell from macros/engine/reseed.py."""
        with _ONE_AT_A_TIME:
            return current_build(conf).renderer.reseed_table(indent)  # type: ignore[no-any-return]

    @env.macro
    def reseed_assumption() -> str:
        """The one stated assumption behind every re-seed time on the site."""
        return reseed.ASSUMPTION

    @env.macro
    def symptom_index() -> str:
        """The symptom index: every symptom of the decision files, with links into the guides."""
        with _ONE_AT_A_TIME:
            return current_build(conf).renderer.symptom_index(env.page.url)  # type: ignore[no-any-return]

    @env.macro
    def command_reference() -> str:
        """The Command reference: every catalogued command, its parameters, versions, sources and pages."""
        try:
            with _ONE_AT_A_TIME:
                return current_build(conf).command_reference(env.page.url)
        except LookupError as error:
            raise GuideBuildError(f"{env.page.path}: {error}") from None

    @env.macro
    def guide(guide_id: str) -> str:
        """Render the guide with this id (a decision file in decisions/) on the current page."""
        if (conf.get("extra") or {}).get("drg_render_guides") is False:
            return ""
        try:
            with _ONE_AT_A_TIME:
                return current_build(conf).slot(guide_id, env.page.url)
        except (UnknownGuide, DiagramError) as error:
            raise GuideBuildError(f"{env.page.path}: {error}") from None


class _FillSlots(Postprocessor):
    """After Markdown: put the guides rendered on this page into their slots."""

    def run(self, text: str) -> str:
        from zensical.extensions.context import ContextPreprocessor

        context = ContextPreprocessor.from_markdown(self.md)
        kept = context.config.get(BUILD_KEY) if context is not None else None
        if kept is None:
            return text
        try:
            with _ONE_AT_A_TIME:
                return kept[1].finish_page(text)  # type: ignore[no-any-return]
        except BuildError as error:  # a failed macro, a slot of no guide
            raise GuideBuildError(f"{context.page.path if context else '?'}: {error}") from None


class GuideSlotsExtension(Extension):
    """Registers the slot-filling postprocessor, after Markdown has put raw HTML back (priority 30)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Add the postprocessor to this page's Markdown."""
        md.postprocessors.register(_FillSlots(md), "drg_guide_slots", 5)


def makeExtension(**kwargs: Any) -> GuideSlotsExtension:
    """The extension Python-Markdown loads for 'macros.adapters.zensical'."""
    return GuideSlotsExtension(**kwargs)
