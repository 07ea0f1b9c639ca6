"""Problems found in authored files, and the one format every tool prints them in."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Characters that would break "one problem, one line" or reach the terminal as control codes:
# C0 and C1 controls, DEL, Unicode line and paragraph separators, and bidirectional overrides
# (which can make a line read differently from what it holds).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """Text from a file as one printable line: newlines, escape codes and NUL shown as \\n, \\x1b, \\x00."""
    return _UNSAFE.sub(_visible, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One located mistake in an authored file: ``PATH:LINE: NODE: MESSAGE``."""

    path: str
    line: int
    node: str
    message: str

    def __str__(self) -> str:
        # Every part may hold text from a file (a file name, an id, a key): escaped, so a problem
        # is always exactly one line and cannot forge another one or drive the terminal.
        return f"{escape(self.path)}:{self.line}: {escape(self.node)}: {escape(self.message)}"


class ProblemsFound(Exception):
    """Raised with every problem found, so callers report them together."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(len(self.problems))

    def __str__(self) -> str:
        # Built when asked for: the command line prints problem by problem, and a hostile file
        # can have hundreds of thousands of them.
        return "\n".join(str(p) for p in self.problems)


class Suggester:
    """The valid choices for error messages, closest first, in bounded total time.

    A "did you mean" search compares the wrong id with every valid one, so a file whose answers
    all point at misspelt ids would cost questions x answers comparisons. The sorted pool is built
    once, and the searches share a budget of comparisons (20,000): a guide of 100 ids gets
    suggestions for its first 200 mistakes, one of 10,000 for its first two; the rest list the
    choices alphabetically, which costs nothing per lookup.
    """

    def __init__(self, candidates: Iterable[str], budget: int = 20_000, limit: int = 8) -> None:
        self.pool = sorted(set(candidates))
        self.budget = budget
        self.limit = limit

    def __call__(self, wrong: str) -> str:
        """List valid choices for an error message, closest to ``wrong`` first while the budget lasts."""
        pool = self.pool
        if not pool:
            return "(none defined)"
        close: list[str] = []
        if self.budget >= len(pool):
            self.budget -= len(pool)
            close = difflib.get_close_matches(wrong, pool, n=3, cutoff=0.5)
        ordered = close + [c for c in pool[: self.limit + len(close)] if c not in close]
        shown = ", ".join(ordered[: self.limit])
        more = len(pool) - self.limit
        return f"(known: {shown}{f', ... and {more} more' if more > 0 else ''})"


def known(candidates: Iterable[str], wrong: str, limit: int = 8) -> str:
    """List valid choices for an error message, closest to ``wrong`` first."""
    suggest = Suggester(candidates, limit=limit)
    suggest.budget = len(suggest.pool)  # one search, whatever the size
    return suggest(wrong)
