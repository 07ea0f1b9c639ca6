"""Problems found in authored files, and the one format every tool prints them in."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located mistake in an authored file: ``PATH:LINE: NODE: MESSAGE``."""

    path: str
    line: int
    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.node}: {self.message}"


class ProblemsFound(Exception):
    """Raised with every problem found, so callers report them together."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def known(candidates: Iterable[str], wrong: str, limit: int = 8) -> str:
    """List valid choices for an error message, closest to ``wrong`` first."""
    pool = sorted(set(candidates))
    if not pool:
        return "(none defined)"
    close = difflib.get_close_matches(wrong, pool, n=3, cutoff=0.5)
    ordered = close + [c for c in pool if c not in close]
    shown = ", ".join(ordered[:limit])
    more = len(ordered) - limit
    return f"(known: {shown}{f', ... and {more} more' if more > 0 else ''})"
