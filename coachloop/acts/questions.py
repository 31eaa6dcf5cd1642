"""Question detection for unpunctuated ASR text: a small logistic model over word cues.

Without a question mark, a question shows in its first words (wh-word, auxiliary
inversion), its last words (tag questions: "…right", "…or not") and in how the other
speaker reacts: the next speaker's first words ("yeah", "no", "i think", "um") and the
gap before them. Two models share one weights file (``data/question_model.json``):

- ``text``: start/end word n-grams and length only (used by :func:`coachloop.acts.tag_texts`);
- ``context``: the same plus dialogue features (next speaker's first words and gap,
  whether the same speaker goes on, the last word's duration when word times exist);
  used by :func:`coachloop.acts.tag_meeting`. The whole transcript is available when a
  meeting is scored, so reading the next utterance is legitimate.

Both are fitted on the MRDA train split by ``scripts/train_acts.py``; the decision
thresholds are chosen on the val split. :func:`question_flags` uses a boosted model
instead (:mod:`coachloop.acts.boosted`: the ``context`` features plus
:mod:`coachloop.acts.wordtiming`): ``data/question.lgbm.json`` when the utterances carry
word times, ``data/question_untimed.lgbm.json`` (fitted with them dropped) when not;
both better on MRDA val than the logistic model (docs/validation.md). Features are plain strings; the model is a
dict lookup per feature (fast, no per-token objects kept).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from coachloop.acts import boosted, wordtiming
from coachloop.acts import rules as R
from coachloop.model import Utterance

FILLERS = frozenset(
    "um uh so and but okay ok well oh now like yeah alright right mm hmm hm then".split()  # noqa: SIM905
)
# Words after which the next word is kept as a bigram anywhere in the utterance.
_PIVOT = frozenset(
    [
        "what",
        "why",
        "how",
        "where",
        "when",
        "which",
        "who",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "will",
        "should",
        "have",
        "has",
        "you",
        "we",
        "they",
        "it",
        "that",
        "or",
        "right",
    ]
)
#: A reply by another speaker counts as "next" when it starts within this many seconds.
NEXT_WINDOW_S = 3.0


def _len_bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 5:
        return "4-5"
    if n <= 9:
        return "6-9"
    return "10+"


def text_features(toks: Sequence[str]) -> list[str]:
    """Features of one utterance's tokens (lower-case, punctuation dropped)."""
    n = len(toks)
    if n == 0:
        return ["len=0"]
    t0 = toks[0]
    f = ["f1=" + t0, "l1=" + toks[-1], "len=" + _len_bucket(n)]
    if n > 1:
        f.append("f2=" + t0 + "_" + toks[1])
        f.append("l2=" + toks[-2] + "_" + toks[-1])
        if n > 2:
            f.append("f3=" + t0 + "_" + toks[1] + "_" + toks[2])
    k = 0
    while k < n and toks[k] in FILLERS:
        k += 1
    if 0 < k < n:
        f.append("c1=" + toks[k])
        if k + 1 < n:
            f.append("c2=" + toks[k] + "_" + toks[k + 1])
    prev = ""
    for t in toks[:16]:
        f.append("w=" + t)
        if prev in _PIVOT:
            f.append("b=" + prev + "_" + t)
        prev = t
    return f


def _gap_bucket(gap: float) -> str:
    if gap < -0.5:
        return "ov"
    if gap < 0.0:
        return "ov0"
    if gap < 0.3:
        return "0"
    if gap < 1.0:
        return "1"
    return "3"


def context_features(
    utts: Sequence[Utterance], token_lists: Sequence[Sequence[str]]
) -> list[list[str]]:
    """Dialogue features of every utterance (next speaker's reply, same-speaker run-on)."""
    n = len(utts)
    out: list[list[str]] = []
    for i in range(n):
        u = utts[i]
        end = u.end if u.end is not None else u.start
        f: list[str] = []
        # The reply: the first later utterance of another speaker that goes on past this
        # one's end (a continuer said inside it is not a reply).
        nxt = -1
        inside = False
        for j in range(i + 1, min(n, i + 10)):
            v = utts[j]
            if v.start > end + NEXT_WINDOW_S:
                break
            if v.speaker == u.speaker:
                continue
            v_end = v.end if v.end is not None else v.start
            if v_end <= end - 0.1 and v.start >= u.start:
                continue
            nxt = j
            break
        for j in range(i - 1, max(-1, i - 8), -1):
            v = utts[j]
            if v.speaker != u.speaker and v.end is not None and v.end > end:
                inside = True
                break
        short = len(token_lists[i]) <= 2
        key = ("sw=" + "_".join(token_lists[i]) + "|") if short else ""
        if nxt >= 0:
            toks = token_lists[nxt]
            gb = "ng=" + _gap_bucket(utts[nxt].start - end)
            f.append(gb)
            if key:
                f.append(key + gb)
            if toks:
                f.append("n1=" + toks[0])
                f.append("nl=" + _len_bucket(len(toks)))
                own = token_lists[i]
                if own:
                    # How this utterance ends x how the reply starts ("…right" / "yeah").
                    f.append("l1&n1=" + own[-1] + "|" + toks[0])
                if key:
                    f.append(key + "n1=" + toks[0])
                if len(toks) > 1:
                    f.append("n2=" + toks[0] + "_" + toks[1])
        else:
            f.append("n=none")
        if inside:
            f.append("inside")
            if key:
                f.append(key + "inside")
        if i + 1 < n and utts[i + 1].speaker == u.speaker:
            gap = utts[i + 1].start - end
            c = "cont=" + ("0" if gap < 0.3 else "1" if gap < 1.0 else "3")
            f.append(c)
            if key:
                f.append(key + c)
        if i > 0:
            p = utts[i - 1]
            pg = _gap_bucket(u.start - (p.end if p.end is not None else p.start))
            ps = ("ps=" if p.speaker == u.speaker else "po=") + pg
            f.append(ps)
            if key:
                f.append(key + ps)
                # A bare "right"/"you know" right after the same speaker's own words is
                # a tag on them; after the other speaker's words it acknowledges.
                prev = token_lists[i - 1]
                if prev:
                    f.append(key + ps[:3] + prev[-1])
        if u.words:
            w = u.words[-1]
            d = w.end - w.start
            f.append("lw=" + ("0" if d < 0.15 else "1" if d < 0.3 else "2" if d < 0.5 else "3"))
        out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class LogisticModel:
    bias: float
    weights: dict[str, float]
    threshold: float

    def score(self, feats: Sequence[str]) -> float:
        w = self.weights
        z = self.bias
        for f in feats:
            z += w.get(f, 0.0)
        return z

    def prob(self, feats: Sequence[str]) -> float:
        return 1.0 / (1.0 + math.exp(-self.score(feats)))

    def decide(self, feats: Sequence[str]) -> bool:
        return self.score(feats) >= self.threshold


@cache
def load_models() -> dict[str, LogisticModel]:
    """The fitted models (``text``, ``context``) from ``data/question_model.json``.

    Thresholds are stored on the logit scale. An empty dict when no weights ship
    (the rule in :mod:`coachloop.acts.text` is used then).
    """
    res = resources.files("coachloop.acts").joinpath("data/question_model.json")
    if not res.is_file():
        return {}
    raw = json.loads(res.read_text())
    return {
        name: LogisticModel(float(m["bias"]), dict(m["weights"]), float(m["threshold"]))
        for name, m in raw["models"].items()
    }


def tokens_of(text: str) -> list[str]:
    return R.tokens(R.normalize(text))


def boosted_inputs(utts: Sequence[Utterance]) -> tuple[list[list[str]], np.ndarray]:
    """String features (text + dialogue) and word-timing rows for the boosted model."""
    toks = [tokens_of(u.text) for u in utts]
    ctx = context_features(utts, toks)
    feats = [text_features(t) + c for t, c in zip(toks, ctx, strict=True)]
    return feats, wordtiming.word_timing_matrix(utts)


#: Which question model ``question_flags`` uses: ``auto`` takes a boosted one (fitted
#: with word times when the utterances carry them, else the one fitted without) unless
#: ``COACHLOOP_TAGGER_MODELS=logistic``; ``logistic`` the logistic ``context`` model.
MODELS = ("auto", "logistic", "boosted")


def question_flags(utts: Sequence[Utterance], *, model: str = "auto") -> list[bool] | None:
    """Model decisions for a meeting's utterances (None when no model ships)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, not {model!r}")
    if model == "boosted" or (model == "auto" and boosted.enabled()):
        # Fitted with the corpus's word times, or with them dropped (caption exports).
        timed = wordtiming.has_word_times(utts)
        boosted_model = boosted.load("question" if timed else "question_untimed")
        if boosted_model is not None:
            return boosted_model.decide(*boosted_inputs(utts))
        if model == "boosted":
            return None
    logistic = load_models().get("context")
    if logistic is None:
        return None
    toks = [tokens_of(u.text) for u in utts]
    ctx = context_features(utts, toks)
    return [logistic.decide(text_features(t) + c) for t, c in zip(toks, ctx, strict=True)]


def question_flag_text(text: str) -> bool | None:
    """Text-only model decision (None when no model ships)."""
    model = load_models().get("text")
    if model is None:
        return None
    return model.decide(text_features(tokens_of(text)))
