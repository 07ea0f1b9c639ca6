"""The thin adapter between mkdocs-macros and the decision engine.

Everything else in this package is renderer-neutral; only this file and mkdocs_hooks.py know
MkDocs. To move to another renderer, replace these two and keep the engine.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

# A rendered guide goes into its page after Markdown (mkdocs_hooks.on_page_content): Markdown
# would otherwise parse every element of it, the inline map alone being up to 160 KB, to no end.
# The macro leaves this comment where the guide belongs; Markdown passes comments through as-is.
_SLOT = re.compile(r"<!-- drg-guide-slot (\d+) -->")
_rendered: dict[str, str] = {}
_keys = itertools.count(1)
# The organisation profile of this build (extra: drg_profile), or None for the public build.
_profile: Any = None


def profile_choices(placeholders: Any) -> dict[str, Any] | None:
    """The profile's candidates for a page's placeholders (front matter), or None."""
    from .profile import choices

    if _profile is None or not isinstance(placeholders, dict) or not placeholders:
        return None
    return choices(_profile, placeholders)


def fill_slots(html: str) -> str:
    """Put each rendered guide into the page HTML where its macro left a slot."""
    return _SLOT.sub(lambda match: _rendered.pop(match.group(1), ""), html)


def define_env(env: Any) -> None:
    """Load and check every decision file once at build start; register the guide macros."""
    import markdown
    from mkdocs.exceptions import PluginError

    from .catalog import load_catalog
    from .cmdref import render_reference
    from .commands import check_site, load_commands
    from .diagram import DiagramError
    from .problems import ProblemsFound
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
        catalog = load_catalog(project / "decisions", Path(conf["docs_dir"]))
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

    converter = markdown.Markdown(extensions=conf["markdown_extensions"], extension_configs=conf["mdx_configs"])

    def convert(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    version = site_version(project)
    renderer = GuideRenderer(catalog, convert, version["label"], conf.get("site_url") or "")
    conf["extra"]["drg_version"] = version  # for the theme templates (overrides/main.html)

    @env.macro
    def page_index(folder: str) -> str:
        """A table of the pages in a docs folder, from their front matter (title, versions, duration)."""
        try:
            return renderer.page_index(folder, env.page.url)
        except PageIndexError as error:
            raise PluginError(str(error)) from None

    @env.macro
    def symptom_index() -> str:
        """The symptom index: every symptom of the decision files, with links into the guides."""
        return renderer.symptom_index(env.page.url)

    @env.macro
    def command_reference() -> str:
        """The Command reference: every catalogued command, its parameters, versions, sources and pages."""
        if commands is None or command_report is None:
            raise PluginError(f"{env.page.file.src_uri}: command_reference() needs extra: drg_command_catalogue in mkdocs.yml")
        return render_reference(commands, command_report, Path(conf["docs_dir"]), env.page.url)

    @env.macro
    def guide(guide_id: str) -> str:
        """Render the guide with this id (a decision file in decisions/) on the current page."""
        if env.variables.get("drg_render_guides") is False:
            return ""
        try:
            html = renderer.render(guide_id, env.page.url)
        except (UnknownGuide, DiagramError) as error:
            raise PluginError(f"{env.page.file.src_uri}: {error}") from None
        if _profile is not None:  # an organisation's build: "Which server or cluster failed?" first
            from .profile import render_start

            html = render_start(_profile, renderer.catalog.guides[guide_id].guide) + html
        key = str(next(_keys))
        _rendered[key] = html
        return f"\n\n<!-- drg-guide-slot {key} -->\n\n"
