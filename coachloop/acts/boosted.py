"""Gradient-boosted decisions for transcripts with word times (LightGBM).

Two of the tagger's decisions gain from reading the word timing around an utterance,
which a linear model over string features cannot combine well:

- ``question``: is an unpunctuated utterance a question? (the words' n-gram features of
  :mod:`coachloop.acts.questions` + :mod:`coachloop.acts.wordtiming`);
- ``cutoff_timing`` / ``cutoff_cues``: was the utterance cut off by another speaker?
  (the timing features of :mod:`coachloop.acts.context` + word timing; ``cues`` adds the
  last two words).

Each model is a LightGBM booster fitted on MRDA train, its size (leaves, trees) and its
decision threshold chosen on MRDA val by ``scripts/train_acts.py``; the file
``data/<name>.lgbm.json`` holds the string-feature vocabulary, the dense feature names,
the threshold (raw score) and the booster as LightGBM's own text format. They are used
only when most utterances carry word times (``wordtiming.has_word_times``), as the
training data did, and ``COACHLOOP_TAGGER_MODELS`` is not ``logistic``; otherwise the
logistic models apply.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from scipy import sparse

from coachloop.acts import wordtiming
from coachloop.errors import ConfigError

#: ``auto`` (default): boosted models where word times exist; ``logistic``: never
#: (the faster, weaker models everywhere; docs/performance.md has the trade).
MODELS_ENV = "COACHLOOP_TAGGER_MODELS"
MODEL_CHOICES = ("auto", "logistic")


def enabled() -> bool:
    """Whether ``model="auto"`` may take a boosted model (``COACHLOOP_TAGGER_MODELS``)."""
    value = os.environ.get(MODELS_ENV, "auto").strip().lower() or "auto"
    if value not in MODEL_CHOICES:
        raise ConfigError(
            f"{MODELS_ENV}={value!r} is not a tagger model choice",
            hint=f"use one of: {', '.join(MODEL_CHOICES)}",
        )
    return value == "auto"


@dataclass(frozen=True)
class BoostedModel:
    """A LightGBM booster over string features (one-hot) followed by dense columns."""

    name: str
    vocab: dict[str, int]
    n_sparse: int
    dense: tuple[str, ...]
    threshold: float
    booster: Any

    def matrix(self, feats: Sequence[Sequence[str]], dense: np.ndarray) -> sparse.csr_matrix:
        """The model's input: string features as 0/1 columns, then the dense ones."""
        vocab = self.vocab
        indptr = [0]
        idx: list[int] = []
        for fs in feats:
            idx.extend({vocab[f] for f in fs if f in vocab})
            indptr.append(len(idx))
        left = sparse.csr_matrix(
            (np.ones(len(idx)), np.asarray(idx, dtype=np.int64), np.asarray(indptr)),
            shape=(len(feats), self.n_sparse),
        )
        return sparse.hstack([left, sparse.csr_matrix(dense)], format="csr")

    def scores(self, feats: Sequence[Sequence[str]], dense: np.ndarray) -> np.ndarray:
        """Raw scores (log-odds), one per row."""
        if len(feats) == 0:
            return np.zeros(0)
        x = self.matrix(feats, dense)
        return np.asarray(self.booster.predict(x, raw_score=True, num_threads=1))

    def decide(self, feats: Sequence[Sequence[str]], dense: np.ndarray) -> list[bool]:
        return [bool(s >= self.threshold) for s in self.scores(feats, dense)]


#: Per-node statistics that LightGBM writes for analysis but does not need to predict.
_STATS = (
    "split_gain=",
    "internal_value=",
    "internal_weight=",
    "internal_count=",
    "leaf_weight=",
    "leaf_count=",
)


def compact_model_text(text: str) -> str:
    """LightGBM's model text without per-node statistics, numbers shortened.

    Drops the optional statistics lines of each tree, writes thresholds exactly (the
    shortest text of the same double) and leaf values with 7 significant digits, and
    rewrites the ``tree_sizes`` header the
    loader uses to find each tree. Predictions change by less than 1e-5 (the training
    script checks this on MRDA val); the file shrinks about threefold.
    """
    head, _, rest = text.partition("\nTree=")
    trees, end, tail = ("Tree=" + rest).partition("end of trees")
    blocks = []
    for block in trees.split("\n\n"):
        if not block.strip():
            continue
        lines = []
        for line in block.strip("\n").split("\n"):
            if line.startswith(_STATS):
                continue
            key, _, values = line.partition("=")
            if key == "threshold":  # exact: a rounded threshold can flip a comparison
                line = key + "=" + " ".join(repr(float(v)) for v in values.split())
            elif key == "leaf_value":
                line = key + "=" + " ".join(f"{float(v):.7g}" for v in values.split())
            lines.append(line)
        blocks.append("\n".join(lines) + "\n\n")
    sizes = " ".join(str(len(b.encode())) for b in blocks)
    head = re.sub(r"tree_sizes=[0-9 ]*", "tree_sizes=" + sizes, head, count=1)
    return head + "\n" + "".join(blocks) + end + tail


def to_json(
    name: str,
    booster: Any,
    vocab: dict[str, int],
    n_sparse: int,
    threshold: float,
    info: dict[str, Any],
) -> dict[str, Any]:
    """The file form of a model; only the string features the trees use are kept."""
    used = set(np.flatnonzero(booster.feature_importance("split") > 0).tolist())
    return {
        "_doc": "scripts/train_acts.py: LightGBM fitted on MRDA train, size and threshold chosen on val",
        "name": name,
        "threshold": round(float(threshold), 6),
        "n_sparse": n_sparse,
        "dense": list(wordtiming.FEATURES),
        "info": info,
        "vocab": {f: i for f, i in sorted(vocab.items()) if i in used},
        "booster": compact_model_text(booster.model_to_string()),
    }


@cache
def load(name: str) -> BoostedModel | None:
    """The shipped model ``data/<name>.lgbm.json`` (None when it does not ship)."""
    res = resources.files("coachloop.acts").joinpath(f"data/{name}.lgbm.json")
    if not res.is_file():
        return None
    import lightgbm  # deferred: a second of import time, needed only with word times

    raw = json.loads(res.read_text())
    if tuple(raw["dense"]) != wordtiming.FEATURES:
        raise RuntimeError(
            f"{res}: fitted on other word-timing features; rerun scripts/train_acts.py"
        )
    booster = lightgbm.Booster(model_str=raw["booster"])
    return BoostedModel(
        name=name,
        vocab=dict(raw["vocab"]),
        n_sparse=int(raw["n_sparse"]),
        dense=tuple(raw["dense"]),
        threshold=float(raw["threshold"]),
        booster=booster,
    )
