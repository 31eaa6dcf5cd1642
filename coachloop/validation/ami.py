"""AMI speaker-turn timing (``ami/only_words/rttms/<split>/*.rttm``): talk share and overlap.

The truth is the RTTM itself on a 10 ms grid: each speaker's speaking time, and the
share of speech time with two or more speakers. The estimate is what coachloop sees
from a transcript export: each speaker's RTTM segments merged into utterances when
the pause between them is under ``MERGE_GAP_S`` (as caption cues are), talk time from
:meth:`coachloop.model.Meeting.talk_time` (the sum of utterance durations, as the
``talk_share.v1`` signal computes it) and overlap from the utterances' intervals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coachloop.errors import InputError
from coachloop.model import Meeting, build_meeting

MERGE_GAP_S = 1.0
FRAME_S = 0.01
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str
    start: float
    end: float


def read_rttm(path: Path) -> list[Turn]:
    if not path.is_file():
        raise InputError("RTTM file not found", file=path)
    turns = []
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if parts[0] != "SPEAKER" or len(parts) < 8:
            raise InputError("not an RTTM SPEAKER line", file=path, line=lineno)
        start, dur = float(parts[3]), float(parts[4])
        turns.append(Turn(parts[7], start, start + dur))
    turns.sort(key=lambda t: t.start)
    return turns


def rttm_paths(root: Path, split: str) -> list[Path]:
    folder = root / "ami" / "only_words" / "rttms" / split
    if not folder.is_dir():
        raise InputError("AMI RTTM folder not found", file=folder, hint="pass the datasets folder")
    return sorted(folder.glob("*.rttm"))


def merge_turns(turns: list[Turn], gap: float = MERGE_GAP_S) -> list[Turn]:
    """Each speaker's turns joined across pauses shorter than ``gap`` (caption-like cues)."""
    by_spk: dict[str, list[Turn]] = defaultdict(list)
    for t in turns:
        run = by_spk[t.speaker]
        if run and t.start - run[-1].end < gap:
            run[-1] = Turn(t.speaker, run[-1].start, max(run[-1].end, t.end))
        else:
            run.append(t)
    return sorted((t for run in by_spk.values() for t in run), key=lambda t: t.start)


def to_meeting(name: str, turns: list[Turn]) -> Meeting:
    rows = [{"speaker": t.speaker, "start": t.start, "end": t.end, "text": "…"} for t in turns]
    return build_meeting(id=name, rows=rows, source_format="ami-rttm")


def frame_stats(turns: list[Turn]) -> tuple[dict[str, float], float]:
    """Speaking seconds per speaker (overlaps within a speaker counted once) and overlap share."""
    if not turns:
        return {}, 0.0
    n = int(max(t.end for t in turns) / FRAME_S) + 2
    speakers = sorted({t.speaker for t in turns})
    grid = np.zeros((len(speakers), n), dtype=bool)
    row = {s: i for i, s in enumerate(speakers)}
    for t in turns:
        grid[row[t.speaker], round(t.start / FRAME_S) : round(t.end / FRAME_S)] = True
    count = grid.sum(axis=0)
    speech = int((count >= 1).sum())
    overlap = int((count >= 2).sum())
    secs = {s: float(grid[row[s]].sum()) * FRAME_S for s in speakers}
    return secs, (overlap / speech if speech else 0.0)


def evaluate(root: Path, split: str = "test") -> dict[str, float]:
    """Talk-share error (percentage points) and overlap share, truth vs transcript view."""
    errors: list[float] = []
    ov_true: list[float] = []
    ov_est: list[float] = []
    for path in rttm_paths(root, split):
        turns = read_rttm(path)
        secs, overlap = frame_stats(turns)
        total = sum(secs.values())
        merged = merge_turns(turns)
        talk = to_meeting(path.stem, merged).talk_time()
        est_total = sum(talk.values())
        for spk, s in secs.items():
            errors.append(abs(100.0 * talk.get(spk, 0.0) / est_total - 100.0 * s / total))
        ov_true.append(overlap)
        ov_est.append(frame_stats(merged)[1])
    e = np.asarray(errors)
    return {
        "meetings": float(len(ov_true)),
        "speakers": float(len(e)),
        "talk_share_mae_pp": float(e.mean()),
        "talk_share_max_err_pp": float(e.max()),
        "overlap_share_true": float(np.mean(ov_true)),
        "overlap_share_est": float(np.mean(ov_est)),
        "overlap_share_mae_pp": float(100 * np.mean(np.abs(np.subtract(ov_true, ov_est)))),
    }
