"""The practice engine: a virtual rep that reacts to what the manager does.

One :class:`PracticeSession` per conversation. Each manager message is tagged with the
same tagger the scoring engine uses (:func:`coachloop.acts.tag_meeting`), turned into
reactions (:func:`classify`), the rep's state moves by the reactions' effects, a hidden
fact may be revealed, and the rep's next line is chosen (:func:`choose_line`) and then
realised by a voice (:mod:`coachloop.practice.voices`). The voice only words the line:
state, facts and the end are decided here.

Lifecycle (an enum, like httpx's ``ClientState``)::

    created --start()--> active --send()...--> finished   (end condition or finish())

Deterministic: the rep's lines depend only on the scenario, the seed and the messages,
and a restored session (:meth:`PracticeSession.from_dict`) continues exactly as the
original would have.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from coachloop.errors import PracticeError
from coachloop.model import Meeting, Role, Speaker, build_meeting
from coachloop.practice.defaults import DEFAULT_EFFECTS, DEFAULT_LINES, OPENERS
from coachloop.practice.schema import Fact, Reaction, Scenario, State

if TYPE_CHECKING:
    from coachloop.practice.debrief import Debrief
    from coachloop.practice.voices import Voice

Tagger = Callable[[Meeting], list[frozenset[str]]]

SESSION_FORMAT = "coachloop.practice.session/1"
MANAGER_LABEL = "manager"
REP_LABEL = "rep"
#: Utterances of context the tagger sees with each new message (keeps a turn O(1)).
TAG_WINDOW = 6

R = Reaction
QUESTION_ACTS = frozenset({"question", "open_question", "closed_question", "leading_question"})

#: Which reaction's line the rep speaks when a message triggers several (first wins).
PRIORITY: tuple[Reaction, ...] = (
    R.tell_before_ask,
    R.scattered,
    R.unfounded_benchmark,
    R.vague_feedback,
    R.outcome_only,
    R.evidence_feedback,
    R.benchmark,
    R.behavior_focus,
    R.commitment,
    R.advice,
    R.open_question,
    R.leading_question,
    R.closed_question,
    R.backchannel,
    R.default,
)


class SessionState(StrEnum):
    CREATED = "created"
    ACTIVE = "active"
    FINISHED = "finished"


@dataclass
class RepState:
    """The rep's mutable state during a session (a copy of the scenario's start state)."""

    openness: float
    defensiveness: float
    clarity: float

    @classmethod
    def of(cls, state: State) -> RepState:
        return cls(state.openness, state.defensiveness, state.clarity)

    def apply(self, openness: float, defensiveness: float, clarity: float) -> None:
        self.openness = _clamp(self.openness + openness)
        self.defensiveness = _clamp(self.defensiveness + defensiveness)
        self.clarity = _clamp(self.clarity + clarity)

    def to_dict(self) -> dict[str, float]:
        return {
            "openness": round(self.openness, 4),
            "defensiveness": round(self.defensiveness, 4),
            "clarity": round(self.clarity, 4),
        }


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


@dataclass(frozen=True)
class Turn:
    """One line of the practice transcript."""

    speaker: str  # "manager" or "rep"
    text: str
    acts: tuple[str, ...] = ()  # manager turns: the tagger's acts
    reactions: tuple[str, ...] = ()  # rep turns: what the rep reacted to (first = spoken)
    revealed: str | None = None  # rep turns: the fact id revealed in this line
    state: Mapping[str, float] | None = None  # rep turns: state after this turn
    voice: str = "scripted"
    fallback: str | None = None  # rep turns: why the voice's line was replaced, if it was
    scripted: str | None = None  # rep turns spoken by another voice: the scripted line
    lead: str | None = None  # rep turns revealing a fact: the lead-in line used

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"speaker": self.speaker, "text": self.text}
        if self.speaker == MANAGER_LABEL:
            out["acts"] = list(self.acts)
        else:
            out.update(
                reactions=list(self.reactions),
                revealed=self.revealed,
                state=dict(self.state or {}),
                voice=self.voice,
                fallback=self.fallback,
            )
            if self.scripted is not None:
                out["scripted"] = self.scripted
            if self.lead is not None:
                out["lead"] = self.lead
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Turn:
        return cls(
            speaker=str(data["speaker"]),
            text=str(data["text"]),
            acts=tuple(data.get("acts", ())),
            reactions=tuple(data.get("reactions", ())),
            revealed=data.get("revealed"),
            state=data.get("state"),
            voice=str(data.get("voice", "scripted")),
            fallback=data.get("fallback"),
            scripted=data.get("scripted"),
            lead=data.get("lead"),
        )


# -- classification ---------------------------------------------------------------------

_SENT = re.compile(r"(?<=[.!?;])\s+|\s+(?:and also|also|plus)\s+", re.I)
_ADVICE_CUE = re.compile(
    r"\b(should|need to|needs to|have to|must|make sure|try to|try |start |stop |don'?t |"
    r"remember to|work on)\b",
    re.I,
)
_DIGIT = re.compile(r"\d")


def count_topics(text: str) -> int:
    """How many separate things-to-change a message asks for (clauses with advice cues).

    A stand-in until the tagger offers a topic helper; used for ``scattered``.
    """
    return sum(1 for clause in _SENT.split(text) if clause and _ADVICE_CUE.search(clause))


def _topics_of(text: str) -> frozenset[str]:
    from coachloop.acts import topics_of

    return topics_of(text)


COACHING_ACTS = frozenset({"advice", "feedback", "behavior_talk"})
_PAST_YOU = re.compile(
    r"\byou (?:\w+ed|said|did|asked|told|went|kept|ran|took|spoke|gave|made|let|got|put|"
    r"spent|left|sent|brought|began|began|skipped|missed)\b",
    re.I,
)


def is_coaching(acts: frozenset[str]) -> bool:
    """Advice, feedback, or behaviour talk that is not a question (what moves a skill)."""
    return bool(acts & {"advice", "feedback"}) or (
        "behavior_talk" in acts and not acts & QUESTION_ACTS
    )


def classify(
    acts: frozenset[str],
    text: str,
    *,
    asked_before: bool,
    coached_topics: frozenset[str] = frozenset(),
    topics: frozenset[str] | None = None,
) -> list[Reaction]:
    """The reactions a manager message triggers, most salient first (see PRIORITY).

    ``asked_before``: the manager asked a question earlier in the session.
    ``coached_topics``: skills (tagger topics) the manager already coached on; a message
    that coaches two skills at once, or a new one on top of them, is ``scattered``.
    """
    found: set[Reaction] = set()
    if "advice" in acts:
        # Asking for change in several skills at once (feedback alone is not a request).
        here = _topics_of(text) if topics is None else topics
        if len(here) >= 2 or (here - coached_topics and coached_topics) or count_topics(text) >= 3:
            found.add(R.scattered)
    if "advice" in acts:
        if not asked_before and "open_question" not in acts:
            found.add(R.tell_before_ask)
        else:
            found.add(R.advice)
    if "benchmark" in acts:
        backed = "evidence" in acts or bool(_DIGIT.search(text))
        found.add(R.benchmark if backed else R.unfounded_benchmark)
    if "feedback" in acts:
        found.add(R.evidence_feedback if "evidence" in acts else R.vague_feedback)
    elif "evidence" in acts and "behavior_talk" in acts and _PAST_YOU.search(text):
        found.add(R.evidence_feedback)
    if "outcome_talk" in acts and "behavior_talk" not in acts:
        found.add(R.outcome_only)
    if "behavior_talk" in acts and not acts & QUESTION_ACTS and R.vague_feedback not in found:
        # A statement about what the rep does or can do. A question about behaviour is
        # an open/closed question; vague feedback is not made clear by naming a behaviour.
        found.add(R.behavior_focus)
    if "commitment" in acts:
        found.add(R.commitment)
    if "open_question" in acts:
        found.add(R.open_question)
    elif "leading_question" in acts:
        found.add(R.leading_question)
    elif "closed_question" in acts or "question" in acts:
        found.add(R.closed_question)
    if "backchannel" in acts and not found:
        found.add(R.backchannel)
    if not found:
        found.add(R.default)
    return [r for r in PRIORITY if r in found]


_WORD = re.compile(r"[a-z0-9']+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def asks_about(fact: Fact, text: str) -> bool:
    """Whether a question touches the fact: a word of the question starts with an `about` term."""
    if not fact.about:
        return True
    words = _words(text)
    return any(
        w.startswith(term) or (len(w) >= 4 and term.startswith(w))
        for term in fact.about
        for w in words
    )


# -- line choice ------------------------------------------------------------------------


def realise_line(line: str, fields: Mapping[str, str]) -> str:
    """Fill a scenario line's placeholders ({manager}, {rep}, {issue}, {account})."""
    return line.format_map(dict(fields))


def candidate_lines(scenario: Scenario, reaction: Reaction) -> tuple[list[str], list[str]]:
    """(the scenario's own lines, the built-in fallback lines) for a reaction."""
    spec = scenario.reactions.get(reaction)
    own = list(spec.lines) if spec else []
    return own, list(DEFAULT_LINES.get(reaction, DEFAULT_LINES[R.default]))


def lower_first(text: str) -> str:
    """Lower-case the first letter after a lead-in ("Look," + "That's…"), but keep
    "I", "I'm"… and words that are capitalised inside (names like "McKay")."""
    first = text.split(" ", 1)[0]
    if first.rstrip(",.?!") in ("I", "I'm", "I'd", "I'll", "I've") or any(
        c.isupper() for c in first[1:]
    ):
        return text
    return text[:1].lower() + text[1:]


def choose_line(
    scenario: Scenario,
    reaction: Reaction,
    *,
    rng: random.Random,
    used: set[str],
    fields: Mapping[str, str],
) -> str:
    """Pick an unused line for ``reaction``: the scenario's own first, then the built-in
    ones, then an opener + line combination, so that no line repeats in a session."""
    own, fallback = candidate_lines(scenario, reaction)
    for pool in (own, fallback):
        fresh = [t for t in (realise_line(x, fields) for x in pool) if t not in used]
        if fresh:
            return rng.choice(fresh)
    bases = [realise_line(x, fields) for x in own + fallback]
    combos = [f"{o} {lower_first(b)}" for o in OPENERS for b in bases]
    fresh = [c for c in combos if c not in used]
    if fresh:
        return rng.choice(fresh)
    # Only reachable past ~100 turns of one reaction; stays unique by construction.
    return f"{rng.choice(bases)} ({len(used)})"


# -- the session ------------------------------------------------------------------------


@dataclass
class _Step:
    reactions: list[Reaction]
    spoken: Reaction
    revealed: Fact | None
    line: str
    lead: str | None = None


def _tagger_default() -> Tagger:
    from coachloop.acts import tag_meeting

    return tag_meeting


class PracticeSession:
    """A conversation between the manager and a virtual rep in one scenario.

    >>> s = PracticeSession(get_scenario("abt-lost-renewal"), seed=1)
    >>> opening = s.start()
    >>> reply = s.send("What happened on the Northwind call, from your side?")
    >>> debrief = s.finish()
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int = 0,
        manager_name: str = "Manager",
        voice: Voice | None = None,
        tagger: Tagger | None = None,
    ) -> None:
        if not isinstance(scenario, Scenario):
            raise PracticeError(
                f"a PracticeSession needs a Scenario, got {type(scenario).__name__}",
                hint="load one with coachloop.practice.get_scenario(id)",
                code="CL610",
            )
        if not manager_name or not manager_name.strip():
            raise PracticeError(
                "manager_name is empty", hint="give the manager's name", code="CL610"
            )
        self.scenario = scenario
        self.seed = int(seed)
        self.manager_name = manager_name.strip()
        self._voice = voice
        self._tagger = tagger
        self.status = SessionState.CREATED
        self.rep_state = RepState.of(scenario.state)
        self.unlocked: list[str] = []
        self.turns: list[Turn] = []
        self.end_reason: str | None = None
        self._debrief: Debrief | None = None

    # -- properties ----------------------------------------------------------------------
    @property
    def voice(self) -> Voice:
        if self._voice is None:
            from coachloop.practice.voices import ScriptedVoice

            self._voice = ScriptedVoice()
        return self._voice

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = _tagger_default()
        return self._tagger

    @property
    def manager_turns(self) -> int:
        return sum(1 for t in self.turns if t.speaker == MANAGER_LABEL)

    @property
    def locked(self) -> list[Fact]:
        return [f for f in self.scenario.facts if f.id not in self.unlocked]

    @property
    def fields(self) -> dict[str, str]:
        return self.scenario.fields_for_lines(self.manager_name)

    def _rng(self) -> random.Random:
        # Seeded per turn (not one running generator) so a restored session continues
        # exactly as the original would have.
        key = f"{self.seed}|{self.scenario.id}|{len(self.turns)}"
        return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))

    def _used(self) -> set[str]:
        used = {t.text for t in self.turns if t.speaker == REP_LABEL}
        used |= {t.scripted for t in self.turns if t.scripted}
        used |= {t.lead for t in self.turns if t.lead}
        return used

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> Turn:
        """Begin the session: the rep speaks the opening line."""
        if self.status is not SessionState.CREATED:
            raise PracticeError(
                f"the session is already {self.status.value}",
                hint="start() is called once; use send() to talk to the rep",
                code="CL610",
            )
        fields = self.fields
        openings = [realise_line(x, fields) for x in self.scenario.opening]
        line = self._rng().choice(openings)
        turn = Turn(
            speaker=REP_LABEL,
            text=line,
            reactions=("opening",),
            state=self.rep_state.to_dict(),
        )
        self.turns.append(turn)
        self.status = SessionState.ACTIVE
        return turn

    def send(self, text: str) -> Turn:
        """The manager says ``text``; returns the rep's reply (the session may end with it)."""
        if self.status is SessionState.CREATED:
            raise PracticeError(
                "the session has not started", hint="call start() first", code="CL611"
            )
        if self.status is SessionState.FINISHED:
            why = f" ({self.end_reason})" if self.end_reason else ""
            raise PracticeError(
                f"the session has finished{why}",
                hint="call finish() for the debrief, or start a new session",
                code="CL612",
            )
        if not isinstance(text, str) or not text.strip():
            raise PracticeError(
                "the manager's message is empty", hint="type what you would say", code="CL613"
            )
        text = " ".join(text.split())
        acts = self._tag(text)
        self.turns.append(Turn(speaker=MANAGER_LABEL, text=text, acts=tuple(sorted(acts))))
        step = self._step(acts, text)
        reply = self._realise(step)
        self.turns.append(reply)
        self._check_end()
        return reply

    def finish(self) -> Debrief:
        """End the session (if it has not ended) and return its debrief (computed once)."""
        if self.status is SessionState.CREATED:
            raise PracticeError(
                "nothing to debrief: the session never started",
                hint="call start() and send() at least one message first",
                code="CL611",
            )
        if self.manager_turns == 0:
            raise PracticeError(
                "nothing to debrief: the manager has not said anything yet",
                hint="send() at least one message before finish()",
                code="CL614",
            )
        if self.status is SessionState.ACTIVE:
            self.status = SessionState.FINISHED
            self.end_reason = self.end_reason or "finished by the manager"
        if self._debrief is None:
            from coachloop.practice.debrief import debrief_session

            self._debrief = debrief_session(self)
        return self._debrief

    # -- one turn --------------------------------------------------------------------------
    def _tag(self, text: str) -> frozenset[str]:
        window = [*self.turns[-(TAG_WINDOW - 1) :], Turn(speaker=MANAGER_LABEL, text=text)]
        meeting = _meeting_from_turns(
            window,
            meeting_id="practice-turn",
            manager_name=self.manager_name,
            rep_name=self.scenario.persona.name,
        )
        tags = self.tagger(meeting)
        return frozenset(tags[-1]) if tags else frozenset()

    def _step(self, acts: frozenset[str], text: str) -> _Step:
        asked_before = any(
            t.speaker == MANAGER_LABEL and QUESTION_ACTS & set(t.acts) for t in self.turns[:-1]
        )
        coached: set[str] = set()
        for t in self.turns[:-1]:
            if t.speaker == MANAGER_LABEL and is_coaching(frozenset(t.acts)):
                coached |= _topics_of(t.text)
        reactions = classify(
            acts, text, asked_before=asked_before, coached_topics=frozenset(coached)
        )
        for r in reactions:
            spec = self.scenario.reactions.get(r)
            eff = spec.effect if spec and spec.effect else DEFAULT_EFFECTS[r]
            self.rep_state.apply(eff.openness, eff.defensiveness, eff.clarity)
        spoken = reactions[0]
        revealed: Fact | None = None
        if R.open_question in reactions:
            if self.rep_state.defensiveness >= self.scenario.guard_at:
                if spoken is R.open_question:
                    spoken = R.guarded
            else:
                revealed = next(
                    (
                        f
                        for f in self.locked
                        if self.rep_state.openness >= f.min_openness and asks_about(f, text)
                    ),
                    None,
                )
        rng = self._rng()
        used = self._used()
        fields = self.fields
        lead: str | None = None
        if revealed is not None:
            self.unlocked.append(revealed.id)
            lead = choose_line(self.scenario, R.reveal, rng=rng, used=used, fields=fields)
            fact_text = realise_line(revealed.text, fields)
            if lead.endswith(","):
                fact_text = lower_first(fact_text)
            line = f"{lead} {fact_text}"
            spoken = R.reveal
        else:
            line = choose_line(self.scenario, spoken, rng=rng, used=used, fields=fields)
        if spoken not in reactions:
            reactions = [spoken, *reactions]
        return _Step(reactions=reactions, spoken=spoken, revealed=revealed, line=line, lead=lead)

    def _realise(self, step: _Step) -> Turn:
        from coachloop.practice.voices import LineRequest

        request = LineRequest(
            scenario=self.scenario,
            state=self.rep_state.to_dict(),
            reaction=step.spoken.value,
            scripted=step.line,
            revealed=step.revealed,
            unlocked=tuple(f for f in self.scenario.facts if f.id in self.unlocked),
            locked=tuple(self.locked),
            history=tuple((t.speaker, t.text) for t in self.turns),
            used=frozenset(self._used()),
            manager_name=self.manager_name,
        )
        result = self.voice.realise(request)
        return Turn(
            speaker=REP_LABEL,
            text=result.text,
            reactions=tuple(r.value for r in step.reactions),
            revealed=step.revealed.id if step.revealed else None,
            state=self.rep_state.to_dict(),
            voice=result.voice,
            fallback=result.fallback,
            scripted=None if result.text == step.line else step.line,
            lead=step.lead,
        )

    def _check_end(self) -> None:
        end = self.scenario.end
        reason: str | None = None
        if end.clarity_at is not None and self.rep_state.clarity >= end.clarity_at:
            reason = f"the rep is clear on next steps (clarity {self.rep_state.clarity:.2f})"
        elif end.all_facts and not self.locked:
            reason = "every hidden fact was revealed"
        elif self.manager_turns >= end.max_turns:
            reason = f"{end.max_turns} turns reached"
        if reason:
            self.status = SessionState.FINISHED
            self.end_reason = reason

    # -- views -----------------------------------------------------------------------------
    def transcript(self) -> list[dict[str, Any]]:
        return [t.to_dict() for t in self.turns]

    def to_meeting(self, *, meeting_id: str | None = None) -> Meeting:
        """The session as a :class:`Meeting` of kind "practice" (what is scored and stored)."""
        if not self.turns:
            raise PracticeError(
                "the session has no transcript yet", hint="call start() first", code="CL611"
            )
        digest = hashlib.sha256(
            "\n".join([self.scenario.id, str(self.seed), *(t.text for t in self.turns)]).encode()
        ).hexdigest()
        return _meeting_from_turns(
            self.turns,
            meeting_id=meeting_id or f"practice-{digest[:24]}",
            manager_name=self.manager_name,
            rep_name=self.scenario.persona.name,
            title=f"Practice: {self.scenario.title}",
            meta={
                "kind": "practice",
                "scenario": self.scenario.id,
                "scenario_version": self.scenario.version,
                "behavior": self.scenario.behavior,
                "seed": self.seed,
                "facts_unlocked": list(self.unlocked),
                "final_state": self.rep_state.to_dict(),
            },
        )

    def public_view(self) -> dict[str, Any]:
        """What a manager's browser may see: no hidden fact, no reaction bookkeeping.

        Keep :meth:`to_dict` on the server (it holds the scenario's hidden facts).
        """
        sc = self.scenario
        return {
            "scenario": {
                "id": sc.id,
                "behavior": sc.behavior,
                "title": sc.title,
                "brief": sc.brief,
            },
            "persona": sc.persona.model_dump(mode="json"),
            "status": self.status.value,
            "end_reason": self.end_reason,
            "turns": [{"speaker": t.speaker, "text": t.text} for t in self.turns],
            "facts_revealed": len(self.unlocked),
            "facts_total": len(sc.facts),
        }

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything needed to continue the session later (JSON-serialisable)."""
        return {
            "format": SESSION_FORMAT,
            "scenario": self.scenario.model_dump(mode="json"),
            "seed": self.seed,
            "manager_name": self.manager_name,
            "status": self.status.value,
            "state": self.rep_state.to_dict(),
            "unlocked": list(self.unlocked),
            "turns": self.transcript(),
            "end_reason": self.end_reason,
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        voice: Voice | None = None,
        tagger: Tagger | None = None,
    ) -> PracticeSession:
        """Restore a session saved with :meth:`to_dict` (e.g. between web requests)."""
        from coachloop.practice.library import parse_scenario

        if not isinstance(data, Mapping) or data.get("format") != SESSION_FORMAT:
            raise PracticeError(
                "not a saved practice session",
                hint=f"pass what PracticeSession.to_dict() returned (format {SESSION_FORMAT})",
                code="CL615",
            )
        try:
            scenario = parse_scenario(data["scenario"], source="saved session")
            session = cls(
                scenario,
                seed=int(data["seed"]),
                manager_name=str(data["manager_name"]),
                voice=voice,
                tagger=tagger,
            )
            session.status = SessionState(data["status"])
            st = data["state"]
            session.rep_state = RepState(
                float(st["openness"]), float(st["defensiveness"]), float(st["clarity"])
            )
            session.unlocked = [str(x) for x in data["unlocked"]]
            session.turns = [Turn.from_dict(t) for t in data["turns"]]
            session.end_reason = data.get("end_reason")
        except (KeyError, TypeError, ValueError) as exc:
            raise PracticeError(
                f"saved practice session is damaged: {exc!r}",
                hint="start a new session; saved sessions are not meant to be edited",
                code="CL615",
            ) from None
        known = {f.id for f in scenario.facts}
        if not set(session.unlocked) <= known:
            raise PracticeError(
                "saved practice session is damaged: it unlocks facts the scenario does not have",
                hint="start a new session",
                code="CL615",
            )
        return session


def _meeting_from_turns(
    turns: Sequence[Turn],
    *,
    meeting_id: str,
    manager_name: str,
    rep_name: str,
    title: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> Meeting:
    # Synthetic times at 150 words a minute with a short pause: enough for talk-time
    # signals; a practice session has no real clock.
    rows: list[dict[str, Any]] = []
    t = 0.0
    for turn in turns:
        dur = max(1.0, len(turn.text.split()) / 2.5)
        rows.append(
            {
                "speaker": turn.speaker,
                "start": round(t, 2),
                "end": round(t + dur, 2),
                "text": turn.text,
            }
        )
        t += dur + 0.6
    return build_meeting(
        id=meeting_id,
        rows=rows,
        speakers=[
            Speaker(label=MANAGER_LABEL, name=manager_name, role=Role.MANAGER),
            Speaker(label=REP_LABEL, name=rep_name, role=Role.REP),
        ],
        title=title,
        source_format="practice",
        meta=meta,
    )


def replay(
    session: PracticeSession, lines: Sequence[str], *, start: bool = True
) -> PracticeSession:
    """Play manager lines into a session until they run out or the session ends."""
    if start and session.status is SessionState.CREATED:
        session.start()
    for line in lines:
        if session.status is SessionState.FINISHED:
            break
        if line.strip():
            session.send(line)
    return session
