"""Read one decision file into a typed Guide, turning every schema error into a located Problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import safeyaml
from .model import Answer, Guide, Outcome, Question, Symptom
from .problems import Problem
from .reseed import expand_guide

_FIELDS = {
    (): Guide.model_fields,
    ("questions",): Question.model_fields,
    ("outcomes",): Outcome.model_fields,
    ("questions", "answers"): Answer.model_fields,
    ("questions", "symptoms"): Symptom.model_fields,
    ("questions", "answers", "symptoms"): Symptom.model_fields,
}
_KINDS = {"questions": "question", "outcomes": "outcome", "answers": "answer", "symptoms": "symptom"}
_INNER = ("answers", "symptoms")  # nodes inside a question: named in the message, not as the node


@dataclass
class Loaded:
    """A decision file as read: the typed guide (None when invalid) and the raw located data."""

    path: str
    guide: Guide | None
    raw: Any
    problems: list[Problem]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f'the boolean {word}: YAML reads an unquoted {word} as a yes/no value, so write it in quotes ("{word}") to keep it as text'
    if isinstance(value, (int, float)):
        source = getattr(value, "source", repr(value))
        if source == repr(value):
            return f'the number {source}: YAML reads it as a number, so write it in quotes ("{source}") to keep it as text'
        return f'the number {source}: YAML would publish it as {value!r}, so write it in quotes ("{source}") to keep it as written'
    return f"{type(value).__name__} {value!r}"


def _node_name(raw: Any, loc: tuple[Any, ...]) -> tuple[str, list[str], tuple[str, ...]]:
    """Split an error location into the node it belongs to and a readable field path."""
    node = f"guide '{raw.get('id')}'" if isinstance(raw, dict) and isinstance(raw.get("id"), str) else "guide"
    where: list[str] = []
    fields: tuple[str, ...] = ()
    data: Any = raw
    i = 0
    while i < len(loc):
        part = loc[i]
        if part in _KINDS and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            index = loc[i + 1]
            fields = (*fields, part) if part not in _INNER or fields else ("questions", part)
            item = data.get(part)[index] if isinstance(data, dict) else None
            ident = item.get("id") if isinstance(item, dict) else None
            label = f"'{ident}'" if isinstance(ident, str) else f"#{index + 1}"
            if part in _INNER:
                where.append(f"{_KINDS[part]} {label}")
            else:
                node = f"{_KINDS[part]} {label}"
            data = item
            i += 2
            continue
        if isinstance(part, int) and where:
            where[-1] = f"{where[-1]} item {part + 1}"
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            where.append(str(part))
            data = data.get(part) if isinstance(data, dict) else None
        i += 1
    return node, where, fields


def _message(error: dict[str, Any], where: list[str], fields: tuple[str, ...]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    inner = tuple(f"{_KINDS[part]} " for part in _INNER)
    field = where[-1] if where and not where[-1].startswith(inner) else None
    lead = ": ".join(w for w in where if w.startswith(inner)) if where else ""
    value = error.get("input")
    if kind == "missing":
        text = f"missing required key '{field}'"
    elif kind == "extra_forbidden":
        allowed = ", ".join(_FIELDS.get(fields, {}))
        text = f"unknown key '{field}' (allowed: {allowed})"
    elif kind == "string_pattern_mismatch" and field == "source":
        text = f"source '{value}' is not a URL (http:// or https://)"
    elif kind == "string_pattern_mismatch":
        text = f"{field} '{value}' is not a kebab-case id (lowercase letters and digits joined by single hyphens)"
    elif kind == "string_too_short":
        text = f"{field} must not be empty"
    elif kind == "string_too_long":
        text = f"{field} is longer than {ctx.get('max_length')} characters"
    elif kind == "too_short":
        need = ctx.get("min_length")
        have = ctx.get("actual_length")
        noun = {"answers": "answers", "questions": "questions", "outcomes": "outcomes", "procedures": "procedures"}
        text = f"needs at least {need} {noun.get(field or '', 'items')} under '{field}', has {have}"
    elif kind == "literal_error":
        text = f"{field} '{value}' is not one of: {ctx.get('expected')}"
    elif kind in ("string_type", "str_type"):
        text = f"{field} must be text, not {_describe(value)}"
    elif kind == "list_type":
        text = f"{field} must be a list, not {_describe(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        text = f"{field or 'this'} must be a mapping, not {_describe(value)}"
    elif kind == "value_error":
        detail = str(ctx.get("error", error["msg"]))
        text = f"{field} {detail}" if field else detail
    else:
        text = f"{field}: {error['msg']}" if field else error["msg"]
    return f"{lead}: {text}" if lead else text


def schema_problems(name: str, raw: Any, error: ValidationError) -> list[Problem]:
    """Translate pydantic errors into located problems in the project's format."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        node, where, fields = _node_name(raw, loc)
        line = safeyaml.line_of(raw, loc)
        problems.append(Problem(name, line, node, _message(item, where, fields)))
    return problems


def load_guide(path: Path, name: str | None = None, max_bytes: int = safeyaml.MAX_BYTES) -> Loaded:
    """Read, parse and validate one decision file; never raises for a bad file."""
    name = name or str(path)
    try:
        text = safeyaml.read_text(path, max_bytes)
        raw, problems = safeyaml.load(text, name)
    except safeyaml.YamlRefused as refused:
        return Loaded(name, None, None, refused.problems)
    if problems:  # tags, aliases, duplicate keys: the data is not what the author meant; stop here
        return Loaded(name, None, raw, problems)
    if not isinstance(raw, dict):
        problems.append(Problem(name, getattr(raw, "line", 1), "guide", f"the file must hold a mapping, not {_describe(raw)}"))
        return Loaded(name, None, raw, problems)
    try:
        guide = Guide.model_validate(raw)
    except ValidationError as error:
        return Loaded(name, None, raw, problems + schema_problems(name, raw, error))
    if "[[reseed" in text:  # figures computed by macros/engine/reseed.py, the one source of re-seed times
        guide, figure_problems = expand_guide(guide, raw, name)
        if figure_problems:
            return Loaded(name, None, raw, problems + figure_problems)
    return Loaded(name, guide, raw, problems)
