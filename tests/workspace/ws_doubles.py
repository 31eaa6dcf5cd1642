"""Test doubles and small fixture writers for the workspace tests (importable by worker
processes: pickled by reference)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from coachloop.model import Meeting, Role
from coachloop.workspace.ingest import Pipeline, default_read

ROSTER = """name,email,role,manager_email,team,cohort,consent
Dana Diaz,dana@ex.com,director,,Sales,2025,true
Ana Lopez,ana@ex.com,manager,dana@ex.com,East,2025,true
Max Moor,max@ex.com,manager,dana@ex.com,West,2026,true
Ben Hart,ben@ex.com,rep,ana@ex.com,East,2025,true
Cat Cole,cat@ex.com,rep,ana@ex.com,East,2025,
Dev Dutt,dev@ex.com,rep,max@ex.com,West,2026,yes
Eve Ek,eve@ex.com,rep,max@ex.com,West,2026,false
"""

BEHAVIORS = ("ask_before_tell", "evidence_based_feedback", "hold_cadence")


def tag(meeting: Meeting) -> list[frozenset[str]]:
    return [
        frozenset({"question"}) if u.text.endswith("?") else frozenset() for u in meeting.utterances
    ]


def score(meeting: Meeting, acts: Sequence[frozenset[str]]) -> dict[str, Any]:
    """Share of the manager's utterances that are questions, as a 0–100 score."""
    mgr = meeting.labels_with_role(Role.MANAGER)
    mine = [u for u in meeting.utterances if u.speaker in mgr]
    asked = [u for u in mine if "question" in acts[u.index]]
    share = 100.0 * len(asked) / len(mine) if mine else 0.0
    ev = [{"quote": u.text, "start": u.start} for u in asked[:2]]
    return {
        "signals": {"questions": len(asked), "manager_utterances": len(mine)},
        "behaviors": {
            "ask_before_tell": {"score": share, "evidence": ev, "why_not_higher": "ask more"},
            "evidence_based_feedback": {"score": 50, "evidence": [], "why_not_higher": None},
            "hold_cadence": {"score": None, "evidence": [], "why_not_higher": None},
        },
    }


def boom(meeting: Meeting, acts: Sequence[frozenset[str]]) -> dict[str, Any]:
    if "boom" in (meeting.title or ""):
        raise RuntimeError("scorer exploded")
    return score(meeting, acts)


PIPE = Pipeline(read=default_read, tag=tag, score=score)


def _clock(t: int) -> str:
    return f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"


def transcript(manager: str, rep: str, questions: int = 1, *, extra: str = "") -> str:
    lines = []
    t = 0
    for i in range(questions):
        lines.append(f"[{_clock(t)}] {manager}: How did call {i} go?")
        t += 5
        lines.append(f"[{_clock(t)}] {rep}: It went fine, thanks.")
        t += 5
    lines.append(f"[{_clock(t)}] {manager}: Try the new opener next time. {extra}")
    return "\n".join(lines) + "\n"


def write_meeting(
    folder: Path,
    name: str,
    manager: str,
    rep: str,
    *,
    questions: int = 1,
    sidecar: dict[str, Any] | None = None,
    extra: str = "",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(transcript(manager, rep, questions, extra=extra), encoding="utf-8")
    if sidecar is not None:
        (folder / (name + ".json")).write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
