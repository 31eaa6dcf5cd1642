"""Fit the tagger's small learned models on MRDA train; choose settings on MRDA val.

    .venv/bin/python scripts/train_acts.py --datasets ../shared/datasets

Writes ``coachloop/acts/data/question_model.json`` (question detection for
unpunctuated text: a ``text`` and a ``context`` logistic model),
``coachloop/acts/data/interruption_model.json`` (interrupted-segment detection from
timing: logistic) and the boosted models (LightGBM; the number of leaves and of trees
and the threshold chosen on val): ``coachloop/acts/data/{question,cutoff_timing,
cutoff_cues}.lgbm.json`` for transcripts with word times and
``question_untimed.lgbm.json`` for unpunctuated ones without. The test split is
never read here. Prints the val figures it chose on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coachloop.acts import boosted as B  # noqa: E402
from coachloop.acts import context as C  # noqa: E402
from coachloop.acts import questions as Q  # noqa: E402
from coachloop.validation import mrda  # noqa: E402

DATA = ROOT / "coachloop" / "acts" / "data"


def fit_logistic(x: sparse.csr_matrix, y: np.ndarray, lam: float) -> np.ndarray:
    """L2-regularised logistic regression (bias = last column, not penalised)."""
    ys = 2.0 * y - 1.0
    d = x.shape[1]
    mask = np.ones(d)
    mask[-1] = 0.0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        m = ys * z
        lo = np.logaddexp(0.0, -m).sum() + 0.5 * lam * float((mask * w) @ w)
        g = x.T @ (-ys / (1.0 + np.exp(m))) + lam * mask * w
        return float(lo), g

    res = optimize.minimize(
        loss, np.zeros(d), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return np.asarray(res.x)


def best_threshold(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Logit threshold with the best F1, and that F1."""
    order = np.argsort(-z)
    ys = y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    i = int(np.argmax(f1))
    thr = float((z[order][i] + z[order][min(i + 1, len(z) - 1)]) / 2)
    return thr, float(f1[i])


def matrix(rows: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr, idx = [0], []
    bias = len(vocab)
    for feats in rows:
        idx.extend(vocab[f] for f in feats if f in vocab)
        idx.append(bias)
        indptr.append(len(idx))
    data = np.ones(len(idx))
    return sparse.csr_matrix((data, idx, indptr), shape=(len(rows), len(vocab) + 1))


def train_select(
    name: str,
    train: tuple[list[list[str]], np.ndarray],
    val: tuple[list[list[str]], np.ndarray],
    lams: list[float],
    min_count: int,
    max_features: int = 100_000,
) -> dict:
    counts = Counter(f for feats in train[0] for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    xt, xv = matrix(train[0], vocab), matrix(val[0], vocab)
    best = None
    for lam in lams:
        w = fit_logistic(xt, train[1], lam)
        thr, f1 = best_threshold(xv @ w, val[1])
        print(f"  {name}: lambda={lam:g} features={len(vocab)} val F1={f1:.3f}", file=sys.stderr)
        if best is None or f1 > best[0]:
            best = (f1, lam, w, thr)
    assert best is not None
    f1, lam, w, thr = best
    # Keep the strongest features only (the weights file must stay small), then choose
    # the threshold again on val for the pruned model.
    w = w.copy()
    if len(vocab) > max_features:
        cut = np.sort(np.abs(w[:-1]))[-max_features]
        w[:-1][np.abs(w[:-1]) < cut] = 0.0
    w = np.round(w, 3)
    thr, f1 = best_threshold(xv @ w, val[1])
    print(f"  {name}: chose lambda={lam:g}; pruned val F1={f1:.3f}", file=sys.stderr)
    inv = {i: f for f, i in vocab.items()}
    weights = {inv[i]: float(v) for i, v in enumerate(w[:-1]) if v != 0.0}
    return {
        "bias": round(float(w[-1]), 4),
        "threshold": round(thr, 4),
        "lambda": lam,
        "val_f1": round(f1, 4),
        "weights": dict(sorted(weights.items())),
    }


def collect(
    root: Path, split: str, label: Callable[[str], bool], feats: Callable
) -> tuple[list[list[str]], np.ndarray]:
    rows: list[list[str]] = []
    ys: list[float] = []
    for name, segs in mrda.iter_split(root, split):
        meeting = mrda.to_meeting(name, segs)
        for seg, f in zip(segs, feats(meeting.utterances), strict=True):
            if mrda.is_scored(seg.tag):
                rows.append(f)
                ys.append(float(label(seg.tag)))
    return rows, np.asarray(ys)


def collect_boosted(
    root: Path, split: str, label: Callable[[str], bool], inputs: Callable, *, words: bool = True
) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """String features, dense word-timing rows and labels of the scored segments.

    ``words=False`` drops the word times first, as a caption export has none.
    """
    rows: list[list[str]] = []
    dense: list[np.ndarray] = []
    ys: list[float] = []
    for name, segs in mrda.iter_split(root, split):
        meeting = mrda.to_meeting(name, segs, words=words)
        feats, d = inputs(meeting.utterances)
        keep = [mrda.is_scored(s.tag) for s in segs]
        rows.extend(f for f, k in zip(feats, keep, strict=True) if k)
        dense.append(d[np.asarray(keep, dtype=bool)])
        ys.extend(float(label(s.tag)) for s, k in zip(segs, keep, strict=True) if k)
    return rows, np.vstack(dense), np.asarray(ys)


def boosted_select(
    name: str,
    train: tuple[list[list[str]], np.ndarray, np.ndarray],
    val: tuple[list[list[str]], np.ndarray, np.ndarray],
    *,
    leaves: list[int],
    max_trees: int,
    min_child: int,
    colsample: float,
    min_count: int = 5,
) -> dict:
    """Fit LightGBM on train for each leaf count; choose leaves, trees, threshold on val."""
    import lightgbm as lgb

    counts = Counter(f for feats in train[0] for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    shell = B.BoostedModel(name, vocab, len(vocab), (), 0.0, None)
    xt = shell.matrix(train[0], train[1])
    xv = shell.matrix(val[0], val[1])
    best = None
    for nl in leaves:
        params = {
            "objective": "binary",
            "learning_rate": 0.05,
            "num_leaves": nl,
            "min_child_samples": min_child,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "feature_fraction": colsample,
            "seed": 7,
            "deterministic": True,
            "num_threads": 2,
            "verbose": -1,
        }
        booster = lgb.train(params, lgb.Dataset(xt, train[2]), num_boost_round=max_trees)
        for k in range(100, max_trees + 1, 100):
            thr, f1 = best_threshold(booster.predict(xv, raw_score=True, num_iteration=k), val[2])
            print(f"  {name}: leaves={nl} trees={k} val F1={f1:.4f}", file=sys.stderr)
            if best is None or f1 > best[0]:
                best = (f1, nl, k, thr, booster)
    assert best is not None
    f1, nl, k, thr, booster = best
    print(f"  {name}: chose leaves={nl} trees={k}; val F1={f1:.4f}", file=sys.stderr)
    # Keep only the chosen trees (a fresh booster from the truncated text).
    trimmed = lgb.Booster(model_str=booster.model_to_string(num_iteration=k))
    info = {"leaves": nl, "trees": k, "val_f1": round(f1, 4), "train_rows": len(train[2])}
    out = B.to_json(name, trimmed, vocab, len(vocab), thr, info)
    # The compacted text must predict as the booster did (val rows).
    compact = lgb.Booster(model_str=out["booster"])
    full = trimmed.predict(xv, raw_score=True)
    small = compact.predict(xv, raw_score=True)
    assert np.abs(full - small).max() < 1e-5, "compacted model drifts"
    assert ((full >= thr) == (small >= thr)).all(), "compacted model decides otherwise"
    return out


def q_text(utts):  # type: ignore[no-untyped-def]
    return [Q.text_features(Q.tokens_of(u.text)) for u in utts]


def q_context(utts):  # type: ignore[no-untyped-def]
    toks = [Q.tokens_of(u.text) for u in utts]
    ctx = Q.context_features(utts, toks)
    return [Q.text_features(t) + c for t, c in zip(toks, ctx, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument(
        "--only",
        choices=["question", "interruption", "boosted", *BOOSTED],
        default=None,
        help="one family (question, interruption: logistic; boosted: all four) or one "
        "boosted model",
    )
    args = parser.parse_args()
    root = args.datasets
    if args.only in (None, "question"):
        models = {}
        for name, fn in (("text", q_text), ("context", q_context)):
            tr = collect(root, "train", mrda.is_question, fn)
            va = collect(root, "val", mrda.is_question, fn)
            budget = 2500 if name == "text" else 4500
            lams = [3.0] if name == "text" else [3.0, 10.0]
            models[name] = train_select(name, tr, va, lams, 5, max_features=budget)
        out = {
            "_doc": "scripts/train_acts.py on MRDA train; thresholds (logit) chosen on val",
            "models": models,
        }
        (DATA / "question_model.json").write_text(json.dumps(out, separators=(",", ":")))
    if args.only in (None, "interruption"):
        tr = collect(root, "train", mrda.is_interrupted, C.timing_features)
        va = collect(root, "val", mrda.is_interrupted, C.timing_features)
        timing = train_select("timing", tr, va, [1.0, 10.0], 3)
        tr = collect(root, "train", mrda.is_interrupted, C.timing_cue_features)
        va = collect(root, "val", mrda.is_interrupted, C.timing_cue_features)
        cues = train_select("timing+cues", tr, va, [1.0, 10.0], 5, max_features=800)
        out = {
            "_doc": "scripts/train_acts.py on MRDA train; threshold (logit) chosen on val",
            "models": {"timing": timing, "timing+cues": cues},
        }
        (DATA / "interruption_model.json").write_text(json.dumps(out, separators=(",", ":")))
    for name, (label, inputs, words, colsample, min_child, max_trees) in BOOSTED.items():
        if args.only not in (None, "boosted", name):
            continue
        tr = collect_boosted(root, "train", label, inputs, words=words)
        va = collect_boosted(root, "val", label, inputs, words=words)
        model = boosted_select(
            name,
            tr,
            va,
            leaves=[15, 31],
            max_trees=max_trees,
            min_child=min_child,
            colsample=colsample,
        )
        (DATA / f"{name}.lgbm.json").write_text(json.dumps(model, separators=(",", ":")))


def _cutoff_inputs(cues: bool) -> Callable:
    def inputs(utts):  # type: ignore[no-untyped-def]
        return C.boosted_inputs(utts, cues=cues)

    return inputs


#: The boosted models: label, inputs, word times kept?, feature fraction, min rows a
#: leaf, most trees. ``question_untimed`` is fitted with the word times dropped, for
#: unpunctuated transcripts that have none.
BOOSTED: dict[str, tuple[Callable, Callable, bool, float, int, int]] = {
    "question": (mrda.is_question, Q.boosted_inputs, True, 0.5, 20, 1200),
    "question_untimed": (mrda.is_question, Q.boosted_inputs, False, 0.5, 20, 1200),
    "cutoff_timing": (mrda.is_interrupted, _cutoff_inputs(False), True, 0.8, 40, 800),
    "cutoff_cues": (mrda.is_interrupted, _cutoff_inputs(True), True, 0.8, 40, 800),
}


if __name__ == "__main__":
    main()
