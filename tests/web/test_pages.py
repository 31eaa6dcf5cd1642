"""Server-rendered pages: sign in and out, what each page shows, debrief notes, the rep's
rating form, retention (the CLI and what the meeting page says afterwards)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from coachloop.cli import app as cli
from coachloop.web import create_app
from coachloop.web.accounts import create_user
from coachloop.web.retention import apply_retention
from coachloop.web.settings import WebSettings
from coachloop.workspace import Workspace
from coachloop.workspace.models import BehaviorScore, UtteranceRow

from .conftest import PASSWORD, ROSTER, SECRET, TODAY, USERS, Web, login, write_meeting


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


# -- sign in and out -------------------------------------------------------------------------
@pytest.mark.parametrize(("who", "home"), [("admin", "/overview"), ("dana", "/overview"),
                                           ("ana", "/managers/{ana}"), ("ben", "/me")])  # fmt: skip
def test_home_sends_each_role_to_its_page(web: Web, who: str, home: str) -> None:
    r = web.client(who).get("/")
    assert (r.status_code, r.headers["location"]) == (
        303,
        home.replace("{ana}", str(web.people["ana"])),
    )


def test_login_returns_to_the_page_asked_for_with_its_query(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        r = c.get("/practice?focus=ask_before_tell")
        assert r.headers["location"] == "/login?next=/practice%3Ffocus%3Dask_before_tell"
        page = c.get(r.headers["location"]).text
        assert 'name="next" value="/practice?focus=ask_before_tell"' in page
        done = login(c, "ana@ex.com", next="/practice?focus=ask_before_tell")
        assert done.headers["location"] == "/practice?focus=ask_before_tell"


def test_wrong_password_is_refused_with_a_message(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        r = login(c, "ana@ex.com", password="not the password")
        assert (r.status_code, r.headers["location"]) == (
            303,
            "/login?error=Wrong+e-mail+or+password",
        )
        assert "Wrong e-mail or password" in c.get(r.headers["location"]).text
        assert c.get("/api/session").status_code == 401


def test_unknown_user_gets_the_same_message(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        r = login(c, "nobody@ex.com")
    assert r.headers["location"] == "/login?error=Wrong+e-mail+or+password"


def test_login_post_without_its_token_is_refused(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        r = c.post("/login", data={"email": "ana@ex.com", "password": PASSWORD})
        assert r.headers["location"] == "/login?error=Your+sign-in+form+expired%3B+please+try+again"
        assert c.get("/api/session").status_code == 401


def test_logout_needs_the_token_and_ends_the_session(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        login(c, "dana@ex.com")
        page = c.get("/overview")
        assert page.status_code == 200
        refused = c.post("/logout")
        assert refused.status_code == 403 and "code CL822" in refused.text
        r = c.post("/logout", data={"csrf_token": csrf_of(page.text)})
        assert (r.status_code, r.headers["location"]) == (303, "/login")
        stolen = page.request.headers["cookie"]
    with TestClient(web.app(), follow_redirects=False) as other:
        # the old cookie is worthless: the session is gone server-side
        r = other.get("/overview", headers={"cookie": stolen})
        assert r.headers["location"] == "/login?next=/overview"


# -- what pages show --------------------------------------------------------------------------
def test_overview_page(web: Web) -> None:
    page = web.client("dana").get("/overview").text
    assert '<div id="heatmap" class="chart" data-overview=' in page
    assert '<script src="/vendor/plotly.min.js"></script>' in page
    assert f'<a href="/managers/{web.people["ana"]}">Ana Lopez</a>' in page
    assert "2 managers · latest week per manager" in page
    assert "ask before tell" in page  # Ana's focus


def test_plotly_is_served_locally(web: Web) -> None:
    r = web.client(None).get("/vendor/plotly.min.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert len(r.content) > 1_000_000


def test_manager_page(web: Web) -> None:
    ana = web.people["ana"]
    page = web.client("dana").get(f"/managers/{ana}").text
    assert "<h1>Ana Lopez</h1>" in page
    assert "you see weeks up to 2026-11-22 (self-first window)" in page
    assert "<strong>ask before tell</strong> · cycle from 2026-11-09 to 2026-12-07" in page
    assert 'href="/practice?focus=ask_before_tell">abt-lost-renewal</a>' in page
    curves = json.loads(
        re.search(r"data-curves='([^']*)'", page).group(1).replace("&#34;", '"')  # type: ignore[union-attr]
    )
    assert set(curves) == {
        "ask_before_tell",
        "one_behavior_per_cycle",
        "evidence_based_feedback",
        "behavior_not_outcome",
        "calibrate_against_team",
        "protect_rep_calendars",
        "hold_cadence",
    }
    assert f'href="/meetings/{web.meetings["ana-ben-3"]}"' not in page
    assert f'href="/meetings/{web.meetings["ana-ben-2"]}"' in page


def test_meeting_page_marks_evidence(web: Web) -> None:
    page = web.client("ana").get(f"/meetings/{web.meetings['ana-ben-2']}").text
    assert '<span class="spk">Ana</span>' in page
    assert "evidence-moment" in page and '<span class="ev-mark">' in page
    assert "Ask before tell" in page
    assert "The raw transcript was deleted" not in page


def test_rep_meeting_page_hides_scores(web: Web) -> None:
    page = web.client("ben").get(f"/meetings/{web.meetings['ana-ben-1']}").text
    assert "The scores of a 1:1 are your manager's." in page
    assert "Why not higher" not in page and 'class="pill"' not in page


def test_audit_page_for_admin(web: Web) -> None:
    web.client("dana").get(f"/managers/{web.people['max']}")
    page = web.client("admin").get("/audit").text
    assert f"<td>dana@ex.com</td><td>view</td><td>/managers/{web.people['max']}</td>" in page


# -- debrief notes ------------------------------------------------------------------------------
def test_director_saves_debrief_notes_and_sees_them(web: Web) -> None:
    ana = web.people["ana"]
    c = web.client("dana")
    page = c.get(f"/debrief/{ana}").text
    assert "<h1>Debrief with Ana Lopez</h1>" in page
    r = c.post(
        f"/debrief/{ana}/notes",
        data={"csrf_token": csrf_of(page), "notes": "  Ask two questions before advice. <b>x</b> "},
    )
    assert (r.status_code, r.headers["location"]) == (303, f"/debrief/{ana}")
    after = c.get(f"/debrief/{ana}").text
    assert "<p>Ask two questions before advice. &lt;b&gt;x&lt;/b&gt;</p>" in after
    assert "week of 2026-11-30" in after
    assert "Deltas since 2026-11-30" in after


def test_manager_reads_own_debrief_but_writes_no_notes(web: Web) -> None:
    ana = web.people["ana"]
    c = web.client("ana")
    page = c.get(f"/debrief/{ana}").text
    assert f'action="/debrief/{ana}/notes"' not in page
    r = c.post(f"/debrief/{ana}/notes", data={"csrf_token": csrf_of(page), "notes": "mine"})
    assert r.status_code == 403
    assert "only the manager&#39;s manager (or an admin) writes debrief notes" in r.text


@pytest.mark.parametrize(
    ("who", "notes", "token", "status", "code"),
    [
        ("zoe", "x", True, 403, "CL801"),
        ("dana", "   ", True, 400, "CL811"),
        ("dana", "x", False, 403, "CL822"),
    ],
)
def test_debrief_notes_refused(
    web: Web, who: str, notes: str, token: bool, status: int, code: str
) -> None:
    c = web.client(who)
    data = {"notes": notes}
    if token:
        data["csrf_token"] = web.csrf(who)
    r = c.post(f"/debrief/{web.people['ana']}/notes", data=data)
    assert r.status_code == status
    assert f"code {code}" in r.text


# -- the rep's rating form -----------------------------------------------------------------------
def test_rep_rates_through_the_form(web: Web) -> None:
    c = web.client("dev")
    page = c.get("/me").text
    mid = web.meetings["max-dev-1"]
    assert f'action="/meetings/{mid}/rating"' in page
    assert web.meetings["ana-ben-1"] not in page
    r = c.post(f"/meetings/{mid}/rating", data={"csrf_token": csrf_of(page), "rating": "2"})
    assert (r.status_code, r.headers["location"]) == (303, "/me")
    row = re.search(rf'action="/meetings/{mid}/rating".*?</form>', c.get("/me").text, re.S)
    assert row is not None and '<option value="2" selected>' in row.group(0)


@pytest.mark.parametrize(("rating", "meeting", "status", "code"),
                         [("9", "max-dev-2", 400, "CL810"), ("3", "ana-ben-1", 403, "CL801"),
                          ("x", "max-dev-2", 422, "CL830")])  # fmt: skip
def test_rating_form_refusals(web: Web, rating: str, meeting: str, status: int, code: str) -> None:
    r = web.client("dev").post(
        f"/meetings/{web.meetings[meeting]}/rating",
        data={"csrf_token": web.csrf("dev"), "rating": rating},
    )
    assert r.status_code == status
    assert f"code {code}" in r.text


# -- retention -------------------------------------------------------------------------------------
RETENTION_ROSTER = "\n".join(ROSTER.splitlines()[:6]) + "\n"  # Dana, Ana, Max, Nina, Ben


@pytest.fixture
def small(workspace: Workspace, tmp_path: Path) -> Workspace:
    (tmp_path / "roster.csv").write_text(RETENTION_ROSTER, encoding="utf-8")
    workspace.import_roster(tmp_path / "roster.csv", effective=date(2020, 1, 6))
    for name, started in (("old.txt", "2020-03-02T10:00:00+00:00"),
                          ("new.txt", "2020-06-01T10:00:00+00:00")):  # fmt: skip
        write_meeting(tmp_path / "calls", name, "ana@ex.com", "ben@ex.com", started, 1)
    assert workspace.ingest([tmp_path / "calls"], jobs=1).meetings_added == 2
    create_user(workspace, "ana@ex.com", role="manager", password=PASSWORD)
    return workspace


def counts(ws: Workspace) -> tuple[int, int]:
    with ws.session() as s:
        return (
            s.scalar(select(func.count()).select_from(UtteranceRow)) or 0,
            s.scalar(select(func.count()).select_from(BehaviorScore)) or 0,
        )


def test_retention_deletes_old_utterances_and_keeps_scores(small: Workspace) -> None:
    utts, scores = counts(small)
    result = apply_retention(small, days=30, today=date(2020, 6, 10))
    assert result == {"cutoff": "2020-05-11", "meetings": 1, "utterances": utts // 2}
    assert counts(small) == (utts // 2, scores)
    with TestClient(create_app(small, WebSettings(environment="test", secret_key=SECRET),
                               today=TODAY), follow_redirects=False) as c:  # fmt: skip
        login(c, USERS["ana"][0])
        ids = {m["title"]: m["id"] for m in c.get("/api/managers/2").json()["meetings"]}
        old = c.get(f"/meetings/{ids['old']}").text
        assert (
            "The raw transcript was deleted under the retention policy; the scores are kept." in old
        )
        assert "Ask before tell" in old and 'class="pill"' in old
        body = c.get(f"/api/meetings/{ids['old']}").json()
        assert (body["transcript_deleted"], body["utterances"]) == (True, [])
        assert body["behaviors"]["ask_before_tell"]["score"] is not None
        new = c.get(f"/meetings/{ids['new']}").text
        assert "The raw transcript was deleted" not in new


def test_retention_cli(small: Workspace, workspace_dir: Path) -> None:
    utts, scores = counts(small)
    result = CliRunner().invoke(
        cli, ["retention", "--days", "1", "--output", "json", "-w", str(workspace_dir)]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["meetings"], out["utterances"]) == (2, utts)
    assert counts(small) == (0, scores)


def test_retention_cli_csv(small: Workspace, workspace_dir: Path) -> None:
    utts, _ = counts(small)
    result = CliRunner().invoke(
        cli, ["retention", "--days", "1", "--output", "csv", "-w", str(workspace_dir)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "cutoff,meetings,utterances"
    assert lines[1].endswith(f",2,{utts}")
