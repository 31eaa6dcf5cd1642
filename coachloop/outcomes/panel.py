"""The two panels every outcomes analysis reads, and how to build them.

* **behaviour panel** — one row per manager, week and behaviour (long) or per manager and
  week (wide): ``manager``, ``team``, ``cohort``, ``week`` (an integer week index), and the
  behaviour score 0–100. A manager-week score is the mean of that week's 1:1 scores.
* **KPI panel** — one row per subject, week and metric: ``subject_type`` (``team`` or
  ``rep``), ``subject_key``, ``team``, ``week``, ``metric``, ``value``.

The analyses (:mod:`.impact`, :mod:`.cohorts`, :mod:`.report`) are pure functions of these
frames; :func:`panels_from_workspace` is the only place that knows about storage.
Weeks may arrive as integers, ISO dates or ``YYYY-Www`` strings; :func:`week_index` turns
them into consecutive integers (weeks since the first week seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from coachloop.errors import AnalysisError

BEHAVIOR_COLUMNS = ("manager", "team", "week", "behavior", "score")
KPI_COLUMNS = ("subject_type", "subject_key", "team", "week", "metric", "value")


@dataclass(frozen=True)
class Panels:
    """A behaviour panel (long) and a KPI panel (long), validated."""

    behaviors: pd.DataFrame
    kpis: pd.DataFrame
    #: the Monday of week 0 when the weeks were dates (ISO date string), else None
    week0: str | None = None

    @property
    def metrics(self) -> list[str]:
        return sorted(self.kpis["metric"].unique().tolist())


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(
            f"{what} is missing column(s) {', '.join(missing)}",
            hint=f"expected columns: {', '.join(columns)}",
        )


def week_index(weeks: pd.Series) -> pd.Series:
    """Consecutive integer week numbers (0 = the first week seen) from ints, dates or ISO weeks."""
    return _week_index(weeks)[0]


def _week_index(weeks: pd.Series) -> tuple[pd.Series, str | None]:
    if pd.api.types.is_integer_dtype(weeks):
        return weeks.astype(int), None
    text = weeks.astype(str)
    if text.str.fullmatch(r"-?\d+").all():
        return text.astype(int), None
    if text.str.fullmatch(r"\d{4}-W\d{2}").all():
        dates = pd.to_datetime(text + "-1", format="%G-W%V-%u")
    else:
        dates = pd.to_datetime(text, errors="coerce")
        if dates.isna().any():
            bad = text[dates.isna()].iloc[0]
            raise AnalysisError(
                f"cannot read week {bad!r}",
                hint="weeks must be integers, ISO dates (2026-03-02) or ISO weeks (2026-W10)",
            )
    monday = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    origin = monday.min()
    return ((monday - origin).dt.days // 7).astype(int), origin.date().isoformat()


def validate_behaviors(frame: pd.DataFrame) -> pd.DataFrame:
    """Check and normalise a long behaviour panel; mean over several 1:1s in the same week."""
    _require(frame, BEHAVIOR_COLUMNS, "the behaviour panel")
    out = frame.copy()
    if "cohort" not in out.columns:
        out["cohort"] = ""
    out["cohort"] = out["cohort"].fillna("").astype(str)
    out["score"] = pd.to_numeric(out["score"], errors="coerce")
    out = out.dropna(subset=["score"])
    if ((out["score"] < 0) | (out["score"] > 100)).any():
        raise AnalysisError("behaviour scores must lie between 0 and 100")
    out["manager"] = out["manager"].astype(str)
    out["team"] = out["team"].astype(str)
    return (
        out.groupby(["manager", "team", "cohort", "week", "behavior"])["score"]
        .mean()
        .reset_index()
        .sort_values(["manager", "week", "behavior"], ignore_index=True)
    )


def validate_kpis(frame: pd.DataFrame) -> pd.DataFrame:
    """Check and normalise a long KPI panel."""
    _require(frame, KPI_COLUMNS, "the KPI panel")
    out = frame.copy()
    bad = set(out["subject_type"].unique()) - {"team", "rep"}
    if bad:
        raise AnalysisError(
            f"unknown KPI subject_type {sorted(bad)[0]!r}", hint="use 'team' or 'rep'"
        )
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out = out.dropna(subset=["value"])
    for col in ("subject_key", "team", "metric"):
        out[col] = out[col].astype(str)
    return out.sort_values(["metric", "subject_key", "week"], ignore_index=True)


def make_panels(behaviors: pd.DataFrame, kpis: pd.DataFrame) -> Panels:
    """Validate both panels and put their weeks on one integer scale."""
    b = behaviors.copy()
    k = kpis.copy()
    _require(b, BEHAVIOR_COLUMNS, "the behaviour panel")
    _require(k, KPI_COLUMNS, "the KPI panel")
    both = pd.concat([b["week"], k["week"]], ignore_index=True)
    idx, week0 = _week_index(both)
    b["week"] = idx.iloc[: len(b)].to_numpy()
    k["week"] = idx.iloc[len(b) :].to_numpy()
    return Panels(validate_behaviors(b), validate_kpis(k), week0)


def wide_behaviors(behaviors: pd.DataFrame) -> pd.DataFrame:
    """One row per manager-week, one column per behaviour (NaN where not scored)."""
    wide = behaviors.pivot_table(
        index=["manager", "team", "cohort", "week"],
        columns="behavior",
        values="score",
        aggfunc="mean",
    ).reset_index()
    wide.columns.name = None
    return wide


def panels_from_workspace(ws: Any) -> Panels:
    """Read the behaviour and KPI panels out of a :class:`coachloop.workspace.Workspace`.

    Behaviour scores (people whose role is ``manager``): each recorded 1:1's ``behavior_scores`` averaged per manager and
    week, with the workspace's ``manager_week_scores`` (calendar behaviours, weekly
    roll-ups) taking precedence where both exist. Team and cohort come from the manager's
    row in ``people``. A rep's KPIs go to the rep's team (their own ``team``, else their
    manager's, from their first reporting line).
    """
    behaviors, kpis = _frames_by_sql(ws)
    if behaviors.empty:
        raise AnalysisError(
            "the workspace has no behaviour scores yet",
            hint="ingest and score 1:1s first (`coachloop ingest`)",
        )
    if kpis.empty:
        raise AnalysisError(
            "the workspace has no KPIs yet", hint="import them with `coachloop kpi import`"
        )
    return make_panels(behaviors, kpis)


def _frames_by_sql(ws: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sqlalchemy import select

    from coachloop.workspace.models import (
        BehaviorScore,
        Kpi,
        ManagerWeekScore,
        MeetingRow,
        Person,
        ReportingLine,
    )

    with ws.session() as session:
        people = pd.DataFrame(
            session.execute(
                select(Person.id, Person.email, Person.role, Person.team, Person.cohort)
            ).all(),
            columns=["id", "email", "role", "team", "cohort"],
        )
        per_meeting = pd.DataFrame(
            session.execute(
                select(
                    MeetingRow.manager_id,
                    MeetingRow.week,
                    BehaviorScore.behavior,
                    BehaviorScore.score,
                )
                .join(BehaviorScore, BehaviorScore.meeting_id == MeetingRow.id)
                .where(
                    MeetingRow.kind == "recorded",
                    MeetingRow.manager_id.is_not(None),
                    MeetingRow.week.is_not(None),
                    BehaviorScore.score.is_not(None),
                )
            ).all(),
            columns=["manager_id", "week", "behavior", "score"],
        )
        weekly = pd.DataFrame(
            session.execute(
                select(
                    ManagerWeekScore.manager_id,
                    ManagerWeekScore.week,
                    ManagerWeekScore.behavior,
                    ManagerWeekScore.score,
                ).where(ManagerWeekScore.score.is_not(None))
            ).all(),
            columns=["manager_id", "week", "behavior", "score"],
        )
        kpis = pd.DataFrame(
            session.execute(
                select(Kpi.subject_type, Kpi.subject_key, Kpi.week, Kpi.metric, Kpi.value)
            ).all(),
            columns=["subject_type", "subject_key", "week", "metric", "value"],
        )
        lines = pd.DataFrame(
            session.execute(
                select(
                    ReportingLine.person_id,
                    ReportingLine.manager_id,
                    ReportingLine.valid_from,
                    ReportingLine.valid_to,
                )
            ).all(),
            columns=["person_id", "manager_id", "valid_from", "valid_to"],
        )
    per_meeting = (
        per_meeting.groupby(["manager_id", "week", "behavior"])["score"].mean().reset_index()
    )
    scores = pd.concat([weekly, per_meeting], ignore_index=True).drop_duplicates(
        subset=["manager_id", "week", "behavior"], keep="first"
    )
    by_id = people.set_index("id")
    scores = scores.join(by_id, on="manager_id")
    # directors get calendar scores for their managers' 1:1s; the panel is front-line managers
    scores = scores[scores["role"] == "manager"]
    scores = scores.assign(
        manager=scores["email"],
        team=scores["team"].fillna(scores["email"]),
        cohort=scores["cohort"].fillna(""),
        week=scores["week"].astype(str),
    )[["manager", "team", "cohort", "week", "behavior", "score"]]

    rep_team = {e: t for e, t in zip(people["email"], people["team"], strict=True) if pd.notna(t)}
    email_of = dict(zip(people["id"].tolist(), people["email"].tolist(), strict=True))
    team_of_id = dict(zip(people["id"].tolist(), people["team"].tolist(), strict=True))
    mgr_team: dict[str, Any] = {}
    for person_id, manager_id in zip(
        lines["person_id"].tolist(), lines["manager_id"].tolist(), strict=True
    ):
        if person_id in email_of and manager_id in team_of_id:
            mgr_team.setdefault(email_of[person_id], team_of_id[manager_id])

    def team_of(row: Any) -> Any:
        if row.subject_type == "team":
            return row.subject_key
        return rep_team.get(row.subject_key) or mgr_team.get(row.subject_key)

    if not kpis.empty:
        kpis["team"] = [team_of(r) for r in kpis.itertuples()]
        kpis = kpis.dropna(subset=["team"])
        kpis["week"] = kpis["week"].astype(str)
    else:
        kpis["team"] = []
    return scores, kpis
