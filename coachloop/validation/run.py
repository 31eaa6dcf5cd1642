"""Compute, render and check the validation figures (see the package docstring)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coachloop.acts import rules as R
from coachloop.acts import tag_meeting
from coachloop.acts.context import cut_off_flags, interruption_pairs
from coachloop.acts.text import _question_rule
from coachloop.errors import InputError
from coachloop.validation import ami, labelled, mrda
from coachloop.validation.metrics import PRF, prf

#: A figure may fall this much below the recorded one before ``check`` fails.
TOLERANCE = 0.005

#: Keys whose value is better when lower (errors); all other checked keys: higher.
_LOWER_BETTER = ("talk_share_mae_pp", "talk_share_max_err_pp", "overlap_share_mae_pp")
_HIGHER_BETTER = ("f1",)


def _d(r: PRF) -> dict[str, float]:
    return {
        "precision": round(r.precision, 3),
        "recall": round(r.recall, 3),
        "f1": round(r.f1, 3),
        "support": r.support,
        "predicted": r.tp + r.fp,
    }


def mrda_figures(root: Path, split: str = "test") -> dict[str, dict[str, float]]:
    acc: dict[str, PRF] = {
        k: PRF(0, 0, 0)
        for k in (
            "question_punctuated",
            "question_unpunctuated",
            "question_unpunctuated_no_word_times",
            "question_unpunctuated_logistic",
            "question_wh_aux_rule",
            "directive_as_advice",
            "interrupted_timing",
            "interrupted_timing_logistic",
            "interrupted_timing_cues",
            "interrupted_timing_cues_logistic",
            "interrupted_act_rule",
            "interrupted_act",
        )
    }
    for name, segs in mrda.iter_split(root, split):
        scored = [mrda.is_scored(s.tag) for s in segs]
        gold_q = [mrda.is_question(s.tag) for s in segs]
        gold_d = [mrda.is_directive(s.tag) for s in segs]
        gold_i = [mrda.is_interrupted(s.tag) for s in segs]

        def add(key: str, pred: list[bool], gold: list[bool], sc: list[bool] = scored) -> None:
            acc[key] = acc[key] + prf(
                (p for p, k in zip(pred, sc, strict=True) if k),
                (g for g, k in zip(gold, sc, strict=True) if k),
            )

        plain = mrda.to_meeting(name, segs)
        acts = tag_meeting(plain)
        add("question_unpunctuated", ["question" in a for a in acts], gold_q)
        untimed_meeting = mrda.to_meeting(name, segs, words=False)
        untimed = tag_meeting(untimed_meeting)
        add("question_unpunctuated_no_word_times", ["question" in a for a in untimed], gold_q)
        logistic = tag_meeting(untimed_meeting, models="logistic")
        add("question_unpunctuated_logistic", ["question" in a for a in logistic], gold_q)
        add("directive_as_advice", ["advice" in a for a in acts], gold_d)
        add("question_wh_aux_rule", [_question_rule(R.normalize(s.text)) for s in segs], gold_q)
        texts = [s.text + ("?" if q else ".") for s, q in zip(segs, gold_q, strict=True)]
        punct = tag_meeting(mrda.to_meeting(name, segs, texts))
        add("question_punctuated", ["question" in a for a in punct], gold_q)
        for key, cues, model in (
            ("interrupted_timing", False, "auto"),
            ("interrupted_timing_logistic", False, "logistic"),
            ("interrupted_timing_cues", True, "auto"),
            ("interrupted_timing_cues_logistic", True, "logistic"),
        ):
            flags = cut_off_flags(plain.utterances, cues=cues, model=model)
            if flags is None:
                raise InputError("no interruption model ships; run scripts/train_acts.py")
            add(key, flags, gold_i)
        # The ``interruption`` act marks the interrupter; score the utterance it cut off.
        base = [set(a) - {"interruption"} for a in acts]
        for key, method in (("interrupted_act_rule", "rule"), ("interrupted_act", "auto")):
            victims = {v for _, v in interruption_pairs(plain.utterances, base, method=method)}
            add(key, [i in victims for i in range(len(segs))], gold_i)
    return {k: _d(v) for k, v in acc.items()}


def labelled_figures(
    folder: Path | None = None, *, asr: bool = False
) -> dict[str, dict[str, float]]:
    folder = folder or labelled.DEFAULT_DIR
    scores = labelled.score_labelled(folder / "test.tsv", asr=asr)
    return {k: _d(v) for k, v in scores.items()}


def run_validation(datasets: Path) -> dict[str, Any]:
    """Every figure of docs/validation.md (MRDA test, AMI test, labelled test)."""
    if not (datasets / "mrda").is_dir() or not (datasets / "ami").is_dir():
        raise InputError(
            "datasets folder has no mrda/ and ami/",
            file=datasets,
            hint="pass the folder described in shared/datasets/README.md",
        )
    return {
        "mrda_test": mrda_figures(datasets, "test"),
        "ami_test": {k: round(v, 3) for k, v in ami.evaluate(datasets, "test").items()},
        "labelled_test": labelled_figures(),
        "labelled_test_asr": labelled_figures(asr=True),
    }


def _walk(d: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _walk(v, f"{prefix}{k}.")
        else:
            yield prefix + k, k, v


def check(figures: dict[str, Any], recorded: dict[str, Any], tol: float = TOLERANCE) -> list[str]:
    """Regressions of ``figures`` against ``recorded``, one line each (empty: none)."""
    now = {path: v for path, _, v in _walk(figures)}
    out = []
    for path, key, old in _walk(recorded):
        if key not in _LOWER_BETTER and key not in _HIGHER_BETTER:
            continue
        new = now.get(path)
        if new is None:
            out.append(f"{path}: missing (recorded {old})")
        elif key in _HIGHER_BETTER and new < old - tol:
            out.append(f"{path}: {new} < recorded {old}")
        elif key in _LOWER_BETTER and new > old + tol:
            out.append(f"{path}: {new} > recorded {old}")
    return out


_MRDA_ROWS = (
    ("question_punctuated", "question, punctuated ('?' added to gold questions, '.' to the rest)"),
    (
        "question_unpunctuated",
        "question, unpunctuated (as the corpus: lower case, no punctuation; word times: boosted model)",
    ),
    (
        "question_unpunctuated_no_word_times",
        "question, unpunctuated, the word times dropped (boosted model fitted without them)",
    ),
    (
        "question_unpunctuated_logistic",
        "question, unpunctuated, word times dropped, logistic model (`COACHLOOP_TAGGER_MODELS=logistic`)",
    ),
    ("question_wh_aux_rule", "question, reference: wh/aux-start + tag rule alone, unpunctuated"),
    ("directive_as_advice", "directive (`co`/`cs`) as `advice`, unpunctuated"),
    ("interrupted_timing", "interrupted segment (`%-`), timing alone (word times: boosted model)"),
    (
        "interrupted_timing_logistic",
        "interrupted segment (`%-`), timing alone, logistic model (utterance times)",
    ),
    (
        "interrupted_timing_cues",
        "interrupted segment (`%-`), timing + cut-off cues (word times: boosted model)",
    ),
    (
        "interrupted_timing_cues_logistic",
        "interrupted segment (`%-`), timing + cut-off cues, logistic model",
    ),
    (
        "interrupted_act_rule",
        "interrupted segment (`%-`), the earlier `interruption` rule alone (0.5 s overlap / 1 s after a cut-off)",
    ),
    (
        "interrupted_act",
        "interrupted segment (`%-`), `tag_meeting`'s `interruption` act (rule or cut-off model)",
    ),
)


def render_markdown(figures: dict[str, Any], *, command: str) -> str:
    """The tables of docs/validation.md (the caller adds the prose around them)."""
    lines = [f"Generated by `{command}`.", "", "### MRDA test split (12 meetings)", ""]
    lines += ["| task | precision | recall | F1 | gold | predicted |", "|---|---|---|---|---|---|"]
    m = figures["mrda_test"]
    for key, label in _MRDA_ROWS:
        r = m[key]
        lines.append(
            f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** | "
            f"{r['support']} | {r['predicted']} |"
        )
    a = figures["ami_test"]
    lines += [
        "",
        f"### AMI test split ({int(a['meetings'])} meetings, {int(a['speakers'])} speakers)",
        "",
        "| figure | value |",
        "|---|---|",
        f"| talk share, mean absolute error (percentage points) | {a['talk_share_mae_pp']:.3f} |",
        f"| talk share, largest error (percentage points) | {a['talk_share_max_err_pp']:.3f} |",
        f"| overlap share of speech time, RTTM truth (mean over meetings) | {a['overlap_share_true']:.3f} |",
        f"| overlap share, transcript view (mean over meetings) | {a['overlap_share_est']:.3f} |",
        f"| overlap share, mean absolute error (percentage points) | {a['overlap_share_mae_pp']:.3f} |",
        "",
        "### Hand-labelled manager utterances, test part (tests/fixtures/labelled/test.tsv)",
        "",
        "| act | precision | recall | F1 | gold | predicted |",
        "|---|---|---|---|---|---|",
    ]
    for act, r in figures["labelled_test"].items():
        lines.append(
            f"| {act} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** | "
            f"{r['support']} | {r['predicted']} |"
        )
    lines += [
        "",
        "### The same test part as ASR text (lower case, punctuation removed)",
        "",
        "| act | precision | recall | F1 | gold | predicted |",
        "|---|---|---|---|---|---|",
    ]
    for act, r in figures.get("labelled_test_asr", {}).items():
        lines.append(
            f"| {act} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** | "
            f"{r['support']} | {r['predicted']} |"
        )
    return "\n".join(lines) + "\n"
