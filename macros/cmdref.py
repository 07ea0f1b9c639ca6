"""The Command reference page: the catalogue as Markdown, with the pages that use each command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .catalog import read_page
from .cmdmodel import Command, Parameter, expand, unknown_service_pack, version_label
from .commands import CommandIndex, Report
from .problems import Problem
from .urls import page_url, relative

TEMPLATES = Path(__file__).parent / "templates"


def anchor(name: str) -> str:
    """The stable anchor of a command on the reference page: 'cmd-move-activemailboxdatabase'."""
    return "cmd-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _parameter(command: Command, name: str, spec: Parameter, releases: list[str], used: bool) -> dict[str, Any]:
    own = expand(spec.versions) if spec.versions is not None else releases
    documented = spec.documented if spec.documented is not None else command.documented
    prefix = "" if command.subcommands else command.switch_prefix
    return {
        "name": f"{prefix}{name}",
        "aliases": [f"{prefix}{a}" for a in spec.aliases],
        "versions": version_label([r for r in own if r in releases]),
        "unknown_sp": unknown_service_pack(spec.versions),
        "source": spec.source,
        "note": spec.note,
        "documented": documented,
        "used": used,
        "allowed": spec.values,
    }


def reference_data(index: CommandIndex, report: Report, docs_dir: Path, from_url: str) -> list[dict[str, Any]]:
    """Every command as plain data for the template, links relative to the page at ``from_url``."""
    commands = []
    for command in sorted(index.catalogue.commands, key=lambda c: (c.kind != "cmdlet", c.name.lower())):
        releases = expand(command.versions)
        pages = []
        for rel in sorted(report.usage.get(command.name, ())):
            page = read_page(docs_dir, rel)
            title = page.title if not isinstance(page, Problem) else rel
            pages.append({"title": title, "url": relative(from_url, page_url(rel)).removesuffix(".html") + ".md"})
        parameters = [
            _parameter(command, name, spec or Parameter(), releases, (command.name, name) in report.used_parameters)
            for name, spec in command.parameters.items()
        ]
        parameters.sort(key=lambda p: (not p["used"], p["name"].lower()))
        commands.append(
            {
                "name": command.name,
                "anchor": anchor(command.name),
                "kind": command.kind,
                "purpose": command.purpose,
                "aliases": command.aliases,
                "versions": version_label(releases),
                "unknown_sp": unknown_service_pack(command.versions),
                "source": command.source,
                "note": command.note,
                "documented": command.documented,
                "pages": pages,
                "parameters": parameters,
                "used": sum(1 for p in parameters if p["used"]),
            }
        )
    return commands


def render_reference(index: CommandIndex, report: Report, docs_dir: Path, from_url: str) -> str:
    """The reference as Markdown, for the page that calls the command_reference() macro."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # Markdown reads &lt; as '<', so escaped catalogue text stays text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = lambda text: Markup(str(escape(text)).replace("|", "\\|"))  # a table cell
    data = reference_data(index, report, docs_dir, from_url)
    totals = {
        "commands": len(data),
        "parameters": sum(len(c["parameters"]) for c in data),
        "used": sum(c["used"] for c in data),
        "field_practice": sum(not c["documented"] for c in data) + sum(not p["documented"] for c in data for p in c["parameters"]),
        "unknown_sp": sum(c["unknown_sp"] for c in data) + sum(p["unknown_sp"] for c in data for p in c["parameters"]),
    }
    return env.get_template("commands.md.jinja").render(commands=data, totals=totals)
