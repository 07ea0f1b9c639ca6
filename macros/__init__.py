"""The thin adapter between mkdocs-macros and the decision engine.

Everything else in this package is renderer-neutral; only this file and mkdocs_hooks.py know
MkDocs. To move to another renderer, replace these two and keep the engine.

The build's state (a ``GuideBuild``: the catalog, the command catalogue and its check, the
renderer and its diagram cache, the guides awaiting their slots) is created here when MkDocs
configures a build and kept in that build's config under BUILD_KEY; mkdocs_hooks.py fills the
slots and drops it when the build ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

BUILD_KEY = "drg_build"


def define_env(env: Any) -> None:
    """Check every decision file and every command once at build start; register the macros."""
    import markdown
    from mkdocs.exceptions import PluginError

    from . import reseed
    from .buildstate import BuildError, GuideBuild
    from .diagram import DiagramError
    from .render import PageIndexError, UnknownGuide

    conf = env.conf
    project = Path(env.project_dir)
    if conf["use_directory_urls"]:
        raise PluginError("mkdocs.yml: use_directory_urls must be false so the site works from file://")
    hooks = [Path(str(hook)).name for hook in conf.get("hooks") or []]
    if "mkdocs_hooks.py" not in hooks:
        raise PluginError("mkdocs.yml: add macros/mkdocs_hooks.py under hooks: (it puts the rendered guides into their pages)")

    converter = markdown.Markdown(extensions=conf["markdown_extensions"], extension_configs=conf["mdx_configs"])

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    # The command catalogue is named in mkdocs.yml (extra: drg_command_catalogue); a site without
    # one (the tests' tiny sites, the benchmark's generated site) has no command check.
    catalogue = conf["extra"].get("drg_command_catalogue")
    try:
        build = GuideBuild.start(project, Path(conf["docs_dir"]), convert, conf.get("site_url") or "", catalogue and str(catalogue))
    except BuildError as error:
        raise PluginError(str(error)) from None
    # The macros below look the state up in the config rather than hold it, so that nothing keeps
    # it once mkdocs_hooks.on_post_build has dropped it.
    conf[BUILD_KEY] = build
    conf["extra"]["drg_version"] = build.version  # for the theme templates (overrides/main.html)

    @env.macro
    def page_index(folder: str) -> str:
        """A table of the pages in a docs folder, from their front matter (title, versions, duration)."""
        try:
            return conf[BUILD_KEY].renderer.page_index(folder, env.page.url)
        except PageIndexError as error:
            raise PluginError(str(error)) from None

    @env.macro
    def reseed_table(indent: int = 0) -> str:
        """The re-seed time table (sizes by line rates) in Markdown, every cell from macros/reseed.py."""
        return conf[BUILD_KEY].renderer.reseed_table(indent)  # type: ignore[no-any-return]

    @env.macro
    def reseed_assumption() -> str:
        """The one stated assumption behind every re-seed time on the site."""
        return reseed.ASSUMPTION

    @env.macro
    def symptom_index() -> str:
        """The symptom index: every symptom of the decision files, with links into the guides."""
        return conf[BUILD_KEY].renderer.symptom_index(env.page.url)  # type: ignore[no-any-return]

    @env.macro
    def command_reference() -> str:
        """The Command reference: every catalogued command, its parameters, versions, sources and pages."""
        try:
            return conf[BUILD_KEY].command_reference(env.page.url)
        except LookupError as error:
            raise PluginError(f"{env.page.file.src_uri}: {error}") from None

    @env.macro
    def guide(guide_id: str) -> str:
        """Render the guide with this id (a decision file in decisions/) on the current page."""
        if env.variables.get("drg_render_guides") is False:
            return ""
        try:
            return conf[BUILD_KEY].slot(guide_id, env.page.url)
        except (UnknownGuide, DiagramError) as error:
            raise PluginError(f"{env.page.file.src_uri}: {error}") from None
