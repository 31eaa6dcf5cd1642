"""``score_meeting``: run the signal and behaviour pipeline on one meeting.

The same function scores a recorded 1:1, a practice session and a simulated meeting;
the workspace stores :meth:`Scorecard.to_dict` and the dashboard shows its evidence
and ``why_not_higher``. Components compute, the engine records: a component returns
a value and never touches the scorecard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coachloop.errors import AnalysisError, CoachloopError
from coachloop.model import Meeting
from coachloop.scoring.behaviors import Judgement
from coachloop.scoring.config import ScoringConfig, resolve_config
from coachloop.scoring.context import Evidence, ScoringContext
from coachloop.scoring.registry import BEHAVIORS, SIGNALS, Component
from coachloop.scoring.signals import SignalResult, Value
from coachloop.scoring.view import MeetingView, analyse

SPEC_VERSION = "1.1"


@dataclass(frozen=True, kw_only=True)
class BehaviorScore:
    id: str
    component: str
    score: int | None
    why_not_higher: str
    evidence: tuple[Evidence, ...] = ()
    signals: Mapping[str, Value] = field(default_factory=dict)
    #: why the score is null (None when there is a score)
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "score": self.score,
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
            "why_not_higher": self.why_not_higher,
            "signals": dict(self.signals),
        }

    @classmethod
    def from_dict(cls, behavior_id: str, data: Mapping[str, Any]) -> BehaviorScore:
        return cls(
            id=behavior_id,
            component=data["component"],
            score=data["score"],
            reason=data.get("reason"),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", ())),
            why_not_higher=data["why_not_higher"],
            signals=dict(data.get("signals", {})),
        )


@dataclass(frozen=True, kw_only=True)
class Scorecard:
    meeting_id: str
    title: str | None
    manager: str
    duration_s: float
    signals: Mapping[str, Value]
    rep_signals: Mapping[str, Value]
    behaviors: Mapping[str, BehaviorScore]
    components: tuple[str, ...]
    spec_version: str = SPEC_VERSION
    #: what makes these numbers less certain than usual (e.g. speakers told apart on one
    #: mixed audio track); shown beside the scores, never silently dropped
    caveats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable data; :meth:`from_dict` reads it back."""
        return {
            "meeting_id": self.meeting_id,
            "title": self.title,
            "manager": self.manager,
            "duration_s": self.duration_s,
            "spec_version": self.spec_version,
            "components": list(self.components),
            "signals": dict(self.signals),
            "rep_signals": dict(self.rep_signals),
            "behaviors": {k: b.to_dict() for k, b in self.behaviors.items()},
            "caveats": list(self.caveats),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        return cls(
            meeting_id=data["meeting_id"],
            title=data.get("title"),
            manager=data["manager"],
            duration_s=data["duration_s"],
            spec_version=data.get("spec_version", SPEC_VERSION),
            components=tuple(data.get("components", ())),
            signals=dict(data["signals"]),
            rep_signals=dict(data.get("rep_signals", {})),
            behaviors={k: BehaviorScore.from_dict(k, v) for k, v in data["behaviors"].items()},
            caveats=tuple(data.get("caveats", ())),
        )


_DEFAULT: tuple[tuple[int, int], ScoringConfig] | None = None


def default_config() -> ScoringConfig:
    """The registered defaults, resolved once per change of the registries."""
    global _DEFAULT
    key = (SIGNALS.generation, BEHAVIORS.generation)
    if _DEFAULT is None or _DEFAULT[0] != key:
        _DEFAULT = (key, resolve_config(source="<defaults>"))
    return _DEFAULT[1]


def _as_config(config: ScoringConfig | Mapping[str, Any] | None) -> ScoringConfig:
    if config is None:
        return default_config()
    if isinstance(config, ScoringConfig):
        return config
    return resolve_config(config)


def _run(comp: Component, view: MeetingView, *args: Any) -> Any:
    """Call a component; a bug in it fails this meeting with an error naming the
    component (AnalysisError, chained to the original), so a batch can carry on."""
    try:
        return comp.func(*args)
    except CoachloopError:
        raise
    except Exception as exc:
        raise AnalysisError(
            f"meeting {view.meeting.title or view.meeting.id[:12]}: component {comp.name} "
            f"failed: {type(exc).__name__}: {exc}",
            hint="a bug in the component; the other meetings are unaffected",
        ) from exc


def compute_signals(view: MeetingView, config: ScoringConfig, who: str) -> dict[str, SignalResult]:
    found: dict[str, SignalResult] = {}
    for comp in config.signals:
        if who == "rep" and not comp.for_rep:
            continue
        needed = [r.split(".", 1)[1] for r in comp.requires if r.startswith("signals.")]
        if any(n not in found for n in needed):
            continue
        found[comp.id] = _run(comp, view, view, who, config.of(comp.name), found)
    return found


def score_meeting(
    meeting: Meeting,
    *,
    config: ScoringConfig | Mapping[str, Any] | None = None,
    context: ScoringContext | None = None,
    acts: Sequence[frozenset[str]] | None = None,
) -> Scorecard:
    """Score the manager of ``meeting`` (the speaker with Role.MANAGER) on every behaviour.

    ``config`` is a resolved :class:`ScoringConfig` (see :func:`load_config`), a mapping
    in the config-file layout, or None for the defaults. ``context`` brings what the
    meeting cannot show (the cycle's focus, calendar and calibration results).
    ``acts`` skips tagging when the caller already has the tagger's output.
    Raises RoleError when no (or more than one) speaker is the manager.
    """
    cfg = _as_config(config)
    context = context or ScoringContext()
    view = analyse(meeting, acts=acts)
    mine = compute_signals(view, cfg, "manager")
    reps = compute_signals(view, cfg, "rep") if view.rep_labels else {}
    behaviors: dict[str, BehaviorScore] = {}
    for comp in cfg.behaviors:
        result: Judgement = _run(comp, view, view, mine, cfg.of(comp.name), context)
        used = {
            r.split(".", 1)[1]: mine[r.split(".", 1)[1]].value
            for r in comp.requires
            if r.startswith("signals.") and r.split(".", 1)[1] in mine
        }
        behaviors[comp.id] = BehaviorScore(
            id=comp.id,
            component=comp.name,
            score=None if result.score is None else round(max(0.0, min(100.0, result.score))),
            reason=result.reason,
            evidence=tuple(result.evidence),
            why_not_higher=result.why_not_higher,
            signals={**used, **result.extra_signals},
        )
    return Scorecard(
        meeting_id=meeting.id,
        title=meeting.title,
        manager=meeting.speaker(view.manager).display,
        duration_s=round(view.duration, 1),
        signals={k: v.value for k, v in mine.items()},
        rep_signals={k: v.value for k, v in reps.items()},
        behaviors=behaviors,
        components=tuple(c.name for c in cfg.components),
        caveats=caveats_for(meeting),
    )


def caveats_for(meeting: Meeting) -> tuple[str, ...]:
    """Caveats that follow from how the transcript was made (``Meeting.meta``).

    Recordings transcribed by :mod:`coachloop.audio` say how speakers were found:
    per-speaker tracks and stereo channels are exact; one mixed track is an estimate.
    """
    meta = meeting.meta
    out: list[str] = []
    how = meta.get("diarisation")
    if isinstance(how, str) and how.startswith("mixed"):
        out.append(
            "speakers were told apart on one mixed audio track: talk share, monologues, "
            "questions and interruptions are estimates"
        )
    if meta.get("speakers_uncertain"):
        out.append(
            "the two voices could not be told apart reliably: every speaker-dependent signal "
            "is unreliable for this meeting"
        )
    if meta.get("overlaps_measured") is False:
        possible = meta.get("possible_interruptions")
        n = len(possible) if isinstance(possible, list | tuple) else None
        extra = f"; {n} possible interruptions were flagged from the audio" if n else ""
        out.append(
            "overlapping speech cannot be measured on a mixed track, so interruptions and "
            f"patience are undercounted{extra}"
        )
    low = meta.get("low_confidence_utterances")
    if isinstance(low, list | tuple) and low:
        out.append(f"{len(low)} utterances have an uncertain speaker")
    return tuple(out)
