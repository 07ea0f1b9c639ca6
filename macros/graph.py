"""Graph checks on one guide, all linear in questions plus answers (paths are counted, never listed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import safeyaml
from .model import Guide
from .problems import Problem, known

MAX_CYCLES_REPORTED = 10


@dataclass
class GraphFacts:
    """What the checks learn about a valid guide: path counts and remaining depth per question."""

    paths: int = 0
    paths_from: dict[str, int] = field(default_factory=dict)
    longest_from: dict[str, int] = field(default_factory=dict)
    number: dict[str, int] = field(default_factory=dict)


def _line(raw: Any, *loc: Any) -> int:
    return safeyaml.line_of(raw, loc)


def check_guide(guide: Guide, raw: Any, name: str) -> tuple[list[Problem], GraphFacts]:
    """Check ids, edges, reachability and cycles; count paths. Problems are returned, not raised."""
    problems: list[Problem] = []
    facts = GraphFacts()

    def problem(node: str, message: str, *loc: Any) -> None:
        problems.append(Problem(name, _line(raw, *loc), node, message))

    questions: dict[str, int] = {}
    for i, question in enumerate(guide.questions):
        if question.id in questions:
            first = _line(raw, "questions", questions[question.id])
            problem(f"question '{question.id}'", f"duplicate question id (first at line {first})", "questions", i)
        else:
            questions[question.id] = i
    outcomes: dict[str, int] = {}
    for i, outcome in enumerate(guide.outcomes):
        if outcome.id in outcomes:
            first = _line(raw, "outcomes", outcomes[outcome.id])
            problem(f"outcome '{outcome.id}'", f"duplicate outcome id (first at line {first})", "outcomes", i)
        elif outcome.id in questions:
            problem(
                f"outcome '{outcome.id}'",
                "has the same id as a question; ids are shared by anchors and URLs, so keep them distinct",
                "outcomes",
                i,
            )
        else:
            outcomes[outcome.id] = i

    # Edges, by index, so the traversal below does no dictionary look-ups by name.
    edges: list[list[int]] = []
    reached_outcomes: set[str] = set()
    for i, question in enumerate(guide.questions):
        node = f"question '{question.id}'"
        targets: list[int] = []
        seen: dict[str, int] = {}
        for j, answer in enumerate(question.answers):
            if answer.id in seen:
                problem(
                    node,
                    f"answer '{answer.id}' appears twice (first at line {_line(raw, 'questions', i, 'answers', seen[answer.id])})",
                    "questions",
                    i,
                    "answers",
                    j,
                )
            seen.setdefault(answer.id, j)
            if answer.next is not None:
                if answer.next in questions:
                    targets.append(questions[answer.next])
                else:
                    hint = " (that is an outcome: use 'outcome:')" if answer.next in outcomes else ""
                    problem(
                        node,
                        f"answer '{answer.id}' leads to unknown question '{answer.next}'{hint} {known(questions, answer.next)}",
                        "questions",
                        i,
                        "answers",
                        j,
                        "next",
                    )
            elif answer.outcome not in outcomes:
                hint = " (that is a question: use 'next:')" if answer.outcome in questions else ""
                problem(
                    node,
                    f"answer '{answer.id}' leads to unknown outcome '{answer.outcome}'{hint} {known(outcomes, answer.outcome or '')}",
                    "questions",
                    i,
                    "answers",
                    j,
                    "outcome",
                )
        edges.append(targets)

    start = guide.start_id
    if start not in questions:
        problem(f"guide '{guide.id}'", f"start '{start}' is not a question {known(questions, start)}", "start")
        return problems, facts

    # Iterative depth-first search: colours find cycles, the post-order is a reverse topological order.
    n = len(guide.questions)
    colour = [0] * n  # 0 unseen, 1 on the stack, 2 done
    order: list[int] = []
    cycles = 0
    root = questions[start]
    stack: list[tuple[int, int]] = [(root, 0)]
    colour[root] = 1
    path: list[int] = [root]
    while stack:
        q, k = stack[-1]
        if k < len(edges[q]):
            stack[-1] = (q, k + 1)
            nxt = edges[q][k]
            if colour[nxt] == 0:
                colour[nxt] = 1
                stack.append((nxt, 0))
                path.append(nxt)
            elif colour[nxt] == 1:
                cycles += 1
                if cycles <= MAX_CYCLES_REPORTED:
                    loop = [*path[path.index(nxt) :], nxt]
                    shown = " -> ".join(guide.questions[x].id for x in loop)
                    answer = next(a for a in guide.questions[q].answers if a.next == guide.questions[nxt].id)
                    problem(
                        f"question '{guide.questions[q].id}'",
                        f"answer '{answer.id}' closes a cycle: {shown}",
                        "questions",
                        q,
                        "answers",
                        guide.questions[q].answers.index(answer),
                        "next",
                    )
        else:
            stack.pop()
            path.pop()
            colour[q] = 2
            order.append(q)
    if cycles > MAX_CYCLES_REPORTED:
        problem(f"guide '{guide.id}'", f"{cycles - MAX_CYCLES_REPORTED} more cycles not listed", "questions")

    for i, question in enumerate(guide.questions):
        if colour[i] == 0:
            problem(f"question '{question.id}'", f"is unreachable from the start question '{start}'", "questions", i)
        else:
            reached_outcomes.update(a.outcome for a in question.answers if a.outcome)
    for i, outcome in enumerate(guide.outcomes):
        if outcome.id not in reached_outcomes and outcomes.get(outcome.id) == i:
            problem(f"outcome '{outcome.id}'", "is unreachable: no answer leads to it", "outcomes", i)

    if problems:
        return problems, facts

    # Dynamic programming over the reverse topological order: each question once, each answer once.
    paths = [0] * n
    longest = [0] * n
    for q in order:
        total = 0
        deepest = 0
        for answer in guide.questions[q].answers:
            if answer.outcome is not None:
                total += 1
            else:
                target = questions[answer.next]  # type: ignore[index]
                total += paths[target]
                deepest = max(deepest, longest[target])
        paths[q] = total
        longest[q] = deepest + 1
    facts.paths = paths[root]
    facts.paths_from = {guide.questions[q].id: paths[q] for q in order}
    facts.longest_from = {guide.questions[q].id: longest[q] for q in order}
    facts.number = {question.id: i + 1 for i, question in enumerate(guide.questions)}
    return problems, facts
