"""How well the product measures the simulated truth.

:func:`recovery` compares, across managers, the true mean level of each behaviour
(``truth.json``) with what the workspace measured: transcript behaviours as the mean
over each manager's stored 1:1 scores, calendar behaviours as the mean of the weekly
cycle scores. The result is Spearman's rho per behaviour (scipy), with the number of
managers behind it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from statistics import fmean
from typing import Any

from coachloop.behaviors import BEHAVIOR_IDS as BEHAVIORS
from coachloop.behaviors import TRANSCRIPT_BEHAVIORS


def recovery(
    truth: Mapping[str, Any],
    meetings: Sequence[Mapping[str, Any]],
    cycles: Sequence[Sequence[Mapping[str, Any]]] = (),
) -> dict[str, dict[str, Any]]:
    """Spearman's rho between true and measured levels, per behaviour, across managers.

    ``meetings`` are rows like ``Workspace.meetings()`` (``manager_email``, ``scores``);
    ``cycles`` are the weekly results of ``Workspace.cycle`` (for the calendar behaviours).
    """
    from scipy.stats import spearmanr

    measured: dict[str, dict[str, list[float]]] = {}
    for row in meetings:
        mine = measured.setdefault(str(row.get("manager_email")), {})
        for b in TRANSCRIPT_BEHAVIORS:
            value = (row.get("scores") or {}).get(b)
            if value is not None:
                mine.setdefault(b, []).append(float(value))
    for week in cycles:
        for res in week:
            mine = measured.setdefault(str(res.get("manager")), {})
            for b in BEHAVIORS[len(TRANSCRIPT_BEHAVIORS) :]:
                value = ((res.get("behaviors") or {}).get(b) or {}).get("score")
                if value is not None:
                    mine.setdefault(b, []).append(float(value))
    out: dict[str, dict[str, Any]] = {}
    for b in BEHAVIORS:
        pairs = [
            (m["mean_levels"][b], fmean(measured[m["email"]][b]))
            for m in truth["managers"]
            if measured.get(m["email"], {}).get(b)
        ]
        if len(pairs) < 3:
            out[b] = {"rho": None, "managers": len(pairs)}
            continue
        rho = spearmanr([p[0] for p in pairs], [p[1] for p in pairs])[0]
        out[b] = {"rho": round(float(rho), 3), "managers": len(pairs)}
    return out


def _score_file(job: tuple[str, str, str]) -> dict[str, Any]:
    from coachloop.readers import read_transcript
    from coachloop.scoring import score_meeting
    from coachloop.workspace.ingest import default_roles

    path, manager_email, manager_name = job
    meeting = default_roles(read_transcript(path), manager_name)
    card = score_meeting(meeting).to_dict()
    scores = {b: v["score"] for b, v in card["behaviors"].items()}
    return {"manager_email": manager_email, "scores": scores}


def score_org(out_dir: str | Path, *, jobs: int = 1) -> list[dict[str, Any]]:
    """Every 1:1 of a simulated org read back, roles assigned as ingest does, and scored:
    rows like ``Workspace.meetings()`` (``manager_email``, ``scores``)."""
    import csv
    import json
    import multiprocessing

    out = Path(out_dir)
    with open(out / "roster.csv", encoding="utf-8", newline="") as f:
        names = {r["email"]: r["name"] for r in csv.DictReader(f)}
    work = []
    for side in sorted(out.glob("transcripts/*/*.meta.json")):
        stem = side.name[: -len(".meta.json")]
        meta = json.loads(side.read_text(encoding="utf-8"))
        for path in sorted(side.parent.glob(stem + ".*")):
            if path != side:
                email = meta["manager_email"]
                work.append((str(path), email, names[email]))
    if jobs == 1:
        return [_score_file(j) for j in work]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_score_file, work, chunksize=8)


def calendar_scores(out_dir: str | Path) -> list[list[dict[str, Any]]]:
    """``hold_cadence`` and ``protect_rep_calendars`` per manager over the whole window,
    from the org's ICS files (calendar-trusting), shaped like one week of cycle results."""
    import json
    from datetime import date, timedelta

    from coachloop.analytics.calendar import (
        CalendarEvent,
        hold_cadence,
        load_ics,
        pair_cadence,
        protect_rep_calendars,
        rep_week_load,
    )

    out = Path(out_dir)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    start = date.fromisoformat(truth["start"])
    weeks = int(truth["weeks"])
    end = start + timedelta(weeks=weeks)
    events = load_ics(sorted(out.glob("calendars/*.ics")), start=start, end=end)
    mine: dict[str, list[CalendarEvent]] = {}
    for e in events:
        for p in e.participants:
            mine.setdefault(p, []).append(e)
    rows = []
    for m in truth["managers"]:
        reps = [r["email"] for r in m["reps"]]
        pairs = [pair_cadence(mine.get(r, []), m["email"], r, start=start, end=end) for r in reps]
        loads = [
            rep_week_load(mine.get(r, []), r, m["email"], week_start=start + timedelta(weeks=w))
            for r in reps
            for w in range(weeks)
        ]
        rows.append(
            {
                "manager": m["email"],
                "behaviors": {
                    "hold_cadence": {"score": hold_cadence(pairs, as_of=end)["score"]},
                    "protect_rep_calendars": {"score": protect_rep_calendars(loads)["score"]},
                },
            }
        )
    return [rows]


def check_org(out_dir: str | Path, *, jobs: int = 1) -> dict[str, dict[str, Any]]:
    """:func:`recovery` for a simulated org straight from its files (no workspace)."""
    import json

    out = Path(out_dir)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return recovery(truth, score_org(out, jobs=jobs), calendar_scores(out))
