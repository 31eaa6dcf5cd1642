"""Throughput of the act tagger in words per second (one core).

    .venv/bin/python bench/bench_acts.py [--utterances 20000] [--repeat 3]

Builds a synthetic 1:1 from a fixed mix of punctuated and unpunctuated lines (no data
files), tags it with ``tag_meeting`` and prints the best of ``--repeat`` runs, in CPU
time of this process (the machine is shared; wall time would measure the neighbours).
``--asr`` lower-cases the lines and strips punctuation, so the learned question model
runs too.
"""

from __future__ import annotations

import argparse
import random
import time

from coachloop.acts import tag_meeting
from coachloop.model import build_meeting

LINES = [
    "So walk me through what happened on the Acme call last Tuesday.",
    "Yeah.",
    "They pushed back on price pretty hard at about minute twenty and I kind of folded.",
    "Don't you think you should have anchored on the business case first?",
    "mm-hmm",
    "You need to get the CFO in the room before we talk discount.",
    "Good job on the follow-up email, it was tight and you sent it within an hour.",
    "so what did they say when you asked about the timeline",
    "i think they said q3 but honestly i'm not sure it's real",
    "The team average is three stakeholders per deal and you're at one.",
    "I'll take the Thursday forecast call off your calendar so you can prep.",
    "right",
    "and then um they wanted to loop in procurement before the end of the month",
    "That was great.",
    "We lost Globex, the deal slipped twice and then went dark.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--asr", action="store_true", help="unpunctuated lower-case text")
    args = parser.parse_args()
    rng = random.Random(7)
    rows = []
    t = 0.0
    for i in range(args.utterances):
        text = rng.choice(LINES)
        if args.asr:
            text = "".join(c for c in text.lower() if c.isalnum() or c in " '-")
        dur = 0.3 * len(text.split())
        rows.append({"speaker": "MR"[i % 2], "start": t, "end": t + dur, "text": text})
        t += dur + rng.uniform(-0.5, 1.0) if dur > 1 else dur + 0.2
        t = max(t, rows[-1]["start"])
    meeting = build_meeting(id="bench", rows=rows)
    words = sum(len(r["text"].split()) for r in rows)
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.process_time()
        tag_meeting(meeting)
        best = min(best, time.process_time() - t0)
    mode = "unpunctuated" if args.asr else "punctuated"
    print(f"tag_meeting ({mode}): {words} words in {best:.3f} s = {words / best:,.0f} words/s")


if __name__ == "__main__":
    main()
