"""Re-seed time: one function and one stated assumption for every guide, page and the binder.

A guide's Markdown text (question help, answer explanations, outcome summaries) may say
``[[reseed 500 GB at 10 Mbit/s]]``; loading the guide replaces it with the figure this module
computes. Pages show the same figures through the ``reseed_table`` and ``reseed_assumption``
macros, so a guide, the Reference table and the binder can never give two numbers for one case.
"""

from __future__ import annotations

import re
from typing import Any

from . import safeyaml
from .model import Guide
from .problems import Problem

EFFICIENCY = 0.8
BYTES_PER_GB = 1024**3
BITS_PER_MBIT = 1_000_000
ASSUMPTION = (
    "Re-seed time is database size divided by effective throughput, taken as 80% of the line rate "
    "(protocol overhead and other traffic). Sizes are as Windows shows them (1 GB = 1,073,741,824 "
    "bytes, 1 TB = 1,024 GB); line rates are decimal (1 Mbit/s = 1,000,000 bit/s). Not included: "
    "the logs written while the seed runs and their replay afterwards; add both."
)
# The table on the Reference page and the re-seed procedures: sizes in GB, links in Mbit/s.
TABLE_SIZES_GB = (100, 500, 1024, 2048)
TABLE_LINKS_MBIT = (10, 100, 1000)

_TOKEN = re.compile(r"\[\[reseed\b[^\]]*\]\]")
_FIGURE = re.compile(r"\[\[reseed (\d+(?:\.\d+)?) (GB|TB) at (\d+(?:\.\d+)?) (Mbit/s|Gbit/s)\]\]")
_ASSUMPTION_TOKEN = "[[reseed assumption]]"
_MARKDOWN_FIELDS = {"help", "explanation", "summary"}


def reseed_hours(size_gb: float, link_mbit: float) -> float:
    """Hours to copy a database of ``size_gb`` (Windows GB) over a ``link_mbit`` Mbit/s line."""
    if size_gb < 0 or link_mbit <= 0:
        raise ValueError("size must be zero or more and the line rate more than zero")
    bytes_per_second = link_mbit * BITS_PER_MBIT * EFFICIENCY / 8
    return size_gb * BYTES_PER_GB / bytes_per_second / 3600


def describe(hours: float) -> str:
    """A duration as an engineer reads it: minutes, hours, and days beyond one day."""
    if hours < 1:
        return f"about {max(1, round(hours * 60))} minutes"
    if hours < 10:
        return f"about {hours:.1f} hours"
    if hours < 24:
        return f"about {round(hours)} hours"
    return f"about {round(hours)} hours ({hours / 24:.1f} days)"


def link_label(link_mbit: float) -> str:
    """A line rate as written in the guides: 10 Mbit/s, 1 Gbit/s."""
    return f"{link_mbit / 1000:g} Gbit/s" if link_mbit >= 1000 else f"{link_mbit:g} Mbit/s"


def size_label(size_gb: float) -> str:
    """A database size as written in the guides: 500 GB, 2 TB."""
    return f"{size_gb / 1024:g} TB" if size_gb >= 1024 and size_gb % 1024 == 0 else f"{size_gb:g} GB"


def table() -> dict[str, Any]:
    """The Reference table: one row per size, one column per link, each cell from reseed_hours."""
    return {
        "links": [link_label(link) for link in TABLE_LINKS_MBIT],
        "rows": [
            {"size": size_label(size), "cells": [describe(reseed_hours(size, link)) for link in TABLE_LINKS_MBIT]}
            for size in TABLE_SIZES_GB
        ],
        "assumption": ASSUMPTION,
    }


def _figure(match: re.Match[str]) -> str:
    size = float(match.group(1)) * (1024 if match.group(2) == "TB" else 1)
    link = float(match.group(3)) * (1000 if match.group(4) == "Gbit/s" else 1)
    return describe(reseed_hours(size, link))


def expand(text: str) -> tuple[str, list[str]]:
    """Replace every re-seed token in ``text``; return the text and the tokens that are malformed."""
    bad: list[str] = []

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == _ASSUMPTION_TOKEN:
            return ASSUMPTION
        figure = _FIGURE.fullmatch(token)
        if figure is None:
            bad.append(token)
            return token
        return _figure(figure)

    return _TOKEN.sub(one, text), bad


def _expand_node(value: Any, raw: Any, path: tuple[Any, ...], name: str, node: str, problems: list[Problem]) -> Any:
    """Expand the Markdown fields of one node (a dict dumped from the model)."""
    for key in _MARKDOWN_FIELDS & value.keys():
        if isinstance(value[key], str):
            value[key], bad = expand(value[key])
            for token in bad:
                problems.append(
                    Problem(
                        name,
                        safeyaml.line_of(raw, (*path, key)),
                        node,
                        f"{key}: cannot read the re-seed figure '{token}' "
                        "(write [[reseed 500 GB at 10 Mbit/s]], sizes in GB or TB, links in Mbit/s or Gbit/s, "
                        "or [[reseed assumption]])",
                    )
                )
    return value


def expand_guide(guide: Guide, raw: Any, name: str) -> tuple[Guide, list[Problem]]:
    """Return the guide with every re-seed token in its Markdown text replaced, and the bad ones."""
    problems: list[Problem] = []
    data = guide.model_dump(exclude_none=True)  # absent stays absent: the model refuses an explicit null
    for i, question in enumerate(data["questions"]):
        node = f"question '{question['id']}'"
        _expand_node(question, raw, ("questions", i), name, node, problems)
        for j, answer in enumerate(question["answers"]):
            _expand_node(answer, raw, ("questions", i, "answers", j), name, f"{node}: answer '{answer['id']}'", problems)
    for i, outcome in enumerate(data["outcomes"]):
        _expand_node(outcome, raw, ("outcomes", i), name, f"outcome '{outcome['id']}'", problems)
    return Guide.model_validate(data), problems
