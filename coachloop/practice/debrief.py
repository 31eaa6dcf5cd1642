"""The debrief after a practice session.

It scores the session's transcript with the same scoring engine as a real 1:1
(:func:`coachloop.scoring.score_meeting`) and reports the focus behaviour's score with
its evidence, what the rep revealed and what stayed hidden, whether the scenario's
success criteria were met, and one concrete thing to try next time.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coachloop.practice.defaults import BEHAVIOR_TIPS, DEFAULT_TIPS
from coachloop.practice.schema import Reaction

if TYPE_CHECKING:
    from coachloop.practice.engine import PracticeSession

R = Reaction

#: The reactions that show the focus behaviour going wrong, most telling first.
MISSES: dict[str, tuple[Reaction, ...]] = {
    "ask_before_tell": (R.tell_before_ask, R.guarded, R.leading_question, R.closed_question),
    "one_behavior_per_cycle": (R.scattered, R.vague_feedback, R.tell_before_ask),
    "evidence_based_feedback": (R.vague_feedback, R.unfounded_benchmark, R.tell_before_ask),
    "behavior_not_outcome": (R.outcome_only, R.vague_feedback, R.tell_before_ask),
    "calibrate_against_team": (R.unfounded_benchmark, R.vague_feedback, R.tell_before_ask),
    "protect_rep_calendars": (R.tell_before_ask, R.guarded, R.closed_question),
    "hold_cadence": (R.tell_before_ask, R.guarded, R.closed_question),
}
#: Behaviours whose practice should end in a concrete commitment from the manager.
NEEDS_COMMITMENT = frozenset({"protect_rep_calendars", "hold_cadence", "one_behavior_per_cycle"})
NO_COMMITMENT_TIP = (
    "Close with a concrete commitment of your own, with a date: \"I'll move the Thursday "
    'pipeline review so your mornings stay free, starting next week."'
)


@dataclass(frozen=True)
class Debrief:
    scenario: str
    behavior: str
    score: float | None
    evidence: list[Any]
    why_not_higher: list[Any]
    revealed: list[dict[str, str]]
    hidden: list[dict[str, str]]
    final_state: dict[str, float]
    success: dict[str, Any]
    try_next: str
    end_reason: str | None
    turns: int
    fallbacks: int
    scoring: str = "coachloop.scoring"
    scorecard: dict[str, Any] | None = field(default=None, repr=False)

    def to_dict(self, *, with_scorecard: bool = False) -> dict[str, Any]:
        out = {
            "scenario": self.scenario,
            "behavior": self.behavior,
            "score": self.score,
            "evidence": self.evidence,
            "why_not_higher": self.why_not_higher,
            "revealed": self.revealed,
            "hidden": self.hidden,
            "final_state": self.final_state,
            "success": self.success,
            "try_next": self.try_next,
            "end_reason": self.end_reason,
            "turns": self.turns,
            "voice_fallbacks": self.fallbacks,
            "scoring": self.scoring,
        }
        if with_scorecard:
            out["scorecard"] = self.scorecard
        return out


_WHEN = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|today|tomorrow|tonight|next week|this week|"
    r"every (day|week|morning|monday|tuesday|wednesday|thursday|friday)|weekly|"
    r"\d{1,2}(:\d{2})?\s?(am|pm)?|morning|afternoon)\b",
    re.I,
)
#: Practice rubric for the calendar behaviours (a practice session has no calendar).
CALENDAR_WEIGHTS = {"commitment": 0.5, "asked_first": 0.3, "no_telling": 0.2}


def practice_calendar_result(session: PracticeSession, behavior: str) -> Any:
    """Score ``protect_rep_calendars`` / ``hold_cadence`` from the practice conversation.

    In a real cycle these come from calendars; in practice the manager can only show the
    conversational half: ask about the rep's time first, avoid prescribing, and end with
    a concrete, dated commitment. Weights: :data:`CALENDAR_WEIGHTS`.
    """
    from coachloop.scoring import Evidence, ExternalResult

    meeting_turns = list(enumerate(session.turns))
    manager = [(i, t) for i, t in meeting_turns if t.speaker == "manager"]
    first_tell = next((i for i, t in manager if "advice" in t.acts or "commitment" in t.acts), None)
    first_open = next((i for i, t in manager if "open_question" in t.acts), None)
    commits = [(i, t) for i, t in manager if "commitment" in t.acts]
    dated = [(i, t) for i, t in commits if _WHEN.search(t.text)]
    told = [
        i for i, t in meeting_turns if t.speaker == "rep" and R.tell_before_ask.value in t.reactions
    ]
    n_advice = sum(1 for _, t in manager if "advice" in t.acts)
    parts = {
        "commitment": 1.0 if dated else (0.6 if commits else 0.0),
        "asked_first": 1.0
        if first_open is not None and (first_tell is None or first_open < first_tell)
        else 0.0,
        "no_telling": 1.0 - min(1.0, len(told) / n_advice) if n_advice else 1.0,
    }
    score = round(100.0 * sum(CALENDAR_WEIGHTS[k] * v for k, v in parts.items()), 1)
    evidence: list[Any] = []
    start = {i: u.start for i, u in enumerate(session.to_meeting().utterances)}
    for i, t in (dated or commits)[:1]:
        evidence.append(
            Evidence(i, start[i], t.text, "concrete commitment" + (" with a date" if dated else ""))
        )
    if first_open is not None:
        evidence.append(
            Evidence(
                first_open, start[first_open], session.turns[first_open].text, "asked before acting"
            )
        )
    for i in told[:1]:
        evidence.append(
            Evidence(i - 1, start[i - 1], session.turns[i - 1].text, "told before asking")
        )
    what = (
        "protect the rep's selling time"
        if behavior == "protect_rep_calendars"
        else "keep the 1:1 cadence"
    )
    worst = min(parts, key=lambda k: parts[k] * CALENDAR_WEIGHTS[k] - CALENDAR_WEIGHTS[k])
    if parts[worst] >= 1.0:
        why = f"Top score in practice: you asked first and made a dated commitment to {what}."
    elif worst == "commitment":
        why = f"Make a concrete commitment with a day or time to {what} (commitment {parts['commitment']:.0%})."
    elif worst == "asked_first":
        why = "Ask an open question about the rep's time before proposing changes."
    else:
        why = "You prescribed before asking; ask what the rep needs before giving advice."
    return ExternalResult(
        score=score,
        why_not_higher=why,
        evidence=tuple(evidence),
        signals={f"practice.{k}": round(v, 3) for k, v in parts.items()},
        source="practice",
    )


def score_session(session: PracticeSession) -> dict[str, Any] | None:
    """The scoring engine's scorecard for the session's transcript (None if not installed).

    The calendar behaviours get a practice rubric (:func:`practice_calendar_result`)
    through the scoring context, since a practice session has no calendar.
    """
    if importlib.util.find_spec("coachloop.scoring") is None:
        return None
    from coachloop.scoring import ScoringContext, score_meeting

    # Only the scenario's own calendar behaviour gets the practice rubric; the other
    # stays null, as in any meeting scored without calendars.
    behavior = session.scenario.behavior
    calendar = (
        {behavior: practice_calendar_result(session, behavior)}
        if behavior in ("protect_rep_calendars", "hold_cadence")
        else {}
    )
    context = ScoringContext(calendar=calendar)
    card = score_meeting(session.to_meeting(), context=context)
    result: dict[str, Any] = card.to_dict()
    return result


def _tip(session: PracticeSession) -> str:
    sc = session.scenario
    happened: dict[str, tuple[int, str]] = {}
    manager_line = ""
    turn_no = 0
    for t in session.turns:
        if t.speaker == "manager":
            manager_line = t.text
            turn_no += 1
        else:
            for r in t.reactions:
                happened.setdefault(r, (turn_no, manager_line))
    for miss in MISSES.get(sc.behavior, ()):
        if miss.value in happened:
            n, line = happened[miss.value]
            tip = sc.tips.get(miss) or DEFAULT_TIPS.get(miss) or BEHAVIOR_TIPS[sc.behavior]
            quote = line if len(line) <= 90 else line[:87] + "..."
            return f"At turn {n} you said \u201c{quote}\u201d. Next time: {tip}"
    if sc.behavior in NEEDS_COMMITMENT and R.commitment.value not in happened:
        return sc.tips.get(R.commitment) or NO_COMMITMENT_TIP
    st = session.rep_state
    if st.clarity < sc.success.min_clarity:
        return (
            f"{sc.persona.name.split()[0]} left without clear next steps (clarity "
            f"{st.clarity:.2f}, target {sc.success.min_clarity}): before you finish, ask "
            '"What will you do first?" and agree one behaviour to try this week.'
        )
    if session.locked:
        first = session.locked[0]
        hint = f" (it was about: {', '.join(first.about[:3])})" if first.about else ""
        return (
            "Ask one more open question about what you have not heard yet"
            f"{hint}; the rep was still holding something back."
        )
    return BEHAVIOR_TIPS[sc.behavior]


def debrief_session(session: PracticeSession) -> Debrief:
    """Build the debrief of a session that has at least one manager message."""
    sc = session.scenario
    card = score_session(session)
    score: float | None = None
    evidence: list[Any] = []
    why: list[Any] = []
    if card is not None:
        b = card.get("behaviors", {}).get(sc.behavior, {})
        score = b.get("score")
        evidence = list(b.get("evidence") or [])
        raw_why = b.get("why_not_higher") or []
        why = list(raw_why) if isinstance(raw_why, list | tuple) else [raw_why]
    st = session.rep_state
    crit = sc.success
    checks = [
        {
            "check": "facts revealed",
            "value": len(session.unlocked),
            "target": f">= {crit.min_facts}",
            "ok": len(session.unlocked) >= crit.min_facts,
        },
        {
            "check": "clarity",
            "value": round(st.clarity, 2),
            "target": f">= {crit.min_clarity}",
            "ok": st.clarity >= crit.min_clarity,
        },
        {
            "check": "defensiveness",
            "value": round(st.defensiveness, 2),
            "target": f"<= {crit.max_defensiveness}",
            "ok": st.defensiveness <= crit.max_defensiveness,
        },
    ]
    if crit.min_score is not None:
        checks.append(
            {
                "check": f"{sc.behavior} score",
                "value": score,
                "target": f">= {crit.min_score}",
                "ok": score is not None and score >= crit.min_score,
            }
        )
    fields = session.fields
    return Debrief(
        scenario=sc.id,
        behavior=sc.behavior,
        score=score,
        evidence=evidence,
        why_not_higher=why,
        revealed=[
            {"id": f.id, "text": f.text.format_map(fields)}
            for f in sc.facts
            if f.id in session.unlocked
        ],
        hidden=[{"id": f.id, "text": f.text.format_map(fields)} for f in session.locked],
        final_state=st.to_dict(),
        success={"passed": all(c["ok"] for c in checks), "checks": checks},
        try_next=_tip(session),
        end_reason=session.end_reason,
        turns=session.manager_turns,
        fallbacks=sum(1 for t in session.turns if t.fallback),
        scoring="coachloop.scoring"
        if card is not None
        else "unavailable (coachloop.scoring not installed)",
        scorecard=card,
    )
