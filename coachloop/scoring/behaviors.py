"""Built-in behaviours: 0–100 scores for the seven coaching behaviours.

Each behaviour is ``func(view, signals, cfg, context) -> Judgement``: a score (or None
with a reason when the meeting cannot show the behaviour), the evidence behind it and
the one concrete change that would raise it. Every score is a weighted mean of parts
in 0–1, each monotone in the signal it reads, so doing more of the good thing never
lowers a score. Formulas and thresholds: docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coachloop.errors import ConfigError
from coachloop.scoring.context import Evidence, ScoringContext
from coachloop.scoring.registry import BEHAVIORS
from coachloop.scoring.signals import SignalResult, Value
from coachloop.scoring.view import MeetingView

Signals = Mapping[str, SignalResult]
QUOTE_CHARS = 160
TOP = "Nothing to change in this meeting: {what}"


@dataclass(frozen=True, kw_only=True)
class Judgement:
    """What a behaviour component returns; the engine turns it into a BehaviorScore."""

    score: float | None
    why_not_higher: str
    evidence: Sequence[Evidence] = ()
    reason: str | None = None
    extra_signals: Mapping[str, Value] = field(default_factory=dict)


def mmss(seconds: float) -> str:
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def quote(view: MeetingView, i: int) -> str:
    text = " ".join(view.utterances[i].text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def cite(view: MeetingView, i: int, shows: str) -> Evidence:
    return Evidence(index=i, start=view.utterances[i].start, quote=quote(view, i), shows=shows)


def at(view: MeetingView, i: int) -> str:
    """``at 3:05 ("…")`` for messages."""
    return f'at {mmss(view.utterances[i].start)} ("{quote(view, i)}")'


def topic_name(topic: str) -> str:
    return topic.replace("_", " ")


def weighted(
    parts: Mapping[str, float | None], weights: Mapping[str, float], who: str
) -> float | None:
    """Weighted mean (×100) of the parts that can be judged; None if none can."""
    total = sum(weights[k] for k, v in parts.items() if v is not None)
    if not any(v is not None for v in parts.values()):
        return None
    if total <= 0:
        raise ConfigError(
            f"{who}: the weights of the parts that apply sum to 0", hint="give a weight > 0"
        )
    return 100.0 * sum(weights[k] * v for k, v in parts.items() if v is not None) / total


def biggest_loss(parts: Mapping[str, float | None], weights: Mapping[str, float]) -> str | None:
    """The part whose shortfall costs the most points (None when nothing is lost)."""
    losses = {k: weights[k] * (1.0 - v) for k, v in parts.items() if v is not None}
    worst = max(losses, key=lambda k: losses[k], default=None)
    return worst if worst is not None and losses[worst] > 1e-9 else None


def down_ramp(value: float, good: float, bad: float) -> float:
    """1 at or below ``good``, 0 at or above ``bad``, linear between."""
    if bad <= good:
        raise ConfigError(f"threshold {bad} must be above {good}")
    return max(0.0, min(1.0, (bad - value) / (bad - good)))


# -- ask before tell ---------------------------------------------------------------------


@BEHAVIORS.register(
    "ask_before_tell.v1",
    requires=(
        "signals.advice",
        "signals.tell_before_ask",
        "signals.questions",
        "signals.open_question_share",
        "signals.talk_share",
    ),
    default_config={
        "weights": {"ask_first": 0.6, "open_questions": 0.25, "listening": 0.15},
        "open_share_target": 0.7,
        "talk_share_target": 0.43,
        "talk_share_ceiling": 0.65,
        "max_evidence": 5,
    },
)
def ask_before_tell(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Asks (open) questions about a topic before advising on it, and lets the rep talk."""
    n_advice = signals["advice"].value or 0
    told = signals["tell_before_ask"]
    qs = signals["questions"]
    n_q = qs.value or 0
    if n_advice == 0 and n_q == 0:
        return Judgement(
            score=None,
            reason="The manager neither asked a question nor gave advice, so ask-before-tell "
            "cannot be judged from this meeting.",
            why_not_higher="Ask the rep an open question about their work before giving any advice.",
        )
    open_share = signals["open_question_share"].value
    talk = signals["talk_share"].value
    parts: dict[str, float | None] = {
        "ask_first": 1.0 - (told.value or 0) / n_advice if n_advice else 1.0,
        "open_questions": min(1.0, (open_share or 0.0) / cfg["open_share_target"])
        if cfg["open_share_target"] > 0
        else 1.0,
        "listening": None
        if talk is None
        else down_ramp(talk, cfg["talk_share_target"], cfg["talk_share_ceiling"]),
    }
    weights = cfg["weights"]
    score = weighted(parts, weights, "ask_before_tell.v1")
    evidence: list[Evidence] = []
    topics_told: Mapping[int, tuple[str, ...]] = told.detail.get("topics", {})
    for i in told.indexes:
        about = ", ".join(topic_name(t) for t in topics_told.get(i, ())) or "this"
        evidence.append(cite(view, i, f"advice on {about} before asking about it"))
    advised = set(signals["advice"].indexes)
    first_advice = min(advised) if advised else None
    for i in signals["open_question_share"].indexes:
        if first_advice is None or i < first_advice:
            evidence.append(cite(view, i, "open question before any advice"))
    closed: tuple[int, ...] = signals["open_question_share"].detail.get("closed", ())
    for i in closed[:1]:
        evidence.append(cite(view, i, "closed question"))

    worst = biggest_loss(parts, weights)
    if worst == "ask_first":
        i = told.indexes[0]
        about = ", ".join(topic_name(t) for t in topics_told.get(i, ()))
        count = f"({told.value} of {n_advice} pieces of advice came before a question)"
        if about:
            why = (
                f"You advised on {about} {at(view, i)} before asking about it: first ask an "
                f'open question such as "What have you tried on {about} so far?" and let the '
                f"rep answer {count}."
            )
        else:
            why = (
                f"You advised {at(view, i)} before asking the rep anything: first ask an open "
                f'question such as "What have you tried so far?" and let the rep answer {count}.'
            )
    elif worst == "open_questions":
        example = f", e.g. {at(view, closed[0])}" if closed else ""
        why = (
            f"{len(closed)} of your {n_q} questions were closed{example}; reword them as open "
            f"questions starting with what or how (open share {open_share or 0:.0%}, "
            f"target {cfg['open_share_target']:.0%})."
            if n_q
            else "You asked no questions; ask an open question (what/how) before you advise."
        )
    elif worst == "listening":
        why = (
            f"You spoke {talk:.0%} of the time; speak at most {cfg['talk_share_target']:.0%} "
            "by letting the rep finish and asking before you advise."
        )
    else:
        why = TOP.format(what="every piece of advice followed a question on its topic.")
    return Judgement(score=score, why_not_higher=why, evidence=evidence[: cfg["max_evidence"]])


# -- one behaviour per cycle ------------------------------------------------------------


@BEHAVIORS.register(
    "one_behavior_per_cycle.v1",
    requires=("signals.coaching_topics", "acts.topics", "context.focus_topic"),
    default_config={"extra_topic_penalty": 15.0, "max_evidence": 5},
)
def one_behavior_per_cycle(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Coaches one skill — the cycle's focus when known — instead of many.

    Every other skill named in advice or feedback costs ``extra_topic_penalty``, even
    when named once (superseded by v2, which counts only skills coached repeatedly).
    """
    return _focus_judgement(view, signals, cfg, context, min_mentions=1)


@BEHAVIORS.register(
    "one_behavior_per_cycle.v2",
    requires=("signals.coaching_topics", "acts.topics", "context.focus_topic"),
    default_config={"extra_topic_penalty": 10.0, "min_mentions": 2, "max_evidence": 5},
)
def one_behavior_per_cycle_v2(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Coaches one skill — the cycle's focus when known — instead of many.

    The focus's share of the skills named in advice and feedback (an utterance naming
    three skills counts once for each), minus a penalty for each *other skill
    coached* — named in at least ``min_mentions`` coaching utterances. A skill named
    once still lowers the share but is not counted as a second behaviour coached.
    """
    return _focus_judgement(view, signals, cfg, context, min_mentions=int(cfg["min_mentions"]))


def _focus_judgement(
    view: MeetingView,
    signals: Signals,
    cfg: Mapping[str, Any],
    context: ScoringContext,
    *,
    min_mentions: int,
) -> Judgement:
    ct = signals["coaching_topics"]
    coaching: tuple[int, ...] = ct.detail.get("coaching", ())
    counts: Mapping[str, int] = ct.detail.get("counts", {})
    first: Mapping[str, int] = ct.detail.get("first", {})
    if not coaching:
        return Judgement(
            score=None,
            reason="The manager gave no advice or feedback on a named skill, so focus cannot "
            "be judged from this meeting.",
            why_not_higher="Coach one named skill (the cycle's focus) with a concrete example.",
        )
    if context.focus_topic is not None:
        focus = context.focus_topic
    else:
        focus = max(counts, key=lambda t: (counts[t], -first[t]))
    on_focus = [i for i in coaching if focus in view.topics[i]]
    if min_mentions > 1:
        # v2: a share of topic mentions, so one utterance listing four skills ("fix your
        # discovery, your demos, your CRM and your follow-ups") is a quarter on each.
        share = len(on_focus) / sum(counts.values())
    else:
        share = len(on_focus) / len(coaching)
    others = sorted((t for t in counts if t != focus), key=lambda t: first[t])
    coached = [t for t in others if counts[t] >= min_mentions]
    passing = [t for t in others if counts[t] < min_mentions]
    extra = len(coached) if focus in counts else max(0, len(coached) - 1)
    score = 100.0 * share - cfg["extra_topic_penalty"] * extra
    evidence = [cite(view, i, f"coaching on the focus, {topic_name(focus)}") for i in on_focus[:1]]
    evidence += [
        cite(view, first[t], f"coaching on {topic_name(t)}, away from {topic_name(focus)}")
        for t in coached
    ]
    evidence += [
        cite(view, first[t], f"{topic_name(t)} named once: lowers the share on the focus")
        for t in passing
    ]
    if not on_focus:
        why = (
            f"The cycle's focus is {topic_name(focus)} but none of your coaching was about it; "
            f"spend this 1:1 on {topic_name(focus)} and leave "
            f"{', '.join(topic_name(t) for t in others)} for later."
        )
    elif coached:
        why = (
            f"You coached {len(coached) + 1} skills; keep to {topic_name(focus)} and park "
            f"{', '.join(topic_name(t) for t in coached)} for a later cycle "
            f"(first drift {at(view, first[coached[0]])})."
        )
    elif passing:
        why = (
            f"{share:.0%} of your coaching was on {topic_name(focus)}; the rest touched "
            f"{', '.join(topic_name(t) for t in passing)} in passing "
            f"({at(view, first[passing[0]])}) — bring those back to {topic_name(focus)}."
        )
    else:
        why = TOP.format(what=f"all coaching was on {topic_name(focus)}.")
    return Judgement(
        score=max(0.0, score),
        why_not_higher=why,
        evidence=evidence[: cfg["max_evidence"]],
        extra_signals={"focus_share": round(share, 3), "skills_coached": 1 + len(coached)},
    )


# -- evidence-based feedback -----------------------------------------------------------


@BEHAVIORS.register(
    "evidence_based_feedback.v1",
    requires=("signals.feedback", "signals.evidence_feedback_share", "signals.vague_feedback"),
    default_config={"weights": {"evidence": 0.7, "specific": 0.3}, "max_evidence": 5},
)
def evidence_based_feedback(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Ties feedback to something the rep can recognise: a call, a moment, a quote."""
    n_fb = signals["feedback"].value or 0
    if n_fb == 0:
        return Judgement(
            score=None,
            reason="No feedback was given in this meeting, so evidence-based feedback cannot "
            "be judged.",
            why_not_higher="Give one piece of feedback tied to a moment the rep can recognise "
            '("On the Acme call, when you…").',
        )
    share = signals["evidence_feedback_share"].value or 0.0
    vague = signals["vague_feedback"]
    parts: dict[str, float | None] = {
        "evidence": share,
        "specific": 1.0 - (vague.value or 0) / n_fb,
    }
    weights = cfg["weights"]
    score = weighted(parts, weights, "evidence_based_feedback.v1")
    cited = signals["evidence_feedback_share"].indexes
    bare = [i for i in signals["feedback"].indexes if i not in set(cited)]
    evidence = [cite(view, i, "vague feedback, no example") for i in vague.indexes]
    evidence += [cite(view, i, "feedback without evidence") for i in bare if i not in vague.indexes]
    evidence += [cite(view, i, "feedback tied to evidence") for i in cited]
    if bare:
        why = (
            f"Your feedback {at(view, bare[0])} names no moment; add the evidence: which call, "
            f"what the rep said or did, and what happened next ({len(cited)} of {n_fb} pieces "
            "of feedback cited evidence)."
        )
    elif vague.value:
        why = f"Your feedback {at(view, vague.indexes[0])} is vague; say exactly what was good or off."
    else:
        why = TOP.format(what="every piece of feedback cited evidence.")
    return Judgement(score=score, why_not_higher=why, evidence=evidence[: cfg["max_evidence"]])


# -- behaviour, not outcome ------------------------------------------------------------


@BEHAVIORS.register(
    "behavior_not_outcome.v1",
    requires=("signals.behavior_outcome_ratio",),
    default_config={"target_share": 0.75, "max_evidence": 5},
)
def behavior_not_outcome(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Talks about what the rep did (behaviour) more than the results (outcomes)."""
    ratio = signals["behavior_outcome_ratio"]
    if ratio.value is None:
        return Judgement(
            score=None,
            reason="The manager talked about neither the rep's behaviour nor results, so "
            "behaviour-vs-outcome cannot be judged.",
            why_not_higher="Talk about one thing the rep did on a call and what to do differently.",
        )
    target = cfg["target_share"]
    part = min(1.0, ratio.value / target) if target > 0 else 1.0
    outcome: tuple[int, ...] = ratio.detail.get("outcome", ())
    outcome_only = [i for i in outcome if i not in set(ratio.indexes)]
    evidence = [cite(view, i, "talks about the result, not what the rep did") for i in outcome_only]
    evidence += [cite(view, i, "talks about what the rep did") for i in ratio.indexes]
    if part < 1.0 and outcome_only:
        why = (
            f"You talked about results {at(view, outcome_only[0])}; name the behaviour behind "
            f"the number — what the rep said or did on the call — and what to do differently "
            f"(behaviour share {ratio.value:.0%}, target {target:.0%})."
        )
    else:
        why = TOP.format(what="the talk was about what the rep did.")
    return Judgement(
        score=100.0 * part, why_not_higher=why, evidence=evidence[: cfg["max_evidence"]]
    )


# -- calibrate against the team ---------------------------------------------------------


@BEHAVIORS.register(
    "calibrate_against_team.v1",
    requires=(
        "signals.benchmark_refs",
        "signals.advice",
        "signals.feedback",
        "context.calibration",
    ),
    default_config={
        "target_refs": 2,
        "weights": {"conversation": 0.5, "ratings": 0.5},
        "max_evidence": 5,
    },
)
def calibrate_against_team(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Anchors judgements in team norms: benchmarks in the talk, calibrated ratings."""
    refs = signals["benchmark_refs"]
    cal = context.calibration_result()
    coached = (signals["advice"].value or 0) + (signals["feedback"].value or 0)
    target = cfg["target_refs"]
    parts: dict[str, float | None] = {
        "conversation": (min(1.0, (refs.value or 0) / target) if target > 0 else 1.0)
        if coached or refs.value
        else None,
        "ratings": None if cal is None or cal.score is None else cal.score / 100.0,
    }
    if all(v is None for v in parts.values()):
        return Judgement(
            score=None,
            reason="The manager gave no advice or feedback, and no rating calibration was "
            "passed in, so calibration against the team cannot be judged."
            + (f" Calibration: {cal.reason}" if cal is not None and cal.reason else ""),
            why_not_higher="When you judge the rep's work, compare it with the team's norm "
            '("our top reps book a next step on 8 in 10 calls").',
        )
    weights = cfg["weights"]
    score = weighted(parts, weights, "calibrate_against_team.v1")
    evidence = [cite(view, i, "compares with the team's benchmark") for i in refs.indexes]
    if cal is not None:
        evidence += list(cal.evidence)
    worst = biggest_loss(parts, weights)
    if worst == "conversation":
        why = (
            f"You referred to a team benchmark {refs.value} time(s) (target {target}); anchor "
            'your feedback to the team, e.g. "the team averages 11 questions on discovery calls; '
            'you asked 4".'
        )
    elif worst == "ratings" and cal is not None:
        why = cal.why_not_higher
    else:
        why = TOP.format(what="your judgements were anchored in team norms.")
    extra: dict[str, Value] = {}
    if cal is not None:
        extra = {f"calibration.{k}": v for k, v in cal.signals.items()}
    return Judgement(
        score=score,
        why_not_higher=why,
        evidence=evidence[: cfg["max_evidence"]],
        extra_signals=extra,
    )


# -- calendar behaviours (need the workspace) -----------------------------------------


def _from_calendar(behavior: str, context: ScoringContext, needs: str) -> Judgement:
    found = context.calendar_result(behavior)
    if found is None:
        return Judgement(
            score=None,
            reason=f"Needs calendars: {needs} cannot be seen in one meeting's transcript; "
            "connect calendars in the workspace to score it.",
            why_not_higher="Connect calendars in the workspace so this can be measured.",
        )
    return Judgement(
        score=found.score,
        reason=found.reason,
        why_not_higher=found.why_not_higher,
        evidence=found.evidence,
        extra_signals=dict(found.signals),
    )


@BEHAVIORS.register("protect_rep_calendars.v1", requires=("context.calendar",))
def protect_rep_calendars(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Keeps the rep's selling time free of internal meetings (from calendars)."""
    return _from_calendar("protect_rep_calendars", context, "the rep's meeting load")


@BEHAVIORS.register("hold_cadence.v1", requires=("context.calendar",))
def hold_cadence(
    view: MeetingView, signals: Signals, cfg: Mapping[str, Any], context: ScoringContext
) -> Judgement:
    """Holds the 1:1 on its regular cadence without cancelling (from calendars)."""
    return _from_calendar("hold_cadence", context, "how regularly the 1:1 happens")
