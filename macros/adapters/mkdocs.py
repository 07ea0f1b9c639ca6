"""The MkDocs adapter, first half: what mkdocs-macros calls (macros/__init__.py hands it on).

Everything outside macros/adapters/ is renderer-neutral; only this file and mkdocs_hooks.py know
MkDocs (zensical.py is the Zensical adapter). The build's state (a ``GuideBuild``: the catalog,
the command catalogue and its check, the renderer and its diagram cache, the guides awaiting
their slots and the macros' failures) is created here when MkDocs configures a build and kept in
that build's config under BUILD_KEY; mkdocs_hooks.py finishes each page with it and drops it when
the build ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

BUILD_KEY = "drg_build"


def check_page(html: str, page_path: str) -> None:
    """Refuse a built page that would make the browser contact another host (or run a link as script)."""
    from mkdocs.exceptions import PluginError

    from ..engine.problems import escape
    from ..html.offline import foreign_requests

    found = foreign_requests(html)
    if found:
        lines = [f"{escape(page_path)}: {escape(item)}; the site must work with no other host" for item in found]
        raise PluginError("\n".join(lines))


def define_env(env: Any) -> None:
    """Check every decision file and every command once at build start; register the macros."""
    import markdown
    from mkdocs.exceptions import PluginError

    from ..engine import reseed
    from ..engine.catalog import Unpublished
    from ..engine.problems import ProblemsFound, escape
    from ..html.buildstate import BuildError, GuideBuild
    from ..html.diagram import DiagramError
    from ..html.render import PageIndexError, UnknownGuide

    conf = env.conf
    project = Path(env.project_dir)
    profile = None
    profile_file = str(conf["extra"].get("drg_profile") or "")
    if profile_file:
        from ..html.profile import load_profile

        path = Path(profile_file)
        try:
            profile = load_profile(path if path.is_absolute() else project / path, profile_file)
        except ProblemsFound as found:
            count = len(found.problems)
            raise PluginError(f"{count} problem{'s' if count != 1 else ''} in the profile {profile_file}:\n{found}") from None
        conf["extra"]["drg_profile_org"] = profile.organisation
    if conf["use_directory_urls"]:
        raise PluginError("mkdocs.yml: use_directory_urls must be false so the site works from file://")
    hooks = [Path(str(hook)).name for hook in conf.get("hooks") or []]
    if "mkdocs_hooks.py" not in hooks:
        raise PluginError("mkdocs.yml: add macros/adapters/mkdocs_hooks.py under hooks: (it puts the rendered guides into their pages)")

    configs = dict(conf["mdx_configs"])
    if "footnotes" in conf["markdown_extensions"]:
        # Guide fragments with footnotes are converted one at a time (each keeps its own); unique
        # ids keep them apart from each other and from the page's own footnotes.
        configs["footnotes"] = {**configs.get("footnotes", {}), "UNIQUE_IDS": True}
    converter = markdown.Markdown(extensions=conf["markdown_extensions"], extension_configs=configs)

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    # The command catalogue is named in mkdocs.yml (extra: drg_command_catalogue); a site without
    # one (the tests' tiny sites, the benchmark's generated site) has no command check.
    catalogue = conf["extra"].get("drg_command_catalogue")
    unpublished = Unpublished(conf.get("exclude_docs"), conf.get("draft_docs"))
    try:
        build = GuideBuild.start(
            project, Path(conf["docs_dir"]), convert, conf.get("site_url") or "", catalogue and str(catalogue), unpublished
        )
    except BuildError as error:
        raise PluginError(str(error)) from None
    # The macros below look the state up in the config rather than hold it, so that nothing keeps
    # it once mkdocs_hooks.on_post_build has dropped it.
    build.profile = profile
    conf[BUILD_KEY] = build
    conf["extra"]["drg_version"] = build.version  # for the theme templates (overrides/main.html)

    def state() -> GuideBuild:
        return conf[BUILD_KEY]  # type: ignore[no-any-return]

    @env.macro
    def page_index(folder: Any = None, *extra: Any, **options: Any) -> str:
        """A table of the pages in a docs folder, from their front matter (title, versions, duration)."""
        if not isinstance(folder, str) or extra or options:
            return state().failure(
                f'{env.page.file.src_uri}: page_index() takes one docs folder in quotes, such as {{{{ page_index("procedures") }}}}'
            )
        try:
            return state().renderer.page_index(folder, env.page.url)
        except PageIndexError as error:
            return state().failure(f"{env.page.file.src_uri}: {error}")

    @env.macro
    def reseed_table(indent: int = 0) -> str:
        """The re-seed time table (sizes by line rates) in Markdown, every cell from macros/engine/reseed.py."""
        return state().renderer.reseed_table(indent)

    @env.macro
    def reseed_assumption() -> str:
        """The one stated assumption behind every re-seed time on the site."""
        return reseed.ASSUMPTION

    @env.macro
    def symptom_index() -> str:
        """The symptom index: every symptom of the decision files, with links into the guides."""
        return state().renderer.symptom_index(env.page.url)  # type: ignore[no-any-return]

    @env.macro
    def command_reference() -> str:
        """The Command reference: every catalogued command, its parameters, versions, sources and pages."""
        try:
            return state().command_reference(env.page.url)
        except LookupError as error:
            return state().failure(f"{env.page.file.src_uri}: {error}")

    @env.macro
    def guide(guide_id: Any = None, *extra: Any, **options: Any) -> str:
        """Render the guide with this id (a decision file in decisions/) on the current page."""
        if env.variables.get("drg_render_guides") is False:
            return ""
        if not isinstance(guide_id, str) or extra or options:
            return state().failure(
                f'{env.page.file.src_uri}: guide() takes one guide id in quotes, such as {{{{ guide("{next(iter(state().catalog.guides), "id")}") }}}}'
            )
        try:
            return state().slot(guide_id, env.page.url)
        except (UnknownGuide, DiagramError) as error:
            return state().failure(f"{env.page.file.src_uri}: {escape(str(error))}")


def check_stylesheets(site_dir: Path) -> None:
    """Refuse a built style sheet (the theme's or the site's) that would load from another host."""
    from mkdocs.exceptions import PluginError

    from ..engine.problems import escape
    from ..html.offline import foreign_css

    lines = []
    for sheet in sorted(site_dir.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        rel = sheet.relative_to(site_dir).as_posix()
        lines += [f"{escape(rel)}: {escape(item)}; the site must work with no other host" for item in foreign_css(text)]
    if lines:
        raise PluginError("\n".join(lines))


def on_pre_page_macros(env: Any) -> None:
    """Refuse a page whose macros cannot run with one located message (mkdocs-macros would print a traceback and exit)."""
    import jinja2
    from jinja2 import meta
    from mkdocs.exceptions import PluginError

    from ..engine.problems import escape

    page = env.page
    wanted = (page.meta or {}).get("render_macros")
    if wanted is False or (not wanted and not env.config["render_by_default"] and not env.force_page_rendering(page.file.src_path)):
        return
    markdown = env.markdown
    try:  # line numbers count from the top of the file, front matter included
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
        before = source[: max(source.find(markdown), 0)].count("\n")
    except (OSError, TypeError, UnicodeDecodeError):
        before = 0
    where = escape(page.file.src_uri)
    try:
        tree = env.env.parse(markdown)
    except jinja2.TemplateSyntaxError as error:
        raise PluginError(f"{where}:{(error.lineno or 1) + before}: macro syntax error: {escape(error.message or 'invalid')}") from None
    known = set(env.variables) | set(env.macros) | set(env.filters) | set(env.env.globals)
    unknown = sorted(meta.find_undeclared_variables(tree) - known)
    if unknown:
        names = ", ".join(f"'{escape(name)}'" for name in unknown)
        raise PluginError(
            f"{where}: unknown name{'s' if len(unknown) > 1 else ''} {names} in {{{{ }}}}; the macros are: {', '.join(sorted(env.macros))}"
        )
