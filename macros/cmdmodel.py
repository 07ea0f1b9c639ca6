"""The typed model of the command catalogue (catalogue/commands.yml) and its Exchange versions.

The JSON Schema beside the catalogue is generated from these classes, as the decision files'
schema is from model.py. Versions form one ordered vocabulary; a bare "2007" or "2010" means
"that version, but no source says which service pack", and always needs a note.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Every Exchange release the catalogue can name, oldest first.
RELEASES: tuple[str, ...] = (
    "2003",
    "2007 RTM",
    "2007 SP1",
    "2007 SP2",
    "2007 SP3",
    "2010 RTM",
    "2010 SP1",
    "2010 SP2",
    "2010 SP3",
    "2013",
    "2016",
    "2019",
    "SE",
)
# Versions with service packs in the vocabulary; their bare name means "service pack not known".
WITH_SERVICE_PACKS = ("2007", "2010")
VERSION_PATTERN = r"^(2003|2007|2010|2013|2016|2019|SE|(2007|2010) (RTM|SP1|SP2|SP3))$"

Version = Annotated[str, StringConstraints(pattern=VERSION_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Kind = Literal["cmdlet", "setup", "tool"]


def releases_of(version: str) -> list[str]:
    """The releases a version name covers: '2007' is RTM to SP3, '2007 SP1' only SP1."""
    if version in WITH_SERVICE_PACKS:
        return [r for r in RELEASES if r.startswith(version + " ")]
    return [version] if version in RELEASES else []


def releases_from(version: str) -> list[str]:
    """A page's or block's pin: '2007 SP1' is SP1 and the later 2007 service packs; '2007' all of 2007."""
    if version in WITH_SERVICE_PACKS or version not in RELEASES:
        return releases_of(version)
    major = version.split(" ")[0]
    start = RELEASES.index(version)
    return [r for r in RELEASES[start:] if r.split(" ")[0] == major]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Range(_Node):
    """A run of releases: from one (inclusive) up to another (inclusive; open-ended when left out)."""

    from_: Version = Field(
        alias="from", description="First release that has it, e.g. '2007 SP1', or '2010' when the service pack is not known."
    )
    until: Version | None = Field(None, description="Last release that has it; leave out when it is still there.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.until is not None and RELEASES.index(releases_of(self.until)[-1]) < RELEASES.index(releases_of(self.from_)[0]):
            raise ValueError(f"'until' {self.until} comes before 'from' {self.from_}")
        return self


Versions = Annotated[
    Range | list[Version],
    Field(description="Releases that have it: a range {from, until} or a list of releases."),
]


def expand(versions: Range | list[str]) -> list[str]:
    """Every release in a range or list, oldest first."""
    if isinstance(versions, Range):
        first = RELEASES.index(releases_of(versions.from_)[0])
        last = RELEASES.index(releases_of(versions.until)[-1]) if versions.until else len(RELEASES) - 1
        return list(RELEASES[first : last + 1])
    wanted = {r for v in versions for r in releases_of(v)}
    return [r for r in RELEASES if r in wanted]


def unknown_service_pack(versions: Range | list[str] | None) -> bool:
    """Whether a version spec names 2007 or 2010 without saying which service pack."""
    if versions is None:
        return False
    names = [versions.from_] if isinstance(versions, Range) else list(versions)
    return any(name in WITH_SERVICE_PACKS for name in names)


class Parameter(_Node):
    """A parameter or switch of a command; what it leaves out, it takes from its command."""

    versions: Versions | None = None
    documented: bool | None = Field(None, description="false: field practice, not in any Microsoft reference.")
    source: Url | None = Field(None, description="Where the versions come from, when not the command's source.")
    note: Text | None = Field(None, description="Needed when the versions name 2007 or 2010 without a service pack.")
    aliases: list[Text] = Field(default_factory=list, description="Other names of the same switch, e.g. cn for CMSName.")
    values: list[Text] = Field(default_factory=list, description="The only words allowed as its value, when the list is closed.")

    @model_validator(mode="after")
    def _note_for_unknown_sp(self) -> Parameter:
        if unknown_service_pack(self.versions) and self.note is None:
            raise ValueError("needs a 'note' saying which service pack is not known, and why")
        return self


class Command(_Node):
    """One command the site uses: a cmdlet, the Exchange Setup program, or a command-line tool."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9.]*(-[A-Za-z0-9]+)?$")] = Field(
        description="As written in commands: Verb-Noun for cmdlets, the program name for tools."
    )
    kind: Kind = Field(description="cmdlet (-Param), setup (/Switch:value) or tool (its own switches).")
    purpose: Text = Field(description="One line: what it is for, in our words.")
    versions: Versions = Field(description="Exchange releases where the command exists.")
    documented: bool = Field(True, description="false: field practice, not in any Microsoft reference.")
    source: Url = Field(description="The reference the versions and parameters come from.")
    note: Text | None = Field(None, description="Needed when the versions name 2007 or 2010 without a service pack.")
    aliases: list[Text] = Field(default_factory=list, description="Other names that run the same command (fl, Setup.com).")
    switch_prefix: Literal["-", "/"] = Field("-", description="What starts a switch of this command.")
    subcommands: bool = Field(False, description="Tools such as net: the first word after the name is checked as a parameter.")
    parameters: dict[str, Parameter | None] = Field(
        default_factory=dict, description="Every parameter or switch, without its prefix; an empty entry takes everything from the command."
    )

    @model_validator(mode="after")
    def _note_for_unknown_sp(self) -> Command:
        if unknown_service_pack(self.versions) and self.note is None:
            raise ValueError("needs a 'note' saying which service pack is not known, and why")
        return self


class Catalogue(_Node):
    """Every command the site uses, with its versions and sources."""

    commands: list[Command] = Field(min_length=1)


def json_schema() -> dict[str, object]:
    """Return the JSON Schema of the catalogue (committed as catalogue/commands.schema.json)."""
    schema = Catalogue.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "commands.schema.json"
    return schema


def version_label(releases: list[str]) -> str:
    """Releases for people: '2007' for all of 2007, '2007 SP1 to SP3', '2010 to SE', '2003, 2007 SP2'."""
    if not releases:
        return "none"
    runs: list[list[str]] = []
    for release in releases:
        if runs and RELEASES.index(release) == RELEASES.index(runs[-1][-1]) + 1:
            runs[-1].append(release)
        else:
            runs.append([release])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        major_first, major_last = first.split(" ")[0], last.split(" ")[0]
        start = major_first if first.endswith(" RTM") and len(run) > 1 else first
        end = major_last if last.endswith(" SP3") and (major_first != major_last or first.endswith(" RTM")) else last
        if major_first == major_last and not first.endswith(" RTM") and end == last and len(run) > 1:
            end = last.split(" ", 1)[1]
        parts.append(start if start == end or len(run) == 1 else f"{start} to {end}")
    return ", ".join(parts)


def pin_label(releases: list[str]) -> str:
    """The shortest version names for releases, as an author writes them ('2007 SP1', '2010')."""
    names: list[str] = []
    for major in dict.fromkeys(r.split(" ")[0] for r in releases):
        group = [r for r in releases if r.split(" ")[0] == major]
        if major in WITH_SERVICE_PACKS and group == releases_of(major):
            names.append(major)
        elif group == releases_from(group[0]):
            names.append(group[0])
        else:
            names.extend(group)
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*")


def parse_version_list(text: str) -> list[str] | None:
    """'2007 SP1 and 2010' -> ['2007 SP1', '2010']; None when a part is not a version name."""
    parts = [p for p in _SPLIT.split(text.strip()) if p]
    if not parts or not all(re.fullmatch(VERSION_PATTERN, p) for p in parts):
        return None
    return parts
