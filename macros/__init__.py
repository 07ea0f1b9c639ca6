"""The thin adapter between mkdocs-macros and the decision engine.

Everything else in this package is renderer-neutral; only this file and mkdocs_hooks.py know
MkDocs. To move to another renderer, replace these two and keep the engine.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from pathlib import Path
from typing import Any

# A rendered guide goes into its page after Markdown (mkdocs_hooks.on_page_content): Markdown
# would otherwise parse every element of it, the inline map alone being up to 160 KB, to no end.
# The macro leaves this comment where the guide belongs; Markdown passes comments through as-is.
_SLOT = re.compile(r"<!-- drg-guide-slot (\d+) -->")
_rendered: dict[str, str] = {}
# A macro that fails leaves its message here instead of raising: mkdocs-macros would print a
# traceback and exit. The page's hook raises it as one clean PluginError (see fill_slots).
_failed: dict[str, str] = {}
_keys = itertools.count(1)
# The organisation profile of this build (extra: drg_profile), or None for the public build.
_profile: Any = None


def profile_choices(placeholders: Any) -> dict[str, Any] | None:
    """The profile's candidates for a page's placeholders (front matter), or None."""
    from .profile import choices

    if _profile is None or not isinstance(placeholders, dict) or not placeholders:
        return None
    return choices(_profile, placeholders)


def _slot(html: str | None = None, failure: str | None = None) -> str:
    key = str(next(_keys))
    if failure is not None:
        _failed[key] = failure
    else:
        _rendered[key] = html or ""
    return f"\n\n<!-- drg-guide-slot {key} -->\n\n"


def fill_slots(html: str) -> str:
    """Put each rendered guide into the page HTML where its macro left a slot; raise what a macro could not do."""
    from mkdocs.exceptions import PluginError

    failures = [_failed.pop(key) for key in _SLOT.findall(html) if key in _failed]
    if failures:
        raise PluginError("\n".join(failures))
    return _SLOT.sub(lambda match: _rendered.pop(match.group(1), ""), html)


def check_page(html: str, page_path: str) -> None:
    """Refuse a built page that would make the browser contact another host (or run a link as script)."""
    from mkdocs.exceptions import PluginError

    from .offline import foreign_requests
    from .problems import escape

    found = foreign_requests(html)
    if found:
        lines = [f"{escape(page_path)}: {escape(item)}; the site must work with no other host" for item in found]
        raise PluginError("\n".join(lines))


def define_env(env: Any) -> None:
    """Load and check every decision file once at build start; register the guide macros."""
    import markdown
    from mkdocs.exceptions import PluginError

    from . import reseed
    from .catalog import Unpublished, load_catalog
    from .cmdref import render_reference
    from .commands import check_site, load_commands
    from .diagram import DiagramError
    from .problems import ProblemsFound, escape
    from .render import GuideRenderer, PageIndexError, UnknownGuide
    from .version import site_version

    global _profile
    conf = env.conf
    project = Path(env.project_dir)
    _profile = None
    profile_file = str(conf["extra"].get("drg_profile") or "")
    if profile_file:
        from .profile import load_profile

        path = Path(profile_file)
        try:
            _profile = load_profile(path if path.is_absolute() else project / path, profile_file)
        except ProblemsFound as found:
            count = len(found.problems)
            raise PluginError(f"{count} problem{'s' if count != 1 else ''} in the profile {profile_file}:\n{found}") from None
        conf["extra"]["drg_profile_org"] = _profile.organisation
    if conf["use_directory_urls"]:
        raise PluginError("mkdocs.yml: use_directory_urls must be false so the site works from file://")
    hooks = [Path(str(hook)).name for hook in conf.get("hooks") or []]
    if "mkdocs_hooks.py" not in hooks:
        raise PluginError("mkdocs.yml: add macros/mkdocs_hooks.py under hooks: (it puts the rendered guides into their pages)")
    try:
        unpublished = Unpublished(conf.get("exclude_docs"), conf.get("draft_docs"))
        catalog = load_catalog(project / "decisions", Path(conf["docs_dir"]), unpublished=unpublished)
    except ProblemsFound as found:
        count = len(found.problems)
        raise PluginError(f"{count} problem{'s' if count != 1 else ''} in decisions/:\n{found}") from None

    # Every command on the site against the command catalogue, at build start like the guides.
    # The catalogue is named in mkdocs.yml (extra: drg_command_catalogue); a site without one
    # (the tests' tiny sites, the benchmark's generated site) has no command check.
    commands = None
    command_report = None
    catalogue = conf["extra"].get("drg_command_catalogue")
    if catalogue:
        try:
            commands = load_commands(project / str(catalogue))
        except ProblemsFound as found:
            raise PluginError(f"{catalogue} is not valid:\n{found}") from None
        command_report = check_site(commands, Path(conf["docs_dir"]), project / "decisions")
        if command_report.problems:
            count = len(command_report.problems)
            lines = "\n".join(map(str, command_report.problems))
            raise PluginError(
                f"{count} problem{'s' if count != 1 else ''} in the commands on the site (python -m macros commands):\n{lines}"
            )

    configs = dict(conf["mdx_configs"])
    if "footnotes" in conf["markdown_extensions"]:
        # Guide fragments with footnotes are converted one at a time (each keeps its own); unique
        # ids keep them apart from each other and from the page's own footnotes.
        configs["footnotes"] = {**configs.get("footnotes", {}), "UNIQUE_IDS": True}
    converter = markdown.Markdown(extensions=conf["markdown_extensions"], extension_configs=configs)

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    version = site_version(project)
    renderer = GuideRenderer(catalog, convert, version["label"], conf.get("site_url") or "")
    conf["extra"]["drg_version"] = version  # for the theme templates (overrides/main.html)

    @env.macro
    def page_index(folder: Any = None, *extra: Any, **options: Any) -> str:
        """A table of the pages in a docs folder, from their front matter (title, versions, duration)."""
        if not isinstance(folder, str) or extra or options:
            return _slot(
                failure=f'{env.page.file.src_uri}: page_index() takes one docs folder in quotes, such as {{{{ page_index("procedures") }}}}'
            )
        try:
            return renderer.page_index(folder, env.page.url)
        except PageIndexError as error:
            return _slot(failure=f"{env.page.file.src_uri}: {error}")

    @env.macro
    def reseed_table(indent: int = 0) -> str:
        """The re-seed time table (sizes by line rates) in Markdown, every cell from macros/reseed.py."""
        table = str(renderer.env.get_template("reseed_table.md.jinja").render(reseed.table())).strip()
        return textwrap.indent(table, " " * indent).lstrip()

    @env.macro
    def reseed_assumption() -> str:
        """The one stated assumption behind every re-seed time on the site."""
        return reseed.ASSUMPTION

    @env.macro
    def symptom_index() -> str:
        """The symptom index: every symptom of the decision files, with links into the guides."""
        return renderer.symptom_index(env.page.url)

    @env.macro
    def command_reference() -> str:
        """The Command reference: every catalogued command, its parameters, versions, sources and pages."""
        if commands is None or command_report is None:
            return _slot(failure=f"{env.page.file.src_uri}: command_reference() needs extra: drg_command_catalogue in mkdocs.yml")
        return render_reference(commands, command_report, Path(conf["docs_dir"]), env.page.url)

    @env.macro
    def guide(guide_id: Any = None, *extra: Any, **options: Any) -> str:
        """Render the guide with this id (a decision file in decisions/) on the current page."""
        if env.variables.get("drg_render_guides") is False:
            return ""
        if not isinstance(guide_id, str) or extra or options:
            return _slot(
                failure=f'{env.page.file.src_uri}: guide() takes one guide id in quotes, such as {{{{ guide("{next(iter(catalog.guides), "id")}") }}}}'
            )
        try:
            html = renderer.render(guide_id, env.page.url)
            if _profile is not None:  # an organisation's build: "Which server or cluster failed?" first
                from .profile import render_start

                html = render_start(_profile, renderer.catalog.guides[guide_id].guide) + html
            return _slot(html)
        except (UnknownGuide, DiagramError) as error:
            return _slot(failure=f"{env.page.file.src_uri}: {escape(str(error))}")


def check_stylesheets(site_dir: Path) -> None:
    """Refuse a built style sheet (the theme's or the site's) that would load from another host."""
    from mkdocs.exceptions import PluginError

    from .offline import foreign_css
    from .problems import escape

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

    from .problems import escape

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
