"""Graph checks on one guide, all linear in questions plus answers (paths are counted, never listed).

Each check is one function with one concern, run in order by ``check_guide`` over a shared
``GuideCheck`` (the guide, the ids found so far, the edges, the traversal order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import safeyaml
from .model import Guide
from .problems import Problem, Suggester

MAX_CYCLES_REPORTED = 10


@dataclass
class GraphFacts:
    """What the checks learn about a valid guide: path counts and remaining depth per question."""

    paths: int = 0
    paths_from: dict[str, int] = field(default_factory=dict)
    longest_from: dict[str, int] = field(default_factory=dict)
    number: dict[str, int] = field(default_factory=dict)


def count_text(count: int) -> str:
    """A path count for people: exact up to 10^18, then in scientific notation."""
    if count < 10**18:
        return str(count)
    exponent = int(math.log10(count))
    return f"about {count / 10 ** (exponent - 3) / 1000:.3f}e{exponent}" if exponent < 300 else f"about 10^{exponent}"


@dataclass
class GuideCheck:
    """The state the checks of one guide share; problems are collected, never raised."""

    guide: Guide
    raw: Any
    name: str
    problems: list[Problem] = field(default_factory=list)
    questions: dict[str, int] = field(default_factory=dict)  # id -> index of its first definition
    outcomes: dict[str, int] = field(default_factory=dict)
    edges: list[list[int]] = field(default_factory=list)  # question index -> indexes of next questions
    colour: list[int] = field(default_factory=list)  # 0 unseen, 1 on the stack, 2 done
    order: list[int] = field(default_factory=list)  # post-order: a reverse topological order
    root: int = 0

    def line(self, *loc: Any) -> int:
        """The line of a node of the raw file, given as keys and indexes."""
        return safeyaml.line_of(self.raw, loc)

    def problem(self, node: str, message: str, *loc: Any) -> None:
        """Record a problem at the line of ``loc``."""
        self.problems.append(Problem(self.name, self.line(*loc), node, message))


def check_question_ids(state: GuideCheck) -> None:
    """Each question id is defined once."""
    for i, question in enumerate(state.guide.questions):
        if question.id in state.questions:
            first = state.line("questions", state.questions[question.id])
            state.problem(f"question '{question.id}'", f"duplicate question id (first at line {first})", "questions", i)
        else:
            state.questions[question.id] = i


def check_outcome_ids(state: GuideCheck) -> None:
    """Each outcome id is defined once and differs from every question id."""
    for i, outcome in enumerate(state.guide.outcomes):
        node = f"outcome '{outcome.id}'"
        if outcome.id in state.outcomes:
            first = state.line("outcomes", state.outcomes[outcome.id])
            state.problem(node, f"duplicate outcome id (first at line {first})", "outcomes", i)
        elif outcome.id in state.questions:
            state.problem(node, "has the same id as a question; ids are shared by anchors and URLs, so keep them distinct", "outcomes", i)
        else:
            state.outcomes[outcome.id] = i


def check_answer_ids(state: GuideCheck) -> None:
    """Each answer id is used once within its question."""
    for i, question in enumerate(state.guide.questions):
        seen: dict[str, int] = {}
        for j, answer in enumerate(question.answers):
            if answer.id in seen:
                first = state.line("questions", i, "answers", seen[answer.id])
                state.problem(
                    f"question '{question.id}'", f"answer '{answer.id}' appears twice (first at line {first})", "questions", i, "answers", j
                )
            seen.setdefault(answer.id, j)


def check_targets(state: GuideCheck) -> None:
    """Every answer leads to a question or outcome that exists; records the edges between questions."""
    questions, outcomes = state.questions, state.outcomes
    # The suggestion searches are bounded per guide: a file of misspelt targets stays linear.
    suggest_question, suggest_outcome = Suggester(questions), Suggester(outcomes)
    for i, question in enumerate(state.guide.questions):
        node = f"question '{question.id}'"
        targets: list[int] = []
        for j, answer in enumerate(question.answers):
            if answer.next is not None:
                if answer.next in questions:
                    targets.append(questions[answer.next])
                    continue
                hint = " (that is an outcome: use 'outcome:')" if answer.next in outcomes else ""
                message = f"answer '{answer.id}' leads to unknown question '{answer.next}'{hint} {suggest_question(answer.next)}"
                state.problem(node, message, "questions", i, "answers", j, "next")
            elif answer.outcome not in outcomes:
                wrong = answer.outcome or ""
                hint = " (that is a question: use 'next:')" if wrong in questions else ""
                message = f"answer '{answer.id}' leads to unknown outcome '{wrong}'{hint} {suggest_outcome(wrong)}"
                state.problem(node, message, "questions", i, "answers", j, "outcome")
        state.edges.append(targets)


def check_start(state: GuideCheck) -> bool:
    """The start question exists; the other graph checks need it."""
    start = state.guide.start_id
    if start not in state.questions:
        state.problem(f"guide '{state.guide.id}'", f"start '{start}' is not a question {Suggester(state.questions)(start)}", "start")
        return False
    state.root = state.questions[start]
    return True


def check_cycles(state: GuideCheck) -> None:
    """No answer leads back to a question on its own path (iterative depth-first search)."""
    questions = state.guide.questions
    colour = state.colour = [0] * len(questions)
    edges, order, root = state.edges, state.order, state.root
    cycles = 0
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
                    shown = " -> ".join(questions[x].id for x in [*path[path.index(nxt) :], nxt])
                    j, answer = next((j, a) for j, a in enumerate(questions[q].answers) if a.next == questions[nxt].id)
                    state.problem(
                        f"question '{questions[q].id}'",
                        f"answer '{answer.id}' closes a cycle: {shown}",
                        "questions",
                        q,
                        "answers",
                        j,
                        "next",
                    )
        else:
            stack.pop()
            path.pop()
            colour[q] = 2
            order.append(q)
    if cycles > MAX_CYCLES_REPORTED:
        state.problem(f"guide '{state.guide.id}'", f"{cycles - MAX_CYCLES_REPORTED} more cycles not listed", "questions")


def check_reachable(state: GuideCheck) -> None:
    """Every question is reached from the start, and every outcome by some reached answer."""
    start = state.guide.start_id
    reached_outcomes: set[str] = set()
    for i, question in enumerate(state.guide.questions):
        if state.colour[i] == 0:
            state.problem(f"question '{question.id}'", f"is unreachable from the start question '{start}'", "questions", i)
        else:
            reached_outcomes.update(a.outcome for a in question.answers if a.outcome)
    for i, outcome in enumerate(state.guide.outcomes):
        if outcome.id not in reached_outcomes and state.outcomes.get(outcome.id) == i:
            state.problem(f"outcome '{outcome.id}'", "is unreachable: no answer leads to it", "outcomes", i)


def count_paths(state: GuideCheck) -> GraphFacts:
    """Count start-to-outcome paths and remaining depth: each question once, each answer once."""
    questions = state.guide.questions
    n = len(questions)
    paths = [0] * n
    longest = [0] * n
    for q in state.order:
        total = 0
        deepest = 0
        for answer in questions[q].answers:
            if answer.outcome is not None:
                total += 1
            else:
                target = state.questions[answer.next]  # type: ignore[index]
                total += paths[target]
                deepest = max(deepest, longest[target])
        paths[q] = total
        longest[q] = deepest + 1
    return GraphFacts(
        paths=paths[state.root],
        paths_from={questions[q].id: paths[q] for q in state.order},
        longest_from={questions[q].id: longest[q] for q in state.order},
        number={question.id: i + 1 for i, question in enumerate(questions)},
    )


def check_guide(guide: Guide, raw: Any, name: str) -> tuple[list[Problem], GraphFacts]:
    """Check ids, edges, reachability and cycles; count paths. Problems are returned, not raised."""
    state = GuideCheck(guide, raw, name)
    for check in (check_question_ids, check_outcome_ids, check_answer_ids, check_targets):
        check(state)
    if not check_start(state):
        return state.problems, GraphFacts()
    check_cycles(state)
    check_reachable(state)
    if state.problems:
        return state.problems, GraphFacts()
    return state.problems, count_paths(state)
