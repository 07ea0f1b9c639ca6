"""Symptoms: what the engineer sees (error codes, events, statuses, messages) and where in a guide it leads.

A symptom is listed on the answer it means (or on a question it leads to without choosing an
answer). It is defined in full once and referred to by id elsewhere. For each listing this module
finds the guide state that reaches it: the shortest answer path from the start to the listing's
question, through any ``implies:`` answers, with each earlier answer marked either as implied
(every way to that question passes through it, or the author said so) or as assumed (a choice the
link makes for the reader, shown on the index so they can change it). Renderer-neutral: no MkDocs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from . import safeyaml
from .model import Guide, Question, Symptom
from .problems import Problem, known
from .urls import guide_page, page_url

Step = tuple[str, str]  # (question id, answer id)


@dataclass(frozen=True)
class Source:
    """One decision file as the symptom checks need it: display path, typed guide, raw located data."""

    path: str
    guide: Guide
    raw: Any


@dataclass(frozen=True)
class Listing:
    """Where one symptom is listed: a guide, a question and (usually) one of its answers."""

    symptom_id: str
    guide: Guide
    path: str
    line: int
    question: Question
    answer_id: str | None
    implies: tuple[Step, ...]

    @property
    def node(self) -> str:
        """The node named in problems about this listing."""
        return f"question '{self.question.id}'"

    @property
    def lead(self) -> str:
        """The start of a problem message: which answer and symptom."""
        answer = f"answer '{self.answer_id}': " if self.answer_id else ""
        return f"{answer}symptom '{self.symptom_id}'"


@dataclass(frozen=True)
class Route:
    """The guide state a listing's link opens: the answers given, each marked implied or assumed."""

    guide_id: str
    guide_title: str
    steps: tuple[Step, ...]
    implied: tuple[bool, ...]
    lands: tuple[str, str]  # ("q", question id) or ("o", outcome id): what the link shows
    claimed: Step | None  # the listing's own answer (the last step), None for a question listing

    @property
    def url(self) -> str:
        """Site-relative URL of the guide state, e.g. guides/x.html?version=e2007&..."""
        query = urlencode(self.steps)
        return page_url(guide_page(self.guide_id)) + (f"?{query}" if query else "")

    @property
    def assumed(self) -> list[Step]:
        """The earlier answers the link chooses for the reader (not implied by the symptom)."""
        return [step for step, implied in zip(self.steps, self.implied, strict=True) if not implied]


@dataclass
class SymptomEntry:
    """One symptom of the index: its definition and every route into the guides."""

    symptom: Symptom
    path: str
    line: int
    routes: list[Route] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"SymptomEntry({self.symptom.id!r}, routes={len(self.routes)})"


def _listings(source: Source) -> Iterable[tuple[Listing, Symptom]]:
    """Every symptom listed in one decision file, with its located listing."""
    for i, question in enumerate(source.guide.questions):
        places: list[tuple[tuple[Any, ...], str | None, list[Symptom]]] = [(("questions", i), None, question.symptoms)]
        places += [(("questions", i, "answers", j), a.id, a.symptoms) for j, a in enumerate(question.answers)]
        for loc, answer_id, symptoms in places:
            for k, symptom in enumerate(symptoms):
                line = safeyaml.line_of(source.raw, (*loc, "symptoms", k))
                yield Listing(symptom.id, source.guide, source.path, line, question, answer_id, tuple(symptom.implies.items())), symptom


def _edges(guide: Guide, implies: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Question -> [(answer id, next question id)], keeping only the implied answer where one is given."""
    edges: dict[str, list[tuple[str, str]]] = {}
    for question in guide.questions:
        edges[question.id] = [(a.id, a.next) for a in question.answers if a.next is not None and implies.get(question.id, a.id) == a.id]
    return edges


def shortest_path(guide: Guide, target: str, implies: dict[str, str], banned: Step | None = None) -> list[Step] | None:
    """The shortest answer path from the start to ``target`` that passes every implied question.

    Breadth-first over (question, implied questions passed), answers in file order, so the same
    files always give the same path. ``banned`` removes one edge (to test whether a step is forced).
    """
    edges = _edges(guide, implies)
    wanted = frozenset(implies)
    start = (guide.start_id, frozenset({guide.start_id}) & wanted)
    came: dict[tuple[str, frozenset[str]], tuple[tuple[str, frozenset[str]], Step] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        question, passed = state
        if question == target and passed == wanted - {target}:
            steps: list[Step] = []
            back = came[state]
            while back is not None:
                state, step = back
                steps.append(step)
                back = came[state]
            return steps[::-1]
        for answer_id, nxt in edges.get(question, []):
            if (question, answer_id) == banned:
                continue
            following = (nxt, passed | (frozenset({nxt}) & wanted))
            if following not in came:
                came[following] = (state, (question, answer_id))
                queue.append(following)
    return None


def route(listing: Listing) -> Route | None:
    """The guide state for a listing, or None when no path reaches it through its implied answers."""
    guide = listing.guide
    implies = dict(listing.implies)
    steps = shortest_path(guide, listing.question.id, implies)
    if steps is None:
        return None
    implied = tuple(q in implies or shortest_path(guide, listing.question.id, implies, banned=(q, a)) is None for q, a in steps)
    if listing.answer_id is None:
        return Route(guide.id, guide.title, tuple(steps), implied, ("q", listing.question.id), None)
    answer = next(a for a in listing.question.answers if a.id == listing.answer_id)
    lands = ("q", answer.next) if answer.next is not None else ("o", answer.outcome or "")
    claimed = (listing.question.id, answer.id)
    return Route(guide.id, guide.title, (*steps, claimed), (*implied, True), lands, claimed)


def _check_implies(listing: Listing, raw: Any, loc: tuple[Any, ...]) -> list[Problem]:
    """Each implied answer names a question of the guide and one of its answers."""
    problems = []
    questions = {q.id: q for q in listing.guide.questions}
    for qid, aid in listing.implies:
        line = safeyaml.line_of(raw, (*loc, "implies", qid))
        if qid not in questions:
            message = f"{listing.lead}: implies an answer to unknown question '{qid}' {known(questions, qid)}"
        elif qid == listing.question.id:
            message = f"{listing.lead}: implies an answer to its own question '{qid}'; list the symptom on that answer instead"
        elif aid not in {a.id for a in questions[qid].answers}:
            message = (
                f"{listing.lead}: implies unknown answer '{aid}' of question '{qid}' {known((a.id for a in questions[qid].answers), aid)}"
            )
        else:
            continue
        problems.append(Problem(listing.path, line, listing.node, message))
    return problems


def collect(sources: Iterable[Source], others: Iterable[Source] = ()) -> tuple[list[SymptomEntry], list[Problem]]:
    """Check every symptom of the given files and build the index; problems are returned, not raised.

    Checks: a symptom is defined once; every reference has a definition; no question lists the same
    symptom on two of its answers (or on itself and one of its answers); implied answers exist and
    some path reaches the listing through them. ``others`` are decision files not being checked:
    only their definitions are used, so a reference may point at a symptom defined there.
    """
    problems: list[Problem] = []
    entries: dict[str, SymptomEntry] = {}
    listings: list[Listing] = []
    for other_source in others:
        for listing, symptom in _listings(other_source):
            if symptom.is_definition:
                entries.setdefault(symptom.id, SymptomEntry(symptom, listing.path, listing.line))
    borrowed = set(entries)
    for source in sources:
        claimed: dict[tuple[str, str], Listing] = {}  # (question id, symptom id) -> first listing in that question
        for listing, symptom in _listings(source):
            if symptom.is_definition:
                first = entries.get(symptom.id)
                if first is not None:
                    problems.append(
                        Problem(
                            listing.path,
                            listing.line,
                            listing.node,
                            f"{listing.lead}: is defined twice (first at {first.path}:{first.line}); "
                            "define it once and list it elsewhere by its id alone",
                        )
                    )
                else:
                    entries[symptom.id] = SymptomEntry(symptom, listing.path, listing.line)
            key = (listing.question.id, listing.symptom_id)
            other = claimed.get(key)
            if other is not None:
                where = f"answer '{other.answer_id}' of this question" if other.answer_id else "the question itself"
                problems.append(
                    Problem(
                        listing.path,
                        listing.line,
                        listing.node,
                        f"{listing.lead}: is already listed on {where} (line {other.line}); "
                        "a symptom must lead to one answer of a question",
                    )
                )
                continue
            claimed[key] = listing
            loc = _loc(source.guide, listing)
            found = _check_implies(listing, source.raw, loc)
            problems.extend(found)
            if not found:
                listings.append(listing)
    for listing in listings:
        entry = entries.get(listing.symptom_id)
        if entry is None:
            problems.append(
                Problem(
                    listing.path,
                    listing.line,
                    listing.node,
                    f"{listing.lead}: is not defined anywhere; give it kind, match, meaning and a source "
                    f"{known(entries, listing.symptom_id)}",
                )
            )
            continue
        found_route = route(listing)
        if found_route is None:
            problems.append(
                Problem(
                    listing.path,
                    listing.line,
                    listing.node,
                    f"{listing.lead}: no path from the start question reaches it through the implied answers",
                )
            )
            continue
        entry.routes.append(found_route)
    index = [entry for key, entry in entries.items() if key not in borrowed or entry.routes]
    return sorted(index, key=sort_key), problems


def _loc(guide: Guide, listing: Listing) -> tuple[Any, ...]:
    i = guide.questions.index(listing.question)
    symptoms = listing.question.symptoms
    base: tuple[Any, ...] = ("questions", i)
    if listing.answer_id is not None:
        j = next(j for j, a in enumerate(listing.question.answers) if a.id == listing.answer_id)
        base = (*base, "answers", j)
        symptoms = listing.question.answers[j].symptoms
    k = next(k for k, s in enumerate(symptoms) if s.id == listing.symptom_id)
    return (*base, "symptoms", k)


def sort_key(entry: SymptomEntry) -> tuple[int, int, str]:
    """Index order: by kind (error codes, events, statuses, messages), numbers by size, then text."""
    order = {"error-code": 0, "event-id": 1, "status": 2, "client-message": 3}
    symptom = entry.symptom
    first = symptom.match[0] if symptom.match else ""
    number = abs(int(first)) if first.lstrip("-").isdigit() else 1 << 62
    return order.get(symptom.kind or "", 9), number, " ".join(symptom.match).lower()


def heading(symptom: Symptom) -> str:
    """The entry's heading: every text it matches, with the event source for events."""
    texts = list(symptom.match)
    if symptom.kind == "event-id" and symptom.event_source:
        texts[0] = f"{symptom.event_source} event {texts[0]}"
    return " ".join(texts) if symptom.kind != "client-message" else " / ".join(texts)
