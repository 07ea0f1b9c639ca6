"""Find the command blocks of a Markdown page and split their text into commands and words.

Renderer-neutral: it reads Markdown as text, the way an author sees it. A fenced block knows its
language, its title (``title="Exchange 2010 SP1"``), the tab it sits in (``=== "Exchange 2007"``)
and whether it sits inside an ``!!! unverified`` or ``!!! workaround`` admonition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Languages whose blocks hold commands to check; other blocks (text, yaml, sh for this project's
# own tooling) are output or configuration and are skipped.
COMMAND_LANGUAGES = frozenset({"powershell", "ps1", "pwsh", "ps", "posh", "bat", "batch", "cmd"})
UNVERIFIED_KINDS = frozenset({"unverified", "workaround"})

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<header>[^`\n]*)$")
_ADMONITION = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)")
_TAB = re.compile(r"^(?P<indent>[ \t]*)===\+?[ \t]+\"(?P<label>[^\"]*)\"")
_TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)')""")


@dataclass
class Block:
    """A fenced code block: where it starts, what it is for, and its lines with their numbers."""

    line: int
    language: str
    title: str | None
    tab: str | None
    unverified: bool
    lines: list[tuple[int, str]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Block(line={self.line}, {self.language!r}, title={self.title!r}, unverified={self.unverified})"


def _width(indent: str) -> int:
    return len(indent.replace("\t", "    "))


def _language(header: str) -> str:
    header = header.strip()
    if header.startswith("{"):
        match = re.search(r"\.([\w+-]+)", header)
        return match.group(1).lower() if match else ""
    return header.split(" ", 1)[0].lower() if header else ""


def blocks(text: str, first_line: int = 1) -> list[Block]:
    """Every fenced code block of a Markdown text; ``first_line`` is the number of its first line."""
    found: list[Block] = []
    context: list[tuple[int, str, str]] = []  # (indent, 'admonition' | 'tab', kind or label)
    open_block: Block | None = None
    fence = ""
    fence_indent = 0
    for number, line in enumerate(text.splitlines(), start=first_line):
        if open_block is not None:
            stripped = line.strip()
            closing_indent = _width(line[: len(line) - len(line.lstrip())])
            if set(stripped) == {fence[0]} and len(stripped) >= len(fence) and closing_indent <= fence_indent + 3:
                found.append(open_block)
                open_block = None
                continue
            content = line
            cut = 0
            while cut < len(content) and cut < fence_indent and content[cut] in " \t":
                cut += 1
            open_block.lines.append((number, content[cut:]))
            continue
        if not line.strip():
            continue
        indent = _width(line[: len(line) - len(line.lstrip())])
        while context and indent <= context[-1][0]:
            context.pop()
        match = _FENCE.match(line)
        if match:
            header = match.group("header")
            title = _TITLE.search(header)
            tabs = [label for _, what, label in context if what == "tab"]
            open_block = Block(
                line=number,
                language=_language(header),
                title=(title.group(1) if title.group(1) is not None else title.group(2)) if title else None,
                tab=tabs[-1] if tabs else None,
                unverified=any(what == "admonition" and kind in UNVERIFIED_KINDS for _, what, kind in context),
            )
            fence = match.group("fence")
            fence_indent = _width(match.group("indent"))
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            context.append((indent, "admonition", admonition.group("kind").lower()))
            continue
        tab = _TAB.match(line)
        if tab:
            context.append((indent, "tab", tab.group("label")))
    return found


@dataclass
class Word:
    """One word of a command as written, and the line it is on."""

    text: str
    line: int


def split_commands(text: str, first_line: int, shell: str = "powershell", newline_ends: bool = True) -> list[list[Word]]:
    """Split command text into commands (pipeline elements, statements), each a list of words.

    Quotes, script blocks ``{...}`` and groups ``(...)`` stay inside one word; ``#`` starts a
    comment in PowerShell; a backtick at the end of a line continues it.
    """
    commands: list[list[Word]] = []
    current: list[Word] = []
    word: list[str] = []
    word_line = first_line
    line = first_line
    depth = 0
    quote = ""
    i = 0
    n = len(text)
    powershell = shell not in ("bat", "batch", "cmd")

    def end_word() -> None:
        nonlocal word
        if word:
            current.append(Word("".join(word), word_line))
            word = []

    def end_command() -> None:
        nonlocal current
        end_word()
        if current:
            commands.append(current)
            current = []

    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            if quote or depth:
                word.append(" ")
            elif newline_ends:
                end_command()
            else:
                end_word()
            i += 1
            continue
        if quote:
            word.append(ch)
            if ch == quote:
                quote = ""
            i += 1
            continue
        if ch in "\"'":
            if not word:
                word_line = line
            quote = ch
            word.append(ch)
            i += 1
            continue
        if ch in "{(":
            if not word:
                word_line = line
            depth += 1
            word.append(ch)
            i += 1
            continue
        if ch in "})" and depth:
            depth -= 1
            word.append(ch)
            i += 1
            continue
        if depth:
            word.append(ch)
            i += 1
            continue
        if powershell and ch == "`" and text[i + 1 : i + 2] == "\n":
            end_word()
            line += 1
            i += 2
            continue
        if powershell and ch == "#" and not word:
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch in "|;" or (not powershell and ch == "&"):
            end_command()
            i += 1
            continue
        if ch in " \t\r":
            end_word()
            i += 1
            continue
        if not word:
            word_line = line
        word.append(ch)
        i += 1
    end_command()
    if not powershell:
        commands = [c for c in commands if c[0].text.lower() != "rem" and not c[0].text.startswith("::")]
    return commands
