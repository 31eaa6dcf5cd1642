"""Registries, pipeline checks and config files (YAML/TOML) with exact error messages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from coachloop.errors import AnalysisError, ConfigError
from coachloop.scoring import (
    BEHAVIORS,
    SIGNALS,
    Judgement,
    MeetingView,
    ScoringContext,
    SignalResult,
    default_config,
    load_config,
    resolve_config,
)
from coachloop.scoring.registry import order_pipeline
from tests.scoring.scoring_helpers import Row, score

ROWS: list[Row] = [
    ("M", 0, 5, "Ask about pain earlier in discovery.", "advice"),
    ("R", 5, 20, "Ok.", ""),
]


@pytest.fixture
def temp_components() -> Iterator[list[str]]:
    """Names registered during a test are removed afterwards (no leaks between tests)."""
    added: list[str] = []
    yield added
    for name in added:
        registry = SIGNALS if name in SIGNALS else BEHAVIORS
        registry.unregister(name)


def test_every_component_declares_a_versioned_name_inputs_and_outputs() -> None:
    for comp in [*SIGNALS, *BEHAVIORS]:
        assert comp.name == f"{comp.id}.v{comp.version}"
        assert comp.requires, comp.name
        prefix = "signals" if comp.kind == "signal" else "behaviors"
        assert comp.assigns == (f"{prefix}.{comp.id}",)


def test_defaults_round_trip_through_the_file_layout() -> None:
    cfg = default_config()
    again = resolve_config(cfg.to_dict())
    assert again.settings == cfg.settings
    assert [c.name for c in again.components] == [c.name for c in cfg.components]
    assert cfg.to_dict()["signals"]["patience_s.v1"] == {
        "short_pause_s": 0.3,
        "backchannel_max_words": 0,
    }


@pytest.mark.parametrize("suffix", [".yaml", ".toml"])
def test_a_file_overrides_one_setting_and_keeps_the_rest(tmp_path: Path, suffix: str) -> None:
    text = {
        ".yaml": "behaviors:\n  ask_before_tell.v1:\n    weights:\n      ask_first: 0.2\n",
        ".toml": '[behaviors."ask_before_tell.v1".weights]\nask_first = 0.2\n',
    }[suffix]
    path = tmp_path / f"coach{suffix}"
    path.write_text(text)
    cfg = load_config(path)
    assert cfg.of("ask_before_tell.v1")["weights"] == {
        "ask_first": 0.2,
        "open_questions": 0.25,
        "listening": 0.15,
    }
    assert cfg.source == str(path)
    # tell-first with no questions: ask_first 0, open 0, listening 1 -> 0.15 / 0.6
    assert score(ROWS, config=cfg).behaviors["ask_before_tell"].score == 25
    assert score(ROWS).behaviors["ask_before_tell"].score == 15


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colours: {}\n", "{f}: colours: unknown section (sections are 'signals' and 'behaviors')"),
        (
            "signals:\n  talk_share: {}\n",
            "{f}: signals.talk_share: unknown signal component (did you mean 'talk_share.v1'?)",
        ),
        (
            "signals:\n  talk_share.v1:\n    target: 0.5\n",
            "{f}: signals.talk_share.v1.target: unknown setting (settings: none)",
        ),
        (
            "signals:\n  patience_s.v1:\n    short_pause_s: fast\n",
            "{f}: signals.patience_s.v1.short_pause_s: must be a number, got 'fast'",
        ),
        (
            "signals:\n  patience_s.v1:\n    short_pause_s: -1\n",
            "{f}: signals.patience_s.v1.short_pause_s: must be a finite number ≥ 0, got -1",
        ),
        (
            "signals:\n  patience_s.v1:\n    backchannel_max_words: 2.5\n",
            "{f}: signals.patience_s.v1.backchannel_max_words: must be a whole number, got 2.5",
        ),
        (
            "behaviors:\n  ask_before_tell.v1:\n    weights: 3\n",
            "{f}: behaviors.ask_before_tell.v1.weights: must be a mapping, got 3",
        ),
        (
            "behaviors:\n  ask_before_tell.v1: 3\n",
            "{f}: behaviors.ask_before_tell.v1: must be a mapping of settings",
        ),
        ("signals: [1]\n", "{f}: signals: must be a mapping of component names"),
        ("- 1\n", "{f}: the config must be a mapping with 'signals' and/or 'behaviors'"),
        (
            "signals: {a: [\n",
            "{f}: not valid YAML (expected the node content, but found '<stream end>' at line 2)",
        ),
    ],
)
def test_bad_config_files_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == message.format(f=path)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.yaml", "{f}: cannot read the config file (No such file or directory)"),
        ("config.ini", "{f}: unknown config format '.ini' (use a .yaml, .yml or .toml file)"),
    ],
)
def test_unreadable_config_files(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    if name.endswith(".ini"):
        path.write_text("[x]\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == message.format(f=path)


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("signals = [\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML \("):
        load_config(path)


def test_zero_weights_are_refused_when_scoring() -> None:
    config = {
        "behaviors": {"evidence_based_feedback.v1": {"weights": {"evidence": 0, "specific": 0}}}
    }
    rows: list[Row] = [("M", 0, 5, "Good job.", "feedback")]
    with pytest.raises(ConfigError) as info:
        score(rows, config=config)
    assert str(info.value) == (
        "evidence_based_feedback.v1: the weights of the parts that apply sum to 0 (give a weight > 0)"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("TalkShare.v1", "component name 'TalkShare.v1' is not versioned"),
        ("talk_share", "component name 'talk_share' is not versioned"),
        ("talk_share.v0", "component name 'talk_share.v0' is not versioned"),
        ("talk_share.v1", "signal component 'talk_share.v1' is already registered"),
    ],
)
def test_bad_component_names_are_refused(name: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        SIGNALS.register(name, requires=("acts",))
    assert info.value.message == message


def test_unknown_inputs_are_refused_at_registration() -> None:
    with pytest.raises(ConfigError) as info:
        SIGNALS.register("x.v1", requires=("meeting.audio",))
    assert info.value.message == "x.v1: unknown input 'meeting.audio'"


def test_a_third_party_signal_and_behaviour_run_like_built_ins(temp_components: list[str]) -> None:
    @SIGNALS.register("manager_words.v1", requires=("meeting.roles",), default_config={"min": 1})
    def manager_words(
        view: MeetingView, who: str, cfg: Mapping[str, Any], found: Mapping[str, SignalResult]
    ) -> SignalResult:
        idx = tuple(view.indexes_of(who))
        return SignalResult(sum(view.utterances[i].n_words for i in idx), idx)

    @BEHAVIORS.register("say_enough.v1", requires=("signals.manager_words",))
    def say_enough(
        view: MeetingView,
        signals: Mapping[str, SignalResult],
        cfg: Mapping[str, Any],
        context: ScoringContext,
    ) -> Judgement:
        return Judgement(
            score=min(100, signals["manager_words"].value or 0), why_not_higher="Say more."
        )

    temp_components += ["manager_words.v1", "say_enough.v1"]
    card = score(ROWS)  # the default pipeline picks up new registrations
    assert card.signals["manager_words"] == 6
    assert card.behaviors["say_enough"].score == 6
    assert card.behaviors["say_enough"].signals == {"manager_words": 6}


def test_a_newer_version_replaces_the_default_and_config_can_pin_the_old_one(
    temp_components: list[str],
) -> None:
    @SIGNALS.register("advice.v2", requires=("meeting.roles", "acts"))
    def advice_v2(
        view: MeetingView, who: str, cfg: Mapping[str, Any], found: Mapping[str, SignalResult]
    ) -> SignalResult:
        return SignalResult(99)

    temp_components.append("advice.v2")
    assert score(ROWS, config=resolve_config()).signals["advice"] == 99
    pinned = resolve_config({"signals": {"advice.v1": {}}})
    assert "advice.v1" in [c.name for c in pinned.components]
    assert score(ROWS, config=pinned).signals["advice"] == 1
    with pytest.raises(ConfigError) as info:
        resolve_config({"signals": {"advice.v1": {}, "advice.v2": {}}}, source="c.yaml")
    assert (
        info.value.message
        == "c.yaml: signals.advice.v2: 'advice.v1' is configured too; choose one version"
    )


def test_a_pipeline_with_an_unmet_requirement_fails_before_running(
    temp_components: list[str],
) -> None:
    @BEHAVIORS.register("needs_ghost.v1", requires=("signals.ghost",))
    def needs_ghost(*args: Any) -> Judgement:
        return Judgement(score=1, why_not_higher="")

    temp_components.append("needs_ghost.v1")
    with pytest.raises(ConfigError) as info:
        resolve_config()
    assert info.value.message == (
        "needs_ghost.v1 requires signals.ghost, which no component in the pipeline assigns"
    )


def test_pipeline_orders_signals_after_what_they_require() -> None:
    comps = [SIGNALS.get("questions_per_10min.v1"), SIGNALS.get("questions.v1")]
    assert [c.name for c in order_pipeline(comps)] == ["questions.v1", "questions_per_10min.v1"]


def test_unknown_component_lookup_suggests_the_registered_version() -> None:
    with pytest.raises(ConfigError) as info:
        SIGNALS.get("talk_share.v9")
    assert (
        str(info.value)
        == "no signal component named 'talk_share.v9' (did you mean 'talk_share.v1'?)"
    )


def test_a_crashing_component_fails_the_meeting_with_its_name(temp_components: list[str]) -> None:
    @SIGNALS.register("broken.v1", requires=("meeting.roles",))
    def broken(*args: Any) -> SignalResult:
        return SignalResult(1 // 0)

    temp_components.append("broken.v1")
    with pytest.raises(AnalysisError) as info:
        score(ROWS, config=resolve_config())
    assert info.value.message == (
        "meeting Ana / Bo: component broken.v1 failed: ZeroDivisionError: integer division or modulo by zero"
    )
    assert isinstance(info.value.__cause__, ZeroDivisionError)
