"""Scoring: signals and behaviour scores for a meeting's manager, with evidence.

``score_meeting(meeting, config=None, context=None) -> Scorecard`` runs a pipeline of
registered, versioned components (:data:`SIGNALS`, :data:`BEHAVIORS`). Definitions,
formulas, thresholds and their sources: docs/metrics.md (whose version line equals
:data:`SPEC_VERSION`).
"""

from __future__ import annotations

from coachloop.behaviors import BEHAVIOR_IDS
from coachloop.scoring import behaviors as _behaviors  # noqa: F401  (registers built-ins)
from coachloop.scoring import signals as _signals  # noqa: F401  (registers built-ins)
from coachloop.scoring.behaviors import Judgement
from coachloop.scoring.config import ScoringConfig, load_config, resolve_config
from coachloop.scoring.context import Evidence, ExternalResult, ScoringContext
from coachloop.scoring.engine import (
    SPEC_VERSION,
    BehaviorScore,
    Scorecard,
    default_config,
    score_meeting,
)
from coachloop.scoring.registry import BEHAVIORS, SIGNALS, Component, Registry
from coachloop.scoring.signals import SignalResult
from coachloop.scoring.view import MeetingView, analyse

__all__ = [
    "BEHAVIORS",
    "BEHAVIOR_IDS",
    "SIGNALS",
    "SPEC_VERSION",
    "BehaviorScore",
    "Component",
    "Evidence",
    "ExternalResult",
    "Judgement",
    "MeetingView",
    "Registry",
    "Scorecard",
    "ScoringConfig",
    "ScoringContext",
    "SignalResult",
    "analyse",
    "default_config",
    "load_config",
    "resolve_config",
    "score_meeting",
]
