"""Command line: ``python -m macros check [FILE...]``, ``commands [PAGE...]``, ``profile FILE``, ``export``, ``schema`` and ``binder``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .engine import safeyaml
from .engine.catalog import Unpublished, display_path, load_catalog
from .engine.cmdmodel import json_schema as commands_schema
from .engine.commands import check_site, load_commands
from .engine.export import export
from .engine.graph import count_text
from .engine.model import json_schema
from .engine.problems import Problem, ProblemsFound, escape
from .engine.urls import guide_page, page_url
from .html.diagram import map_problems, page_links
from .html.profile import Profile, load_profile
from .html.profile import json_schema as profile_schema


def print_problems(problems: list[Problem]) -> int:
    """Print problems one per line, and their count on stderr; the exit code."""
    for problem in problems:
        print(problem)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
    return 1


def profile_summary(profile: Profile) -> str:
    """How much a profile describes, in one line."""
    counts = [
        (len(profile.servers), "server"),
        (len(profile.clusters), "cluster"),
        (len(profile.dags), "DAG"),
        (len(profile.client_names), "client name"),
        (len(profile.contacts), "contact"),
    ]
    return ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts)


def run_commands(catalogue: Path, docs: Path, decisions: Path, pages: list[Path] | None) -> int:
    """The command check: 0 and a summary line, or 1 and one line per problem."""
    try:
        index = load_commands(catalogue)
    except ProblemsFound as found:
        return print_problems(found.problems)
    report = check_site(index, docs, decisions, pages)
    if report.problems:
        return print_problems(report.problems)
    print(report.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 when everything is valid, 1 when a decision file has problems."""
    parser = argparse.ArgumentParser(prog="python -m macros", description="Check and export the DR guides.")
    parser.add_argument("--decisions", type=Path, default=Path("decisions"), help="folder of decision files")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="MkDocs docs_dir")
    parser.add_argument("--max-bytes", type=int, default=safeyaml.MAX_BYTES, help="largest decision file read")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate decision files; one problem per line")
    check.add_argument("files", nargs="*", type=Path, help="files to check (default: every file in --decisions)")
    cmds = commands.add_parser("commands", help="check every command on the site against the command catalogue")
    cmds.add_argument("pages", nargs="*", type=Path, help="pages to check (default: every page under --docs and every decision file)")
    cmds.add_argument("--catalogue", type=Path, default=Path("catalogue/commands.yml"), help="the command catalogue")
    commands.add_parser("export", help="print every guide as JSON")
    schema = commands.add_parser("schema", help="print the JSON Schema of a decision file")
    schema.add_argument("--commands", action="store_true", help="the command catalogue's schema instead")
    schema.add_argument("--profile", action="store_true", help="an organisation profile's schema instead")
    prof = commands.add_parser("profile", help="check an organisation profile; one problem per line")
    prof.add_argument("file", type=Path, help="the profile (YAML)")
    binder = commands.add_parser("binder", help="write the printed DR binder (PDF) from a built site")
    binder.add_argument("--site", type=Path, default=Path("site"), help="the built site (mkdocs build)")
    binder.add_argument("--out", type=Path, default=Path("site/exchange-dr-binder.pdf"), help="the PDF to write")
    binder.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml, for the nav order")
    binder.add_argument(
        "--profile", type=Path, default=None, help="an organisation profile: its own binder (the site must be built with it)"
    )
    args = parser.parse_args(argv)

    if args.command == "schema":
        chosen = commands_schema() if args.commands else profile_schema() if args.profile else json_schema()
        print(json.dumps(chosen, indent=2))
        return 0
    if args.command == "profile":
        try:
            profile = load_profile(args.file)
        except ProblemsFound as found:
            return print_problems(found.problems)
        print(f"{display_path(args.file)}: profile of {profile.organisation}: {profile_summary(profile)}")
        return 0
    if args.command == "commands":
        return run_commands(args.catalogue, args.docs, args.decisions, args.pages or None)
    files = args.files if args.command == "check" and args.files else None
    try:
        # The mkdocs.yml beside the docs folder says which pages the site leaves out.
        unpublished = Unpublished.from_config(args.docs.parent / "mkdocs.yml")
        catalog = load_catalog(args.decisions, args.docs, files, args.max_bytes, unpublished)
    except ProblemsFound as found:
        return print_problems(found.problems)
    if args.command == "binder":
        from .binder.build import build
        from .binder.progress import Progress

        profile = None
        if args.profile is not None:
            try:
                profile = load_profile(args.profile)
            except ProblemsFound as found:
                return print_problems(found.problems)
        problems, warnings = build(args.site, args.out, catalog, args.config, Progress("binder"), profile)
        for warning in warnings:
            print(f"binder: warning: {escape(warning)}", file=sys.stderr)
        for problem in problems:
            print(f"binder: {escape(problem)}", file=sys.stderr)
        if not problems:
            from .binder.binderlink import show_binder_link

            print(f"binder: wrote {display_path(args.out)}", file=sys.stderr)
            if show_binder_link(args.site, args.out):
                print(f"binder: the home page {display_path(args.site / 'index.html')} now links to it", file=sys.stderr)
        return 1 if problems else 0
    if args.command == "export":
        sys.set_int_max_str_digits(0)  # path counts of large DAGs have thousands of digits
        json.dump(export(catalog), sys.stdout, indent=2)
        print()
        return 0
    if not catalog.guides:
        print(f"no decision files in {display_path(args.decisions)}/", file=sys.stderr)
        return 1
    # The site build draws each guide's map within a time limit; check does the same, so a guide
    # the build would refuse is refused here first, with the same message.
    failures = map_problems(catalog, lambda guide_id: page_links(page_url(guide_page(guide_id))))
    if failures:
        for failure in failures:
            print(escape(failure))
        print(f"{len(failures)} problem{'s' if len(failures) != 1 else ''} found", file=sys.stderr)
        return 1
    for entry in catalog.guides.values():
        guide = entry.guide
        print(
            f"{entry.path}: guide '{guide.id}': {len(guide.questions)} questions, "
            f"{len(guide.outcomes)} outcomes, {count_text(entry.facts.paths)} paths, all ending in a procedure"
        )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head: not an error of ours
        sys.exit(0)
