"""The state of one site build: the checked catalog, its renderer and diagram cache, and the guides awaiting their slots.

An adapter creates a ``GuideBuild`` when a build starts and drops it when the build ends, so
nothing rendered or drawn in one build is kept for the next (``mkdocs serve`` rebuilds in one
process, again and again). Renderer-neutral: no MkDocs or Zensical import.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..engine.catalog import Catalog, Unpublished, load_catalog
from ..engine.commands import CommandIndex, Report, check_site, load_commands
from ..engine.problems import ProblemsFound
from ..engine.version import site_version
from .cmdref import render_reference
from .diagram import DiagramCache
from .profile import Profile, choices, render_start
from .render import GuideRenderer

# A rendered guide goes into its page after Markdown: Markdown would otherwise parse every element
# of it, the inline map alone being up to 160 KB, to no end. The guide macro leaves this comment
# where the guide belongs (Markdown passes a comment block through as it is); the adapter's
# after-Markdown step calls fill_slots.
SLOT = re.compile(r"<!-- drg-guide-slot (\d+) -->")
# A page's Sources section names every command its sources are about, so a search for a command
# found pages that only cite it before the procedure that runs it. The search of Material and of
# Zensical skips a section whose heading has data-search-exclude; the id is the one Markdown gives.
_SOURCES = re.compile(r'<h2 id="sources"(?=[\s>])')


class BuildError(Exception):
    """The build cannot go on; the message holds one located line per problem."""


class UnfilledSlot(BuildError):
    """A page holds a guide slot this build did not render: the guide would be lost."""


class MacroFailed(BuildError):
    """A macro on the page could not do its work; the message holds one located line per failure."""


class GuideBuild:
    """One build's guides: render each on request, hand back a slot, fill the slots after Markdown."""

    def __init__(
        self,
        catalog: Catalog,
        renderer: GuideRenderer,
        version: dict[str, str],
        commands: tuple[CommandIndex, Report] | None = None,
    ) -> None:
        self.catalog = catalog
        self.renderer = renderer
        self.version = version
        self.commands = commands  # the command catalogue and the site's check against it, if the site names one
        self.profile: Profile | None = None  # an organisation's build (extra: drg_profile), or None for the public one
        self.pending: dict[str, str] = {}  # slot key -> rendered guide, until its page is filled
        # A macro that fails leaves its message in a slot instead of raising: mkdocs-macros would
        # print a traceback and exit. The page's after-Markdown step raises them as one error.
        self.failed: dict[str, str] = {}
        self._keys = itertools.count(1)

    @classmethod
    def start(
        cls,
        project_dir: Path,
        docs_dir: Path,
        markdown: Callable[[str], str],
        site_url: str = "",
        catalogue: str | None = None,
        unpublished: Unpublished | None = None,
    ) -> GuideBuild:
        """Check every decision file, and every command on the site against ``catalogue`` if given; set up a fresh renderer.

        Raises BuildError with every problem, one located line each.
        """
        try:
            catalog = load_catalog(project_dir / "decisions", docs_dir, unpublished=unpublished)
        except ProblemsFound as found:
            count = len(found.problems)
            raise BuildError(f"{count} problem{'s' if count != 1 else ''} in decisions/:\n{found}") from None
        commands = check_commands(project_dir, docs_dir, catalogue) if catalogue else None
        version = site_version(project_dir)
        renderer = GuideRenderer(catalog, markdown, version["label"], site_url, DiagramCache())
        return cls(catalog, renderer, version, commands)

    def __repr__(self) -> str:
        return f"GuideBuild({len(self.catalog.guides)} guides, {len(self.pending)} awaiting a slot, {self.renderer.diagrams!r})"

    def profile_choices(self, placeholders: Any) -> dict[str, Any] | None:
        """The profile's candidates for a page's placeholders (front matter), or None."""
        if self.profile is None or not isinstance(placeholders, dict) or not placeholders:
            return None
        return choices(self.profile, placeholders)

    def slot(self, guide_id: str, page_url: str) -> str:
        """Render a guide for the page at ``page_url`` (raises UnknownGuide, DiagramError) and return its slot."""
        html = self.renderer.render(guide_id, page_url)
        if self.profile is not None:  # an organisation's build: "Which server or cluster failed?" first
            html = render_start(self.profile, self.renderer.catalog.guides[guide_id].guide) + html
        key = str(next(self._keys))
        self.pending[key] = html
        return f"\n\n<!-- drg-guide-slot {key} -->\n\n"

    def failure(self, message: str) -> str:
        """A slot that makes the page fail with ``message`` after Markdown (see failed)."""
        key = str(next(self._keys))
        self.failed[key] = message
        return f"\n\n<!-- drg-guide-slot {key} -->\n\n"

    def command_reference(self, page_url: str) -> str:
        """The Command reference (Markdown) for the page at ``page_url``; LookupError when the site names no catalogue."""
        if self.commands is None:
            raise LookupError("command_reference() needs extra: drg_command_catalogue in mkdocs.yml")
        return render_reference(*self.commands, self.renderer.catalog.docs_dir, page_url)

    def finish_page(self, html: str) -> str:
        """A page after Markdown, finished: its guides in their slots, its Sources section kept out of the search index."""
        return _SOURCES.sub('<h2 id="sources" data-search-exclude', self.fill_slots(html), count=1)

    def fill_slots(self, html: str) -> str:
        """Put each rendered guide into the page HTML where its slot is, and forget it.

        Raises MacroFailed with every failure a macro of the page left, UnfilledSlot for a slot of no guide.
        """
        failures = [self.failed.pop(key) for key in SLOT.findall(html) if key in self.failed]
        if failures:
            raise MacroFailed("\n".join(failures))

        def fill(match: re.Match[str]) -> str:
            try:
                return self.pending.pop(match.group(1))
            except KeyError:
                raise UnfilledSlot(
                    f"a guide slot ({match.group(0)}) has no rendered guide in this build, so its guide would be lost"
                ) from None

        return SLOT.sub(fill, html)


def check_commands(project_dir: Path, docs_dir: Path, catalogue: str) -> tuple[CommandIndex, Report]:
    """Load the command catalogue and check every command on the site against it; BuildError with every problem."""
    try:
        commands = load_commands(project_dir / catalogue)
    except ProblemsFound as found:
        raise BuildError(f"{catalogue} is not valid:\n{found}") from None
    report = check_site(commands, docs_dir, project_dir / "decisions")
    if report.problems:
        count = len(report.problems)
        lines = "\n".join(map(str, report.problems))
        raise BuildError(f"{count} problem{'s' if count != 1 else ''} in the commands on the site (python -m macros commands):\n{lines}")
    return commands, report
