"""The dashboard in a real browser: Playwright drives Debian's Chromium against a real
uvicorn server on 127.0.0.1 (a free port, in a thread). Screenshots go to
``artifacts/screenshots/`` (git-ignored).

Runs on SQLite only: the storage backends are covered by the rest of the web suite, the
browser checks what the server sends is drawn and clickable. Skipped when Chromium is
missing, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Web

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI (scripts/system-deps.sh installs it)")
        pytest.skip(f"{CHROMIUM} is not installed")
    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(web: Web) -> Iterator[str]:
    if web.backend != "sqlite":
        pytest.skip("the browser tests run on SQLite (storage is covered by the other tests)")
    _need_chromium()
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(web.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on(
        "console",
        lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    pg.problems = problems
    try:
        yield pg
    finally:
        context.close()


def sign_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_director_drills_down_from_heatmap_to_meeting(page: Any, web: Web) -> None:
    sign_in(page, "dana@ex.com")
    assert page.url.endswith("/overview")
    page.wait_for_selector('#heatmap[data-rendered="1"]')
    assert page.locator("#heatmap svg.main-svg").count() >= 1
    assert page.locator("#heatmap .hm").count() == 1  # the heatmap trace was drawn
    assert page.locator("#heatmap .ytick text").all_text_contents() == ["Ana Lopez", "Max Moor"]
    shot(page, "overview.png")

    # sorting by a column reorders rows in place
    page.click("#overview-table th:has-text('Manager')")
    names = page.locator("#overview-table tbody tr td:first-child a:first-child").all_inner_texts()
    assert sorted(names) == ["Ana Lopez", "Max Moor"]

    page.click("#overview-table a:text('Ana Lopez')")
    page.wait_for_selector('#curves[data-rendered="1"]')
    assert page.locator("#curves .curve").count() == 7
    assert page.locator("#curve-ask_before_tell .scatterlayer .trace").count() >= 1
    assert "no data yet" in page.inner_text("#curve-hold_cadence")
    shot(page, "manager.png")

    page.click(f"a[href='/meetings/{web.meetings['ana-ben-2']}']")
    page.wait_for_selector("#transcript .utt")
    assert page.locator(".utt.evidence-moment").count() >= 1
    assert page.locator(".scores .behavior").count() == 7
    shot(page, "meeting.png")
    assert page.problems == []


def test_manager_practises_in_the_chat(page: Any) -> None:
    sign_in(page, "ana@ex.com")
    page.goto("/practice")
    page.click("button:has-text('Start “abt-lost-renewal”')")
    page.wait_for_selector("#say-form")
    reps = page.locator("#chat .turn-rep").count()
    page.fill("#say-text", "What happened on the renewal, from your side?")
    page.click("#say-form button[type=submit]")
    page.wait_for_function(f"document.querySelectorAll('#chat .turn-rep').length > {reps}")
    assert page.locator("#chat .turn-manager .txt").last.inner_text().strip() == (
        "What happened on the renewal, from your side?"
    )
    assert page.locator("#chat .turn-rep .txt").last.inner_text().strip()
    assert page.locator("#chat .turn-rep .spk").last.inner_text() == "Priya Nair"
    assert page.input_value("#say-text") == ""
    shot(page, "practice.png")
    page.click("#finish")
    page.wait_for_selector("#debrief")
    assert "Try next time" in page.inner_text("#debrief")
    shot(page, "practice-debrief.png")
    assert page.problems == []


def test_hostile_names_stay_text_in_the_chart(page: Any) -> None:
    sign_in(page, "zoe@ex.com")
    page.wait_for_selector('#heatmap[data-rendered="1"]')
    assert "<script>alert(1)</script> {{7*7}}" in page.inner_text("#overview-table")
    # Plotly draws the name as text, cut to 31 characters so the axis keeps its size
    assert page.locator("#heatmap .ytick text").all_text_contents() == [
        "<script>alert(1)</script> {{7*7…"
    ]
    shot(page, "overview-hostile-names.png")
    assert page.problems == []  # no alert() dialog, no script error
