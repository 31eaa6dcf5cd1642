"""One small org for the whole web suite, built once per backend and shared by every test.

The org (two directors, so subtrees can be told apart)::

    Dana Diaz (director)                 Zoe Zed (director)
    ├── Ana Lopez (manager) ── Ben, Cat  └── <script>… {{7*7}} (manager) ── Rex
    ├── Max Moor (manager)  ── Dev
    └── Nina Noor (manager) ── Ned       (consent withdrawn after her 1:1 was ingested)

Meetings are real transcripts ingested through the real pipeline, matched by sidecars.
The app's today is pinned to 2026-12-01 (a Tuesday): with ``self_first_days=2`` a
director sees weeks up to the one starting 2026-11-16; Ana's 1:1 of 2026-11-24 (week of
2026-11-23) is hers alone until 2026-12-02.

The backend is a parameter (SQLite always, PostgreSQL when ``COACHLOOP_TEST_POSTGRES_URL``
is set), reusing the root conftest's rules; the fixture is session-scoped so the org is
built once per backend, not once per test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coachloop.web import create_app
from coachloop.web.settings import WebSettings
from coachloop.workspace import Workspace

try:  # tests/ as a package (tests/__init__.py) ...
    from tests.conftest import BACKENDS, postgres_schema
except ModuleNotFoundError:  # ... or as a rootdir of plain modules
    from conftest import BACKENDS  # type: ignore[no-redef]

TODAY = date(2026, 12, 1)
PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789abcdef"
XSS_NAME = "<script>alert(1)</script> {{7*7}}"

ROSTER = f"""name,email,role,manager_email,team,cohort,consent
Dana Diaz,dana@ex.com,director,,North,2025,true
Ana Lopez,ana@ex.com,manager,dana@ex.com,East,2025,true
Max Moor,max@ex.com,manager,dana@ex.com,West,2025,true
Nina Noor,nina@ex.com,manager,dana@ex.com,East,2025,true
Ben Hart,ben@ex.com,rep,ana@ex.com,East,2025,true
Cat Cole,cat@ex.com,rep,ana@ex.com,East,2025,true
Dev Dutt,dev@ex.com,rep,max@ex.com,West,2025,true
Ned Neve,ned@ex.com,rep,nina@ex.com,East,2025,true
Zoe Zed,zoe@ex.com,director,,South,2026,true
"{XSS_NAME}",xss@ex.com,manager,zoe@ex.com,<b>Team</b>,2026,true
Rex Roe,rex@ex.com,rep,xss@ex.com,South,2026,true
"""

#: (file name, manager e-mail, rep e-mail, started_at, questions asked before advice)
MEETINGS = [
    ("ana-ben-1.txt", "ana@ex.com", "ben@ex.com", "2026-11-09T10:00:00+00:00", 0),
    ("ana-ben-2.txt", "ana@ex.com", "ben@ex.com", "2026-11-16T10:00:00+00:00", 1),
    ("ana-cat-1.txt", "ana@ex.com", "cat@ex.com", "2026-11-17T10:00:00+00:00", 2),
    # in Ana's self-first window on TODAY: the week of 2026-11-23 ends 11-30, +2 days
    ("ana-ben-3.txt", "ana@ex.com", "ben@ex.com", "2026-11-24T10:00:00+00:00", 3),
    ("max-dev-1.txt", "max@ex.com", "dev@ex.com", "2026-11-10T10:00:00+00:00", 1),
    ("max-dev-2.txt", "max@ex.com", "dev@ex.com", "2026-11-17T10:00:00+00:00", 2),
    ("nina-ned-1.txt", "nina@ex.com", "ned@ex.com", "2026-11-16T10:00:00+00:00", 1),
    ("xss-rex-1.txt", "xss@ex.com", "rex@ex.com", "2026-11-16T10:00:00+00:00", 1),
]

USERS = {
    "admin": ("admin@ex.com", "admin"),
    "dana": ("dana@ex.com", "director"),
    "zoe": ("zoe@ex.com", "director"),
    "ana": ("ana@ex.com", "manager"),
    "max": ("max@ex.com", "manager"),
    "nina": ("nina@ex.com", "manager"),
    "xss": ("xss@ex.com", "manager"),
    "ben": ("ben@ex.com", "rep"),
    "dev": ("dev@ex.com", "rep"),
}


def transcript(manager: str, rep: str, questions: int, tag: str) -> str:
    """A short 1:1: ``questions`` open questions, then advice grounded in a call."""
    lines: list[str] = []
    t = 0

    def say(who: str, text: str) -> None:
        nonlocal t
        lines.append(f"[00:{t // 60:02d}:{t % 60:02d}] {who}: {text}")
        t += 12

    say(manager, f"Hi, thanks for making time ({tag}).")
    say(rep, "Sure, happy to.")
    for i in range(questions):
        say(manager, f"What happened on the Globex call, step {i + 1}?")
        say(rep, "They pushed back on price again and asked for a discount.")
    say(
        manager,
        "In Tuesday's call you gave the price twice before asking about their budget. "
        "Next time ask about the budget first.",
    )
    say(rep, "OK, I will try that on Thursday.")
    if "xss" in tag:
        say(rep, "<script>alert('utt')</script> {{7*7}} ' OR 1=1 --")
    return "\n".join(lines) + "\n"


def write_meeting(
    folder: Path, name: str, manager: str, rep: str, started: str, questions: int
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        transcript(manager.split("@")[0].title(), rep.split("@")[0].title(), questions, name),
        encoding="utf-8",
    )
    (folder / f"{name}.json").write_text(
        json.dumps({"manager_email": manager, "rep_email": rep, "started_at": started})
    )
    return path


@dataclass
class Web:
    """The shared org: the workspace, the app, and who is who."""

    ws: Workspace
    settings: WebSettings
    backend: str
    people: dict[str, int]
    meetings: dict[str, str]
    clients: dict[str, TestClient] = field(default_factory=dict)

    def app(self, **overrides: Any) -> Any:
        settings = self.settings.model_copy(update=overrides) if overrides else self.settings
        return create_app(self.ws, settings, today=TODAY)

    def client(self, who: str | None = None, **overrides: Any) -> TestClient:
        """A signed-in client for ``who`` (None: anonymous); cached unless settings differ."""
        key = f"{who}|{sorted(overrides.items())}"
        if key not in self.clients:
            c = TestClient(self.app(**overrides), follow_redirects=False)
            if who is not None:
                login(c, USERS[who][0])
            self.clients[key] = c
        return self.clients[key]

    def csrf(self, who: str) -> str:
        token: str = self.client(who).get("/api/session").json()["csrf_token"]
        return token


def login(client: TestClient, email: str, password: str = PASSWORD, next: str = "/") -> Any:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": match.group(1), "next": next},
    )


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """Argon2 at its default cost takes ~150 ms of CPU per hash and the suite signs in
    dozens of times. A hash carries its own parameters, so cheap hashes verify cheaply;
    what is tested here is who may see what, not the hasher's cost."""
    from argon2 import PasswordHasher

    from coachloop.web import security

    saved = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = saved


@pytest.fixture(scope="session", params=BACKENDS)
def web_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite; a fresh PostgreSQL schema (dropped afterwards) otherwise."""
    if request.param == "sqlite":
        yield None
        return
    with postgres_schema("web") as url:
        yield url


def build_org(directory: Path, url: str | None) -> Web:
    from sqlalchemy import select

    from coachloop.web.accounts import create_user
    from coachloop.workspace.models import Cycle, MeetingRow, Person

    ws = Workspace.open(directory / "ws", database_url=url)
    (directory / "roster.csv").write_text(ROSTER, encoding="utf-8")
    ws.import_roster(directory / "roster.csv", effective=date(2026, 1, 5))
    calls = directory / "calls"
    for name, mgr, rep, started, q in MEETINGS:
        write_meeting(calls, name, mgr, rep, started, q)
    report = ws.ingest([calls], jobs=1).to_dict()
    assert report["meetings_added"] == len(MEETINGS), report
    # Nina withdraws her consent after her 1:1 was ingested.
    (directory / "consent.csv").write_text(
        "name,email,role,manager_email,team,cohort,consent\n"
        "Nina Noor,nina@ex.com,manager,dana@ex.com,East,2025,false\n",
        encoding="utf-8",
    )
    ws.import_roster(directory / "consent.csv", effective=date(2026, 11, 30))
    with ws.write() as s:
        people = {p.email.split("@")[0]: p.id for p in s.scalars(select(Person))}
        s.add(
            Cycle(
                manager_id=people["ana"],
                cycle_start=date(2026, 11, 9),
                cycle_end=date(2026, 12, 7),
                focus="ask_before_tell",
                reason="lowest score with evidence: asks after telling",
                scenario_id="abt-lost-renewal",
                status="active",
                created_at=datetime(2026, 11, 9, tzinfo=UTC),
            )
        )
        meetings = {
            Path(m.source_file or "").name.removesuffix(".txt"): m.id
            for m in s.scalars(select(MeetingRow))
        }
    for email, role in USERS.values():
        create_user(ws, email, role=role, password=PASSWORD)
    settings = WebSettings(environment="test", secret_key=SECRET)
    return Web(
        ws=ws,
        settings=settings,
        backend="postgresql" if url else "sqlite",
        people=people,
        meetings=meetings,
    )


@pytest.fixture(scope="session")
def web(web_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    org = build_org(tmp_path_factory.mktemp("web-org"), web_url)
    try:
        yield org
    finally:
        for c in org.clients.values():
            c.close()
        org.ws.close()
