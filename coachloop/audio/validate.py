"""Validation with audio made here: scripted 1:1s spoken by espeak-ng in two voices.

A script is a list of turns; each turn is synthesised by ``espeak-ng`` in its
speaker's voice and placed on a timeline — after a short pause, or, for an
interruption, starting :data:`OVERLAP_S` seconds before the other person has
finished. The tracks are mixed in numpy at exact sample offsets (so the truth is
known to the sample) and written as: one WAV per speaker, one stereo WAV (a person
per channel) and one mono mix. Each is run through the pipeline and compared with
the script:

* **WER** — word error rate of all recognised words (time order) against the script
  (lower-cased, punctuation removed), by Levenshtein alignment;
* **speaker attribution** — of the words recognised correctly, the share given to
  the right speaker (for the mixed track, under the better of the two label
  mappings);
* **overlap recall** — of the scripted interruptions, the share found as a real
  overlap: an utterance by the interrupter, starting within 1.5 s of the scripted
  start, while an utterance of the other speaker is still going on;
* **interruption recall** — of the scripted interruptions, the share where the
  pipeline's meeting has an utterance by the interrupter, starting within 1.5 s of
  the scripted start, that ``coachloop.acts`` tags ``interruption``; precision
  counts the tagged interruptions that match a scripted one;
* **possible-interruption recall** (mixed track only) — the same matching against
  ``Meeting.meta["possible_interruptions"]``, the no-gap speaker changes a mixed
  track leaves where two people talked at once.

Run ``python -m coachloop.audio.validate`` (or ``coachloop validate-audio``); it needs
``espeak-ng`` on the PATH and the ``audio`` extra.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import permutations
from pathlib import Path
from typing import Any

import numpy as np

from coachloop.audio.decode import SAMPLE_RATE, decode_audio
from coachloop.errors import ConfigError
from coachloop.model import Meeting

__all__ = [
    "SCRIPTS",
    "VOICES",
    "Rendered",
    "Turn",
    "render_script",
    "run_validation",
    "score_meeting_against",
    "word_error_rate",
]

OVERLAP_S = 1.2
PAUSE_S = 0.6
#: espeak-ng arguments per speaker. ``distinct``: a low male and a higher female voice;
#: ``similar``: two male voices 5 pitch steps apart with different accents — the hard case
#: for a voiceprint that is not a neural embedding.
VOICE_SETS: dict[str, dict[str, list[str]]] = {
    "distinct": {
        "Manager": ["-v", "en-us", "-p", "35", "-s", "150"],
        "Rep": ["-v", "en-us+f2", "-p", "65", "-s", "155"],
    },
    "similar": {
        "Manager": ["-v", "en-us", "-p", "45", "-s", "150"],
        "Rep": ["-v", "en-gb", "-p", "50", "-s", "160"],
    },
}
VOICES = VOICE_SETS["distinct"]


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str
    interrupts: bool = False


def _t(spec: str) -> list[Turn]:
    out = []
    for line in spec.strip().splitlines():
        who, text = line.split(":", 1)
        cut = who.endswith("!")
        out.append(Turn(who.rstrip("!").strip(), text.strip(), cut))
    return out


#: Scripted 1:1s. ``Name!:`` marks a turn that starts over the previous one.
SCRIPTS: dict[str, list[Turn]] = {
    "pipeline-review": _t("""
Manager: Thanks for making time today. How did the week go for you?
Rep: Pretty good overall. I closed the renewal with the hospital group on Tuesday.
Manager: That is great news. What do you think made the difference this time?
Rep: I think it was the pilot. We let them try the product with one team first and the results were strong.
Manager!: So you should do that with every account from now on.
Rep: Maybe, but the pilot took three weeks of my time and I could not work on anything else.
Manager: Fair point. Walk me through what you would change next time.
Rep: I would agree the success criteria before we start, so the pilot ends on a clear date.
Manager: Good. What is the biggest risk in your pipeline right now?
Rep: The logistics deal. Their budget moved to next quarter and I have not heard back from the director.
Manager!: Send her a note today and ask for a call this week.
Rep: I can do that. I will also copy the finance lead, who liked our proposal.
"""),
    "feedback": _t("""
Manager: I listened to the recording of your demo with the bank on Monday.
Rep: Oh good. How did it sound to you?
Manager: You opened with a question about their goals, and that set up the whole call well.
Rep: Thanks. I tried the opening we practised last month and it felt natural.
Manager: When they asked about security you answered for four minutes without stopping.
Rep: I know. I was nervous because their architect kept taking notes and I wanted to cover everything.
Manager!: Next time ask what worries them first.
Rep!: Right, and then answer only that part.
Manager: Exactly. What would help you prepare for the follow-up?
Rep: A short list of the three questions banks ask most, with the answers our security team approved.
Manager!: I will send you that list tomorrow morning.
Rep: Perfect, thank you.
"""),
    "short": _t("""
Manager: How did the call with the new customer go yesterday?
Rep: It went well. They want a proposal by the end of next week.
Manager!: Good, then let us plan the pricing together tomorrow.
Rep: Sure. I will bring the numbers from the last three deals.
"""),
}


@dataclass
class Rendered:
    """A synthesised 1:1: the files made and the truth (per-word times come from turns)."""

    directory: Path
    tracks: dict[str, Path]
    stereo: Path
    mixed: Path
    turns: list[tuple[Turn, float, float]] = field(default_factory=list)  # (turn, start, end)
    duration: float = 0.0


def _need_espeak() -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise ConfigError(
            "audio validation needs espeak-ng to speak the scripts",
            hint="install it: apt-get install espeak-ng (scripts/system-deps.sh does)",
        )
    return exe


def _speak(exe: str, text: str, voice: Sequence[str], out: Path) -> np.ndarray:
    subprocess.run([exe, *voice, "-w", str(out), text], check=True, capture_output=True)
    samples = decode_audio(out).mono()
    # trim espeak's leading/trailing silence so scripted times are speech times
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0] : loud[-1] + 1] if loud.size else samples


def _write_wav(path: Path, samples: np.ndarray) -> None:
    data = np.clip(samples, -1.0, 1.0)
    pcm = (data * 32767).astype("<i2")
    channels = 1 if pcm.ndim == 1 else pcm.shape[0]
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(channels)
        fh.setsampwidth(2)
        fh.setframerate(SAMPLE_RATE)
        fh.writeframes((pcm if pcm.ndim == 1 else pcm.T).tobytes())


def render_script(
    turns: Sequence[Turn],
    directory: Path,
    *,
    name: str = "one-on-one",
    voices: dict[str, list[str]] | None = None,
) -> Rendered:
    """Speak ``turns`` into per-speaker, stereo and mixed WAV files under ``directory``."""
    exe = _need_espeak()
    directory.mkdir(parents=True, exist_ok=True)
    speakers = list(dict.fromkeys(t.speaker for t in turns))
    if len(speakers) != 2:
        raise ConfigError(f"a script needs two speakers, got {speakers}")
    clips = []
    for i, turn in enumerate(turns):
        table = voices or VOICES
        voice = table.get(turn.speaker, table[list(table)[speakers.index(turn.speaker)]])
        clips.append(_speak(exe, turn.text, voice, directory / f".turn{i}.wav"))
        (directory / f".turn{i}.wav").unlink()
    placed: list[tuple[Turn, float, float]] = []
    cursor = 0.5
    for turn, clip in zip(turns, clips, strict=True):
        length = clip.size / SAMPLE_RATE
        own = [e for t, _, e in placed if t.speaker == turn.speaker]
        if turn.interrupts and placed:
            # over the other person's talk, but never over one's own previous turn
            start = max(
                placed[-1][1] + 0.3,
                placed[-1][2] - OVERLAP_S,
                (own[-1] + PAUSE_S) if own else 0.0,
            )
        else:
            start = (placed[-1][2] + PAUSE_S) if placed else cursor
        placed.append((turn, round(start, 3), round(start + length, 3)))
    total = int((max(e for _, _, e in placed) + 0.5) * SAMPLE_RATE)
    tracks = {s: np.zeros(total, dtype=np.float32) for s in speakers}
    for (turn, start, _end), clip in zip(placed, clips, strict=True):
        i = int(start * SAMPLE_RATE)
        tracks[turn.speaker][i : i + clip.size] += clip
    files = {}
    for s in speakers:
        files[s] = directory / f"{name}_{s}.wav"
        _write_wav(files[s], tracks[s] * 0.8)
    stereo = directory / f"{name}_stereo.wav"
    _write_wav(stereo, np.stack([tracks[s] for s in speakers]) * 0.8)
    mixed = directory / f"{name}_mixed.wav"
    _write_wav(mixed, (tracks[speakers[0]] + tracks[speakers[1]]) * 0.45)
    return Rendered(directory, files, stereo, mixed, placed, total / SAMPLE_RATE)


# -- metrics -------------------------------------------------------------------------
_TOKEN = re.compile(r"[a-z0-9']+")


def _norm(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("-", " "))


def _align(ref: Sequence[str], hyp: Sequence[str]) -> tuple[int, list[tuple[int, int]]]:
    """(edit distance, pairs of equal words (ref index, hyp index)) by Levenshtein."""
    n, m = len(ref), len(hyp)
    d = np.zeros((n + 1, m + 1), dtype=np.int32)
    d[:, 0] = np.arange(n + 1)
    d[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i, j] = min(
                d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1])
            )
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if ref[i - 1] == hyp[j - 1] and d[i, j] == d[i - 1, j - 1]:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif d[i, j] == d[i - 1, j - 1] + 1:
            i, j = i - 1, j - 1
        elif d[i, j] == d[i - 1, j] + 1:
            i -= 1
        else:
            j -= 1
    return int(d[n, m]), pairs[::-1]


def word_error_rate(ref: Sequence[str], hyp: Sequence[str]) -> float:
    return _align(ref, hyp)[0] / max(1, len(ref))


def _ref_words(turns: Sequence[tuple[Turn, float, float]]) -> list[tuple[str, str, float]]:
    """(word, speaker, time) for the script, words spread evenly over each turn."""
    out = []
    for turn, start, end in turns:
        words = _norm(turn.text)
        step = (end - start) / max(1, len(words))
        out += [(w, turn.speaker, start + (k + 0.5) * step) for k, w in enumerate(words)]
    return sorted(out, key=lambda x: x[2])


def _hyp_words(meeting: Meeting) -> list[tuple[str, str, float]]:
    out = []
    for u in meeting.utterances:
        for w in u.words:
            out += [(tok, u.speaker, (w.start + w.end) / 2) for tok in _norm(w.text)]
    return sorted(out, key=lambda x: x[2])


def score_meeting_against(meeting: Meeting, rendered: Rendered) -> dict[str, Any]:
    """WER, speaker attribution and interruption recall/precision of ``meeting``."""
    from coachloop.acts import tag_meeting

    ref = _ref_words(rendered.turns)
    hyp = _hyp_words(meeting)
    dist, pairs = _align([w for w, _, _ in ref], [w for w, _, _ in hyp])
    ref_speakers = list(dict.fromkeys(t.speaker for t, _, _ in rendered.turns))
    hyp_speakers = [s.label for s in meeting.speakers]
    best: dict[str, str] = {}
    best_hits = -1
    for perm in permutations(ref_speakers, min(len(ref_speakers), len(hyp_speakers))):
        mapping = dict(zip(hyp_speakers, perm, strict=False))
        hits = sum(mapping.get(hyp[j][1]) == ref[i][1] for i, j in pairs)
        if hits > best_hits:
            best, best_hits = mapping, hits
    acts = tag_meeting(meeting)
    tagged = [
        u for u, a in zip(meeting.utterances, acts, strict=True)
        if "interruption" in a and "backchannel" not in a
    ]  # fmt: skip
    scripted = [(t, s) for t, s, _ in rendered.turns if t.interrupts]
    found = 0
    matched_hyp: set[int] = set()
    for turn, start in scripted:
        for u in tagged:
            if best.get(u.speaker) == turn.speaker and abs(u.start - start) <= 1.5:
                found += 1
                matched_hyp.add(u.index)
                break
    overlapped = 0
    for turn, start in scripted:
        for u in meeting.utterances:
            if best.get(u.speaker) != turn.speaker or abs(u.start - start) > 1.5:
                continue
            if any(
                v.speaker != u.speaker and v.start < u.start < (v.end or v.start)
                for v in meeting.utterances
            ):
                overlapped += 1
                break
    possible = [meeting.utterances[i] for i in meeting.meta.get("possible_interruptions", [])]
    cue_hits = sum(
        any(best.get(u.speaker) == turn.speaker and abs(u.start - start) <= 1.5 for u in possible)
        for turn, start in scripted
    )
    return {
        "ref_words": len(ref),
        "wer": round(dist / max(1, len(ref)), 3),
        "speaker_accuracy": round(best_hits / max(1, len(pairs)), 3),
        "interruptions_scripted": len(scripted),
        "overlap_recall": round(overlapped / len(scripted), 3) if scripted else None,
        "interruption_recall": round(found / len(scripted), 3) if scripted else None,
        "interruptions_tagged": len(tagged),
        "interruption_precision": round(len(matched_hyp) / len(tagged), 3) if tagged else None,
        "possible_interruptions": len(possible)
        if "possible_interruptions" in meeting.meta
        else None,
        "possible_interruption_recall": (
            round(cue_hits / len(scripted), 3)
            if scripted and "possible_interruptions" in meeting.meta
            else None
        ),
        "speakers_uncertain": meeting.meta.get("speakers_uncertain"),
        "low_confidence_utterances": len(meeting.meta.get("low_confidence_utterances", [])),
        "utterances": len(meeting.utterances),
    }


def run_validation(
    *,
    scripts: Sequence[str] | None = None,
    voices: Sequence[str] | None = None,
    directory: Path | None = None,
    model: str | None = None,
    paths: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Render each script in each voice set and run it through every path (or ``paths``).

    One result row per (script, voices, path).
    """
    from coachloop.audio import transcribe_mixed, transcribe_tracks

    rows = []
    names = list(scripts) if scripts else list(SCRIPTS)
    voice_sets = list(voices) if voices else list(VOICE_SETS)
    with tempfile.TemporaryDirectory(prefix="coachloop-audio-") as tmp:
        base = directory or Path(tmp)
        for name, vs in [(n, v) for v in voice_sets for n in names]:
            r = render_script(
                SCRIPTS[name], base / f"{name}-{vs}", name=name, voices=VOICE_SETS[vs]
            )
            speakers = list(r.tracks)
            runs: dict[str, Callable[[], Meeting]] = {
                "tracks": partial(
                    transcribe_tracks, [r.tracks[x] for x in speakers], names=speakers, model=model
                ),
                "stereo": partial(transcribe_tracks, [r.stereo], names=speakers, model=model),
                "mixed": partial(transcribe_mixed, r.mixed, model=model),
            }
            for path, run in runs.items():
                if paths and path not in paths:
                    continue
                t0 = time.perf_counter()
                meeting = run()
                took = time.perf_counter() - t0
                rows.append(
                    {
                        "script": name,
                        "voices": vs,
                        "path": path,
                        "diarisation": meeting.meta.get("diarisation"),
                        "audio_s": round(r.duration, 1),
                        "seconds": round(took, 1),
                        "rtf": round(took / r.duration, 3),
                        **score_meeting_against(meeting, r),
                    }
                )
    return rows


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    cols = [
        ("script", "script"), ("voices", "voices"), ("path", "path"), ("audio_s", "audio s"), ("wer", "WER"),
        ("speaker_accuracy", "speaker acc."), ("overlap_recall", "overlap recall"), ("interruption_recall", "interr. recall"),
        ("interruption_precision", "interr. precision"),
        ("possible_interruption_recall", "possible-interr. recall"),
        ("possible_interruptions", "possible interr."),
        ("low_confidence_utterances", "low-conf. turns"),
        ("speakers_uncertain", "flagged uncertain"),
        ("rtf", "RTF"),
    ]  # fmt: skip
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for row in rows:
        lines.append(
            "| " + " | ".join("—" if row[k] is None else str(row[k]) for k, _ in cols) + " |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m coachloop.audio.validate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--script", action="append", choices=sorted(SCRIPTS), help="script(s) to run (default: all)"
    )
    parser.add_argument(
        "--voices", action="append", choices=sorted(VOICE_SETS), help="voice set(s) (default: all)"
    )
    parser.add_argument(
        "--path",
        action="append",
        choices=["tracks", "stereo", "mixed"],
        help="path(s) to run (default: all); COACHLOOP_DIARISER=voiceprint runs the mixed "
        "track with the fallback voiceprint",
    )
    parser.add_argument("--keep", type=Path, help="keep the synthesised audio in this directory")
    parser.add_argument("--json", action="store_true", help="JSON rows instead of a Markdown table")
    parser.add_argument(
        "--model", help="whisper model (default: COACHLOOP_WHISPER_MODEL or the packaged tiny.en)"
    )
    args = parser.parse_args(argv)
    rows = run_validation(
        scripts=args.script,
        voices=args.voices,
        directory=args.keep,
        model=args.model,
        paths=args.path,
    )
    sys.stdout.write((json.dumps(rows, indent=2) if args.json else markdown_table(rows)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
