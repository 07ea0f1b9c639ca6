"""The guide model as the tests see it: derived from ``python -m macros export``, never from markup."""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urlencode

Step = tuple[str, str]  # (question id, answer id)

# Which question or outcome the page shows, which element has focus, what the progress says and
# which decision-map elements are marked as taken. Visibility is the browser's own notion.
SHOWN = """() => {
  const shown = [...document.querySelectorAll("[data-question], [data-outcome]")]
    .filter((node) => node.checkVisibility())
    .map((node) => (node.dataset.question ? "q:" + node.dataset.question : "o:" + node.dataset.outcome));
  const focus = document.activeElement && document.activeElement.closest("[data-question], [data-outcome]");
  const progress = document.querySelector(".drg-guide__progress");
  return {
    shown,
    focus: focus ? (focus.dataset.question ? "q:" + focus.dataset.question : "o:" + focus.dataset.outcome) : null,
    progress: progress ? progress.textContent : "",
    taken: [...document.querySelectorAll(".drg-map--taken")].map((node) => node.id).sort(),
    maps: [...document.querySelectorAll("[id^='map-']")].map((node) => node.id),
    search: location.search,
  };
}"""


class GuideModel:
    """One exported guide, with a shortest answer path to each question."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id: str = data["id"]
        self.url: str = data["url"]
        self.start: str = data["start"]
        self.questions = {q["id"]: q for q in data["questions"]}
        self.outcomes = {o["id"]: o for o in data["outcomes"]}
        self.reach: dict[str, list[Step]] = {self.start: []}
        queue = deque([self.start])
        while queue:
            qid = queue.popleft()
            for answer in self.questions[qid]["answers"]:
                nxt = answer.get("next")
                if nxt and nxt not in self.reach:
                    self.reach[nxt] = [*self.reach[qid], (qid, answer["id"])]
                    queue.append(nxt)
        self._longest: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"GuideModel({self.id!r}, {len(self.questions)} questions, {len(self.outcomes)} outcomes)"

    def longest(self, qid: str) -> int:
        """Questions on the longest path from ``qid`` to an outcome, ``qid`` included."""
        if qid not in self._longest:
            deepest = max((self.longest(a["next"]) for a in self.questions[qid]["answers"] if a.get("next")), default=0)
            self._longest[qid] = deepest + 1
        return self._longest[qid]

    def target(self, qid: str, aid: str) -> str:
        """'q:ID' or 'o:ID': where this answer leads."""
        answer = next(a for a in self.questions[qid]["answers"] if a["id"] == aid)
        return f"q:{answer['next']}" if answer.get("next") else f"o:{answer['outcome']}"

    def edges(self) -> list[Step]:
        return [(q["id"], a["id"]) for q in self.data["questions"] for a in q["answers"]]

    def path_to_outcome(self) -> list[Step]:
        """A path from the start that ends at an outcome: first answers, then the outcome's edge."""
        for qid in self.questions:
            for answer in self.questions[qid]["answers"]:
                if answer.get("outcome"):
                    return [*self.reach[qid], (qid, answer["id"])]
        raise AssertionError(f"{self.id}: no outcome")

    def node_after(self, path: list[Step]) -> str:
        return self.target(*path[-1]) if path else f"q:{self.start}"

    def answer_label(self, qid: str, aid: str) -> str:
        return next(a["label"] for a in self.questions[qid]["answers"] if a["id"] == aid)

    def map_ids(self, path: list[Step]) -> set[str]:
        """The decision-map ids the path marks as taken: its questions, its edges, where it ends."""
        node = self.node_after(path)
        return {f"map-q-{q}" for q, _ in path} | {f"map-e-{q}--{a}" for q, a in path} | {f"map-{node[0]}-{node[2:]}"}


def query(path: list[Step]) -> str:
    """The URL query of a state: ?question-id=answer-id&... in path order."""
    return "?" + urlencode(path) if path else ""
