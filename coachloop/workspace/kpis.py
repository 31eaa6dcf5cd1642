"""KPIs: weekly outcome metrics per rep or team (quota attainment, win rate, pipeline
created, ramp time, retention/leavers, calibration accuracy, or any named metric).

CSV columns: ``week, metric, value`` and the subject as either ``subject_type`` +
``subject`` (``rep``/``team``) or a ``rep`` (e-mail) or ``team`` column. Weeks are ISO weeks
(``2026-W47``) or any date in the week. Reps must be in the roster and teams must be a team
of someone in it. Every row is validated first; nothing is written when one is bad.
Re-importing a (subject, week, metric) replaces its value.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coachloop.workspace._csv import (
    RowError,
    parse_email,
    parse_float,
    parse_week,
    raise_row_errors,
    read_rows,
)
from coachloop.workspace.models import ImportLog, Kpi, Person

if TYPE_CHECKING:
    from coachloop.workspace.core import Workspace

METRIC_RE = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
KNOWN_METRICS = (
    "quota_attainment",
    "win_rate",
    "pipeline_created",
    "ramp_time",
    "retention",
    "leavers",
    "calibration_accuracy",
)


def import_kpis(ws: Workspace, path: Path) -> dict[str, Any]:
    rows = read_rows(
        path,
        required=("week", "metric", "value"),
        optional=("subject_type", "subject", "rep", "team"),
    )
    errors: list[tuple[int, str]] = []
    with ws.write() as s:
        emails = set(s.scalars(select(Person.email)))
        teams = {t for t in s.scalars(select(Person.team)) if t}
        parsed: dict[tuple[str, str, date, str], tuple[int, float]] = {}
        for line, row in rows:
            try:
                kind, key = _subject(row)
                if kind == "rep":
                    key = parse_email(key, "rep")
                    if key not in emails:
                        raise RowError(f"rep {key} is not in the roster")
                elif key not in teams:
                    raise RowError(f"team {key!r} is not a team in the roster")
                week = parse_week(row["week"])
                metric = row["metric"].strip().lower().replace(" ", "_").replace("-", "_")
                if not METRIC_RE.match(metric):
                    raise RowError(f"metric {row['metric']!r} is not a name (letters, digits, _)")
                value = parse_float(row["value"], "value")
                k = (kind, key, week, metric)
                if k in parsed:
                    raise RowError(f"the same {kind}, week and metric as line {parsed[k][0]}")
                parsed[k] = (line, value)
            except RowError as exc:
                errors.append((line, str(exc)))
        raise_row_errors(path, errors)
        existing = {
            (k.subject_type, k.subject_key, k.week, k.metric): k for k in s.scalars(select(Kpi))
        }
        added = updated = 0
        for k, (_, value) in parsed.items():
            row_ = existing.get(k)
            if row_ is None:
                s.add(Kpi(subject_type=k[0], subject_key=k[1], week=k[2], metric=k[3], value=value))
                added += 1
            elif row_.value != value:
                row_.value = value
                updated += 1
        summary = {
            "rows": len(parsed),
            "added": added,
            "updated": updated,
            "metrics": sorted({k[3] for k in parsed}),
        }
        s.add(ImportLog(kind="kpi", source=str(path), summary=summary))
    return summary


def _subject(row: dict[str, str]) -> tuple[str, str]:
    kind = row.get("subject_type", "").lower()
    if kind:
        if kind not in ("rep", "team"):
            raise RowError(f"subject_type {row['subject_type']!r} is not rep or team")
        if not row.get("subject"):
            raise RowError("subject is empty")
        return kind, row["subject"]
    rep, team = row.get("rep", ""), row.get("team", "")
    if rep and team:
        raise RowError("give either rep or team, not both")
    if rep:
        return "rep", rep
    if team:
        return "team", team
    raise RowError("no subject: give subject_type and subject, or a rep or team column")


def kpi_rows(
    ws: Workspace, *, metric: str | None = None, subject_type: str | None = None
) -> list[dict[str, Any]]:
    """Stored KPIs as plain rows, ordered by subject, metric, week (outcomes reads these)."""
    q = select(Kpi).order_by(Kpi.subject_type, Kpi.subject_key, Kpi.metric, Kpi.week)
    if metric:
        q = q.where(Kpi.metric == metric)
    if subject_type:
        q = q.where(Kpi.subject_type == subject_type)
    with ws.session() as s:
        return [
            {
                "subject_type": k.subject_type,
                "subject": k.subject_key,
                "week": k.week,
                "metric": k.metric,
                "value": k.value,
            }
            for k in s.scalars(q)
        ]
