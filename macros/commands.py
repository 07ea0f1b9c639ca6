"""The command check: every command on the site against the catalogue and the page's Exchange versions.

Reads catalogue/commands.yml (safely, every problem located), then every fenced command block of
every page under docs/ and every code span in the decision files' text, and reports each unknown
command or parameter, each one that does not exist in the versions its block is for, and each
field-practice switch outside an unverified block, as ``PATH:LINE: COMMAND PARAMETER: MESSAGE``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import safeyaml
from .catalog import decision_files, display_path
from .cmdmodel import (
    RELEASES,
    VERSION_PATTERN,
    Catalogue,
    Command,
    Parameter,
    expand,
    parse_version_list,
    pin_label,
    releases_from,
    version_label,
)
from .cmdparse import COMMAND_LANGUAGES, Block, Word, blocks, split_commands
from .problems import Problem, ProblemsFound, known

UNKNOWN = "unknown: add it to the catalogue with a source"
# Front matter as MkDocs reads it: a leading '---' line, YAML, then '---' or '...'.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\r?\n(.*?\r?\n)?(?:\.{3}|-{3})[ \t]*\r?\n", re.DOTALL)
VERSION_NAMES = ", ".join(["2003", "2007", *RELEASES[1:5], "2010", *RELEASES[5:]])
_CODE_SPAN = re.compile(r"`([^`\n]+(?:\n[^`\n]+)*)`")
_WORDLIKE = re.compile(r"^[A-Za-z][\w.]*(-[A-Za-z][\w]*)?$")
_VERB_NOUN = re.compile(r"^[A-Z][a-z]+-[A-Z][A-Za-z0-9]*$")
_FIELD_NAMES = {
    "": ["commands"],
    "command": list(Command.model_fields),
    "parameter": list(Parameter.model_fields),
    "range": ["from", "until"],
}


@dataclass
class Entry:
    """A catalogued command ready for lookups: its releases and its parameters by lower-case name."""

    command: Command
    releases: list[str]
    parameters: dict[str, tuple[str, Parameter]]

    def __repr__(self) -> str:
        return f"Entry({self.command.name!r}, {len(self.parameters)} parameters)"


@dataclass
class CommandIndex:
    """The loaded catalogue: commands by every lower-case name and alias."""

    path: str
    catalogue: Catalogue
    by_name: dict[str, Entry] = field(default_factory=dict)

    def parameter_owners(self, name: str) -> list[str]:
        """Commands that have a parameter of this name."""
        key = name.lower()
        return sorted({e.command.name for e in self.by_name.values() if key in e.parameters})


@dataclass
class Report:
    """What a check found: problems, what was checked, and which pages use which command."""

    problems: list[Problem] = field(default_factory=list)
    commands: int = 0
    parameters: int = 0
    pages: int = 0
    decision_files: int = 0
    usage: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    used_parameters: set[tuple[str, str]] = field(default_factory=set)

    def summary(self) -> str:
        """One line for a clean run."""
        return (
            f"commands: {self.commands} commands and {self.parameters} parameters checked in {self.pages} pages "
            f"and {self.decision_files} decision files, all in the catalogue and in their pages' versions"
        )


def _releases(versions: Any) -> list[str]:
    return expand(versions)


def _param_releases(entry: Entry, parameter: Parameter) -> list[str]:
    own = expand(parameter.versions) if parameter.versions is not None else entry.releases
    return [r for r in own if r in entry.releases]


def _is_branch(part: Any) -> bool:
    """A pydantic location part naming a branch of the versions union (a range or a list)."""
    return isinstance(part, str) and ("Range" in part or part.startswith("list["))


def _node(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str, list[str]]:
    """The node an error belongs to, the field it is about, and the allowed field names there."""
    node = "catalogue"
    where = ""
    allowed = _FIELD_NAMES[""]
    data: Any = raw
    i = 0
    while i < len(loc):
        part = loc[i]
        if part == "commands" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            item = data.get("commands")[loc[i + 1]] if isinstance(data, dict) else None
            name = item.get("name") if isinstance(item, dict) else None
            node = f"command '{name}'" if isinstance(name, str) else f"command #{loc[i + 1] + 1}"
            allowed = _FIELD_NAMES["command"]
            data = item
            i += 2
            continue
        if part == "parameters" and i + 1 < len(loc) and isinstance(loc[i + 1], str):
            node = f"{node} parameter '{loc[i + 1]}'"
            allowed = _FIELD_NAMES["parameter"]
            data = data.get("parameters", {}).get(loc[i + 1]) if isinstance(data, dict) else None
            i += 2
            continue
        if _is_branch(part):
            allowed = _FIELD_NAMES["range"] if "Range" in part else allowed
            i += 1
            continue
        if part == "Parameter":
            i += 1
            continue
        where = str(part) if not isinstance(part, int) else f"{where} item {part + 1}"
        data = data.get(part) if isinstance(data, dict) and not isinstance(part, int) else None
        i += 1
    return node, where.strip(), allowed


def _message(error: dict[str, Any], where: str, allowed: list[str]) -> str:
    kind = error["type"]
    value = error.get("input")
    field_name = where.split(" item ")[0] if where else "this"
    if kind == "missing":
        return f"missing required key '{field_name}'"
    if kind == "extra_forbidden":
        return f"unknown key '{field_name}' (allowed: {', '.join(allowed)})"
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern == VERSION_PATTERN:
            return f"{where}: '{value}' is not an Exchange version (known: {VERSION_NAMES})"
        if field_name == "source":
            return f"source '{value}' is not an http(s) URL"
        return f"{field_name} '{value}' has the wrong form"
    if kind == "literal_error":
        return f"{field_name} '{value}' is not one of: {(error.get('ctx') or {}).get('expected')}"
    if kind == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    if kind in ("string_type", "bool_type", "bool_parsing"):
        return f"{field_name} must be {'true or false' if kind.startswith('bool') else 'text'}, not {value!r}"
    if kind in ("model_type", "dict_type", "list_type", "model_attributes_type"):
        return f"{field_name} has the wrong type: {error['msg'].lower()}"
    if kind == "too_short":
        return f"{field_name} must not be empty"
    return f"{field_name}: {error['msg']}"


def _schema_problems(name: str, raw: Any, error: ValidationError) -> list[Problem]:
    """One located problem per mistake; a union (range or list) reports only the branch the author wrote."""
    problems: dict[tuple[int, str, str], Problem] = {}
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        branch = next((p for p in loc if _is_branch(p)), None)
        if branch is not None:
            head = loc[: loc.index(branch)]
            value = _value_at(raw, head)
            wanted = "Range" if isinstance(value, dict) else "list" if isinstance(value, list) else None
            if wanted is None:
                node, _, _ = _node(raw, head)
                line = safeyaml.line_of(raw, head)
                text = 'versions must be a range {from: ..., until: ...} or a list of versions, such as ["2007 SP1", "2010"]'
                problems[(line, node, text)] = Problem(name, line, node, text)
                continue
            if ("Range" in branch) != (wanted == "Range"):
                continue
        node, where, allowed = _node(raw, loc)
        line = safeyaml.line_of(raw, tuple(p for p in loc if p != branch and p != "Parameter"))
        text = _message(item, where, allowed)
        problems[(line, node, text)] = Problem(name, line, node, text)
    return list(problems.values())


def _value_at(raw: Any, loc: tuple[Any, ...]) -> Any:
    data = raw
    for part in loc:
        if (isinstance(data, dict) and part in data) or (isinstance(data, list) and isinstance(part, int) and part < len(data)):
            data = data[part]
        else:
            return None
    return data


def load_commands(path: Path) -> CommandIndex:
    """Read and validate the command catalogue; raise ProblemsFound with every located problem."""
    name = display_path(path)
    try:
        raw, problems = safeyaml.load(safeyaml.read_text(path, 8 * 1024 * 1024), name)
    except safeyaml.YamlRefused as refused:
        raise ProblemsFound(refused.problems) from None
    if problems:
        raise ProblemsFound(problems)
    if not isinstance(raw, dict):
        raise ProblemsFound([Problem(name, getattr(raw, "line", 1), "catalogue", "the file must hold a mapping with 'commands:'")])
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as error:
        raise ProblemsFound(_schema_problems(name, raw, error)) from None
    index = CommandIndex(name, catalogue)
    for i, command in enumerate(catalogue.commands):
        node = f"command '{command.name}'"
        params: dict[str, tuple[str, Parameter]] = {}
        for pname, spec in command.parameters.items():
            spec = spec or Parameter()
            for alias in [pname, *spec.aliases]:
                if alias.lower() in params:
                    line = safeyaml.line_of(raw, ("commands", i, "parameters", pname))
                    problems.append(Problem(name, line, node, f"parameter name '{alias}' is listed twice"))
                params[alias.lower()] = (pname, spec)
        entry = Entry(command, _releases(command.versions), params)
        for alias in [command.name, *command.aliases]:
            if alias.lower() in index.by_name:
                line = safeyaml.line_of(raw, ("commands", i, "name"))
                problems.append(
                    Problem(name, line, node, f"name '{alias}' is already used by '{index.by_name[alias.lower()].command.name}'")
                )
                continue
            index.by_name[alias.lower()] = entry
    if problems:
        raise ProblemsFound(problems)
    return index


@dataclass
class Scope:
    """What a block is checked against: its releases (None: no version check) and whether it is unverified."""

    releases: list[str] | None
    label: str
    unverified: bool
    check_field_practice: bool = True


def _page_meta(text: str, name: str, problems: list[Problem]) -> tuple[dict[str, Any], int, str]:
    """Front matter, the line the body starts on, and the body; unreadable front matter is a problem."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 1, text
    try:
        data, _ = safeyaml.load(match.group(1) or "{}", name)
    except safeyaml.YamlRefused as refused:
        first = refused.problems[0]
        problems.append(Problem(name, first.line + 1, "front matter", first.message))
        data = {}
    body_line = text.count("\n", 0, match.end()) + 1
    return (dict(data) if isinstance(data, dict) else {}), body_line, text[match.end() :]


def _versions_of(names: list[str]) -> list[str] | None:
    releases: list[str] = []
    for name in names:
        found = releases_from(name)
        if not found:
            return None
        releases.extend(r for r in found if r not in releases)
    return [r for r in RELEASES if r in releases]


def _block_scope(path: str, block: Block, page: list[str] | None, page_label: str, problems: list[Problem]) -> Scope:
    for label in (block.title, block.tab):
        if not label or not label.startswith("Exchange "):
            continue
        names = parse_version_list(label[len("Exchange ") :].split(":", 1)[0])
        releases = _versions_of(names) if names else None
        if releases is None:
            problems.append(
                Problem(
                    path,
                    block.line,
                    "block",
                    f"label '{label}' names no Exchange version (write e.g. 'Exchange 2010 SP1'; known: {VERSION_NAMES})",
                )
            )
            return Scope(None, label, block.unverified)
        if page is not None and not set(releases) <= set(page):
            problems.append(
                Problem(
                    path,
                    block.line,
                    "block",
                    f"label '{label}' is outside the page's versions ({version_label(page)}): add them to exchange: in the front matter",
                )
            )
        return Scope(releases, label[len("Exchange ") :], block.unverified)
    return Scope(page, page_label, block.unverified)


def _available(problems: list[Problem], path: str, word: Word, node: str, have: list[str], scope: Scope) -> bool:
    """Report a command or parameter missing from a version the block is for; whether it is available."""
    if scope.releases is None:
        return True
    missing = [r for r in scope.releases if r not in have]
    if not missing:
        return True
    text = f"not in Exchange {version_label(missing)} (this block is for {version_label(scope.releases)}); "
    text += f"it exists in {version_label(have)}" if have else "it exists in no Exchange version"
    inside = [r for r in scope.releases if r in have]
    if inside:
        text += f': if the block is only for {pin_label(inside)}, give it title="Exchange {pin_label(inside)}"'
    problems.append(Problem(path, word.line, node, text))
    return False


def _check_command(index: CommandIndex, words: list[Word], path: str, scope: Scope, report: Report, page: str | None) -> None:
    while len(words) > 2 and words[0].text.startswith("$") and words[1].text == "=":
        words = words[2:]
    first = words[0]
    name = first.text
    if not _WORDLIKE.match(name) and name != "?":
        return
    entry = index.by_name.get(name.lower())
    problems = report.problems
    if entry is None:
        if "." in name and not name.lower().endswith((".exe", ".com")):
            return
        hint = known([e.command.name for e in index.by_name.values()], name, limit=3)
        problems.append(Problem(path, first.line, name, f"{UNKNOWN} {hint}"))
        return
    report.commands += 1
    if page is not None:
        report.usage[entry.command.name].add(page)
    command = entry.command
    if not _available(problems, path, first, name, entry.releases, scope):
        scope = Scope(None, scope.label, scope.unverified, scope.check_field_practice)
    if not command.documented and not scope.unverified and scope.check_field_practice:
        problems.append(Problem(path, first.line, name, _FIELD_PRACTICE))
    prefix = command.switch_prefix
    rest = words[1:]
    if command.subcommands:
        subcommand = next((w for w in rest if not w.text.startswith(prefix)), None)
        if subcommand is not None:
            _check_parameter(index, entry, subcommand, subcommand.text, None, name, subcommand.text, path, scope, report)
    for j, word in enumerate(rest):
        text = word.text
        if len(text) < 2 or text[0] != prefix or not text[1].isalpha():
            continue
        # Tools such as exprofre take /switch=value as well as /switch:value.
        pname, _, value = (_TOOL_SWITCH if command.kind == "tool" else _SWITCH).match(text[1:]).groups()
        if not value and command.kind == "cmdlet" and j + 1 < len(rest) and not rest[j + 1].text.startswith("-"):
            value = rest[j + 1].text
        _check_parameter(index, entry, word, pname, value or None, name, f"{prefix}{pname}", path, scope, report)


_SWITCH = re.compile(r"([^:]*)(:?)(.*)", re.DOTALL)
_TOOL_SWITCH = re.compile(r"([^:=]*)([:=]?)(.*)", re.DOTALL)
_FIELD_PRACTICE = "field practice, not documented by Microsoft: put the block inside an !!! unverified or !!! workaround admonition"


def _check_parameter(
    index: CommandIndex,
    entry: Entry,
    word: Word,
    pname: str,
    value: str | None,
    name: str,
    shown: str,
    path: str,
    scope: Scope,
    report: Report,
) -> None:
    problems = report.problems
    node = f"{name} {shown}"
    found = entry.parameters.get(pname.lower())
    report.parameters += 1
    if found is None:
        prefix = "" if entry.command.subcommands else entry.command.switch_prefix
        mine = [f"{prefix}{p}" for p in {n for n, _ in entry.parameters.values()}]
        owners = [o for o in index.parameter_owners(pname) if o != entry.command.name]
        text = f"{UNKNOWN} {known(mine, shown)}"
        if owners:
            text += f"; {shown} is a parameter of {', '.join(owners[:4])}{' and others' if len(owners) > 4 else ''}"
        problems.append(Problem(path, word.line, node, text))
        return
    canonical, parameter = found
    report.used_parameters.add((entry.command.name, canonical))
    _available(problems, path, word, node, _param_releases(entry, parameter), scope)
    documented = parameter.documented if parameter.documented is not None else entry.command.documented
    if not documented and not scope.unverified and scope.check_field_practice:
        problems.append(Problem(path, word.line, node, _FIELD_PRACTICE))
    literal = value and not value.startswith(("<", "$", "'", '"'))
    if parameter.values and literal and value.lower() not in {v.lower() for v in parameter.values}:  # type: ignore[union-attr]
        problems.append(Problem(path, word.line, node, f"value '{value}' is not in the catalogue {known(parameter.values, value)}"))


def check_page(index: CommandIndex, path: Path, rel: str | None, report: Report) -> None:
    """Check every command block of one Markdown page."""
    name = display_path(path)
    try:
        text = safeyaml.read_text(path, 4 * 1024 * 1024)
    except safeyaml.YamlRefused as refused:
        report.problems.extend(refused.problems)
        return
    meta, body_line, body = _page_meta(text, name, report.problems)
    report.pages += 1
    page_releases: list[str] | None = None
    label = "any version"
    declared = meta.get("exchange")
    if declared is not None:
        names = [str(v) for v in declared] if isinstance(declared, list) else [str(declared)]
        page_releases = _versions_of(names)
        label = ", ".join(names)
        if page_releases is None:
            bad = [n for n in names if not releases_from(n)]
            line = next((i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("exchange:")), 1)
            report.problems.append(
                Problem(name, line, "front matter", f"exchange: '{bad[0]}' is not an Exchange version (known: {VERSION_NAMES})")
            )
    found = blocks(body, body_line)
    _check_spans(index, _without_blocks(text, found), name, report, rel)
    for block in found:
        if block.language not in COMMAND_LANGUAGES:
            continue
        scope = _block_scope(name, block, page_releases, label, report.problems)
        if not block.lines:
            continue
        text = "\n".join(line for _, line in block.lines)
        for words in split_commands(text, block.lines[0][0], block.language):
            _check_command(index, words, name, scope, report, rel)


def _without_blocks(text: str, found: list[Block]) -> str:
    """The page with its fenced blocks blanked out (line numbers kept), for the code spans of the prose."""
    lines = text.split("\n")
    for block in found:
        last = block.lines[-1][0] + 1 if block.lines else block.line + 1
        for number in range(block.line, min(last, len(lines)) + 1):
            lines[number - 1] = ""
    return "\n".join(lines)


def _check_spans(index: CommandIndex, text: str, name: str, report: Report, page: str | None) -> None:
    """Commands in code spans of prose: names and parameters only (prose compares versions freely)."""
    scope = Scope(None, "", unverified=True, check_field_practice=False)
    for match in _CODE_SPAN.finditer(text):
        span = match.group(1)
        first = span.split(None, 1)[0] if span.split() else ""
        if first.lower() not in index.by_name and not _VERB_NOUN.match(first):
            continue
        line = text.count("\n", 0, match.start(1)) + 1
        for words in split_commands(span, line, newline_ends=False):
            _check_command(index, words, name, scope, report, page)


def check_decisions(index: CommandIndex, path: Path, report: Report) -> None:
    """Check the commands in a decision file's code spans (names and parameters; no versions)."""
    name = display_path(path)
    try:
        text = safeyaml.read_text(path)
    except safeyaml.YamlRefused as refused:
        report.problems.extend(refused.problems)
        return
    report.decision_files += 1
    _check_spans(index, text, name, report, None)


def check_site(index: CommandIndex, docs_dir: Path, decisions_dir: Path | None, pages: list[Path] | None = None) -> Report:
    """Check the given pages (default: every page under docs_dir, then every decision file)."""
    report = Report()
    targets = pages if pages is not None else sorted(docs_dir.rglob("*.md"))
    root = docs_dir.resolve()
    for path in targets:
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            rel = None
        check_page(index, path, rel, report)
    if pages is None and decisions_dir is not None:
        for path in decision_files(decisions_dir):
            check_decisions(index, path, report)
    report.problems.sort()
    return report
