"""Markdown briefs from a week's cycle results.

* one brief per manager (``<email>.md``): the focus and why, 2–3 evidence moments from
  their own 1:1s, the practice scenario, and this week's scores with deltas;
* one brief per manager's manager (``<email>.team.md``): each of their managers' focus and
  deltas, with debrief questions from
  :func:`coachloop.analytics.focus.suggest_debrief_questions`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from coachloop.errors import WorkspaceError


def _label(behavior: str) -> str:
    return behavior.replace("_", " ")


def _num(x: Any, signed: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x:+.1f}" if signed else f"{x:.1f}"


def _clock(seconds: Any) -> str:
    if not isinstance(seconds, int | float):
        return "?"
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


def manager_brief(result: dict[str, Any]) -> str:
    focus = result["focus"]
    lines = [f"# {result['name']} — coaching brief, {result['week']}", ""]
    if focus:
        lines += [
            f"**Focus this cycle: {_label(focus)}** ({result['cycle_start']} to {result['cycle_end']})",
            "",
            f"Why: {result['focus_reason']}",
            "",
        ]
    else:
        lines += ["No focus this cycle: " + result["focus_reason"], ""]
    if result["evidence"]:
        lines += ["## Moments from your 1:1s", ""]
        for ev in result["evidence"]:
            when = (ev.get("started_at") or "")[:10]
            shows = f" — {ev['shows']}" if ev.get("shows") else ""
            lines.append(f"- {when} at {_clock(ev.get('start'))}: “{ev.get('quote')}”{shows}")
        lines.append("")
    if result.get("scenario_id"):
        lines += [
            "## Practice",
            "",
            f"Scenario `{result['scenario_id']}` trains this behaviour with a virtual rep.",
            "",
        ]
    lines += [
        "## This week",
        "",
        "| behaviour | score | vs last week | vs your baseline | vs team | 1:1s |",
        "|---|---|---|---|---|---|",
    ]
    for b, v in result["behaviors"].items():
        lines.append(
            f"| {_label(b)} | {_num(v['score'])} | {_num(v['delta_week'], True)} | "
            f"{_num(v['delta_baseline'], True)} | {_num(v['delta_team'], True)} | "
            f"{v['meetings'] if v['meetings'] is not None else '—'} |"
        )
    if result.get("rep_rating") is not None:
        lines += [
            "",
            f"Your reps rated this week's 1:1s {result['rep_rating']:.1f} / 5 on average.",
        ]
    return "\n".join(lines) + "\n"


def team_brief(boss: str, results: Sequence[dict[str, Any]]) -> str:
    from coachloop.analytics.focus import FocusDecision, suggest_debrief_questions

    week = results[0]["week"]
    lines = [f"# Your managers — debrief brief, {week}", "", f"For {boss}.", ""]
    lines += [
        "| manager | focus | focus score | vs last week | vs baseline | 1:1s |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        f = r["focus"]
        v = r["behaviors"].get(f, {}) if f else {}
        lines.append(
            f"| {r['name']} | {_label(f) if f else '—'} | {_num(v.get('score'))} | "
            f"{_num(v.get('delta_week'), True)} | {_num(v.get('delta_baseline'), True)} | {r['meetings']} |"
        )
    for r in results:
        decision = FocusDecision(
            r["focus"],
            r["focus_reason"],
            date.fromisoformat(r["cycle_start"] or r["week_start"]),
            bool(r["focus_kept"]),
        )
        deltas = {b: v["delta_week"] for b, v in r["behaviors"].items()}
        lines += ["", f"## {r['name']}", ""]
        lines += [f"- {q}" for q in suggest_debrief_questions(decision, deltas)]
    return "\n".join(lines) + "\n"


def write_briefs(results: Sequence[dict[str, Any]], directory: Path) -> list[Path]:
    """Write every brief into ``directory``; returns the files written, sorted."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create {directory}: {exc.strerror}",
            hint="give --briefs a folder you can write to (new or existing), not a file",
        ) from None
    written = []
    teams: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        path = directory / f"{r['manager']}.md"
        path.write_text(manager_brief(r), encoding="utf-8")
        written.append(path)
        if r.get("manager_of_manager"):
            teams[r["manager_of_manager"]].append(r)
    for boss, rs in sorted(teams.items()):
        path = directory / f"{boss}.team.md"
        path.write_text(team_brief(boss, rs), encoding="utf-8")
        written.append(path)
    return sorted(written)
