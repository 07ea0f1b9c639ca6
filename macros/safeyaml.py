"""Load YAML as plain data with line numbers, refusing hostile input in bounded time and memory.

PyYAML's own loaders keep the last of two duplicate keys without a word, build objects for
tags, expand alias chains, and recurse once per nesting level. This loader walks libyaml's event
stream instead (libyaml parses iteratively), so it can refuse each of those with a located
message before any of them costs time or memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

try:  # libyaml is ten times faster; the pure-Python parser is iterative too, so both are safe.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 40
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null")}
_ALLOWED_TAGS = _SCALAR_TAGS | {f"{_STD}map", f"{_STD}seq", "!"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]{1,18}")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


class YamlMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of itself and of each key (1-based)."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YamlList(list):  # type: ignore[type-arg]
    """A sequence that remembers the line of itself and of each item (1-based)."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class YamlRefused(Exception):
    """The file cannot be read as data at all; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def line_of(root: Any, loc: tuple[Any, ...]) -> int:
    """Return the line of the deepest node on ``loc`` (keys and indexes) that exists."""
    line = getattr(root, "line", 1)
    node = root
    for part in loc:
        if isinstance(node, YamlMap) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, YamlList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        line = getattr(node, "line", line)
    return line


class YamlInt(int):
    """An integer read from a plain scalar; ``source`` is the text as written (``0800``)."""

    source: str


class YamlFloat(float):
    """A float read from a plain scalar; ``source`` is the text as written (``1e3``)."""

    source: str


def _number(kind: type[YamlInt] | type[YamlFloat], text: str) -> YamlInt | YamlFloat:
    number = kind(text)
    number.source = text
    return number


def _short(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _plain(value: str) -> Any:
    """Resolve a plain scalar the YAML 1.2 core way (so ``no`` and ``on`` stay text)."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.fullmatch(value):
        return _number(YamlInt, value)
    if _FLOAT.fullmatch(value) and any(ch.isdigit() for ch in value):
        return _number(YamlFloat, value)
    return value


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message: 'a FIFO', 'a directory', ..."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, refusing oversized files, NUL bytes and invalid UTF-8."""
    name = str(path)
    try:
        mode = path.stat().st_mode  # stat never blocks; opening a FIFO would wait for a writer
        if not stat.S_ISREG(mode):
            raise YamlRefused([Problem(name, 1, "file", f"is {file_kind(mode)}, not a text file; only regular files are read")])
        # Non-blocking, then checked again on the open file: it may have been swapped since.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise YamlRefused([Problem(name, 1, "file", f"is {file_kind(info.st_mode)}, not a text file; only regular files are read")])
            if info.st_size > max_bytes:
                raise YamlRefused([Problem(name, 1, "file", f"is {info.st_size} bytes; the limit is {max_bytes} bytes")])
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise YamlRefused([Problem(name, 1, "file", f"cannot be read: {error.strerror}")]) from None
    if len(data) > max_bytes:
        raise YamlRefused([Problem(name, 1, "file", f"is over the limit of {max_bytes} bytes")])
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise YamlRefused([Problem(name, line, "file", "contains a NUL byte; is it a text file?")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlRefused([Problem(name, line, "file", f"is not valid UTF-8 (byte {error.start})")]) from None


def load(text: str, name: str, max_depth: int = MAX_DEPTH) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into YamlMap/YamlList/scalars, with every problem found.

    Raises YamlRefused when nothing usable can be built (syntax error, too deep, no document).
    Problems that leave the data usable (duplicate keys, aliases, tags) are returned instead.
    """
    problems: list[Problem] = []
    missing = object()
    root: Any = missing
    # The open container and its pending key live in locals; parents wait on the stack.
    top: Any = None
    key: Any = missing
    key_line = 0
    stack: list[tuple[Any, Any, int]] = []
    documents = 0
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end, doc_start = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentStartEvent
    str_tag = f"{_STD}str"

    def problem(line: int, message: str) -> None:
        problems.append(Problem(name, line, "yaml", message))

    def bad_tag(tag: str, line: int) -> None:
        problem(line, f"YAML tag '{_short(tag)}' is not allowed: use plain text, lists and mappings")

    def add(value: Any, line: int) -> None:
        """Put a finished value into the open container (the slow path: containers, aliases, odd keys)."""
        nonlocal root, key, key_line
        if top is None:
            root = value
        elif type(top) is YamlList:
            top.append(value)
            top.item_lines.append(line)
        elif key is missing:
            if isinstance(value, (YamlMap, YamlList)) or value is None:
                problem(line, "a mapping key must be a plain word")
                key = None
            else:
                key = str(value)
            key_line = line
        else:
            if key is not None:
                if key in top:
                    problem(
                        key_line,
                        f"duplicate key '{key}' (first at line {top.key_lines[key]}); YAML would silently keep only one of them",
                    )
                else:
                    top[key] = value
                    top.key_lines[key] = key_line
            key = missing

    loader = _Loader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None:
                break
            kind = event.__class__
            if kind is scalar_event:
                line = event.start_mark.line + 1
                tag = event.tag
                if tag is not None and tag not in _ALLOWED_TAGS:
                    bad_tag(tag, line)
                    add(None, line)
                    continue
                value = event.value
                if type(top) is YamlMap:
                    if key is missing:  # the fast path: a key
                        key = value
                        key_line = line
                        continue
                    if event.implicit[0] and tag != str_tag:
                        value = _plain(value)
                    if key is None or key in top:
                        add(value, line)
                    else:
                        top[key] = value
                        top.key_lines[key] = key_line
                        key = missing
                    continue
                if event.implicit[0] and tag != str_tag:
                    value = _plain(value)
                add(value, line)
            elif kind is map_start or kind is seq_start:
                line = event.start_mark.line + 1
                if event.tag is not None and event.tag not in _ALLOWED_TAGS:
                    bad_tag(event.tag, line)
                if len(stack) >= max_depth:
                    problem(line, f"nested deeper than {max_depth} levels")
                    raise YamlRefused(problems)
                stack.append((top, key, key_line))
                top = YamlMap(line) if kind is map_start else YamlList(line)
                key = missing
            elif kind is map_end or kind is seq_end:
                done = top
                top, key, key_line = stack.pop()
                add(done, done.line)
            elif kind is alias_event:
                line = event.start_mark.line + 1
                problem(
                    line,
                    f"alias '*{event.anchor}' is not allowed: write the value out "
                    "(answers share a question through next:, not through YAML aliases)",
                )
                add(None, line)
            elif kind is doc_start:
                documents += 1
                if documents > 1:
                    problem(event.start_mark.line + 1, "holds more than one YAML document; use one file per guide")
                    break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        detail = error.problem or error.context or "syntax error"
        if "nesting depth" in detail:  # libyaml's own limit, reached before ours in flow style
            detail = f"nested deeper than {max_depth} levels"
        else:
            detail = f"syntax error: {detail}"
        raise YamlRefused([*problems, Problem(name, line, "yaml", detail)]) from None
    except yaml.YAMLError as error:  # reader errors (control characters) carry a position, not a mark
        position = getattr(error, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        detail = str(error).splitlines()[0]
        raise YamlRefused([*problems, Problem(name, line, "yaml", f"cannot be read: {detail}")]) from None
    finally:
        loader.dispose()
    if root is missing:
        raise YamlRefused([*problems, Problem(name, 1, "yaml", "the file is empty")])
    return root, problems
