"""Generate large decision files for the benchmarks: DAGs with shared sub-trees and astronomically many paths."""

from __future__ import annotations

import argparse
import random
from pathlib import Path


def guide_yaml(questions: int, guide_id: str = "generated", seed: int = 1, procedure: str = "procedures/alpha.md") -> str:
    """A valid guide shaped like a real one, only bigger: layers that fan out from one start question.

    Each question has three answers into the next layer, so sub-trees are shared heavily and the
    number of paths is about 3^depth (over 10^15 from 1,000 questions up), while the depth stays
    around 40, as in a real guide. Every question is reachable; every path ends in an outcome.
    """
    rng = random.Random(seed)
    width = max(3, questions // 40)
    layers: list[range] = []
    first = 0
    size = 1
    while first < questions:
        size = min(size, questions - first)
        layers.append(range(first, first + size))
        first += size
        size = min(width, size * 3)
    outcomes = max(2, questions // 50)
    lines = ["id: " + guide_id, "title: Generated guide", "introduction: Generated for the benchmarks.", "questions:"]
    for depth, layer in enumerate(layers):
        below = layers[depth + 1] if depth + 1 < len(layers) else None
        for position, q in enumerate(layer):
            lines += [f"  - id: q{q}", f"    text: Generated question {q}?", "    dimension: other", "    answers:"]
            for k in range(3):
                # While the layer below grows, answer k covers child 3*position+k, so every question
                # has a parent; in full-width layers answer 0 covers `position` and the others spread.
                growing = below is not None and len(below) > len(layer)
                if below is None:
                    target = f"outcome: o{rng.randrange(outcomes)}"
                elif growing and 3 * position + k < len(below):
                    target = f"next: q{below[3 * position + k]}"
                elif k == 0 and not growing:
                    target = f"next: q{below[position % len(below)]}"
                elif rng.random() < 0.1:
                    target = f"outcome: o{rng.randrange(outcomes)}"
                else:
                    target = f"next: q{below[rng.randrange(len(below))]}"
                lines += [f"      - id: a{k}", f"        label: Answer {k} of question {q}", f"        {target}"]
    lines.append("outcomes:")
    for o in range(outcomes):
        lines += [f"  - id: o{o}", f"    title: Outcome {o}", "    summary: Generated outcome.", f"    procedures: [{procedure}]"]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write one generated decision file."""
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.write_text(guide_yaml(args.questions), encoding="utf-8")


if __name__ == "__main__":
    main()
