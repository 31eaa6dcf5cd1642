from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from coachloop.errors import WorkspaceError
from coachloop.workspace import Workspace
from coachloop.workspace.models import BehaviorScore, MeetingRow, Signal, UtteranceRow

from .ws_doubles import PIPE, ROSTER, boom, write_meeting


@pytest.fixture
def org(workspace: Workspace, tmp_path: Path) -> Workspace:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    workspace.import_roster(roster, effective=date(2026, 1, 5))
    return workspace


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three matchable meetings (one per rule), one non-consenting, one broken file."""
    d = tmp_path / "calls"
    write_meeting(
        d / "a",
        "one.txt",
        "Speaker 1",
        "Speaker 2",
        questions=2,
        sidecar={
            "manager_email": "ana@ex.com",
            "rep_email": "ben@ex.com",
            "started_at": "2026-11-16T10:00:00+00:00",
        },
    )
    write_meeting(d / "b", "2026-11-17 weekly.txt", "Ana Lopez", "Cat Cole", questions=1)
    write_meeting(d, "2026-11-18_max_dev.txt", "Boss", "Him", questions=3)
    write_meeting(d, "2026-11-19_max_eve.txt", "Max Moor", "Eve Ek")
    (d / "2026-11-20_broken.txt").write_text("[00:00:05] Ana: hi\nno colon here\n")
    (d / "notes.csv").write_text("not,a,transcript\n")
    return d


def counts(ws: Workspace) -> dict[str, int]:
    with ws.session() as s:
        return {
            t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0
            for t in (MeetingRow, UtteranceRow, BehaviorScore, Signal)
        }


def stored(ws: Workspace) -> list[tuple[Any, ...]]:
    with ws.session() as s:
        rows = s.execute(
            select(
                MeetingRow.id,
                MeetingRow.manager_id,
                MeetingRow.rep_id,
                MeetingRow.week,
                MeetingRow.matched_by,
                MeetingRow.scorecard,
            ).order_by(MeetingRow.id)
        ).all()
        return [tuple(r) for r in rows]


def test_ingest_matches_by_each_rule(org: Workspace, folder: Path) -> None:
    report = org.ingest([folder], jobs=1, pipeline=PIPE)
    assert report.to_dict() == {
        "files": 5,
        "meetings_added": 3,
        "meetings_unchanged": 0,
        "failed": [
            {
                "file": str(folder / "2026-11-20_broken.txt"),
                "error": f"{folder / '2026-11-20_broken.txt'}, line 2: expected '[HH:MM:SS] "
                "Name: text' or 'Name: text', got 'no colon here' (join a wrapped line to the "
                "line above, or pick another --input-format)",
            }
        ],
        "skipped": [
            {
                "file": str(folder / "2026-11-19_max_eve.txt"),
                "reason": "eve@ex.com has not consented (consent=false)",
            }
        ],
    }
    meetings = {m["source_file"]: m for m in org.meetings()}
    one = meetings[str(folder / "a" / "one.txt")]
    assert (one["manager_email"], one["rep_email"], one["matched_by"]) == (
        "ana@ex.com",
        "ben@ex.com",
        "sidecar",
    )
    assert one["week"] == date(2026, 11, 16)
    assert one["scores"] == {
        "ask_before_tell": 100 * 2 / 3,
        "evidence_based_feedback": 50.0,
        "hold_cadence": None,
    }
    two = meetings[str(folder / "b" / "2026-11-17 weekly.txt")]
    assert (two["manager_email"], two["rep_email"], two["matched_by"]) == (
        "ana@ex.com",
        "cat@ex.com",
        "roster",
    )
    three = meetings[str(folder / "2026-11-18_max_dev.txt")]
    assert (three["manager_email"], three["rep_email"], three["matched_by"]) == (
        "max@ex.com",
        "dev@ex.com",
        "filename",
    )
    assert counts(org) == {
        "meetings": 3,
        "utterances": 5 + 3 + 7,
        "behavior_scores": 9,
        "signals": 6,
    }
    with org.session() as s:
        utts = s.scalars(
            select(UtteranceRow)
            .where(UtteranceRow.meeting_id == two["id"])
            .order_by(UtteranceRow.index)
        ).all()
        assert [(u.speaker, u.role, u.acts) for u in utts] == [
            ("Ana Lopez", "manager", ["question"]),
            ("Cat Cole", "rep", []),
            ("Ana Lopez", "manager", []),
        ]


def test_ingest_twice_changes_nothing(org: Workspace, folder: Path) -> None:
    org.ingest([folder], jobs=1, pipeline=PIPE)
    before = (counts(org), stored(org))
    again = org.ingest([folder, folder / "a" / "one.txt"], jobs=1, pipeline=PIPE)
    assert (again.meetings_added, again.meetings_unchanged) == (0, 3)
    assert (counts(org), stored(org)) == before


def test_same_content_twice_in_one_batch(org: Workspace, tmp_path: Path) -> None:
    a = write_meeting(tmp_path, "2026-11-17_ana_ben.txt", "Ana Lopez", "Ben Hart")
    (tmp_path / "2026-11-17_copy.txt").write_bytes(a.read_bytes())
    report = org.ingest([tmp_path], jobs=1, pipeline=PIPE)
    assert (report.meetings_added, report.meetings_unchanged) == (1, 1)


def test_component_crash_fails_one_file(org: Workspace, tmp_path: Path) -> None:
    write_meeting(
        tmp_path,
        "2026-11-17_ana_ben.txt",
        "Ana Lopez",
        "Ben Hart",
        sidecar={"manager_email": "ana@ex.com", "rep_email": "ben@ex.com", "title": "boom"},
    )
    write_meeting(tmp_path, "2026-11-18_ana_cat.txt", "Ana Lopez", "Cat Cole")
    report = org.ingest([tmp_path], jobs=1, pipeline=replace(PIPE, score=boom))
    assert report.failed == [
        {
            "file": str(tmp_path / "2026-11-17_ana_ben.txt"),
            "error": "internal error: RuntimeError: scorer exploded",
        }
    ]
    assert report.meetings_added == 1


def test_unmatched_and_bad_sidecar(org: Workspace, tmp_path: Path) -> None:
    write_meeting(tmp_path, "2026-11-17_x.txt", "Someone", "Else")
    write_meeting(
        tmp_path,
        "2026-11-18_y.txt",
        "A",
        "B",
        sidecar={"manager_email": "zed@ex.com", "rep_email": "ben@ex.com"},
    )
    write_meeting(tmp_path, "undated_ana_ben.txt", "Ana Lopez", "Ben Hart")
    report = org.ingest([tmp_path, tmp_path / "missing.txt"], jobs=1, pipeline=PIPE)
    assert report.failed == [
        {
            "file": str(tmp_path / "missing.txt"),
            "error": f"{tmp_path / 'missing.txt'}: no such file or directory",
        },
        {
            "file": str(tmp_path / "2026-11-17_x.txt"),
            "error": f"{tmp_path / '2026-11-17_x.txt'}: cannot tell the manager and rep (speakers: Someone, Else) "
            "(add a sidecar <file>.json with manager_email, rep_email, started_at)",
        },
        {
            "file": str(tmp_path / "2026-11-18_y.txt"),
            "error": f"{tmp_path / '2026-11-18_y.txt.json'}: manager_email zed@ex.com is not in the roster "
            "(import the roster first: coachloop roster import FILE.csv)",
        },
        {
            "file": str(tmp_path / "undated_ana_ben.txt"),
            "error": f"{tmp_path / 'undated_ana_ben.txt'}: no start date in the transcript, a sidecar or the "
            "file name (add started_at to <file>.json or put YYYY-MM-DD in the name)",
        },
    ]


def test_no_roster(workspace: Workspace, folder: Path) -> None:
    with pytest.raises(WorkspaceError, match="^the workspace has no roster"):
        workspace.ingest([folder], jobs=1, pipeline=PIPE)


def test_rep_changed_manager_matches_by_date(org: Workspace, tmp_path: Path) -> None:
    moved = tmp_path / "moved.csv"
    moved.write_text("name,email,role,manager_email\nBen Hart,ben@ex.com,rep,max@ex.com\n")
    org.import_roster(moved, effective=date(2026, 6, 1))
    write_meeting(tmp_path / "c", "2026-03-02_ana_ben.txt", "Ana Lopez", "Ben Hart")
    write_meeting(tmp_path / "c", "2026-07-06_max_ben.txt", "Max Moor", "Ben Hart")
    org.ingest([tmp_path / "c"], jobs=1, pipeline=PIPE)
    assert sorted((m["manager_email"], m["matched_by"]) for m in org.meetings()) == [
        ("ana@ex.com", "roster"),
        ("max@ex.com", "roster"),
    ]


def test_process_pool_gives_the_same_rows(org: Workspace, folder: Path, tmp_path: Path) -> None:
    org.ingest([folder], jobs=2, pipeline=PIPE)
    pooled = stored(org)
    with Workspace.open(tmp_path / "inline") as other:
        other.import_roster(tmp_path / "roster.csv", effective=date(2026, 1, 5))
        other.ingest([folder], jobs=1, pipeline=PIPE)
        assert stored(other) == pooled


def test_dask_cluster_gives_the_same_rows(org: Workspace, folder: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        report = org.ingest([folder], scheduler=cluster.scheduler_address, pipeline=PIPE)
    assert (report.meetings_added, len(report.failed), len(report.skipped)) == (3, 1, 1)
    with Workspace.open(tmp_path / "inline") as other:
        other.import_roster(tmp_path / "roster.csv", effective=date(2026, 1, 5))
        other.ingest([folder], jobs=1, pipeline=PIPE)
        assert stored(other) == stored(org)


def test_real_pipeline_end_to_end(org: Workspace, tmp_path: Path) -> None:
    write_meeting(
        tmp_path,
        "2026-11-17_ana_ben.txt",
        "Ana Lopez",
        "Ben Hart",
        questions=3,
        extra="Last Tuesday you skipped the discovery questions on the Acme call.",
    )
    report = org.ingest([tmp_path], jobs=1)
    assert (report.meetings_added, report.failed) == (1, [])
    (m,) = org.meetings()
    assert set(m["scores"]) >= {"ask_before_tell", "evidence_based_feedback", "hold_cadence"}
    assert m["scores"]["hold_cadence"] is None


CRASH_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {tests!r})
    from coachloop.workspace import Workspace, store
    from coachloop.workspace import ingest as ingest_mod
    from ws_doubles import PIPE

    real = ingest_mod.insert_meeting
    calls = []

    def dying(s, meeting, *a, **k):
        calls.append(meeting.id)
        out = real(s, meeting, *a, **k)
        if len(calls) == 3:
            s.flush()  # the third meeting's rows are written, not yet committed
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    ingest_mod.insert_meeting = dying
    ws = Workspace.open({ws!r})
    ws.ingest([{folder!r}], jobs=1, pipeline=PIPE)
    """
)


def test_sigkill_mid_batch_loses_nothing(
    org: Workspace, workspace_dir: Path, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    for i in range(6):
        write_meeting(
            batch, f"2026-11-{16 + i:02d}_ana_ben.txt", "Ana Lopez", "Ben Hart", questions=i + 1
        )
    script = CRASH_SCRIPT.format(
        tests=str(Path(__file__).parent), ws=str(workspace_dir), folder=str(batch)
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], env=os.environ.copy(), capture_output=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    after_crash = counts(org)
    assert after_crash["meetings"] == 2
    # every stored meeting is whole: 2*q+1 utterances and 3 scores each
    with org.session() as s:
        for mid in s.scalars(select(MeetingRow.id)):
            n = s.scalar(
                select(func.count()).select_from(UtteranceRow).where(UtteranceRow.meeting_id == mid)
            )
            b = s.scalar(
                select(func.count())
                .select_from(BehaviorScore)
                .where(BehaviorScore.meeting_id == mid)
            )
            assert n is not None and n % 2 == 1 and b == 3
    retry = org.ingest([batch], jobs=1, pipeline=PIPE)
    assert retry.failed == []
    assert (retry.meetings_added, retry.meetings_unchanged) == (4, 2)
    assert counts(org) == {
        "meetings": 6,
        "utterances": sum(2 * q + 1 for q in range(1, 7)),
        "behavior_scores": 18,
        "signals": 12,
    }
