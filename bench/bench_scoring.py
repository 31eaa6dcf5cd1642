"""End-to-end scoring throughput (words/s on one core) and peak memory at 1x and 10x corpus.

    .venv/bin/python bench/bench_scoring.py [--meetings 60] [--scale 10] [--format zoom-vtt]

1. Generates a synthetic corpus of 1:1 transcripts (seeded, written with
   ``coachloop.readers.writers.write_transcript``) into a temporary directory — never
   committed, deleted afterwards. ``--meetings`` is the 1x size; the 10x corpus repeats
   the generator with more seeds.
2. For each corpus, in a fresh single-threaded subprocess, runs
   * ``floor``: read each file and split it into word tokens, nothing else;
   * ``full``: ``read_transcript`` + ``assign_roles`` + ``tag_meeting`` +
     ``score_meeting`` (signals, behaviour scores) + ``Scorecard.to_dict``, one file at
     a time, with the CPU time of each stage;
   and reports words per CPU-second of that one process (words = words of utterance
   text in the corpus; CPU time, so other load on the machine does not count), the
   wall time, and the subprocess's peak RSS.
3. With ``--mrda PATH`` (the ICSI MRDA data set, e.g. ../shared/datasets/mrda), also
   measures the 75 real MRDA meetings written out the same way.
4. Prints a table and a JSON line (``--json`` for JSON only).

``docs/performance.md`` ("Scoring throughput") records the command and its output.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MANAGER_LINES = [
    "So walk me through what happened on the Acme call last Tuesday.",
    "How did discovery go with Globex?",
    "What would you do differently in the pricing conversation next time?",
    "Did they agree to a next step?",
    "Tell me about the objection they raised on security.",
    "Next time, ask about the budget owner in the first ten minutes of discovery.",
    "You need to get the CFO in the room before we talk discount.",
    "Hold the line on the discount and trade it for a longer contract.",
    "Good job.",
    "That was great.",
    "On Tuesday's Initech call you asked three good questions about their reporting pain.",
    "The team average is three stakeholders per deal and you're at one.",
    "Our top reps book a next step on eight of ten first calls.",
    "We lost Umbrella, the deal slipped twice and then went dark.",
    "mm-hmm",
    "right",
    "I'll take the Thursday forecast call off your calendar so you can prep.",
    "so what did they say when you asked about the timeline",
]
REP_LINES = [
    "They pushed back on price pretty hard at about minute twenty and I kind of folded.",
    "i think they said q3 but honestly i'm not sure it's real",
    "and then um they wanted to loop in procurement before the end of the month",
    "I asked about their current process and they said it's mostly spreadsheets.",
    "Yeah.",
    "The demo went fine but the champion left early.",
    "I wasn't sure whether to push for a next meeting or send the deck first.",
    "Their CTO is worried about the migration and the security review.",
    "okay that makes sense",
    "I can try that on the call tomorrow.",
]
TOKEN = re.compile(r"[A-Za-z0-9']+")


# -- corpus ------------------------------------------------------------------------------


#: Formats whose exports carry word times (the corpus gets evenly spaced words).
WORD_TIMED = ("whisperx", "whisper", "assemblyai", "deepgram")


def make_meeting(seed: int, minutes: float, *, timed: bool = False) -> tuple[object, int]:
    from coachloop.model import Role, Speaker, Word, build_meeting

    rng = random.Random(seed)
    rows = []
    t = 0.0
    words = 0
    i = 0
    while t < minutes * 60:
        manager = i % 2 == 0
        pool = MANAGER_LINES if manager else REP_LINES
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 2 if manager else 3)))
        n = len(text.split())
        dur = n / 2.6
        row: dict[str, object] = {
            "speaker": "Ana Ruiz" if manager else "Bo Lee",
            "start": round(t, 2),
            "end": round(t + dur, 2),
            "text": text,
        }
        if timed:
            step = dur / n
            row["words"] = tuple(
                Word(text=w, start=round(t + k * step, 3), end=round(t + (k + 0.85) * step, 3))
                for k, w in enumerate(text.split())
            )
        rows.append(row)
        words += n
        t = max(t + dur + rng.uniform(-0.8, 1.5), rows[-1]["start"] + 0.1)
        i += 1
    meeting = build_meeting(
        id=f"bench-{seed}",
        rows=rows,
        speakers=[Speaker("Ana Ruiz", role=Role.MANAGER), Speaker("Bo Lee", role=Role.REP)],
    )
    return meeting, words


def write_corpus(directory: Path, meetings: int, fmt: str, seed0: int = 0) -> int:
    from coachloop.readers.writers import write_transcript

    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    utterances = 0
    suffix = {"zoom-vtt": ".vtt", "teams-vtt": ".vtt", "srt": ".srt"}.get(fmt, ".txt")
    if fmt in WORD_TIMED:
        suffix = ".json"
    managers: dict[str, str] = {}
    for k in range(meetings):
        meeting, words = make_meeting(
            seed0 + k, minutes=random.Random(k).uniform(25, 45), timed=fmt in WORD_TIMED
        )
        path = directory / f"m{k:05d}{suffix}"
        path.write_text(write_transcript(meeting, fmt), encoding="utf-8")
        if fmt in WORD_TIMED:  # diarised exports label speakers SPEAKER_00…; Ana starts
            from coachloop.readers import read_transcript

            managers[path.name] = read_transcript(path).utterances[0].speaker
        total += words
        utterances += len(meeting.utterances)  # type: ignore[attr-defined]
    (directory / "manifest.json").write_text(
        json.dumps(
            {"words": total, "meetings": meetings, "utterances": utterances, "managers": managers}
        )
    )
    return total


def write_mrda_corpus(directory: Path, mrda: Path, fmt: str) -> int:
    """Real meetings: every ICSI MRDA meeting (``<mrda>/database/*.dadb``) as a ``fmt``
    export, its most talkative speaker standing in as the manager. MRDA segments are
    short (research meetings, lower-case ASR-style text), the hard case per word.
    ``whisperx`` keeps the word times, so the tagger takes its boosted path (word-timing
    features + LightGBM); ``zoom-vtt`` has utterance times only."""
    from collections import Counter

    from coachloop.readers import read_transcript
    from coachloop.readers.writers import write_transcript
    from coachloop.validation.mrda import read_segments, to_meeting

    directory.mkdir(parents=True, exist_ok=True)
    total = utterances = 0
    managers: dict[str, str] = {}
    paths = sorted((mrda / "database").glob("*.dadb"))
    if not paths:
        sys.exit(f"bench_scoring: no {mrda}/database/*.dadb files")
    for path in paths:
        segs = read_segments(path)  # the validation's reader: sorted, untimed words skipped
        talk: Counter[str] = Counter()
        for seg in segs:
            talk[seg.speaker] += seg.end - seg.start
        meeting = to_meeting(path.stem, segs, words=fmt == "whisperx")
        name = f"{path.stem}.json" if fmt == "whisperx" else f"{path.stem}.vtt"
        (directory / name).write_text(write_transcript(meeting, fmt), encoding="utf-8")
        managers[name] = talk.most_common(1)[0][0]
        if fmt == "whisperx":  # the writer labels speakers SPEAKER_00…: read them back
            back = read_transcript(directory / name)
            spoken: Counter[str] = Counter()
            for u in back.utterances:
                spoken[u.speaker] += (u.end or u.start) - u.start
            managers[name] = spoken.most_common(1)[0][0]
        total += sum(len(seg.words) for seg in segs)
        utterances += len(segs)
    (directory / "manifest.json").write_text(
        json.dumps(
            {"words": total, "meetings": len(paths), "utterances": utterances, "managers": managers}
        )
    )
    return total


# -- one measured run (in a subprocess) ------------------------------------------------


def run_mode(mode: str, directory: Path) -> dict[str, float]:
    files = sorted(p for p in directory.iterdir() if p.name != "manifest.json")
    manifest = json.loads((directory / "manifest.json").read_text())
    words = manifest["words"]
    stages = {"read": 0.0, "roles": 0.0, "tag": 0.0, "score": 0.0}
    if mode == "full":
        from coachloop.acts import tag_meeting
        from coachloop.readers import read_transcript
        from coachloop.roles import assign_roles
        from coachloop.scoring import score_meeting
        # imported before the clock starts: import cost is not throughput
    t0 = time.perf_counter()
    c0 = time.process_time()
    checksum = 0
    for path in files:
        if mode == "floor":
            checksum += len(TOKEN.findall(path.read_text(encoding="utf-8")))
        else:
            # the same work as score_meeting(meeting), with the tagger timed on its own
            s0 = time.process_time()
            meeting = read_transcript(path)
            s1 = time.process_time()
            manager = manifest["managers"].get(path.name, "Ana Ruiz")
            meeting = assign_roles(meeting, manager=manager).meeting
            s2 = time.process_time()
            acts = tag_meeting(meeting)
            s3 = time.process_time()
            card = score_meeting(meeting, acts=acts).to_dict()
            s4 = time.process_time()
            for name, dt in zip(stages, (s1 - s0, s2 - s1, s3 - s2, s4 - s3), strict=True):
                stages[name] += dt
            checksum += len(card["behaviors"])
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "mode": mode,
        "files": len(files),
        "words": words,
        "words_per_utterance": round(words / manifest["utterances"], 1),
        "wall_s": round(seconds, 3),
        "cpu_s": round(cpu, 3),
        "words_per_s": round(words / cpu),
        "words_per_wall_s": round(words / seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "stage_cpu_s": {k: round(v, 3) for k, v in stages.items()} if mode == "full" else {},
        "checksum": checksum,
    }


def measure(mode: str, directory: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    out = subprocess.run(
        [sys.executable, __file__, "--run", mode, str(directory)],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode != 0:
        sys.exit(f"bench_scoring: the {mode} run on {directory.name} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=60, help="meetings in the 1x corpus")
    parser.add_argument("--scale", type=int, default=10, help="size of the big corpus (x)")
    parser.add_argument("--format", default="zoom-vtt", help="transcript format to generate")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument(
        "--mrda",
        type=Path,
        help="also measure the 75 real ICSI MRDA meetings (path to the mrda/ data set)",
    )
    parser.add_argument("--run", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_mode(args.run[0], Path(args.run[1]))))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="coachloop-bench-") as tmp:
        for scale in (1, args.scale):
            directory = Path(tmp) / f"x{scale}"
            write_corpus(directory, args.meetings * scale, args.format)
            for mode in ("floor", "full"):
                results.append({"corpus": f"{scale}x", **measure(mode, directory)})
        if args.mrda:
            for corpus, fmt in (("mrda", "zoom-vtt"), ("mrda-wx", "whisperx")):
                directory = Path(tmp) / corpus
                write_mrda_corpus(directory, args.mrda, fmt)
                for mode in ("floor", "full"):
                    results.append({"corpus": corpus, **measure(mode, directory)})
    if args.json:
        print(json.dumps(results))
        return
    print(
        f"{'corpus':>7} {'mode':>5} {'files':>6} {'words':>10} {'cpu s':>7} {'wall s':>7} "
        f"{'words/cpu-s':>12} {'peak RSS MB':>11}"
    )
    for r in results:
        print(
            f"{r['corpus']:>7} {r['mode']:>5} {r['files']:>6} {r['words']:>10} {r['cpu_s']:>7} "
            f"{r['wall_s']:>7} {r['words_per_s']:>12,} {r['peak_rss_mb']:>11}"
        )
    for scale in ("1x", f"{args.scale}x", *(["mrda", "mrda-wx"] if args.mrda else [])):
        floor = next(r for r in results if r["corpus"] == scale and r["mode"] == "floor")
        full = next(r for r in results if r["corpus"] == scale and r["mode"] == "full")
        print(
            f"{scale}: full / floor throughput = {full['words_per_s'] / floor['words_per_s']:.3f}; "
            "full CPU s by stage: " + ", ".join(f"{k} {v}" for k, v in full["stage_cpu_s"].items())
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
