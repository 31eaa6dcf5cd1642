"""JSON exports of speech-to-text services: Whisper, WhisperX, AssemblyAI, Deepgram.

Each segment (Whisper/WhisperX), utterance (AssemblyAI, Deepgram ``results.utterances``)
becomes one utterance. A Deepgram response without ``utterances`` has only a word
list per channel; then a run of consecutive words by the same speaker (or, in a
multichannel response, the same channel) is one utterance - the only place a
reader groups anything, because the export has no smaller unit than the word.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from coachloop.errors import FormatError
from coachloop.model import Meeting, Word
from coachloop.readers._common import UNKNOWN_SPEAKER, MeetingBuilder, fail

_NUMBER = (float, int)
#: Larger times are refused (also keeps huge JSON integers from overflowing float()).
_BIG = 1e15
_EXPORT_HINT = "export the transcript again; the file looks damaged or is not this format"


def load_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) - 1
        what = "JSON ends early (truncated file?)" if truncated else f"invalid JSON: {exc.msg}"
        raise FormatError(
            f"{what} at column {exc.colno}",
            file=file,
            line=exc.lineno,
            hint="export the transcript again" if truncated else "fix the JSON syntax",
        ) from None
    except RecursionError:
        raise FormatError("JSON nested too deeply", file=file, hint=_EXPORT_HINT) from None


def classify_json(data: Any) -> str | None:
    """The JSON export family, or None when it is none we know."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("results"), dict) and (
        "channels" in data["results"] or "utterances" in data["results"]
    ):
        return "deepgram"
    if "utterances" in data and ("audio_duration" in data or "words" in data or "id" in data):
        return "assemblyai"
    segs = data.get("segments")
    if isinstance(segs, list):
        if "word_segments" in data:
            return "whisperx"
        for seg in segs[:50]:
            if isinstance(seg, dict) and "speaker" in seg:
                return "whisperx"
            words = seg.get("words") if isinstance(seg, dict) else None
            if isinstance(words, list) and words and isinstance(words[0], dict):
                return "whisperx" if "score" in words[0] else "whisper"
        return "whisper"
    if "utterances" in data:
        return "assemblyai"
    return None


def _num(
    obj: Mapping[str, Any],
    key: str,
    file: str,
    where: str,
    *,
    optional: bool = False,
    scale: float = 1.0,
) -> float | None:
    value = obj.get(key)
    if value is None and optional:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _BIG:
        raise fail(f"{where}.{key} is too large (over 1e15)", file, hint=_EXPORT_HINT)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(f"{where}.{key} must be a number, got {value!r}", file, hint=_EXPORT_HINT)
    if value < 0:
        raise fail(f"{where}.{key} is negative ({value})", file, hint=_EXPORT_HINT)
    return value / scale if scale != 1.0 else float(value)


def _time(obj: Mapping[str, Any], key: str, file: str, where: str, *, scale: float = 1.0) -> float:
    value = _num(obj, key, file, where, scale=scale)
    return 0.0 if value is None else value  # _num only returns None when optional


def _obj(value: Any, file: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise fail(f"{where} must be an object, got {_kind(value)}", file, hint=_EXPORT_HINT)
    return value


def _list(value: Any, file: str, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(f"{where} must be a list, got {_kind(value)}", file, hint=_EXPORT_HINT)
    return value


def _str(value: Any, file: str, where: str) -> str:
    if not isinstance(value, str):
        raise fail(f"{where} must be a string, got {_kind(value)}", file, hint=_EXPORT_HINT)
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def _label(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return UNKNOWN_SPEAKER
    text = str(value).strip()
    return text or UNKNOWN_SPEAKER


def _words(
    raw: Any,
    file: str,
    where: str,
    *,
    text_key: str,
    conf_key: str,
    scale: float = 1.0,
    fallback: float = 0.0,
) -> list[Word]:
    """Word timings. A word the aligner left untimed (WhisperX does this for numbers)
    gets a zero-length time at the end of the word before it, so the count stays right."""
    out: list[Word] = []
    append = out.append
    last = fallback
    for k, w in enumerate(_list(raw, file, f"{where}.words")):
        # Fast path for the well-formed word (all but a handful in a real export); anything
        # unusual falls through to the checks below, which name the place of the problem.
        if type(w) is dict:
            wt: Any = w.get(text_key)
            ws: Any = w.get("start")
            we: Any = w.get("end")
            if (
                type(wt) is str
                and type(ws) in _NUMBER
                and type(we) in _NUMBER
                and 0 <= ws <= we < _BIG
            ):
                wc: Any = w.get(conf_key)
                if scale != 1.0:
                    ws, we = ws / scale, we / scale
                append(
                    Word(
                        wt.strip(), float(ws), float(we), float(wc) if type(wc) in _NUMBER else None
                    )
                )
                last = float(we)
                continue
        wwhere = f"{where}.words[{k}]"
        w = _obj(w, file, wwhere)
        token = w.get(text_key)
        if token is None and text_key == "punctuated_word":
            token = w.get("word")
        token = _str(token, file, f"{wwhere}.{text_key}").strip()
        start = _num(w, "start", file, wwhere, optional=True, scale=scale)
        end = _num(w, "end", file, wwhere, optional=True, scale=scale)
        if start is None or end is None:
            start = end = last
        if end < start:
            raise fail(f"{wwhere}: end {end} is before start {start}", file, hint=_EXPORT_HINT)
        conf = w.get(conf_key)
        conf = float(conf) if isinstance(conf, int | float) and not isinstance(conf, bool) else None
        out.append(Word(text=token, start=start, end=end, confidence=conf))
        last = end
    return out


def read_whisper(data: Any, *, file: str, fmt: str, id: str, title: str) -> Meeting:
    top = _obj(data, file, "the top level")
    segs = _list(top.get("segments"), file, "segments")
    b = MeetingBuilder(file, fmt)
    conf_key = "score" if fmt == "whisperx" else "probability"
    for i, seg in enumerate(segs):
        where = f"segments[{i}]"
        seg = _obj(seg, file, where)
        start = _time(seg, "start", file, where)
        end = _time(seg, "end", file, where)
        text = _str(seg.get("text"), file, f"{where}.text")
        words = (
            _words(seg["words"], file, where, text_key="word", conf_key=conf_key, fallback=start)
            if seg.get("words") is not None
            else []
        )
        b.add(_label(seg.get("speaker")), start, end, text, cue=where, words=words)
    meta: dict[str, Any] = {}
    if isinstance(top.get("language"), str):
        meta["language"] = top["language"]
    return b.build(id=id, title=title, meta=meta)


def read_assemblyai(data: Any, *, file: str, id: str, title: str) -> Meeting:
    top = _obj(data, file, "the top level")
    if top.get("utterances") is None:
        raise fail(
            "no utterances: the transcript was made without speaker labels",
            file,
            hint="request the transcript with speaker_labels=true and export it again",
        )
    b = MeetingBuilder(file, "assemblyai")
    for i, utt in enumerate(_list(top["utterances"], file, "utterances")):
        where = f"utterances[{i}]"
        utt = _obj(utt, file, where)
        start = _time(utt, "start", file, where, scale=1000.0)
        end = _time(utt, "end", file, where, scale=1000.0)
        words = (
            _words(
                utt["words"],
                file,
                where,
                text_key="text",
                conf_key="confidence",
                scale=1000.0,
                fallback=start,
            )
            if utt.get("words") is not None
            else []
        )
        text = _str(utt.get("text"), file, f"{where}.text")
        b.add(_label(utt.get("speaker")), start, end, text, cue=where, words=words)
    meta: dict[str, Any] = {}
    for key in ("id", "language_code", "audio_duration"):
        if isinstance(top.get(key), str | int | float) and not isinstance(top.get(key), bool):
            meta[f"assemblyai_{key}" if key == "id" else key] = top[key]
    return b.build(id=id, title=title, meta=meta)


def read_deepgram(data: Any, *, file: str, id: str, title: str) -> Meeting:
    top = _obj(data, file, "the top level")
    results = _obj(top.get("results"), file, "results")
    raw_meta = top.get("metadata")
    metadata: Mapping[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    channels = results.get("channels")
    n_channels = len(channels) if isinstance(channels, list) else 0
    if isinstance(metadata.get("channels"), int) and not isinstance(metadata["channels"], bool):
        n_channels = max(n_channels, metadata["channels"])
    multichannel = n_channels > 1
    b = MeetingBuilder(file, "deepgram")
    meta: dict[str, Any] = {"channels": n_channels}
    for key in ("request_id", "created", "duration"):
        if isinstance(metadata.get(key), str | int | float) and not isinstance(metadata[key], bool):
            meta[f"deepgram_{key}" if key != "duration" else "audio_duration"] = metadata[key]
    if results.get("utterances") is not None:
        meta["unit"] = "utterance"
        for i, utt in enumerate(_list(results["utterances"], file, "results.utterances")):
            where = f"results.utterances[{i}]"
            utt = _obj(utt, file, where)
            start = _time(utt, "start", file, where)
            end = _time(utt, "end", file, where)
            speaker = _label(utt.get("channel") if multichannel else utt.get("speaker"))
            words = (
                _words(
                    utt["words"],
                    file,
                    where,
                    text_key="punctuated_word",
                    conf_key="confidence",
                    fallback=start,
                )
                if utt.get("words") is not None
                else []
            )
            text = _str(utt.get("transcript"), file, f"{where}.transcript")
            b.add(speaker, start, end, text, cue=where, words=words)
        return b.build(id=id, title=title, meta=meta)
    meta["unit"] = "speaker run"
    runs: list[tuple[float, str, str, list[Word]]] = []  # (start, label, where, words)
    tagged: list[tuple[float, int, str, str, Word]] = []
    for c, chan in enumerate(_list(channels, file, "results.channels")):
        cwhere = f"results.channels[{c}]"
        chan = _obj(chan, file, cwhere)
        alts = _list(chan.get("alternatives"), file, f"{cwhere}.alternatives")
        if not alts:
            continue
        awhere = f"{cwhere}.alternatives[0]"
        alt = _obj(alts[0], file, awhere)
        raw_words = _list(alt.get("words"), file, f"{awhere}.words")
        words = _words(raw_words, file, awhere, text_key="punctuated_word", conf_key="confidence")
        for k, (raw, word) in enumerate(zip(raw_words, words, strict=True)):
            label = str(c) if multichannel else _label(raw.get("speaker"))
            tagged.append((word.start, c, label, f"{awhere}.words[{k}]", word))
    if multichannel:
        tagged.sort(key=lambda t: (t[0], t[1]))
    for start, _c, label, where, word in tagged:
        if runs and runs[-1][1] == label:
            runs[-1][3].append(word)
        else:
            runs.append((start, label, where, [word]))
    for start, label, where, words in runs:
        b.add(label, start, words[-1].end, " ".join(w.text for w in words), cue=where, words=words)
    return b.build(id=id, title=title, meta=meta)
