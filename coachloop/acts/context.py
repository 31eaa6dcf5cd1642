"""Acts that need the conversation around an utterance: backchannels and interruptions.

Both work from timing and speaker changes, so they apply to any export with utterance
start/end times; without end times only the cut-off cue can mark an interruption.

- A short acknowledgement ("mm-hmm", "yeah") stays a ``backchannel`` only when it does
  not take the floor: the same speaker does not go on right after it, and it does not
  answer a question the other speaker just asked.
- An utterance is an ``interruption`` when it starts while another speaker is still
  talking (that speaker's utterance goes on for more than ``OVERLAP_S`` seconds after
  its start), or within ``CUTOFF_GAP_S`` seconds of another speaker's utterance that
  ends cut off (a trailing dash or ellipsis, or a dangling function word such as
  "and", "the", "to"). With end times on every utterance, it is also an interruption
  when the learned cut-off model (:func:`cut_off_flags`, timing + the last word, fitted
  on MRDA train) says another speaker's utterance was cut off and this is the other
  speaker's utterance starting nearest its end: the rule or the model, chosen on MRDA
  val over the rule alone (docs/validation.md). A backchannel is never an interruption.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np

from coachloop.acts import boosted, wordtiming
from coachloop.acts.questions import LogisticModel, text_features, tokens_of
from coachloop.model import Utterance

#: The other speaker must still be talking this long after the start (seconds).
OVERLAP_S = 0.5
#: A reply this soon after a cut-off utterance is an interruption (seconds).
CUTOFF_GAP_S = 1.0
#: The same speaker going on within this gap means a "yeah" took the floor (seconds).
FLOOR_GAP_S = 1.0
#: How many earlier utterances to look back at for an overlapping one.
LOOKBACK = 6

_CUTOFF = re.compile(
    r"(?:[-\u2014\u2013]|\.\.\.|\u2026)\s*$"
    r"|\b(?:and|the|a|an|to|of|but|so|because|if|that|with|for|or|is|was|we|i|you|my|your|"
    r"our|their|in|on|at|like|um|uh)\s*$",
    re.IGNORECASE,
)


def ends_cut_off(text: str) -> bool:
    """True when the text stops mid-sentence (dash, ellipsis, dangling function word)."""
    return _CUTOFF.search(text) is not None


def apply_context(
    utts: Sequence[Utterance],
    acts: list[set[str]],
    *,
    method: str = "auto",
    model: str = "auto",
) -> None:
    """Add ``interruption`` and revoke floor-taking ``backchannel`` in place.

    ``method`` picks who counts as interrupting (see :func:`interruption_pairs`),
    ``model`` which cut-off model it asks (see :func:`cut_off_flags`).
    """
    revoke_floor_taking_backchannels(utts, acts)
    for j, _ in interruption_pairs(utts, acts, method=method, model=model):
        acts[j].add("interruption")


def revoke_floor_taking_backchannels(utts: Sequence[Utterance], acts: list[set[str]]) -> None:
    """Drop ``backchannel`` where the "yeah" takes the floor or answers a question."""
    n = len(utts)
    for i in range(n):
        a = acts[i]
        if "backchannel" not in a:
            continue
        u = utts[i]
        if _inside_other(utts, i):
            continue  # said over the other's talk: a continuer, whatever follows
        nxt = utts[i + 1] if i + 1 < n else None
        if (
            nxt is not None
            and nxt.speaker == u.speaker
            and "backchannel" not in acts[i + 1]
            and nxt.start - (u.end if u.end is not None else u.start) <= FLOOR_GAP_S
        ):
            a.discard("backchannel")
        else:
            prev = _prev_other(utts, i)
            if prev is not None and "question" in acts[prev]:
                a.discard("backchannel")


#: Ways of deciding who interrupts whom (``interruption_pairs``); "auto" is the one
#: ``tag_meeting`` uses, chosen on MRDA val (docs/validation.md).
METHODS = ("rule", "model", "rule+model", "auto")


def interruption_pairs(
    utts: Sequence[Utterance],
    acts: Sequence[set[str]],
    *,
    method: str = "auto",
    model: str = "auto",
) -> list[tuple[int, int]]:
    """``(interrupter, interrupted)`` index pairs, at most one pair per interrupter.

    - ``rule``: the documented rule (module docstring);
    - ``model``: the timing + cut-off cue model (:func:`cut_off_flags`) says the
      utterance was cut off, and the interrupter is the other speaker's utterance that
      starts nearest its end (within ``CUTOFF_GAP_S`` after it);
    - ``rule+model``: both, the rule's pair first;
    - ``auto``: ``rule+model`` when every utterance has an end time and a model ships,
      else ``rule``.

    A backchannel never interrupts.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if method == "auto":
        timed = all(u.end is not None for u in utts)
        method = "rule+model" if timed and _interruption_models() else "rule"
    pairs: dict[int, int] = {}
    if method in ("rule", "rule+model"):
        pairs.update(_rule_pairs(utts, acts))
    if method in ("model", "rule+model"):
        # Only an utterance with a possible interrupter can make a pair: ask the model
        # about those alone (the same pairs, a fraction of the model's work).
        candidates = [
            (i, j) for i in range(len(utts)) if (j := _interrupter(utts, acts, i)) is not None
        ]
        flags = cut_off_flags(utts, cues=True, model=model, rows=[i for i, _ in candidates])
        if flags is not None:
            for (i, j), cut in zip(candidates, flags, strict=True):
                if cut and j not in pairs:
                    pairs[j] = i
    return sorted(pairs.items())


def _rule_pairs(utts: Sequence[Utterance], acts: Sequence[set[str]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for i, u in enumerate(utts):
        if "backchannel" in acts[i]:
            continue
        start = u.start
        lo = max(0, i - LOOKBACK)
        for j in range(i - 1, lo - 1, -1):
            v = utts[j]
            if v.speaker == u.speaker:
                continue
            if v.end is not None and v.start <= start and v.end - start > OVERLAP_S:
                out[i] = j
                break
        else:
            k = _prev_other(utts, i)
            if k is not None:
                v = utts[k]
                end = v.end if v.end is not None else v.start
                if start - end <= CUTOFF_GAP_S and ends_cut_off(v.text):
                    out[i] = k
    return out


def _interrupter(utts: Sequence[Utterance], acts: Sequence[set[str]], i: int) -> int | None:
    """The other speaker's utterance starting nearest the end of ``utts[i]``."""
    u = utts[i]
    end = u.end if u.end is not None else u.start
    best: tuple[float, int] | None = None
    for j in range(i + 1, len(utts)):
        v = utts[j]
        if v.start > end + CUTOFF_GAP_S:
            break
        if v.speaker == u.speaker or "backchannel" in acts[j]:
            continue
        d = abs(v.start - end)
        if best is None or d < best[0]:
            best = (d, j)
    return None if best is None else best[1]


def _inside_other(utts: Sequence[Utterance], i: int) -> bool:
    """True when another speaker's earlier utterance is still going when this one ends."""
    u = utts[i]
    end = u.end if u.end is not None else u.start
    for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
        v = utts[j]
        if v.speaker != u.speaker and v.end is not None and v.end > end:
            return True
    return False


def _prev_other(utts: Sequence[Utterance], i: int) -> int | None:
    """Index of the nearest earlier utterance by another speaker (within LOOKBACK)."""
    spk = utts[i].speaker
    for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
        if utts[j].speaker != spk:
            return j
    return None


def _b(x: float, edges: tuple[float, ...]) -> str:
    for k, e in enumerate(edges):
        if x < e:
            return str(k)
    return str(len(edges))


_FUNCTION_END = frozenset(
    [
        "and",
        "the",
        "a",
        "an",
        "to",
        "of",
        "but",
        "so",
        "because",
        "if",
        "that",
        "with",
        "for",
        "or",
        "is",
        "was",
        "we",
        "i",
        "you",
        "my",
        "your",
        "our",
        "their",
        "in",
        "on",
        "at",
        "like",
        "um",
        "uh",
        "this",
        "it's",
        "are",
        "be",
    ]
)


def timing_features(
    utts: Sequence[Utterance], *, cues: bool = False, rows: Sequence[int] | None = None
) -> list[list[str]]:
    """Features for "was this utterance cut off by another speaker?" from timing.

    Reads only start/end times (and word times when present): when another speaker
    starts relative to this utterance's end, how long they go on, and whether this
    speaker resumes. With ``cues`` it also reads the last word (a fragment like ``w-``,
    a dangling function word, a trailing dash or ellipsis). ``rows`` limits the output
    to those utterances (in that order); the others are still read as context.
    """
    n = len(utts)
    out: list[list[str]] = []
    for i in range(n) if rows is None else rows:
        u = utts[i]
        end = u.end if u.end is not None else u.start
        f = ["dur=" + _b(end - u.start, (0.5, 1.0, 2.0, 4.0))]
        # The other speaker whose start is nearest this utterance's end (among those
        # starting after this one started), and whether this speaker resumes.
        best = None
        resume = None
        inside = False
        for j in range(max(0, i - 8), min(n, i + 12)):
            if j == i:
                continue
            v = utts[j]
            if j > i and v.start > end + 3.0:
                break
            v_end = v.end if v.end is not None else v.start
            if v.speaker == u.speaker:
                if j > i and resume is None:
                    resume = v.start - end
                continue
            if v.start < u.start:
                if v_end > end:
                    inside = True
                continue
            d = v.start - end
            if best is None or abs(d) < abs(best[0]):
                best = (d, v_end - v.start, v_end > end, v.start)
        if inside:
            f.append("inside")
        if best is None:
            f.append("o=none")
        else:
            ob = _b(best[0], (-2.0, -1.0, -0.5, -0.2, 0.0, 0.2, 0.5, 1.0))
            od = _b(best[1], (0.5, 1.0, 2.5))
            f += ["o=" + ob, "od=" + od, "o&od=" + ob + od]
            if best[2]:
                f.append("o_outlasts")
                f.append("o_outlasts&o=" + ob)
        f.append("r=" + ("none" if resume is None else _b(resume, (0.0, 0.5, 1.5))))
        if best is not None:
            # Does this speaker take the floor back once the other stops (an interrupted
            # speaker often does), and how long the other talks relative to this one.
            o_end = best[3] + best[1]
            back = None
            for j in range(i + 1, min(n, i + 15)):
                v = utts[j]
                if v.speaker == u.speaker and v.start >= best[3]:
                    back = v.start - o_end
                    break
            f.append("back=" + ("none" if back is None else _b(back, (-1.0, 0.0, 0.5, 2.0))))
            f.append("rel=" + _b(best[1] / max(0.1, end - u.start), (0.3, 1.0, 3.0)))
        if u.words:
            w = u.words[-1]
            f.append("lw=" + _b(w.end - w.start, (0.12, 0.2, 0.35)))
            # A word cut short is spoken fast for its length (seconds per letter).
            f.append("lr=" + _b((w.end - w.start) / max(1, len(w.text)), (0.03, 0.05, 0.08)))
            span = end - u.words[0].start
            rate = len(u.words) / span if span > 0 else 0.0
            f.append("rate=" + _b(rate, (2.0, 3.0, 4.0)))
            if len(u.words) >= 4:
                tail = end - u.words[-3].start
                # Speeding up at the end (talking against someone) vs slowing down.
                f.append("accel=" + _b(3.0 / tail / rate if tail > 0 and rate else 1.0, (0.8, 1.2)))
            if best is not None:
                f.append("o&lr=" + ob + _b((w.end - w.start) / max(1, len(w.text)), (0.05,)))
                if best[0] < 0:
                    # Words this speaker still said after the other started.
                    after = sum(1 for x in u.words if x.start >= best[3])
                    f.append("ow=" + _b(after, (1, 2, 3, 6)))
            if len(u.words) > 1:
                f.append("lg=" + _b(w.start - u.words[-2].end, (0.01, 0.1, 0.3)))
            f.append("nw=" + _b(len(u.words), (2, 4, 8, 15)))
        if cues:
            raw = u.text.rstrip()
            last = raw.rsplit(None, 1)[-1].lower() if raw else ""
            if last.endswith(("-", "\u2014", "\u2013", "...", "\u2026")):
                f.append("cue=frag")
            elif last in _FUNCTION_END:
                f.append("cue=func")
            f.append("cw=" + last.strip("-.,?!"))
        out.append(f)
    return out


def timing_cue_features(utts: Sequence[Utterance]) -> list[list[str]]:
    return timing_features(utts, cues=True)


@cache
def _interruption_models() -> dict[str, LogisticModel]:
    res = resources.files("coachloop.acts").joinpath("data/interruption_model.json")
    if not res.is_file():
        return {}
    raw = json.loads(res.read_text())
    return {
        name: LogisticModel(float(m["bias"]), dict(m["weights"]), float(m["threshold"]))
        for name, m in raw["models"].items()
    }


def boosted_inputs(
    utts: Sequence[Utterance], *, cues: bool, rows: Sequence[int] | None = None
) -> tuple[list[list[str]], np.ndarray]:
    """String features and word-timing rows for the boosted cut-off models.

    With ``cues`` the words are read too: the word before the last (``cw2=``) and the
    start/end n-grams of the question model (``q:…``; chosen on MRDA val: 0.642 vs
    0.633 without them).
    """
    idx = range(len(utts)) if rows is None else rows
    feats = timing_features(utts, cues=cues, rows=rows)
    if cues:
        for f, i in zip(feats, idx, strict=True):
            text = utts[i].text
            toks = text.lower().split()
            f.append("cw2=" + (toks[-2].strip("-.,?!") if len(toks) > 1 else "<s>"))
            f.extend("q:" + t for t in text_features(tokens_of(text)))
    dense = wordtiming.word_timing_matrix(utts)
    return feats, dense if rows is None else dense[np.asarray(rows, dtype=np.int64)]


#: Which cut-off model ``cut_off_flags`` uses (as :data:`coachloop.acts.questions.MODELS`).
MODELS = ("auto", "logistic", "boosted")


def cut_off_flags(
    utts: Sequence[Utterance],
    *,
    cues: bool = False,
    model: str = "auto",
    rows: Sequence[int] | None = None,
) -> list[bool] | None:
    """Was each utterance cut off by another speaker? (None when no model ships.)

    ``cues=False`` reads timing only; ``cues=True`` also reads the last words. With
    word times (``model="auto"``) the boosted models decide (``cutoff_timing``,
    ``cutoff_cues``), else the logistic ones (``timing``, ``timing+cues``). All are
    fitted on MRDA train (``scripts/train_acts.py``) against its interrupted
    segments (``%-``). ``rows`` asks only about those utterances (one flag each, in
    that order); the others are still read as context.
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, not {model!r}")
    if model == "boosted" or (
        model == "auto" and wordtiming.has_word_times(utts) and boosted.enabled()
    ):
        boosted_model = boosted.load("cutoff_cues" if cues else "cutoff_timing")
        if boosted_model is not None:
            return boosted_model.decide(*boosted_inputs(utts, cues=cues, rows=rows))
        if model == "boosted":
            return None
    logistic = _interruption_models().get("timing+cues" if cues else "timing")
    if logistic is None:
        return None
    return [logistic.decide(f) for f in timing_features(utts, cues=cues, rows=rows)]
