"""Layer (b) on synthetic guides: path counts agree with an independent count; no enumeration, no recursion."""

from __future__ import annotations

import random
from functools import cache

import pytest

from macros.engine.graph import check_guide
from macros.engine.model import Guide


def make_guide(edges: dict[int, list[int | str]]) -> Guide:
    """A guide from {question index: [next question index, or outcome id]}."""
    outcomes = sorted({t for targets in edges.values() for t in targets if isinstance(t, str)})
    return Guide.model_validate(
        {
            "id": "synthetic",
            "title": "Synthetic",
            "introduction": "Generated.",
            "questions": [
                {
                    "id": f"q{q}",
                    "text": f"Question {q}?",
                    "answers": [
                        {"id": f"a{k}", "label": f"A{k}", **({"outcome": t} if isinstance(t, str) else {"next": f"q{t}"})}
                        for k, t in enumerate(targets)
                    ],
                }
                for q, targets in edges.items()
            ],
            "outcomes": [{"id": o, "title": o, "summary": o, "procedures": ["procedures/alpha.md"]} for o in outcomes],
        }
    )


def enumerate_paths(edges: dict[int, list[int | str]], start: int = 0) -> list[tuple[str, ...]]:
    """Every path, listed one by one: the slow, obviously right count to compare against."""
    paths = []
    stack: list[tuple[int, tuple[str, ...]]] = [(start, ())]
    while stack:
        q, prefix = stack.pop()
        for k, t in enumerate(edges[q]):
            step = (*prefix, f"q{q}={k}")
            if isinstance(t, str):
                paths.append((*step, t))
            else:
                stack.append((t, step))
    return paths


def random_dag(rng: random.Random, n: int) -> dict[int, list[int | str]]:
    edges: dict[int, list[int | str]] = {}
    for q in range(n):
        answers: list[int | str] = []
        for _ in range(rng.randint(2, 4)):
            later = list(range(q + 1, n))
            answers.append(rng.choice(later) if later and rng.random() < 0.7 else f"o{rng.randint(0, 3)}")
        edges[q] = answers
    # Keep only what the start reaches, renumbered, so the guide has no unreachable question.
    seen, order = {0}, [0]
    for q in order:
        for t in edges[q]:
            if isinstance(t, int) and t not in seen:
                seen.add(t)
                order.append(t)
    index = {q: i for i, q in enumerate(sorted(seen))}
    return {index[q]: [index[t] if isinstance(t, int) else t for t in edges[q]] for q in sorted(seen)}


@pytest.mark.parametrize("seed", range(40))
def test_path_count_matches_enumeration_on_random_dags(seed: int) -> None:
    edges = random_dag(random.Random(seed), random.Random(seed).randint(2, 14))
    guide = make_guide(edges)
    used = {t for targets in edges.values() for t in targets if isinstance(t, str)}
    assert len(used) == len(guide.outcomes)
    problems, facts = check_guide(guide, None, "synthetic.yml")
    assert problems == []
    paths = enumerate_paths(edges)
    assert facts.paths == len(paths) == len(set(paths))


def test_longest_remaining_path_matches_a_recursive_definition() -> None:
    edges = random_dag(random.Random(7), 30)
    _, facts = check_guide(make_guide(edges), None, "synthetic.yml")

    @cache
    def longest(q: int) -> int:
        return 1 + max((longest(t) for t in edges[q] if isinstance(t, int)), default=0)

    assert facts.longest_from == {f"q{q}": longest(q) for q in edges}


def test_diamond_chain_has_two_to_the_n_paths_without_enumerating_them() -> None:
    n = 200  # 2**200 paths: listing them would never finish
    edges: dict[int, list[int | str]] = {q: [q + 1, q + 1] for q in range(n - 1)}
    edges[n - 1] = ["end", "end"]
    _, facts = check_guide(make_guide(edges), None, "synthetic.yml")
    assert facts.paths == 2**n


def test_a_chain_deeper_than_the_recursion_limit_is_checked() -> None:
    n = 5000
    edges: dict[int, list[int | str]] = {q: [q + 1, "out"] for q in range(n - 1)}
    edges[n - 1] = ["out", "end"]
    problems, facts = check_guide(make_guide(edges), None, "synthetic.yml")
    assert problems == []
    assert facts.paths == n + 1
    assert facts.longest_from["q0"] == n


def test_a_long_cycle_is_reported_once_with_its_loop() -> None:
    n = 3000
    edges: dict[int, list[int | str]] = {q: [q + 1, "out"] for q in range(n - 1)}
    edges[n - 1] = [0, "out"]
    problems, _ = check_guide(make_guide(edges), None, "synthetic.yml")
    assert len(problems) == 1
    assert problems[0].node == f"question 'q{n - 1}'"
    assert problems[0].message.startswith("answer 'a0' closes a cycle: q0 -> q1 -> ")
    assert problems[0].message.endswith(f" -> q{n - 1} -> q0")
