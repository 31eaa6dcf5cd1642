"""Injection, traversal, redirects, secrets, headers; and a fuzzed upload never answers 500."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coachloop.errors import ConfigError
from coachloop.web.settings import WebSettings
from coachloop.workspace.models import MeetingRow, Person

from .conftest import USERS, XSS_NAME, Web, login

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}"


def script_tags(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>", html)


# -- template injection ------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/overview", "/managers/{xss}", "/debrief/{xss}"])
def test_roster_names_render_as_text(web: Web, path: str) -> None:
    r = web.client("zoe").get(path.replace("{xss}", str(web.people["xss"])))
    assert r.status_code == 200
    assert XSS_NAME not in r.text
    assert ESCAPED in r.text
    assert re.search(rf">(Debrief with )?{re.escape(ESCAPED)}</(a|h1)>", r.text)  # not 49
    assert all('src="/' in tag for tag in script_tags(r.text))


def test_team_and_transcript_text_render_as_text(web: Web) -> None:
    page = web.client("zoe").get("/overview").text
    assert "<b>Team</b>" not in page and "&lt;b&gt;Team&lt;/b&gt;" in page
    meeting = web.client("zoe").get(f"/meetings/{web.meetings['xss-rex-1']}").text
    assert "<script>alert('utt')</script>" not in meeting
    assert "&lt;script&gt;alert(&#39;utt&#39;)&lt;/script&gt; {{7*7}} &#39; OR 1=1 --" in meeting
    assert all('src="/' in tag for tag in script_tags(meeting))


def test_json_in_data_attributes_cannot_close_the_attribute(web: Web) -> None:
    page = web.client("zoe").get("/overview").text
    attr = re.search(r"data-overview='([^']*)'", page)
    assert attr is not None and "&#34;" in attr.group(1) and "<" not in attr.group(1)


# -- SQL-ish input -------------------------------------------------------------------------------
SQLISH = [
    ("/api/meetings/' OR 1=1--", 404, "CL804"),
    ("/api/meetings/1; DROP TABLE meetings;--", 404, "CL804"),
    ("/api/managers/1 OR 1=1", 422, "CL830"),
    ("/api/managers/-1", 404, "CL804"),
    ("/api/managers/99999999999999999999999", 404, "CL804"),
    ("/api/managers?format=' OR '1'='1", 400, "CL200"),
    ("/meetings/%27%3B%20DROP%20TABLE%20people%3B--", 404, "CL804"),
    ("/managers/1;DROP TABLE people", 422, "CL830"),
    ("/debrief/0x1", 422, "CL830"),
]


@pytest.mark.parametrize(("path", "status", "code"), SQLISH)
def test_sql_like_input_is_a_clean_4xx(web: Web, path: str, status: int, code: str) -> None:
    r = web.client("admin").get(path)
    assert r.status_code == status
    if path.startswith("/api"):
        assert r.json()["error"]["code"] == code
    else:
        assert f"code {code}" in r.text
    with web.ws.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 11
        assert (s.scalar(select(func.count()).select_from(MeetingRow)) or 0) >= 8


# -- upload file names ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filename", "stored_as"),
    [
        ("../../escape.txt", "escape.txt"),
        ("..\\..\\escape.txt", "escape.txt"),
        ("/etc/passwd", "passwd"),
        ("..", "upload"),
        (".bashrc", "upload.bashrc"),
    ],
)
def test_upload_names_never_leave_the_temp_folder(
    web: Web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filename: str, stored_as: str
) -> None:
    scratch = tmp_path / "a" / "b" / "tmp"
    scratch.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    r = web.client("admin").post(
        "/api/transcripts",
        files={"file": (filename, b"\x00 not a transcript")},
        headers={"X-CSRF-Token": web.csrf("admin")},
    )
    assert r.status_code == 422
    assert r.json()["summary"]["failed"][0]["file"] == stored_as
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "tmp"]  # nothing left


# -- settings, redirects, cookies, headers --------------------------------------------------------
@pytest.mark.parametrize("secret", ["change-me", ""])
def test_placeholder_secret_refused_in_production(secret: str) -> None:
    with pytest.raises(
        ConfigError, match="the web secret key is left at a placeholder in production"
    ):
        WebSettings(environment="production", secret_key=secret)


def test_short_secret_refused_in_production() -> None:
    with pytest.raises(ConfigError, match="shorter than 16 characters"):
        WebSettings(environment="production", secret_key="tooshort")


def test_placeholder_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHLOOP_WEB_ENVIRONMENT", "production")
    monkeypatch.delenv("COACHLOOP_WEB_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        WebSettings()
    monkeypatch.setenv("COACHLOOP_WEB_SECRET_KEY", "x" * 48)
    assert WebSettings().environment == "production"


def test_placeholder_secret_allowed_in_development() -> None:
    assert WebSettings(environment="development").uses_placeholder_secret


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/managers/2", "/managers/2"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("/\t/evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("evil.example", "/"),
    ],
)
def test_login_next_never_leaves_the_site(web: Web, next_url: str, location: str) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        r = login(c, USERS["ana"][0], next=next_url)
    assert r.status_code == 303
    assert r.headers["location"] == location


def test_login_form_drops_an_offsite_next(web: Web) -> None:
    page = web.client(None).get("/login?next=//evil.example/").text
    assert 'name="next" value="/"' in page


def test_session_cookie_flags(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        r = login(c, USERS["ana"][0])
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("coachloop_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_security_headers(web: Web) -> None:
    r = web.client("dana").get("/overview")
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")


def test_forged_session_cookie_is_anonymous(web: Web) -> None:
    with TestClient(web.app(), follow_redirects=False) as c:
        c.cookies.set("coachloop_session", "forged.value")
        assert c.get("/api/session").status_code == 401


# -- fuzzed upload ---------------------------------------------------------------------------------
names = st.one_of(
    st.text(min_size=0, max_size=80),
    st.sampled_from(["a.vtt", "b.srt", "c.json", "d.txt", "../x.txt", "2026-11-10_ana_ben.txt"]),
)
bodies = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(
        lambda a, b: f"WEBVTT\n\n00:00.000 --> 00:02.000\n<v {a}>{b}\n".encode(errors="replace"),
        st.text(max_size=20),
        st.text(max_size=60),
    ),
    st.builds(
        lambda a, b: f"[00:00:01] {a}: {b}\n[00:00:05] Ben: ok\n".encode(errors="replace"),
        st.text(max_size=20),
        st.text(max_size=60),
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names, body=bodies)
def test_fuzzed_upload_never_500(web: Web, name: str, body: bytes) -> None:
    r = web.client("admin").post(
        "/api/transcripts",
        files={"file": (name, body)},
        headers={"X-CSRF-Token": web.csrf("admin")},
    )
    assert r.status_code in (200, 413, 422), r.text[:500]
    assert r.json()
