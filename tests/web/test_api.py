"""The API: schema and docs, JSON/CSV exports, transcript upload, ratings, CSRF."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .conftest import Web, transcript


def upload(web: Web, who: str, name: str, body: bytes, *, token: str | None = "auto",
           **form: str) -> tuple[int, dict]:  # fmt: skip
    headers = {"X-CSRF-Token": web.csrf(who) if token == "auto" else token} if token else {}
    r = web.client(who).post(
        "/api/transcripts", files={"file": (name, body)}, data=form, headers=headers
    )
    return r.status_code, r.json()


def one_on_one(manager: str, rep: str, tag: str) -> bytes:
    return transcript(manager, rep, 2, tag).encode()


# -- schema and docs ------------------------------------------------------------------------
def test_openapi_lists_the_api_and_not_the_pages(web: Web) -> None:
    r = web.client(None).get("/api/openapi.json")
    assert r.status_code == 200
    paths = set(r.json()["paths"])
    assert {"/api/session", "/api/managers", "/api/managers/{manager_id}",
            "/api/meetings/{meeting_id}", "/api/meetings/{meeting_id}/rating",
            "/api/transcripts", "/api/practice/{session_id}/say"} <= paths  # fmt: skip
    assert not {"/login", "/overview", "/practice"} & paths


def test_api_docs_page_loads_swagger_with_its_own_csp(web: Web) -> None:
    r = web.client(None).get("/api/docs")
    assert r.status_code == 200
    assert "/api/openapi.json" in r.text
    assert "https://cdn.jsdelivr.net" in r.headers["content-security-policy"]
    page = web.client("dana").get("/overview")
    assert "cdn.jsdelivr.net" not in page.headers["content-security-policy"]


def test_session_returns_role_and_csrf_token(web: Web) -> None:
    body = web.client("ana").get("/api/session").json()
    assert (body["email"], body["role"], body["person_id"]) == (
        "ana@ex.com",
        "manager",
        web.people["ana"],
    )
    assert len(body["csrf_token"]) >= 40


# -- exports --------------------------------------------------------------------------------
def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_managers_csv(web: Web) -> None:
    r = web.client("dana").get("/api/managers?format=csv")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="managers.csv"'
    header = r.text.splitlines()[0].split(",")
    assert header[:7] == ["id", "name", "email", "team", "cohort", "focus", "practice_sessions"]
    assert header[7:9] == ["ask_before_tell", "ask_before_tell_delta"]
    assert len(header) == 7 + 2 * 7
    got = rows(r.text)
    assert [(x["name"], x["focus"]) for x in got] == [
        ("Ana Lopez", "ask_before_tell"),
        ("Max Moor", ""),
    ]
    json_scores = {
        m["name"]: m["behaviors"]["behavior_not_outcome"]["score"]
        for m in web.client("dana").get("/api/managers").json()["managers"]
    }
    assert {x["name"]: float(x["behavior_not_outcome"]) for x in got} == json_scores


def test_manager_csv_respects_the_self_first_window(web: Web) -> None:
    ana = web.people["ana"]
    r = web.client("dana").get(f"/api/managers/{ana}?format=csv")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == f'attachment; filename="manager-{ana}-curves.csv"'
    assert r.text.splitlines()[0] == "behavior,series,week,score"
    abt = [x["week"] for x in rows(r.text) if x["behavior"] == "ask_before_tell"]
    assert abt == ["2026-11-09", "2026-11-16"]
    own = web.client("ana").get(f"/api/managers/{ana}?format=csv").text
    assert "ask_before_tell,recorded,2026-11-23," in own


@pytest.mark.parametrize("path", ["/api/managers?format=xml", "/api/managers/{ana}?format=xml"])
def test_unknown_format_is_400(web: Web, path: str) -> None:
    r = web.client("admin").get(path.replace("{ana}", str(web.people["ana"])))
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "CL200",
        "message": "unknown format 'xml' (use format=json or format=csv)",
    }


def test_csv_export_is_refused_to_a_manager(web: Web) -> None:
    r = web.client("ana").get("/api/managers?format=csv")
    assert r.status_code == 403
    assert r.json()["error"] == {"code": "CL801", "message": "you may not list managers"}


# -- upload -----------------------------------------------------------------------------------
def test_upload_a_good_transcript_returns_the_ingest_summary(web: Web) -> None:
    body = one_on_one("Max", "Dev", "upload-good")
    status, summary = upload(
        web, "admin", "2026-11-18_max_dev.txt", body, manager_email="max@ex.com",
        rep_email="dev@ex.com",
    )  # fmt: skip
    assert (status, summary) == (200, {"files": 1, "meetings_added": 1, "meetings_unchanged": 0,
                                       "failed": [], "skipped": []})  # fmt: skip
    meetings = web.client("admin").get(f"/api/managers/{web.people['max']}").json()["meetings"]
    assert "2026-11-18_max_dev" in {m["title"] for m in meetings}
    # the same bytes again: unchanged, as with `coachloop ingest`
    status, summary = upload(
        web, "admin", "again.txt", body, manager_email="max@ex.com", rep_email="dev@ex.com"
    )
    assert (status, summary["meetings_added"], summary["meetings_unchanged"]) == (200, 0, 1)


def test_upload_a_bad_transcript_is_422_naming_the_file(web: Web) -> None:
    status, body = upload(web, "admin", "notes.txt", b"\x00\x01\x02 not a transcript")
    assert status == 422
    assert body["error"] == {
        "code": "CL200",
        "message": "notes.txt: binary data, not text (control character '\\x00' at character 0)"
        " (give the exported transcript (.vtt, .srt, .txt or .json), not the recording)",
    }
    assert "coachloop-upload" not in str(body)  # the server's temp folder stays private
    assert body["summary"]["failed"][0]["file"] == "notes.txt"


def test_upload_without_a_date_is_422_with_the_readers_hint(web: Web) -> None:
    status, body = upload(web, "admin", "nodate.txt", one_on_one("Max", "Dev", "nodate"),
                          manager_email="max@ex.com", rep_email="dev@ex.com")  # fmt: skip
    assert status == 422
    assert body["error"]["message"] == (
        "nodate.txt: no start date in the transcript, a sidecar or the file name"
        " (add started_at to <file>.json or put YYYY-MM-DD in the name)"
    )


def test_upload_too_large_is_413(web: Web) -> None:
    c = web.client("admin", max_upload_bytes=1024)
    token = c.get("/api/session").json()["csrf_token"]
    r = c.post(
        "/api/transcripts",
        files={"file": ("big.txt", b"x" * 5000)},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 413
    assert r.json()["error"] == {
        "code": "CL231",
        "message": "big.txt: the upload is larger than 1024 bytes; split the recording or "
        "raise COACHLOOP_WEB_MAX_UPLOAD_BYTES",
    }


def test_manager_uploads_own_one_on_one(web: Web) -> None:
    # 2026-11-10 falls in a week Ana already has, so other tests' week lists stay put
    status, summary = upload(web, "ana", "2026-11-10_ana_ben.txt",
                             one_on_one("Ana", "Ben", "ana-upload"), rep_email="ben@ex.com")  # fmt: skip
    assert (status, summary["meetings_added"]) == (200, 1)
    own = web.client("ana").get(f"/api/managers/{web.people['ana']}").json()["meetings"]
    assert "2026-11-10_ana_ben" in {m["title"] for m in own}


def test_manager_cannot_upload_for_another_manager(web: Web) -> None:
    status, body = upload(web, "ana", "2026-11-18_max_dev.txt", one_on_one("Max", "Dev", "x"),
                          manager_email="max@ex.com", rep_email="dev@ex.com")  # fmt: skip
    assert (status, body) == (
        403,
        {"error": {"code": "CL801", "message": "you may not upload another manager's 1:1s"}},
    )


def test_manager_upload_needs_the_rep(web: Web) -> None:
    status, body = upload(web, "ana", "2026-11-10_a.txt", one_on_one("Ana", "Ben", "norep"))
    assert (status, body["error"]) == (
        422,
        {"code": "CL830", "message": "rep_email: give the e-mail of the rep in this 1:1"},
    )


def test_upload_with_half_a_pair_is_422(web: Web) -> None:
    status, body = upload(web, "admin", "2026-11-10_a.txt", one_on_one("Ana", "Ben", "half"),
                          manager_email="ana@ex.com")  # fmt: skip
    assert (status, body["error"]["code"]) == (422, "CL830")


@pytest.mark.parametrize("who", ["dana", "ben"])
def test_directors_and_reps_do_not_upload(web: Web, who: str) -> None:
    status, body = upload(web, who, "2026-11-10_a.txt", one_on_one("Ana", "Ben", who))
    assert (status, body["error"]["message"]) == (403, "you may not upload transcripts")


def test_upload_for_a_person_without_consent_is_skipped(web: Web) -> None:
    status, summary = upload(web, "admin", "2026-11-18_nina.txt",
                             one_on_one("Nina", "Ned", "consent"), manager_email="nina@ex.com",
                             rep_email="ned@ex.com")  # fmt: skip
    assert status == 200
    assert (summary["meetings_added"], summary["skipped"]) == (
        0,
        [
            {
                "file": "2026-11-18_nina.txt",
                "reason": "nina@ex.com has not consented (consent=false)",
            }
        ],
    )


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_upload_without_the_csrf_token_is_403(web: Web, token: str | None) -> None:
    status, body = upload(web, "admin", "a.txt", b"x", token=token)
    assert status == 403
    assert body["error"]["code"] == "CL822"


def test_upload_accepts_the_token_as_a_form_field(web: Web) -> None:
    r = web.client("admin").post(
        "/api/transcripts",
        files={"file": ("x.txt", b"\x00")},
        data={"csrf_token": web.csrf("admin")},
    )
    assert r.status_code == 422  # past the CSRF check, refused by the reader


# -- ratings ----------------------------------------------------------------------------------
def rate(web: Web, who: str, meeting: str, payload: dict, token: str | None = "auto") -> tuple:
    headers = {"X-CSRF-Token": web.csrf(who) if token == "auto" else token} if token else {}
    r = web.client(who).post(
        f"/api/meetings/{web.meetings[meeting]}/rating", json=payload, headers=headers
    )
    return r.status_code, r.json()


def test_rep_rates_own_one_on_one_and_the_manager_sees_it(web: Web) -> None:
    assert rate(web, "ben", "ana-ben-2", {"rating": 4, "comment": "useful"}) == (
        200,
        {"meeting_id": web.meetings["ana-ben-2"], "rating": 4},
    )
    assert rate(web, "ben", "ana-ben-2", {"rating": 5})[0] == 200  # a second rating replaces
    ratings = web.client("ana").get(f"/api/managers/{web.people['ana']}").json()["rep_ratings"]
    mine = [r for r in ratings if r["meeting_id"] == web.meetings["ana-ben-2"]]
    assert mine == [
        {"meeting_id": web.meetings["ana-ben-2"], "rep": "Ben Hart", "rating": 5, "comment": None}
    ]


@pytest.mark.parametrize("value", [0, 6])
def test_rating_outside_1_to_5_is_422(web: Web, value: int) -> None:
    status, body = rate(web, "ben", "ana-ben-1", {"rating": value})
    assert (status, body["error"]["code"]) == (422, "CL830")
    assert body["error"]["message"].startswith("rating: Input should be")


@pytest.mark.parametrize(("who", "meeting"), [("ben", "ana-cat-1"), ("ana", "ana-ben-1"),
                                              ("dev", "ana-ben-1"), ("dana", "ana-ben-1")])  # fmt: skip
def test_only_the_rep_in_the_one_on_one_rates_it(web: Web, who: str, meeting: str) -> None:
    assert rate(web, who, meeting, {"rating": 3}) == (
        403,
        {"error": {"code": "CL801", "message": "only the rep in a 1:1 can rate it"}},
    )


def test_rating_without_csrf_is_403(web: Web) -> None:
    status, body = rate(web, "ben", "ana-ben-1", {"rating": 3}, token=None)
    assert status == 403
    assert body["error"] == {
        "code": "CL822",
        "message": "the form's security token is missing or stale; reload the page and try again",
    }


def test_anonymous_post_is_401_not_csrf(web: Web) -> None:
    r = web.client(None).post(
        f"/api/meetings/{web.meetings['ana-ben-1']}/rating", json={"rating": 3}
    )
    assert r.status_code == 401


def test_upload_declaring_a_huge_body_is_refused_unread(web: Web) -> None:
    c = web.client("admin", max_upload_bytes=1024)
    token = c.get("/api/session").json()["csrf_token"]
    r = c.post(
        "/api/transcripts",
        files={"file": ("huge.txt", b"x" * 70_000)},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 413
    assert r.json()["error"] == {
        "code": "CL231",
        "message": "the upload is larger than 1024 bytes; split the recording or raise "
        "COACHLOOP_WEB_MAX_UPLOAD_BYTES",
    }
    assert r.headers["x-content-type-options"] == "nosniff"


def test_manager_may_name_themselves_in_any_case(web: Web) -> None:
    status, summary = upload(web, "max", "2026-11-11_max_dev.txt",
                             one_on_one("Max", "Dev", "case"), manager_email=" MAX@ex.com ",
                             rep_email="Dev@Ex.com")  # fmt: skip
    assert (status, summary["meetings_added"]) == (200, 1)


def test_every_route_is_documented(web: Web) -> None:
    """docs/web.md names every page and API path the app serves (datasette's test_docs)."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    from coachloop.web.routes import api, auth, pages, practice

    served = {r.path for m in (api, auth, pages, practice) for r in m.router.routes}  # type: ignore[attr-defined]
    served |= {"/api/openapi.json", "/api/docs"}
    assert len(served) >= 20

    def norm(text: str) -> str:  # /managers/{id} documents /managers/{manager_id}
        return re.sub(r"\{[^}]+\}", "{}", text)

    documented = {norm(p) for p in re.findall(r"(/[A-Za-z0-9_/{}.-]*)", doc)}
    assert sorted(p for p in served if norm(p) not in documented) == []
