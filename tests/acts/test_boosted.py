"""Word-timing features and the boosted (LightGBM) models used when word times exist."""

from __future__ import annotations

import json
from typing import Any

import lightgbm
import numpy as np
import pytest

from coachloop.acts import boosted, tag_meeting, wordtiming
from coachloop.acts.context import cut_off_flags
from coachloop.acts.questions import question_flags
from coachloop.model import Meeting, Word, build_meeting

F = {name: j for j, name in enumerate(wordtiming.FEATURES)}


def _timed(rows: list[tuple[str, list[tuple[str, float, float]]]]) -> Meeting:
    """A meeting whose utterances are given as timed words."""
    return build_meeting(
        id="timed",
        rows=[
            {
                "speaker": spk,
                "start": words[0][1],
                "end": words[-1][2],
                "text": " ".join(w for w, _, _ in words),
                "words": tuple(Word(text=w, start=a, end=b) for w, a, b in words),
            }
            for spk, words in rows
        ],
    )


@pytest.fixture
def cut_off() -> Meeting:
    # A is cut off: B starts 0.15 s before A's last word ends and talks on; A resumes at 4 s.
    return _timed(
        [
            ("A", [("so", 0.0, 0.2), ("we", 0.3, 0.5), ("should", 0.5, 0.8), ("the", 0.9, 1.0)]),
            ("B", [("no", 0.85, 1.1), ("wait", 1.2, 1.6), ("listen", 1.7, 2.4)]),
            ("A", [("okay", 4.0, 4.4)]),
        ]
    )


def test_word_timing_rows_read_the_words(cut_off: Meeting) -> None:
    x = wordtiming.word_timing_matrix(cut_off.utterances)
    assert x.shape == (3, len(wordtiming.FEATURES))
    a = x[0]
    assert a[F["dur"]] == pytest.approx(1.0)
    assert a[F["n_words"]] == 4
    assert a[F["last_word_s"]] == pytest.approx(0.1)
    assert a[F["last_gap_s"]] == pytest.approx(0.1)
    assert a[F["max_gap_s"]] == pytest.approx(0.1)
    # B's words start at 0.85 (in [-0.25, 0)), 1.2 and 1.7 (in [0, 0.25), [0.5, 1)).
    assert a[F["other_starts[-0.25,0)"]] == 1
    assert a[F["other_starts[0,0.25)"]] == 1
    assert a[F["other_starts[0.5,1)"]] == 1
    assert a[F["other_under_way_at_end"]] == 1.0  # "no" runs 0.85-1.1 past A's end at 1.0
    assert a[F["first_other_after_start"]] == pytest.approx(-0.15)
    assert a[F["own_words_after_first_other"]] == 1  # "the" at 0.9, after B's 0.85
    assert a[F["nearest_other_start"]] == pytest.approx(-0.15)
    assert a[F["own_next_word_s"]] == pytest.approx(3.0)
    assert a[F["own_words_next_3s"]] == 0
    assert a[F["own_prev_word_s"]] == wordtiming.FAR
    assert a[F["next_utt_same_speaker"]] == 0.0
    # B's view: A's "the" runs 0.9-1.0, inside B's first word.
    b = x[1]
    assert b[F["other_time_inside_rel"]] > 0
    assert b[F["own_next_word_s"]] == wordtiming.FAR
    # Three A-words before B's end are "before", A's "okay" is 1.6 s after it.
    assert b[F["other_starts[1,2)"]] == 1


def test_utterances_without_words_count_as_one_word() -> None:
    m = build_meeting(
        id="plain",
        rows=[
            {"speaker": "A", "start": 0.0, "end": 2.0, "text": "so what happened"},
            {"speaker": "B", "start": 2.5, "end": 3.0, "text": "they left"},
        ],
    )
    x = wordtiming.word_timing_matrix(m.utterances)
    assert x[0, F["n_words"]] == 1 and x[0, F["dur"]] == pytest.approx(2.0)
    assert x[0, F["other_starts[0.5,1)"]] == 1
    assert not wordtiming.has_word_times(m.utterances)


def test_empty_meeting_has_no_rows() -> None:
    assert wordtiming.word_timing_matrix([]).shape == (0, len(wordtiming.FEATURES))
    assert not wordtiming.has_word_times([])


@pytest.mark.parametrize("name", ["question", "question_untimed", "cutoff_timing", "cutoff_cues"])
def test_boosted_models_ship_and_load(name: str) -> None:
    model = boosted.load(name)
    assert model is not None
    assert model.dense == wordtiming.FEATURES
    assert model.booster.num_feature() == model.n_sparse + len(wordtiming.FEATURES)


def test_boosted_matrix_puts_strings_first_then_dense() -> None:
    model = boosted.BoostedModel("t", {"a": 0, "b": 2}, 3, ("x", "y"), 0.0, None)
    x = model.matrix([["a", "b", "a", "zzz"], []], np.array([[1.5, 0.0], [0.0, 2.0]]))
    assert x.shape == (2, 5)
    assert x.toarray().tolist() == [[1, 0, 1, 1.5, 0], [0, 0, 0, 0, 2.0]]


def _toy_model(tmp_dense: tuple[str, ...]) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(400, 1 + len(tmp_dense)))
    xs[:, 0] = 0.0  # the one string feature never fires: no tree can split on it
    ys = (xs[:, 1] > 0).astype(float)
    b = lightgbm.train(
        {"objective": "binary", "verbose": -1, "num_leaves": 4, "min_data_in_leaf": 5},
        lightgbm.Dataset(xs, ys),
        num_boost_round=5,
    )
    return boosted.to_json("toy", b, {"s=1": 0}, 1, 0.0, {"leaves": 4})


def test_to_json_keeps_only_used_string_features() -> None:
    raw = _toy_model(wordtiming.FEATURES)
    assert raw["dense"] == list(wordtiming.FEATURES)
    assert raw["vocab"] == {}  # never split on: not kept
    booster = lightgbm.Booster(model_str=raw["booster"])
    assert booster.num_trees() == 5


def test_a_model_fitted_on_other_features_is_refused(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = _toy_model(wordtiming.FEATURES)
    raw["dense"] = ["something", "else"]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "toy.lgbm.json").write_text(json.dumps(raw))
    monkeypatch.setattr(boosted.resources, "files", lambda _pkg: tmp_path)
    boosted.load.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="rerun scripts/train_acts.py"):
            boosted.load("toy")
    finally:
        boosted.load.cache_clear()


def test_decide_is_score_against_threshold(cut_off: Meeting) -> None:
    from coachloop.acts.context import boosted_inputs

    model = boosted.load("cutoff_cues")
    assert model is not None
    feats, dense = boosted_inputs(cut_off.utterances, cues=True)
    scores = model.scores(feats, dense)
    assert model.decide(feats, dense) == [bool(s >= model.threshold) for s in scores]
    assert model.scores([], np.zeros((0, len(wordtiming.FEATURES)))).shape == (0,)


def test_auto_uses_boosted_with_word_times_and_logistic_without(cut_off: Meeting) -> None:
    utts = cut_off.utterances
    assert cut_off_flags(utts, cues=True) == cut_off_flags(utts, cues=True, model="boosted")
    assert question_flags(utts) == question_flags(utts, model="boosted")
    plain = build_meeting(
        id="plain",
        rows=[{"speaker": u.speaker, "start": u.start, "end": u.end, "text": u.text} for u in utts],
    )
    p = plain.utterances
    assert cut_off_flags(p, cues=True) == cut_off_flags(p, cues=True, model="logistic")
    # questions without word times: the boosted model fitted without them
    assert question_flags(p) == question_flags(p, model="boosted")
    untimed = boosted.load("question_untimed")
    assert untimed is not None
    from coachloop.acts.questions import boosted_inputs

    assert question_flags(p) == untimed.decide(*boosted_inputs(p))
    with pytest.raises(ValueError, match="model must be one of"):
        question_flags(p, model="forest")
    assert tag_meeting(plain, models="logistic") is not None
    with pytest.raises(ValueError, match="models must be"):
        tag_meeting(plain, models="forest")


def test_boosted_question_model_on_an_asr_exchange() -> None:
    def words(text: str, start: float, pace: float = 0.28) -> list[tuple[str, float, float]]:
        return [
            (w, start + k * pace, start + k * pace + pace - 0.04)
            for k, w in enumerate(text.split())
        ]

    meeting = _timed(
        [
            ("M", words("so what did they say about the budget", 0.0)),
            ("R", words("they said it was approved for next quarter", 2.6)),
            ("M", words("okay and did you send the recap to them", 5.4)),
            ("R", words("yes i sent it this morning", 8.1)),
        ]
    )
    acts = tag_meeting(meeting)
    assert "question" in acts[0] and "question" in acts[2]
    assert "question" not in acts[3]
    # The reply "they said it was approved…" sits near the threshold (the F1-optimal
    # threshold on MRDA val admits ~25 % false positives); its score is still far
    # below both questions'.
    model = boosted.load("question")
    assert model is not None
    from coachloop.acts.questions import boosted_inputs

    s = model.scores(*boosted_inputs(meeting.utterances))
    assert min(s[0], s[2]) > max(s[1], s[3]) + 2.0


@pytest.mark.parametrize("name", ["question", "question_untimed", "cutoff_timing", "cutoff_cues"])
def test_boosted_model_files_stay_compact(name: str) -> None:
    res = boosted.resources.files("coachloop.acts").joinpath("data", f"{name}.lgbm.json")
    raw = json.loads(res.read_text())
    assert len(res.read_bytes()) < 2_000_000
    assert "leaf_weight=" not in raw["booster"] and "split_gain=" not in raw["booster"]
    assert raw["info"]["trees"] == lightgbm.Booster(model_str=raw["booster"]).num_trees()


def test_the_environment_can_switch_boosted_models_off(cut_off: Meeting, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from coachloop.errors import ConfigError

    utts = cut_off.utterances
    monkeypatch.setenv("COACHLOOP_TAGGER_MODELS", "logistic")
    assert question_flags(utts) == question_flags(utts, model="logistic")
    assert cut_off_flags(utts, cues=True) == cut_off_flags(utts, cues=True, model="logistic")
    monkeypatch.setenv("COACHLOOP_TAGGER_MODELS", "forest")
    with pytest.raises(ConfigError, match="COACHLOOP_TAGGER_MODELS='forest'"):
        question_flags(utts)
