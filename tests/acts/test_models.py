"""The learned parts: feature extraction, shipped weights, and their use in tag_meeting."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from coachloop.acts import tag_meeting, tag_texts
from coachloop.acts.context import cut_off_flags, timing_features
from coachloop.acts.questions import LogisticModel, load_models, text_features
from coachloop.model import build_meeting


def test_logistic_model_adds_weights_and_compares_with_threshold() -> None:
    model = LogisticModel(bias=-1.0, weights={"a": 2.0, "b": -0.5}, threshold=0.2)
    assert model.score(["a", "b", "unknown"]) == pytest.approx(0.5)
    assert model.decide(["a"]) is True
    assert model.decide(["b"]) is False


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["so", "what", "did", "they", "say"], {"f1=so", "c1=what", "c2=what_did", "l1=say"}),
        (["right"], {"f1=right", "l1=right", "len=1"}),
        ([], {"len=0"}),
    ],
)
def test_text_features(tokens: list[str], expected: set[str]) -> None:
    assert expected <= set(text_features(tokens))


@pytest.mark.parametrize("name", ["question_model.json", "interruption_model.json"])
def test_shipped_weights_are_small(name: str) -> None:
    res = resources.files("coachloop.acts").joinpath("data", name)
    assert len(res.read_bytes()) < 200_000
    assert json.loads(res.read_text())["models"]


def test_both_question_models_ship() -> None:
    assert set(load_models()) == {"text", "context"}


def _asr(rows: list[tuple[str, float, float, str]]):  # type: ignore[no-untyped-def]
    return build_meeting(
        id="asr", rows=[{"speaker": s, "start": a, "end": b, "text": t} for s, a, b, t in rows]
    )


def test_unpunctuated_meeting_uses_the_model() -> None:
    meeting = _asr(
        [
            ("M", 0.0, 2.0, "so what did they say about the budget"),
            ("R", 2.3, 5.0, "they said it was approved for next quarter"),
            ("M", 5.5, 7.0, "did you send the recap"),
            ("R", 7.2, 7.6, "yeah"),
        ]
    )
    acts = tag_meeting(meeting)
    assert "question" in acts[0] and "open_question" in acts[0]
    assert "question" not in acts[1]
    assert "question" in acts[2] and "closed_question" in acts[2]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("what do you think is blocking them", True),
        ("do you have a date for the signature", True),
        ("they signed the order form on friday", False),
    ],
)
def test_unpunctuated_texts(text: str, question: bool) -> None:
    assert ("question" in tag_texts([text])[0]) is question


def test_timing_features_see_an_overlapping_start() -> None:
    meeting = _asr([("A", 0.0, 2.0, "so the"), ("B", 1.8, 4.0, "no wait")])
    first = timing_features(meeting.utterances)[0]
    assert "o_outlasts" in first and "r=none" in first
    assert "cue=func" in timing_features(meeting.utterances, cues=True)[0]


def test_cut_off_flags_one_per_utterance() -> None:
    meeting = _asr([("A", 0.0, 2.0, "so the"), ("B", 1.8, 4.0, "no wait")])
    flags = cut_off_flags(meeting.utterances, cues=True)
    assert flags is not None and len(flags) == 2
