"""Built-in signals: numbers measured on one party (manager or rep) of one meeting.

Each signal is ``func(view, who, cfg, found) -> SignalResult`` where ``who`` is
``"manager"`` or ``"rep"``, ``cfg`` the component's resolved config and ``found`` the
signals already computed for the same party (what ``requires`` names). The result
carries the value (JSON name = the component id) and the utterance indexes behind it,
which behaviours cite as evidence. Definitions, formulas and thresholds:
docs/metrics.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from coachloop.scoring.registry import SIGNALS
from coachloop.scoring.view import MeetingView

Value = int | float | None


@dataclass(frozen=True, slots=True)
class SignalResult:
    value: Value
    #: utterances that make up the value (what it counts), in order
    indexes: tuple[int, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)


Found = Mapping[str, SignalResult]

TIMING = ("meeting.utterances", "meeting.roles")


def _per_10min(count: Value, duration: float) -> Value:
    if count is None or duration <= 0:
        return None
    return round(count * 600.0 / duration, 2)


def _share(part: int, whole: int) -> Value:
    return None if whole == 0 else round(part / whole, 3)


def _is_backchannel(view: MeetingView, i: int, max_words: int) -> bool:
    return "backchannel" in view.acts[i] or (
        max_words > 0 and view.utterances[i].n_words <= max_words
    )


def _with_act(view: MeetingView, who: str, act: str) -> tuple[int, ...]:
    return tuple(i for i in view.indexes_of(who) if act in view.acts[i])


@SIGNALS.register("talk_share.v1", requires=TIMING, for_rep=True)
def talk_share(view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found) -> SignalResult:
    """Share (0–1) of all speaking time that is this party's."""
    labels = view.labels(who)
    total = mine = 0.0
    for u, end in zip(view.utterances, view.ends, strict=True):
        spoken = max(0.0, end - u.start)
        total += spoken
        if u.speaker in labels:
            mine += spoken
    return SignalResult(None if total <= 0 else round(mine / total, 3))


@SIGNALS.register(
    "longest_monologue_s.v1",
    requires=(*TIMING, "acts"),
    default_config={"max_gap_s": 3.0, "backchannel_max_words": 0},
    for_rep=True,
)
def longest_monologue_s(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Longest stretch of one party's speech; others' backchannels do not break it."""
    labels = view.labels(who)
    best: tuple[float, tuple[int, ...]] = (0.0, ())
    run: list[int] = []
    run_start = run_end = 0.0
    for u in view.utterances:
        i = u.index
        if u.speaker in labels:
            if run and u.start - run_end <= cfg["max_gap_s"]:
                run.append(i)
            else:
                run, run_start = [i], u.start
            run_end = max(run_end if len(run) > 1 else 0.0, view.ends[i])
            if run_end - run_start > best[0]:
                best = (run_end - run_start, tuple(run))
        elif not _is_backchannel(view, i, cfg["backchannel_max_words"]):
            run = []
    return SignalResult(round(best[0], 1), best[1][:1])


@SIGNALS.register("questions.v1", requires=("meeting.roles", "acts"), for_rep=True)
def questions(view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found) -> SignalResult:
    """Utterances by this party that ask at least one question."""
    idx = tuple(i for i in view.indexes_of(who) if view.is_question(i))
    return SignalResult(len(idx), idx)


@SIGNALS.register(
    "questions_per_10min.v1", requires=("meeting.utterances", "signals.questions"), for_rep=True
)
def questions_per_10min(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Questions per 10 minutes of meeting."""
    q = found["questions"]
    return SignalResult(_per_10min(q.value, view.duration), q.indexes)


@SIGNALS.register("open_question_share.v1", requires=("signals.questions", "acts"))
def open_question_share(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Share of the party's questions that are open (what/how/tell me…)."""
    qs = found["questions"].indexes
    opened = tuple(i for i in qs if "open_question" in view.acts[i])
    closed = tuple(i for i in qs if "open_question" not in view.acts[i])
    return SignalResult(_share(len(opened), len(qs)), opened, {"closed": closed})


@SIGNALS.register(
    "question_statement_ratio.v1",
    requires=("signals.questions", "acts"),
    default_config={"backchannel_max_words": 0},
)
def question_statement_ratio(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Questions divided by statements (non-question, non-backchannel utterances)."""
    qs = found["questions"]
    statements = [
        i
        for i in view.indexes_of(who)
        if not view.is_question(i) and not _is_backchannel(view, i, cfg["backchannel_max_words"])
    ]
    value = None if not statements else round(len(qs.indexes) / len(statements), 3)
    return SignalResult(value, qs.indexes)


@SIGNALS.register("advice.v1", requires=("meeting.roles", "acts"))
def advice(view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found) -> SignalResult:
    """Utterances in which the party tells the other what to do."""
    idx = _with_act(view, who, "advice")
    return SignalResult(len(idx), idx)


@SIGNALS.register("tell_before_ask.v1", requires=("signals.advice", "acts", "acts.topics"))
def tell_before_ask(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Advice on a topic before the party asked anything about that topic.

    Advice with no recognised topic counts when no question at all came before it.
    A question in the same utterance as the advice does not count as asking first.
    """
    advice_idx = set(found["advice"].indexes)
    asked: set[str] = set()
    asked_any = False
    told: list[int] = []
    topics_told: dict[int, tuple[str, ...]] = {}
    for i in view.indexes_of(who):
        is_q = view.is_question(i)
        if i not in advice_idx and not is_q:
            continue
        topics = view.topics[i]
        if i in advice_idx:
            unasked = sorted(topics - asked) if topics else []
            if (topics and not topics & asked) or (not topics and not asked_any):
                told.append(i)
                topics_told[i] = tuple(unasked)
        if is_q:
            asked_any = True
            asked |= topics
    return SignalResult(len(told), tuple(told), {"topics": topics_told})


@SIGNALS.register("interruptions.v1", requires=("meeting.roles", "acts"), for_rep=True)
def interruptions(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Times the party started talking over someone before they had finished.

    The party's utterances the tagger marks ``interruption`` (``coachloop.acts``: it
    starts while another speaker goes on for more than 0.5 s, or right after another
    speaker was cut off mid-sentence); a backchannel is never one.
    """
    idx = tuple(
        i
        for i in view.indexes_of(who)
        if "interruption" in view.acts[i] and "backchannel" not in view.acts[i]
    )
    return SignalResult(len(idx), idx)


@SIGNALS.register(
    "interruptions_per_10min.v1",
    requires=("meeting.utterances", "signals.interruptions"),
    for_rep=True,
)
def interruptions_per_10min(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Interruptions per 10 minutes of meeting."""
    n = found["interruptions"]
    return SignalResult(_per_10min(n.value, view.duration), n.indexes)


@SIGNALS.register(
    "patience_s.v1",
    requires=(*TIMING, "acts"),
    default_config={"short_pause_s": 0.3, "backchannel_max_words": 0},
    for_rep=True,
)
def patience_s(view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found) -> SignalResult:
    """Median pause (s) before the party takes the floor after the other party stops.

    Only turn changes where the export gives the other's real end are measured;
    overlaps count as a pause of 0. Indexes: turns taken after less than
    ``short_pause_s``.
    """
    labels = view.labels(who)
    others = view.labels(view.other(who))
    utts = view.utterances
    pauses: list[float] = []
    short: list[int] = []
    for u in utts[1:]:
        i = u.index
        prev = utts[i - 1]
        if u.speaker not in labels or prev.speaker not in others or not view.has_end[i - 1]:
            continue
        if _is_backchannel(view, i, cfg["backchannel_max_words"]):
            continue
        pause = max(0.0, u.start - view.ends[i - 1])
        pauses.append(pause)
        if pause < cfg["short_pause_s"]:
            short.append(i)
    value = round(statistics.median(pauses), 2) if pauses else None
    return SignalResult(value, tuple(short), {"turns": len(pauses)})


@SIGNALS.register("feedback.v1", requires=("meeting.roles", "acts"))
def feedback(view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found) -> SignalResult:
    """Utterances in which the party judges the other's work (praise or criticism)."""
    idx = _with_act(view, who, "feedback")
    return SignalResult(len(idx), idx)


@SIGNALS.register("evidence_feedback_share.v1", requires=("signals.feedback", "acts"))
def evidence_feedback_share(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Share of feedback utterances that cite evidence (a call, a moment, a quote, a number)."""
    fb = found["feedback"].indexes
    cited = tuple(i for i in fb if "evidence" in view.acts[i])
    return SignalResult(_share(len(cited), len(fb)), cited)


@SIGNALS.register("vague_feedback.v1", requires=("signals.feedback", "acts.vague"))
def vague_feedback(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Feedback utterances that are vague ("good job", "that was off")."""
    idx = tuple(i for i in found["feedback"].indexes if view.vague[i])
    return SignalResult(len(idx), idx)


@SIGNALS.register("behavior_outcome_ratio.v1", requires=("meeting.roles", "acts"))
def behavior_outcome_ratio(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Behaviour talk as a share of behaviour + outcome talk: B / (B + O), 0–1."""
    behavior = _with_act(view, who, "behavior_talk")
    outcome = _with_act(view, who, "outcome_talk")
    both = set(behavior) | set(outcome)
    return SignalResult(_share(len(behavior), len(both)), behavior, {"outcome": outcome})


@SIGNALS.register(
    "coaching_topics.v1", requires=("signals.advice", "signals.feedback", "acts.topics")
)
def coaching_topics(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Distinct skill topics the party advised on or gave feedback on."""
    coaching = sorted(set(found["advice"].indexes) | set(found["feedback"].indexes))
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    for i in coaching:
        for t in sorted(view.topics[i]):
            first.setdefault(t, i)
            counts[t] = counts.get(t, 0) + 1
    on_topic = tuple(i for i in coaching if view.topics[i])
    return SignalResult(
        len(first),
        tuple(sorted(first.values())),
        {"first": first, "counts": counts, "coaching": on_topic},
    )


@SIGNALS.register("benchmark_refs.v1", requires=("meeting.roles", "acts"))
def benchmark_refs(
    view: MeetingView, who: str, cfg: Mapping[str, Any], found: Found
) -> SignalResult:
    """Utterances comparing with the team or a benchmark ("top reps", "team average")."""
    idx = _with_act(view, who, "benchmark")
    return SignalResult(len(idx), idx)
