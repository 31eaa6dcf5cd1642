"""Practice in the browser: start a scenario, talk, finish, the debrief and the stored session."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .conftest import USERS, Web, login

SCENARIO = "abt-lost-renewal"


def start(web: Web, who: str = "ana") -> str:
    c = web.client(who)
    r = c.post("/practice", data={"csrf_token": web.csrf(who), "scenario_id": SCENARIO})
    assert r.status_code == 303
    match = re.fullmatch(r"/practice/([A-Za-z0-9_-]{20,})", r.headers["location"])
    assert match, r.headers["location"]
    return match.group(1)


def say(web: Web, sid: str, text: str, who: str = "ana", token: bool = True) -> tuple[int, dict]:
    headers = {"X-CSRF-Token": web.csrf(who)} if token else {}
    r = web.client(who).post(f"/api/practice/{sid}/say", json={"text": text}, headers=headers)
    return r.status_code, r.json()


def test_practice_list_offers_every_scenario_and_marks_the_focus(web: Web) -> None:
    page = web.client("ana").get("/practice?focus=ask_before_tell").text
    assert f'<input type="hidden" name="scenario_id" value="{SCENARIO}">' in page
    assert len(re.findall(r'name="scenario_id"', page)) >= 14
    assert page.count("card scenario focus-row") == 2  # two ask-before-tell scenarios


def test_a_practice_turn_and_the_debrief(web: Web) -> None:
    sid = start(web)
    page = web.client("ana").get(f"/practice/{sid}").text
    assert f'data-sid="{sid}"' in page and 'id="say-form"' in page
    status, body = say(web, sid, "What happened on the renewal, from your side?")
    assert status == 200
    assert body["manager"]["speaker"] == "manager"
    assert body["manager"]["text"] == "What happened on the renewal, from your side?"
    assert body["rep"]["speaker"] == "rep" and body["rep"]["text"]
    assert body["ended"] is False
    page = web.client("ana").get(f"/practice/{sid}").text
    assert "What happened on the renewal, from your side?" in page
    before = web.client("ana").get(f"/api/managers/{web.people['ana']}").json()["meetings"]
    r = web.client("ana").post(f"/practice/{sid}/finish", data={"csrf_token": web.csrf("ana")})
    assert (r.status_code, r.headers["location"]) == (303, f"/practice/{sid}")
    done = web.client("ana").get(f"/practice/{sid}").text
    assert '<section class="card debrief" id="debrief">' in done
    assert "What the rep revealed" in done and "Try next time" in done
    assert 'id="say-form"' not in done
    # the finished session is a practice meeting of Ana's
    after = web.client("ana").get(f"/api/managers/{web.people['ana']}").json()["meetings"]
    added = [m for m in after if m["id"] not in {b["id"] for b in before}]
    assert [m["kind"] for m in added] == ["practice"]
    # finishing twice stores nothing new; saying more is refused
    web.client("ana").post(f"/practice/{sid}/finish", data={"csrf_token": web.csrf("ana")})
    assert len(
        web.client("ana").get(f"/api/managers/{web.people['ana']}").json()["meetings"]
    ) == len(after)
    assert say(web, sid, "One more thing?") == (
        400,
        {"error": {"code": "CL810", "message": "this practice session has finished"}},
    )


def test_form_fallback_without_javascript(web: Web) -> None:
    sid = start(web)
    r = web.client("ana").post(
        f"/practice/{sid}/say", data={"csrf_token": web.csrf("ana"), "text": "How did it go?"}
    )
    assert (r.status_code, r.headers["location"]) == (303, f"/practice/{sid}")
    assert "How did it go?" in web.client("ana").get(f"/practice/{sid}").text


def test_another_users_session_is_not_found(web: Web) -> None:
    sid = start(web)
    r = web.client("max").get(f"/practice/{sid}")
    assert r.status_code == 404 and "no such practice session" in r.text
    assert say(web, sid, "hello?", who="max") == (
        404,
        {"error": {"code": "CL804", "message": "no such practice session"}},
    )


def test_say_without_csrf_is_403(web: Web) -> None:
    sid = start(web)
    assert say(web, sid, "hi", token=False)[0] == 403


@pytest.mark.parametrize("text", ["", "x" * 2001])
def test_say_validates_the_text(web: Web, text: str) -> None:
    sid = start(web)
    status, body = say(web, sid, text)
    assert (status, body["error"]["code"]) == (422, "CL830")
    assert body["error"]["message"].startswith("text: String should have")


@pytest.mark.parametrize("who", ["ben", "dana"])
def test_practice_is_for_managers(web: Web, who: str) -> None:
    r = web.client(who).post(
        "/practice", data={"csrf_token": web.csrf(who), "scenario_id": SCENARIO}
    )
    assert r.status_code == 403 and "practice is for managers" in r.text


def test_unknown_scenario_is_a_clean_error(web: Web) -> None:
    r = web.client("ana").post(
        "/practice", data={"csrf_token": web.csrf("ana"), "scenario_id": "no-such-scenario"}
    )
    assert r.status_code == 400
    assert "no scenario &#39;no-such-scenario&#39;" in r.text and "code CL603" in r.text


def test_practice_start_needs_csrf(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        login(c, USERS["ana"][0])
        r = c.post("/practice", data={"scenario_id": SCENARIO})
        assert r.status_code == 403 and "code CL822" in r.text
