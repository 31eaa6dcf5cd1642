"""``coachloop transcribe`` and ``coachloop validate-audio``: recorded audio to transcripts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from coachloop.cli.common import handle_errors, report_error, warn

if TYPE_CHECKING:
    from coachloop.model import Meeting


class TranscriptFormat(StrEnum):
    vtt = "vtt"
    whisperx = "whisperx"
    both = "both"


def write_outputs(
    meeting: Meeting, stem: str, directory: Path, fmt: TranscriptFormat
) -> list[Path]:
    """Write the meeting as WebVTT (``<v Speaker>`` cues) and/or WhisperX JSON."""
    from coachloop.audio.output import transcript_text
    from coachloop.errors import InputError

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the output folder: {exc.strerror}", file=directory
        ) from None
    out = []
    if fmt in (TranscriptFormat.vtt, TranscriptFormat.both):
        out.append((directory / f"{stem}.vtt", transcript_text(meeting, "vtt")))
    if fmt in (TranscriptFormat.whisperx, TranscriptFormat.both):
        out.append((directory / f"{stem}.whisperx.json", transcript_text(meeting, "whisperx")))
    for path, text in out:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", file=path) from None
    return [p for p, _ in out]


def _summary(meeting: Meeting) -> str:
    how = meeting.meta.get("diarisation")
    low = meeting.meta.get("low_confidence_utterances") or []
    names = ", ".join(s.label for s in meeting.speakers)
    text = f"{len(meeting.utterances)} turns, speakers {names}, {how}"
    if low:
        text += f", {len(low)} turn(s) with an uncertain speaker"
    if meeting.meta.get("speakers_uncertain"):
        text += (
            "; WARNING: the two voices are hard to tell apart, so who said what is "
            "unreliable (record one track per speaker for exact speakers)"
        )
    return text


def register(app: typer.Typer) -> None:
    @app.command("transcribe")
    def transcribe_cmd(
        files: list[Path] = typer.Argument(
            ..., metavar="AUDIO...", help="Recordings (WAV, MP3, M4A, MP4, WebM…)."
        ),
        tracks: bool = typer.Option(
            False,
            "--tracks",
            help="The files are one meeting's per-speaker tracks (or one stereo file, a person per channel).",
        ),
        output: Path | None = typer.Option(
            None,
            "--output",
            "-d",
            help="Folder for the transcripts (default: next to each recording).",
        ),
        fmt: TranscriptFormat = typer.Option(
            TranscriptFormat.both,
            "--format",
            help="vtt (WebVTT with speakers), whisperx (JSON with word times) or both.",
        ),
        speaker: list[str] = typer.Option(
            [],
            "--speaker",
            "-s",
            help="With --tracks: the speaker of each track, in order (default: from the file names).",
        ),
        model: str | None = typer.Option(
            None,
            "--model",
            help="Whisper model: a local CTranslate2 directory or a name (default: COACHLOOP_WHISPER_MODEL, else the packaged tiny.en).",
        ),
    ) -> None:
        """Transcribe recorded 1:1s offline, with who spoke when and word times.

        Each recording becomes a transcript the other commands read (score, ingest,
        inspect). Per-speaker tracks (--tracks) give exact speakers and real overlaps;
        a mixed recording is split into two speakers by voice, and turns whose speaker
        is uncertain are listed in the meeting's metadata. A stereo file with one
        person per channel is detected and split by channel.

        Example: coachloop transcribe 1on1.m4a --output transcripts/ && coachloop score transcripts/1on1.vtt -m SPEAKER_00
        """
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        from coachloop.cli.common import err_console

        if speaker and not tracks:
            with handle_errors():
                from coachloop.errors import InputError

                raise InputError("--speaker names tracks; use it with --tracks")
        failed = 0
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        ) as progress:

            def run(label: str, work: Any) -> Meeting | None:
                from coachloop.errors import CoachloopError

                task = progress.add_task(label, total=None)

                def tick(done: float, total: float) -> None:
                    progress.update(task, completed=done, total=total)

                try:
                    result: Meeting = work(tick)
                    return result
                except CoachloopError as exc:
                    report_error(exc)
                    return None
                finally:
                    progress.remove_task(task)

            from coachloop.audio import read_audio, tracks_stem, transcribe_tracks

            jobs: list[tuple[Path, Any]] = []
            if tracks:
                jobs.append(
                    (
                        files[0],
                        lambda tick: transcribe_tracks(
                            files, names=speaker or None, model=model, progress=tick
                        ),
                    )
                )
            else:
                jobs += [
                    (f, lambda tick, f=f: read_audio(f, model=model, progress=tick)) for f in files
                ]
            for path, work in jobs:
                label = (
                    f"transcribing {len(files)} tracks" if tracks else f"transcribing {path.name}"
                )
                meeting = run(label, work)
                if meeting is None:
                    failed += 1
                    continue
                stem = tracks_stem(files) if tracks else path.stem
                with handle_errors():
                    written = write_outputs(meeting, stem, output or path.parent, fmt)
                warn(f"{path}: {_summary(meeting)}")
                for p in written:
                    typer.echo(str(p))
        if failed:
            raise typer.Exit(2)

    AUDIO_BEGIN = "<!-- audio-validation:begin -->"
    AUDIO_END = "<!-- audio-validation:end -->"

    @app.command("validate-audio")
    def validate_audio_cmd(
        script: list[str] = typer.Option([], "--script", help="Script(s) to run (default: all)."),
        voices: list[str] = typer.Option(
            [], "--voices", help="Voice set(s): distinct, similar (default: both)."
        ),
        keep: Path | None = typer.Option(
            None, "--keep", help="Keep the synthesised audio in this folder."
        ),
        json_out: bool = typer.Option(
            False, "--json", help="JSON rows instead of a Markdown table."
        ),
        model: str | None = typer.Option(
            None, "--model", help="Whisper model (default: the packaged tiny.en)."
        ),
        write: Path | None = typer.Option(
            None,
            "--write",
            help="Rewrite the table between the audio-validation markers of this Markdown "
            "file (docs/validation.md).",
        ),
    ) -> None:
        """Measure the audio pipeline on scripted 1:1s spoken by espeak-ng in two voices.

        Prints word error rate, speaker attribution accuracy and interruption recall for
        per-speaker tracks, a stereo file and a mixed track (docs/audio.md, Validation).

        Example: coachloop validate-audio --script short --voices distinct
        """
        from coachloop.audio.validate import SCRIPTS, VOICE_SETS, markdown_table, run_validation
        from coachloop.cli.common import emit_json

        with handle_errors():
            unknown = sorted(set(script) - set(SCRIPTS))
            if unknown:
                from coachloop.errors import ConfigError

                raise ConfigError(
                    f"unknown script(s) {unknown}", hint="choose from: " + ", ".join(SCRIPTS)
                )
            bad_voices = sorted(set(voices) - set(VOICE_SETS))
            if bad_voices:
                from coachloop.errors import ConfigError

                raise ConfigError(
                    f"unknown voice set(s) {bad_voices}",
                    hint="choose from: " + ", ".join(VOICE_SETS),
                )
            rows = run_validation(
                scripts=script or None, voices=voices or None, directory=keep, model=model
            )
        if write is not None:
            import datetime
            import os

            from coachloop.cli.common import err_console, write_between_markers

            load = os.getloadavg()[0]
            when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
            body = (
                f"Generated by `coachloop validate-audio --write {write}` on {when} "
                f"(load average {load:.1f} on {os.cpu_count()} cores; RTF is wall time).\n\n"
                + markdown_table(rows)
                + "\n"
            )
            write_between_markers(write, AUDIO_BEGIN, AUDIO_END, body)
            err_console.print(f"wrote {write}")
        elif json_out:
            emit_json(rows)
        else:
            typer.echo(markdown_table(rows))
