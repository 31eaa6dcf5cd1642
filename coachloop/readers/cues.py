"""Cue-based formats: WebVTT (Zoom, Teams, plain) and SRT.

Our own small cue parser, not webvtt-py or srt: both libraries lose the line
numbers a good error message needs, webvtt-py silently drops cues it cannot parse
and srt folds a malformed cue into the previous one's text. Both are still used,
in the tests, as independent writers for round-trip checks.

A cue becomes one utterance. Multi-line cue text is joined with single spaces.
Tags (``<i>``, ``<c.x>``, inline timestamps) are stripped and the WebVTT entities
(``&amp;`` ``&lt;`` ``&gt;`` ``&nbsp;`` ``&lrm;`` ``&rlm;``) decoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coachloop.model import Meeting
from coachloop.readers._common import UNKNOWN_SPEAKER, MeetingBuilder, fail

# A raw cue: (first line number, cue id or None, start, end, payload joined by spaces)
RawCue = tuple[int, str | None, float, float, str]

_VTT_TIME = r"(?:\d{1,7}:)?\d{2}:\d{2}\.\d{3}"
_VTT_TIMING = re.compile(rf"^\s*({_VTT_TIME})[ \t]+-->[ \t]+({_VTT_TIME})(?:[ \t].*)?$")
_SRT_TIME = r"\d{1,7}:\d{2}:\d{2}[,.]\d{1,3}"
SRT_TIMING = re.compile(rf"^\s*({_SRT_TIME})[ \t]*-->[ \t]*({_SRT_TIME})(?:[ \t].*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]+)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
#: SRT has no escaping: only the formatting tags players know are markup.
_SRT_TAG = re.compile(r"</?(?:[ibus]|font(?:\s[^>]*)?)>|\{\\[^}]*\}", re.I)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}
_ENTITY = re.compile("|".join(_ENTITIES))
#: ``Name: text`` - a short name without colons or brackets, then a colon and a space.
NAME_PREFIX = re.compile(r"^([^:<>\[\]{}]{1,80}?):(?:[ \t]+(.*))?$", re.S)
_TIMING_HINT = "a cue timing line looks like 00:00:01.000 --> 00:00:04.000"
_SRT_HINT = "an SRT cue is a number, a line 00:00:01,000 --> 00:00:04,000, then the text"


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (only CR/LF break lines, not U+2028 and co)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines with the 1-based number of their first line."""
    block: list[str] = []
    first = 0
    for no, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                first = no
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _clock_to_seconds(value: str, file: str, line: int, cue: str | None) -> float:
    parts = value.replace(",", ".").split(":")
    try:
        secs = float(parts[-1])
        mins = int(parts[-2])
        hours = int(parts[-3]) if len(parts) == 3 else 0
    except (ValueError, IndexError):  # pragma: no cover - the regex guarantees the shape
        raise fail(f"malformed time {value!r}", file, line=line, hint=_TIMING_HINT) from None
    if mins >= 60 or secs >= 60:
        raise fail(
            f"malformed time {value!r}: minutes and seconds must be below 60",
            file,
            line=line,
            cue=cue,
            hint="fix the time in the file",
        )
    return hours * 3600 + mins * 60 + secs


def clean_payload(lines: list[str], *, srt: bool = False) -> str:
    text = " ".join(s.strip() for s in lines)
    if "<" in text or "{" in text:
        text = (_SRT_TAG if srt else _TAG).sub("", text)
    if srt:
        return " ".join(text.split())
    if "&" in text:
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    return " ".join(text.split())


def parse_vtt_cues(text: str, file: str) -> list[tuple[int, str | None, float, float, list[str]]]:
    """Raw WebVTT cues: (line of the timing, cue id, start, end, payload lines)."""
    lines = split_lines(text)
    lines[0] = lines[0].lstrip("\ufeff")
    it = blocks(lines)
    first, header = next(it, (1, [""]))
    if not header[0].lstrip().startswith("WEBVTT"):
        raise fail(
            "not WebVTT: the first line must start with WEBVTT",
            file,
            line=first,
            hint="use --input-format to pick the right format",
        )
    cues: list[tuple[int, str | None, float, float, list[str]]] = []
    for offset, line in enumerate(header[1:], 1):
        if "-->" in line:
            raise fail(
                "a cue starts inside the WEBVTT header",
                file,
                line=first + offset,
                hint="add a blank line after the WEBVTT line",
            )
    for first, block in it:
        head = block[0]
        if head.split(None, 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        if "-->" in head:
            cue_id, t_at = None, 0
        elif len(block) > 1 and "-->" in block[1]:
            cue_id, t_at = head.strip(), 1
        else:
            raise fail(
                f"expected a cue timing line, got {head.strip()[:60]!r}",
                file,
                line=first,
                hint=_TIMING_HINT,
            )
        cues.append(_timed_cue(block, first, t_at, cue_id, _VTT_TIMING, _TIMING_HINT, file))
    return cues


def _timed_cue(
    block: list[str],
    first: int,
    t_at: int,
    cue_id: str | None,
    timing: re.Pattern[str],
    hint: str,
    file: str,
) -> tuple[int, str | None, float, float, list[str]]:
    """A cue's timing line (``block[t_at]``) and payload, checked: the shared part of the
    WebVTT and SRT cue grammars (line numbers count from ``first``, 1-based)."""
    t_line = first + t_at
    m = timing.match(block[t_at])
    if m is None:
        raise fail(
            f"malformed cue timing {block[t_at].strip()[:60]!r}",
            file,
            line=t_line,
            cue=cue_id,
            hint=hint,
        )
    payload = block[t_at + 1 :]
    for k, pl in enumerate(payload):
        if "-->" in pl:
            raise fail(
                "a second cue timing line inside one cue",
                file,
                line=t_line + 1 + k,
                cue=cue_id,
                hint="add the missing blank line before it",
            )
    start = _clock_to_seconds(m.group(1), file, t_line, cue_id)
    end = _clock_to_seconds(m.group(2), file, t_line, cue_id)
    return (t_line, cue_id, start, end, payload)


def _has_prefix(payload: list[str]) -> bool:
    return bool(payload) and NAME_PREFIX.match(payload[0].strip()) is not None


def classify_vtt(cues: list[tuple[int, str | None, float, float, list[str]]]) -> str:
    """``teams-vtt`` when cues carry ``<v>`` voices, ``zoom-vtt`` when most start with
    ``Name:``, else plain ``vtt``."""
    if not cues:
        return "vtt"
    voiced = sum(1 for c in cues if c[4] and "<v" in c[4][0])
    if voiced * 2 >= len(cues):
        return "teams-vtt"
    named = sum(1 for c in cues if _has_prefix(c[4]))
    return "zoom-vtt" if named * 2 > len(cues) else "vtt"


def read_vtt(
    text: str,
    *,
    file: str,
    fmt: str,
    id: str,
    title: str,
    parsed: list[tuple[int, str | None, float, float, list[str]]] | None = None,
) -> Meeting:
    cues = parsed if parsed is not None else parse_vtt_cues(text, file)
    b = MeetingBuilder(file, fmt)
    for line, cue_id, start, end, payload in cues:
        speaker = UNKNOWN_SPEAKER
        if fmt == "zoom-vtt":
            raw = " ".join(s.strip() for s in payload)
            m = NAME_PREFIX.match(raw)
            if m is not None:
                speaker, body = m.group(1).strip(), clean_payload([m.group(2) or ""])
            else:
                body = clean_payload(payload)
        else:
            v = _VOICE.search(" ".join(payload)) if payload else None
            if v is not None:
                speaker = v.group(1).strip()
            body = clean_payload(payload)
        b.add(speaker, start, end, body, line=line, cue=cue_id)
    return b.build(id=id, title=title, meta={"cues": len(cues)})


def parse_srt_cues(text: str, file: str) -> list[tuple[int, str | None, float, float, list[str]]]:
    cues: list[tuple[int, str | None, float, float, list[str]]] = []
    for first, block in blocks(split_lines(text)):
        head = block[0].strip()
        if "-->" in head:
            cue_id, t_at = None, 0
        elif len(block) > 1 and "-->" in block[1]:
            cue_id, t_at = head.lstrip("\ufeff"), 1
        else:
            raise fail(
                f"expected a cue number then a timing line, got {head[:60]!r}",
                file,
                line=first,
                hint=_SRT_HINT,
            )
        cues.append(_timed_cue(block, first, t_at, cue_id, SRT_TIMING, _SRT_HINT, file))
    return cues


def read_srt(text: str, *, file: str, id: str, title: str) -> Meeting:
    cues = parse_srt_cues(text, file)
    named = sum(1 for c in cues if _has_prefix(c[4]))
    use_names = named * 2 > len(cues)
    b = MeetingBuilder(file, "srt")
    for line, cue_id, start, end, payload in cues:
        speaker = UNKNOWN_SPEAKER
        raw = " ".join(s.strip() for s in payload)
        m = NAME_PREFIX.match(raw) if use_names else None
        if m is not None:
            speaker, body = m.group(1).strip(), clean_payload([m.group(2) or ""], srt=True)
        else:
            v = _VOICE.search(raw)
            if v is not None:
                speaker = v.group(1).strip()
                raw = _TAG.sub("", raw)
            body = clean_payload([raw], srt=True)
        b.add(speaker, start, end, body, line=line, cue=cue_id)
    return b.build(id=id, title=title, meta={"cues": len(cues), "speaker_prefixes": use_names})
