"""The scenario file format: what an L&D team writes to add a practice scenario.

A scenario is one YAML file (``coachloop/practice/scenarios/*.yaml`` for the shipped
ones). It is validated by the pydantic models below when loaded; a bad file raises
:class:`coachloop.errors.PracticeError` naming the file, the field path and the fix
(see :func:`coachloop.practice.library.load_scenario_file`). ``docs/practice.md``
documents every field with an example.

Where it sits: the engine (:mod:`coachloop.practice.engine`) reads these models; it
never reads YAML itself.
"""

from __future__ import annotations

import string
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coachloop.behaviors import BEHAVIOR_IDS as BEHAVIORS

#: The seven behaviours a manager is scored on (ids shared with coachloop.scoring).

#: Placeholders a rep line may use; filled from the persona and the session.
PLACEHOLDERS: tuple[str, ...] = ("manager", "rep", "issue", "account")


class Reaction(StrEnum):
    """What the rep is reacting to in the manager's last message (engine decides)."""

    tell_before_ask = "tell_before_ask"  # advice before the manager asked anything
    scattered = "scattered"  # several behaviours to change at once
    vague_feedback = "vague_feedback"  # an evaluation with no evidence behind it
    evidence_feedback = "evidence_feedback"  # feedback grounded in what was observed
    unfounded_benchmark = "unfounded_benchmark"  # "the team does better" with no numbers
    benchmark = "benchmark"  # a comparison with the team, backed by evidence
    outcome_only = "outcome_only"  # talks only about the result (won/lost, quota)
    behavior_focus = "behavior_focus"  # talks about what the rep did and can do
    commitment = "commitment"  # the manager commits to something concrete
    advice = "advice"  # advice after the manager has asked first
    open_question = "open_question"  # an open question that reveals nothing new
    reveal = "reveal"  # lead-in when a hidden fact is revealed
    guarded = "guarded"  # an open question while the rep is too defensive to answer
    closed_question = "closed_question"
    leading_question = "leading_question"
    backchannel = "backchannel"
    default = "default"  # anything else


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Delta = Annotated[float, Field(ge=-1.0, le=1.0)]


class State(_Strict):
    """The rep's state, each in [0, 1]. Only the engine changes it, never a voice."""

    openness: Unit = 0.5
    defensiveness: Unit = 0.3
    clarity: Unit = 0.2


class Effect(_Strict):
    """How a reaction moves the state (added, then clamped to [0, 1])."""

    openness: Delta = 0.0
    defensiveness: Delta = 0.0
    clarity: Delta = 0.0


def _check_placeholders(line: str) -> str:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(line) if f is not None]
    except ValueError as exc:
        raise ValueError(f"{exc}; write a literal brace as {{{{ or }}}}") from None
    for name in fields:
        if name not in PLACEHOLDERS:
            raise ValueError(
                f"unknown placeholder {{{name}}}; use one of "
                + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            )
    return line


class ReactionSpec(_Strict):
    """The rep's lines for one reaction and, optionally, its effect on the state."""

    lines: list[str] = Field(min_length=1)
    effect: Effect | None = None

    @field_validator("lines")
    @classmethod
    def _lines(cls, lines: list[str]) -> list[str]:
        for line in lines:
            if not line.strip():
                raise ValueError("a line is empty; remove it or write what the rep says")
            _check_placeholders(line)
        if len(set(lines)) != len(lines):
            raise ValueError("the same line appears twice; each line must be different")
        return lines


class Persona(_Strict):
    """Who the manager is talking to."""

    name: str = Field(min_length=1)
    role: str = "Account Executive"
    tenure: str = Field(min_length=1, description="e.g. '14 months'")
    temperament: str = Field(min_length=1, description="how they come across, in a few words")
    issue: str = Field(min_length=1, description="the deal or issue at hand, one sentence")
    account: str = Field("", description="the customer or deal name, used as {account}")


class Fact(_Strict):
    """Something the rep knows but says only to the right open question."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(min_length=1, description="what the rep says when revealing it")
    about: list[str] = Field(
        default_factory=list,
        description="words of which one must be in the question; empty = any open question",
    )
    min_openness: Unit = 0.4
    tells: list[str] = Field(
        default_factory=list,
        description="words that give the fact away; an LLM reply containing one while the "
        "fact is locked is refused. Default: the rarer words of `text`.",
    )

    @field_validator("text")
    @classmethod
    def _text(cls, text: str) -> str:
        return _check_placeholders(text)

    @field_validator("about", "tells")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        return [w.lower().strip() for w in words if w.strip()]


class EndConditions(_Strict):
    max_turns: int = Field(default=10, ge=1, le=100, description="manager messages before the end")
    clarity_at: Unit | None = Field(
        default=0.9, description="end once clarity reaches this (null: never end early)"
    )
    all_facts: bool = Field(default=False, description="end once every fact is revealed")


class SuccessCriteria(_Strict):
    min_facts: int = Field(default=1, ge=0)
    min_clarity: Unit = 0.5
    max_defensiveness: Unit = 0.5
    min_score: Annotated[float, Field(ge=0.0, le=100.0)] | None = Field(
        default=None, description="the focus behaviour's score (0-100) to reach, if scoring is on"
    )


class Scenario(_Strict):
    """One practice scenario (one YAML file)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(1, ge=1)
    behavior: str
    title: str = Field(min_length=1)
    brief: str = Field(min_length=1, description="the situation the manager reads first")
    persona: Persona
    opening: list[str] = Field(min_length=1, description="the rep's first line (one is picked)")
    state: State = State()
    guard_at: Unit = Field(
        0.7, description="at or above this defensiveness the rep answers open questions guardedly"
    )
    facts: list[Fact] = Field(min_length=1)
    reactions: dict[Reaction, ReactionSpec] = Field(default_factory=dict)
    end: EndConditions = EndConditions()
    success: SuccessCriteria = SuccessCriteria()
    tips: dict[Reaction, str] = Field(
        default_factory=dict, description="debrief tip when this reaction happened in the session"
    )
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("behavior")
    @classmethod
    def _behavior(cls, value: str) -> str:
        if value not in BEHAVIORS:
            raise ValueError(f"unknown behaviour {value!r}; use one of {', '.join(BEHAVIORS)}")
        return value

    @field_validator("opening")
    @classmethod
    def _opening(cls, lines: list[str]) -> list[str]:
        for line in lines:
            _check_placeholders(line)
        return lines

    @model_validator(mode="after")
    def _facts_unique(self) -> Scenario:
        ids = [f.id for f in self.facts]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"fact ids must be unique; repeated: {', '.join(dupes)}")
        if self.success.min_facts > len(self.facts):
            raise ValueError(
                f"success.min_facts is {self.success.min_facts} but there are only "
                f"{len(self.facts)} facts; lower it or add facts"
            )
        return self

    def fields_for_lines(self, manager: str) -> dict[str, str]:
        return {
            "manager": manager,
            "rep": self.persona.name.split()[0],
            "issue": self.persona.issue,
            "account": self.persona.account or "the account",
        }
