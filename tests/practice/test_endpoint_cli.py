"""The CLI's LLM voice against a stub OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from coachloop.cli import app

REPLIES = iter(["Honestly, it's been a rough week.", "Sure, I can try that next call."] * 20)


class Stub(BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, object]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Stub.bodies.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        out = json.dumps({"choices": [{"message": {"content": next(REPLIES)}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def stub_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_replay_with_the_llm_voice(
    stub_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACHLOOP_LLM_BASE_URL", stub_url)
    monkeypatch.setenv("COACHLOOP_LLM_MODEL", "stub-model")
    monkeypatch.setenv("COACHLOOP_LLM_API_KEY", "sk-local")
    lines = tmp_path / "lines.txt"
    lines.write_text("Okay.\nWhat's been happening, from your side?\n", encoding="utf-8")
    res = CliRunner().invoke(
        app,
        [
            "practice",
            "--scenario",
            "abt-lost-renewal",
            "--voice",
            "llm",
            "--replay",
            str(lines),
            "-o",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    reps = [t for t in out["transcript"][1:] if t["speaker"] == "rep"]
    # The first reply is the model's; the second reveals a fact the model left out,
    # so the scripted line (with the fact) is spoken and the fallback recorded.
    assert reps[0]["text"] == "Honestly, it's been a rough week." and reps[0]["fallback"] is None
    assert reps[1]["fallback"] == "leaves out the fact revealed this turn ('champion_left')"
    assert "Dana" in reps[1]["text"]
    assert out["facts_unlocked"] == ["champion_left"]
    assert Stub.bodies[0]["path"] == "/v1/chat/completions"
    assert Stub.bodies[0]["auth"] == "Bearer sk-local"
    assert Stub.bodies[0]["model"] == "stub-model"
