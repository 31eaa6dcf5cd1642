"""Timing: a script of turns → utterance rows with start/end (and word times).

Speech rates are per speaker (managers ~2.3–2.9 words/s, reps by persona); gaps between
turns are log-normal around half a second with an occasional long pause; backchannels
are placed inside the turn they answer; an interrupting turn starts before the turn it
cuts off has ended. ASR exports (WhisperX, AssemblyAI) get word timings and, for some
meetings, lower-case unpunctuated text.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from typing import Any

from coachloop.model import Word
from coachloop.sim.conversation import Turn

_PUNCT = re.compile(r"[^\w\s'%$-]|(?<!\w)-|-(?!\w)|—")


def asr_style(text: str) -> str:
    """What a raw ASR engine gives back: lower case, no punctuation."""
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def _word_times(
    words: Sequence[str], start: float, end: float, rng: random.Random
) -> tuple[Word, ...]:
    weights = [len(w) + 2.0 for w in words]
    total = sum(weights)
    span = end - start
    out: list[Word] = []
    t = start
    for w, wt in zip(words, weights, strict=True):
        d = span * wt / total
        out.append(Word(w, round(t, 3), round(t + d * 0.92, 3), round(rng.uniform(0.72, 0.999), 3)))
        t += d
    return tuple(out)


def place_turns(
    turns: Sequence[Turn],
    *,
    labels: dict[str, str],
    rates: dict[str, float],
    rng: random.Random,
    with_words: bool = False,
    asr_text: bool = False,
) -> list[dict[str, Any]]:
    """Rows for :func:`coachloop.model.build_meeting`, in start-time order."""
    rows: list[dict[str, Any]] = []
    t = round(rng.uniform(0.4, 2.5), 3)
    prev: dict[str, Any] | None = None
    for turn in turns:
        text = asr_style(turn.text) if asr_text else turn.text
        if not text:
            continue
        n = len(text.split())
        rate = rates[turn.who] * rng.uniform(0.88, 1.12)
        dur = n / rate + 0.18 * text.count(".") + 0.15
        if turn.overlap == "backchannel" and prev is not None:
            start = prev["start"] + (prev["end"] - prev["start"]) * rng.uniform(0.35, 0.8)
            end = start + min(dur, rng.uniform(0.35, 0.8))
            row = {
                "speaker": labels[turn.who],
                "start": round(start, 3),
                "end": round(end, 3),
                "text": text,
            }
            rows.append(row)
            continue  # a backchannel does not move the floor
        if turn.overlap == "interrupt" and prev is not None:
            start = max(prev["start"] + 0.2, prev["end"] - rng.uniform(0.25, 0.9))
        else:
            gap = math.exp(rng.gauss(math.log(0.45), 0.55))
            if rng.random() < 0.04:
                gap += rng.uniform(1.5, 4.0)  # thinking pause
            start = t + gap
        end = start + dur
        row = {
            "speaker": labels[turn.who],
            "start": round(start, 3),
            "end": round(end, 3),
            "text": text,
        }
        rows.append(row)
        prev = row
        t = end
    rows.sort(key=lambda r: r["start"])
    if with_words:
        for row in rows:
            row["words"] = _word_times(row["text"].split(), row["start"], row["end"], rng)
    return rows
