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


class Answer(_Node):
    """One choice of a question; leads to exactly one next question or one outcome."""

    id: Id = Field(description="Stable kebab-case id, unique within its question; the value in guide URLs.")
    label: Label = Field(description="What the reader clicks, short and concrete.")
    explanation: Markdown | None = Field(None, description="Optional Markdown shown under the label.")
    next: Id | None = Field(None, description="Id of the question this answer leads to.")
    outcome: Id | None = Field(None, description="Id of the outcome this answer ends in.")

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
