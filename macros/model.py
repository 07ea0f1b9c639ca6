"""The typed model of a decision file; the JSON Schema for editors is generated from it."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# Characters that show nothing on a page although Unicode does not class them as whitespace.
_BLANK = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}  # Hangul fillers, Braille blank
# Embedding, override and isolate controls: "Trojan source" reordering. (The marks U+200E/F stay.)
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"}


def is_invisible(text: str) -> bool:
    """True when no character of ``text`` would show: whitespace, zero-width, format and filler characters only."""
    return all(ch.isspace() or ch in _BLANK or unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text)


def _visible(text: str) -> str:
    control = next((ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"), None)
    if control is not None:
        raise ValueError(f"holds the control character U+{ord(control):04X}; remove it (escape codes and NUL have no place in text)")
    bidi = next((ch for ch in text if ch in _BIDI_CONTROLS), None)
    if bidi is not None:
        raise ValueError(
            f"holds the bidirectional control U+{ord(bidi):04X}, which makes text display differently from what it holds; remove it"
        )
    if text and is_invisible(text):
        codes = ", ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in text[:200]))
        raise ValueError(f"shows nothing: it holds only invisible characters ({codes})")
    return text


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_visible)]
Markdown = Annotated[str, AfterValidator(_visible)]
# One-line text drawn in decision maps: bounded, so a map stays drawable (the longest real one is ~100).
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_visible)]
Heading = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), AfterValidator(_visible)]
Dimension = Literal["version", "topology", "failure", "os", "clients", "data", "rto", "rpo", "sites", "other"]
SymptomKind = Literal["error-code", "event-id", "status", "client-message"]
ExchangeVersion = Literal["2003", "2007", "2010"]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]


class _Node(BaseModel):
    # Text is never made from a number, boolean or null: YAML would have changed what the author
    # wrote (0800 -> 800, 1e3 -> 1000.0), so such values are refused with a hint to quote them.
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        """A key given with no value (or null, ~) is refused: the author meant something, or nothing."""
        if value is None:
            optional = info.field_name is not None and not cls.model_fields[info.field_name].is_required()
            hint = "write its text, or leave the key out" if optional else "write its text"
            raise ValueError(f"has no value: {hint} (the words null and ~ need quotes)")
        return value


class Symptom(_Node):
    """What an engineer sees (an error code, an event, a status, a client's message) that means an answer.

    Defined once, in full, where it first means something; listed elsewhere by its id alone (a
    reference). ``implies`` belongs to the listing: answers the symptom gives on the way there.
    """

    id: Id = Field(description="Stable kebab-case id; the anchor symptom-ID on the symptom index.")
    kind: SymptomKind | None = Field(None, description="error-code, event-id, status or client-message.")
    match: list[Text] = Field(
        default_factory=list, description='The texts the engineer sees, code first: ["-1018", "JET_errReadVerifyFailure"]. Quote codes.'
    )
    event_source: Text | None = Field(None, description="For an event-id: the event source, e.g. ESE or MSExchangeIS.")
    versions: list[ExchangeVersion] = Field(default_factory=list, description='Exchange versions that show it: "2003", "2007", "2010".')
    meaning: Text | None = Field(None, description="What it means, in one line.")
    source: Url | None = Field(None, description="URL of the documentation that says what it means.")
    field: bool = Field(False, description="true: a field observation with no documented source (shown as such).")
    implies: dict[Id, Id] = Field(
        default_factory=dict, description="Answers this symptom gives on the way, question id: answer id (steers the link)."
    )

    @property
    def is_definition(self) -> bool:
        """True when this entry defines the symptom; False for a reference by id."""
        return bool(self.kind or self.match or self.meaning or self.source or self.field or self.event_source or self.versions)

    @model_validator(mode="after")
    def _complete(self) -> Symptom:
        if not self.is_definition:
            return self
        missing = [name for name in ("kind", "match", "meaning") if not getattr(self, name)]
        if missing:
            raise ValueError(f"needs {', '.join(repr(m) for m in missing)} (or only 'id', to refer to a symptom defined in full elsewhere)")
        if (self.source is None) == (not self.field):
            raise ValueError("needs exactly one of 'source' (a URL) or 'field: true' (a field observation)")
        if self.kind == "event-id" and self.event_source is None:
            raise ValueError("is an event-id and needs 'event_source' (for example ESE or MSExchangeIS)")
        return self


class Answer(_Node):
    """One choice of a question; leads to exactly one next question or one outcome."""

    id: Id = Field(description="Stable kebab-case id, unique within its question; the value in guide URLs.")
    label: Label = Field(description="What the reader clicks, short and concrete.")
    explanation: Markdown | None = Field(None, description="Optional Markdown shown under the label.")
    next: Id | None = Field(None, description="Id of the question this answer leads to.")
    outcome: Id | None = Field(None, description="Id of the outcome this answer ends in.")
    symptoms: list[Symptom] = Field(default_factory=list, description="What the engineer sees that means this answer.")

    @model_validator(mode="after")
    def _one_target(self) -> Answer:
        if (self.next is None) == (self.outcome is None):
            raise ValueError("needs exactly one of 'next' (a question) or 'outcome'")
        return self


class Question(_Node):
    """A question with two or more answers."""

    id: Id = Field(description="Stable kebab-case id; the key in guide URLs and the anchor q-ID.")
    text: Heading = Field(description="The question, one sentence.")
    help: Markdown | None = Field(None, description="Optional Markdown: how to find the answer.")
    dimension: Dimension | None = Field(None, description="What the question is about.")
    answers: list[Answer] = Field(min_length=2, description="Two or more answers.")
    symptoms: list[Symptom] = Field(
        default_factory=list, description="What the engineer sees that leads to this question (but not to one answer)."
    )


class Outcome(_Node):
    """Where a path ends: a summary and the procedure pages to follow."""

    id: Id = Field(description="Stable kebab-case id; the anchor o-ID.")
    title: Label = Field(description="The outcome in a few words.")
    summary: Text = Field(description="Markdown: what to do and why this fits.")
    procedures: list[Text] = Field(min_length=1, description="Pages under docs/, e.g. procedures/x.md.")
    warnings: list[Text] = Field(default_factory=list, description="Markdown warnings shown first.")
    follow_up: list[Id] = Field(default_factory=list, description="Ids of guides to continue with.")


class Guide(_Node):
    """One decision file: a guide's questions and outcomes."""

    id: Id = Field(description="Stable kebab-case id of the guide.")
    title: Label = Field(description="Title of the guide page.")
    introduction: Text = Field(description="Markdown shown before the first question.")
    start: Id | None = Field(None, description="Id of the first question; defaults to the first listed.")
    questions: list[Question] = Field(min_length=1)
    outcomes: list[Outcome] = Field(min_length=1)

    @property
    def start_id(self) -> str:
        """The id of the first question asked."""
        return self.start or self.questions[0].id


def json_schema() -> dict[str, object]:
    """Return the JSON Schema of a decision file (committed as decisions/decision.schema.json)."""
    schema = Guide.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "decision.schema.json"
    return schema
