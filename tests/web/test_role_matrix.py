"""Every role against every resource, pages and API: nobody reads what they may not.

Rows are (who, resource, expected status, expected error code). ``{ana}`` in a path is
a person id, ``{m:ana-ben-1}`` a meeting id of the shared org (tests/web/conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from coachloop.web.models import AuditEntry
from coachloop.workspace.models import MeetingRow

from .conftest import Web

PAGES = ["/", "/overview", "/managers/{ana}", "/meetings/{m:ana-ben-1}", "/debrief/{ana}",
         "/me", "/audit", "/practice"]  # fmt: skip
API = ["/api/session", "/api/managers", "/api/managers/{ana}", "/api/meetings/{m:ana-ben-1}",
       "/api/me/meetings", "/api/audit"]  # fmt: skip


def url(web: Web, template: str) -> str:
    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key.startswith("m:"):
            return web.meetings[key[2:]]
        return str(web.people[key])

    return re.sub(r"\{([a-z:0-9-]+)\}", sub, template)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_redirect_to_login(web: Web, path: str) -> None:
    target = url(web, path)
    r = web.client(None).get(target)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next={target}"


@pytest.mark.parametrize("path", API)
def test_anonymous_api_is_401(web: Web, path: str) -> None:
    r = web.client(None).get(url(web, path))
    assert r.status_code == 401
    assert r.json() == {"error": {"code": "CL821", "message": "sign in first"}}


MATRIX: list[tuple[str, str, int, str | None]] = [
    # admin sees everything but people who withdrew consent
    ("admin", "/overview", 200, None),
    ("admin", "/managers/{ana}", 200, None),
    ("admin", "/managers/{xss}", 200, None),
    ("admin", "/managers/{nina}", 404, "CL804"),
    ("admin", "/meetings/{m:ana-ben-3}", 200, None),
    ("admin", "/meetings/{m:nina-ned-1}", 404, "CL804"),
    ("admin", "/debrief/{xss}", 200, None),
    ("admin", "/audit", 200, None),
    ("admin", "/api/managers", 200, None),
    ("admin", "/api/audit", 200, None),
    # director Dana: Ana and Max (her subtree), never Zoe's manager
    ("dana", "/overview", 200, None),
    ("dana", "/managers/{ana}", 200, None),
    ("dana", "/managers/{max}", 200, None),
    ("dana", "/managers/{xss}", 403, "CL801"),
    ("dana", "/managers/{nina}", 404, "CL804"),
    ("dana", "/managers/{dana}", 404, "CL804"),
    ("dana", "/meetings/{m:ana-ben-2}", 200, None),
    ("dana", "/meetings/{m:ana-ben-3}", 403, "CL802"),
    ("dana", "/meetings/{m:xss-rex-1}", 403, "CL801"),
    ("dana", "/meetings/{m:nina-ned-1}", 404, "CL804"),
    ("dana", "/debrief/{ana}", 200, None),
    ("dana", "/debrief/{xss}", 403, "CL801"),
    ("dana", "/audit", 403, "CL801"),
    ("dana", "/practice", 403, "CL801"),
    ("dana", "/api/managers/{ana}", 200, None),
    ("dana", "/api/managers/{xss}", 403, "CL801"),
    ("dana", "/api/meetings/{m:ana-ben-3}", 403, "CL802"),
    ("dana", "/api/meetings/{m:xss-rex-1}", 403, "CL801"),
    ("dana", "/api/meetings/{m:nina-ned-1}", 404, "CL804"),
    ("dana", "/api/audit", 403, "CL801"),
    # director Zoe: only her manager
    ("zoe", "/managers/{xss}", 200, None),
    ("zoe", "/managers/{ana}", 403, "CL801"),
    ("zoe", "/meetings/{m:xss-rex-1}", 200, None),
    ("zoe", "/meetings/{m:ana-ben-1}", 403, "CL801"),
    ("zoe", "/api/managers/{max}", 403, "CL801"),
    ("zoe", "/api/meetings/{m:max-dev-1}", 403, "CL801"),
    # manager Ana: her own data only, at once (no self-first window for herself)
    ("ana", "/", 303, None),
    ("ana", "/overview", 403, "CL801"),
    ("ana", "/managers/{ana}", 200, None),
    ("ana", "/managers/{max}", 403, "CL801"),
    ("ana", "/managers/{xss}", 403, "CL801"),
    ("ana", "/meetings/{m:ana-ben-3}", 200, None),
    ("ana", "/meetings/{m:max-dev-1}", 403, "CL801"),
    ("ana", "/debrief/{ana}", 200, None),
    ("ana", "/debrief/{max}", 403, "CL801"),
    ("ana", "/audit", 403, "CL801"),
    ("ana", "/practice", 200, None),
    ("ana", "/api/managers", 403, "CL801"),
    ("ana", "/api/managers/{ana}", 200, None),
    ("ana", "/api/managers/{max}", 403, "CL801"),
    ("ana", "/api/meetings/{m:max-dev-2}", 403, "CL801"),
    ("ana", "/api/audit", 403, "CL801"),
    # manager Nina withdrew consent: her own data are hidden from her too, and she is told why
    ("nina", "/managers/{nina}", 403, "CL803"),
    ("nina", "/api/managers/{nina}", 403, "CL803"),
    ("nina", "/meetings/{m:nina-ned-1}", 200, None),
    # rep Ben: his own 1:1s only
    ("ben", "/overview", 403, "CL801"),
    ("ben", "/managers/{ana}", 403, "CL801"),
    ("ben", "/debrief/{ana}", 403, "CL801"),
    ("ben", "/meetings/{m:ana-ben-1}", 200, None),
    ("ben", "/meetings/{m:ana-ben-3}", 200, None),
    ("ben", "/meetings/{m:ana-cat-1}", 403, "CL801"),
    ("ben", "/meetings/{m:max-dev-1}", 403, "CL801"),
    ("ben", "/me", 200, None),
    ("ben", "/practice", 403, "CL801"),
    ("ben", "/api/managers", 403, "CL801"),
    ("ben", "/api/managers/{ana}", 403, "CL801"),
    ("ben", "/api/meetings/{m:ana-cat-1}", 403, "CL801"),
    ("ben", "/api/me/meetings", 200, None),
]


@pytest.mark.parametrize(("who", "path", "status", "code"), MATRIX)
def test_matrix(web: Web, who: str, path: str, status: int, code: str | None) -> None:
    r = web.client(who).get(url(web, path))
    assert r.status_code == status, r.text[:300]
    if code is not None:
        if path.startswith("/api"):
            assert r.json()["error"]["code"] == code
        else:
            assert f"code {code}" in r.text


@pytest.mark.parametrize(("who", "expected"), [("dana", ["Ana Lopez", "Max Moor"]),
                                               ("zoe", ["<script>alert(1)</script> {{7*7}}"]),
                                               ("admin", ["<script>alert(1)</script> {{7*7}}",
                                                          "Ana Lopez", "Max Moor"])])  # fmt: skip
def test_overview_lists_exactly_the_subtree_with_consent(
    web: Web, who: str, expected: list[str]
) -> None:
    body = web.client(who).get("/api/managers").json()
    assert [m["name"] for m in body["managers"]] == expected


def test_rep_list_is_own_meetings(web: Web) -> None:
    got = {m["id"] for m in web.client("ben").get("/api/me/meetings").json()}
    with web.ws.session() as s:  # other tests may upload more of Ben's 1:1s
        bens = set(s.scalars(select(MeetingRow.id).where(MeetingRow.rep_id == web.people["ben"])))
    assert got == bens
    assert {web.meetings[k] for k in ("ana-ben-1", "ana-ben-2", "ana-ben-3")} <= got
    assert web.meetings["ana-cat-1"] not in got


def test_rep_reads_transcript_but_not_the_managers_scores(web: Web) -> None:
    body = web.client("ben").get(f"/api/meetings/{web.meetings['ana-ben-1']}").json()
    assert body["utterances"]
    assert (body["behaviors"], body["signals"], body["scores_hidden"]) == ({}, {}, True)
    mine = web.client("ana").get(f"/api/meetings/{web.meetings['ana-ben-1']}").json()
    assert set(mine["behaviors"]) >= {"ask_before_tell"} and mine["scores_hidden"] is False


# -- self-first window ----------------------------------------------------------------------
def weeks(body: dict[str, Any]) -> list[str]:
    return [p["week"] for p in body["curves"]["ask_before_tell"]["recorded"]]


def test_self_first_window_hides_the_new_week_from_the_director(web: Web) -> None:
    ana = web.people["ana"]
    director = web.client("dana").get(f"/api/managers/{ana}").json()
    own = web.client("ana").get(f"/api/managers/{ana}").json()
    assert weeks(director) == ["2026-11-09", "2026-11-16"]
    assert director["visible_until"] == "2026-11-22"
    assert weeks(own) == ["2026-11-09", "2026-11-16", "2026-11-23"]
    assert own["visible_until"] is None
    assert web.meetings["ana-ben-3"] in {m["id"] for m in own["meetings"]}
    assert web.meetings["ana-ben-3"] not in {m["id"] for m in director["meetings"]}
    # the overview's latest week for Ana stops at the window too
    row = web.client("dana").get("/api/managers").json()["managers"][0]
    assert row["behaviors"]["ask_before_tell"]["week"] == "2026-11-16"


def test_self_first_window_opens_after_self_first_days(web: Web) -> None:
    # one day alone: the week ending 2026-11-30 is shown to the director on 2026-12-01
    c = web.client("dana", self_first_days=1)
    body = c.get(f"/api/managers/{web.people['ana']}").json()
    assert weeks(body)[-1] == "2026-11-23"
    assert c.get(f"/api/meetings/{web.meetings['ana-ben-3']}").status_code == 200


# -- consent and aggregates -------------------------------------------------------------------
def test_withdrawn_consent_hides_the_manager_everywhere(web: Web) -> None:
    nina = web.people["nina"]
    page = web.client("dana").get("/overview").text
    assert "Ana Lopez" in page and "Nina Noor" not in page
    assert web.client("admin").get(f"/api/managers/{nina}").json()["error"] == {
        "code": "CL804",
        "message": f"no manager with id {nina}",
    }


@pytest.mark.parametrize(("min_group", "shown"), [(2, True), (3, False)])
def test_averages_only_for_groups_of_min_group_size(web: Web, min_group: int, shown: bool) -> None:
    c = web.client("dana", min_group_size=min_group)
    body = c.get("/api/managers").json()
    assert body["group_size"] == 2
    page = c.get("/overview").text
    if shown:
        scores = [m["behaviors"]["behavior_not_outcome"]["score"] for m in body["managers"]]
        assert body["averages"]["behavior_not_outcome"] == round(sum(scores) / 2, 1)
        assert "Average (2 managers)" in page
    else:
        assert body["averages"] is None
        assert "Averages are shown for groups of at least 3 managers." in page


def test_no_averages_for_a_director_with_one_manager(web: Web) -> None:
    body = web.client("zoe", min_group_size=2).get("/api/managers").json()
    assert (body["group_size"], body["averages"]) == (1, None)


# -- audit --------------------------------------------------------------------------------------
def audit_rows(web: Web, email: str) -> list[tuple[str, str, int | None]]:
    with web.ws.session() as s:
        return [
            (e.action, e.resource, e.subject_person_id)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.user_email == email).order_by(AuditEntry.id)
            )
        ]


def test_views_of_other_peoples_data_are_audited(web: Web) -> None:
    ana, mid = web.people["ana"], web.meetings["ana-ben-2"]
    before = len(audit_rows(web, "dana@ex.com"))
    c = web.client("dana")
    for path in (f"/managers/{ana}", f"/api/managers/{ana}", f"/meetings/{mid}",
                 f"/api/meetings/{mid}", f"/debrief/{ana}"):  # fmt: skip
        assert c.get(path).status_code == 200
    assert audit_rows(web, "dana@ex.com")[before:] == [
        ("view", f"/managers/{ana}", ana),
        ("api", f"/api/managers/{ana}", ana),
        ("view", f"/meetings/{mid}", ana),
        ("api", f"/api/meetings/{mid}", ana),
        ("view", f"/debrief/{ana}", ana),
    ]


def test_own_data_is_not_audited(web: Web) -> None:
    ana = web.people["ana"]
    before = audit_rows(web, "ana@ex.com")
    c = web.client("ana")
    for path in (f"/managers/{ana}", f"/api/managers/{ana}",
                 f"/meetings/{web.meetings['ana-ben-1']}", f"/debrief/{ana}"):  # fmt: skip
        assert c.get(path).status_code == 200
    assert audit_rows(web, "ana@ex.com") == before


def test_refused_views_write_no_audit_row(web: Web) -> None:
    with web.ws.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    assert web.client("zoe").get(f"/managers/{web.people['ana']}").status_code == 403
    with web.ws.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_audit_log_shows_who_saw_whom(web: Web) -> None:
    xss = web.people["xss"]
    assert web.client("zoe").get(f"/managers/{xss}").status_code == 200
    newest = web.client("admin").get("/api/audit").json()[0]
    assert {k: v for k, v in newest.items() if k != "at"} == {
        "user": "zoe@ex.com",
        "action": "view",
        "resource": f"/managers/{xss}",
        "subject": "<script>alert(1)</script> {{7*7}}",
    }


def test_manager_without_consent_is_told_why(web: Web) -> None:
    r = web.client("nina").get(f"/api/managers/{web.people['nina']}")
    assert r.json()["error"] == {
        "code": "CL803",
        "message": "your scores are not shown (to you or anyone) because the roster says "
        "consent=false; ask your admin to record your consent to see them again",
    }
