"""Line-based text exports: Google Meet, Otter.ai / Fireflies, and plain ``Name: text``.

Times in these formats are whole seconds (Google Meet only stamps the time every
so often, so an utterance starts at the last stamp above it); none of them has end
times, so ``Utterance.end`` is ``None``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from coachloop.model import Meeting
from coachloop.readers._common import MeetingBuilder, fail
from coachloop.readers.cues import blocks, split_lines

_STAMP = re.compile(r"^\s*(\d{1,2}):(\d{2}):(\d{2})\s*$")
_MEET_LINE = re.compile(r"^([^:\[\]<>]{1,80}?):[ \t]+(.*)$")
_MEET_EMPTY = re.compile(r"^([^:\[\]<>]{1,80}?):\s*$")
_MEET_TITLE_DATE = re.compile(
    r"\s*\((\d{4})-(\d{2})-(\d{2})[ T](?:at )?(\d{1,2}):(\d{2})"
    r"(?:\s*(?:GMT|UTC)?\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?)?\)"
)
_MEET_ENDED = re.compile(r"^(?:Meeting|Transcription) ended after (\d{1,2}:\d{2}:\d{2})")
_MEET_DISCLAIMER = "This editable transcript was computer generated"
_OTTER_HEAD = re.compile(r"^([^:\n]{1,80}?)\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*$")
_OTTER_FOOTER = re.compile(r"^Transcribed by (?:https?://)?otter\.ai", re.I)
_TEXT_TIMED = re.compile(
    r"^\[(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,3})?)\][ \t]*([^:\[\]<>]{1,80}?):(?:[ \t]+(.*))?$"
)
_TEXT_PLAIN = re.compile(r"^([^:\[\]<>]{1,80}?):(?:[ \t]+(.*))?$")


def _hms(value: str, file: str, line: int) -> float:
    """``H:MM:SS``, ``M:SS`` or ``MM:SS.mmm`` to seconds; minutes/seconds must be < 60."""
    parts = value.split(":")
    secs = float(parts[-1])
    mins = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    if secs >= 60 or (len(parts) == 3 and mins >= 60):
        raise fail(
            f"malformed time {value!r}: minutes and seconds must be below 60",
            file,
            line=line,
            hint="fix the time in the file",
        )
    return hours * 3600 + mins * 60 + secs


def looks_like_meet(lines: list[str]) -> bool:
    head = [s.strip() for s in lines[:40]]
    marked = "Transcript" in head or (bool(head) and head[0].endswith("- Transcript"))
    return marked and any(_STAMP.match(s) for s in lines[:400])


def read_meet(text: str, *, file: str, id: str, title: str) -> Meeting:
    lines = split_lines(text)
    stripped = [s.strip() for s in lines]
    meta: dict[str, Any] = {}
    started_at: datetime | None = None
    body_from = 0
    try:
        body_from = stripped.index("Transcript", 0, 60) + 1
    except ValueError:
        if stripped and stripped[0].endswith("- Transcript"):
            body_from = 1
    header = [s for s in stripped[: max(body_from - 1, 0)] if s] or (
        [stripped[0]] if body_from == 1 else []
    )
    if header:
        first = header[0]
        if first.endswith("- Transcript"):
            first = first[: -len("- Transcript")].rstrip()
        m = _MEET_TITLE_DATE.search(first)
        if m is not None:
            y, mo, d, hh, mm, sign, oh, om = m.groups()
            offset = timedelta(hours=int(oh or 0), minutes=int(om or 0))
            tz = timezone(-offset if sign == "-" else offset)
            try:
                started_at = datetime(int(y), int(mo), int(d), int(hh), int(mm), tzinfo=tz)
            except ValueError:
                raise fail(
                    f"the date in the title line is not a real date: {m.group(0).strip()!r}",
                    file,
                    line=1,
                    hint="fix the date or remove it from the title line",
                ) from None
            first = (first[: m.start()] + first[m.end() :]).strip()
        if first and first != "Transcript":
            title = first
        if "Attendees" in header:
            at = header.index("Attendees")
            if at + 1 < len(header):
                meta["attendees"] = [n.strip() for n in header[at + 1].split(",") if n.strip()]
    b = MeetingBuilder(file, "google-meet")
    now = 0.0
    for no in range(body_from, len(lines)):
        s = stripped[no]
        if not s:
            continue
        line = no + 1
        st = _STAMP.match(s)
        if st is not None:
            now = _hms(s, file, line)
            continue
        m2 = _MEET_LINE.match(s)
        if m2 is not None:
            b.add(m2.group(1), now, None, m2.group(2), line=line)
            continue
        if _MEET_EMPTY.match(s):
            b.add(s[:-1], now, None, "", line=line)
            continue
        ended = _MEET_ENDED.match(s)
        if ended is not None:
            meta["ended_after"] = _hms(ended.group(1), file, line)
            continue
        if s.startswith(_MEET_DISCLAIMER):
            continue
        raise fail(
            f"expected 'Name: text' or a HH:MM:SS time stamp, got {s[:60]!r}",
            file,
            line=line,
            hint="join a wrapped line to the line above, or pick another --input-format",
        )
    return b.build(id=id, title=title, started_at=started_at, meta=meta)


def looks_like_otter(lines: list[str]) -> bool:
    for first, block in blocks(lines[:200]):
        del first
        return _OTTER_HEAD.match(block[0].strip()) is not None
    return False


def read_otter(text: str, *, file: str, id: str, title: str) -> Meeting:
    b = MeetingBuilder(file, "otter")
    meta: dict[str, Any] = {}
    for first, block in blocks(split_lines(text)):
        head = block[0].strip()
        m = _OTTER_HEAD.match(head)
        if m is None:
            if _OTTER_FOOTER.match(head):
                meta["footer"] = head
                continue
            raise fail(
                f"expected a paragraph header 'Name  M:SS', got {head[:60]!r}",
                file,
                line=first,
                hint="each paragraph is a 'Name  M:SS' line, the text below it, then a blank line",
            )
        start = _hms(m.group(2), file, first)
        b.add(m.group(1), start, None, " ".join(s.strip() for s in block[1:]), line=first)
    return b.build(id=id, title=title, meta=meta)


def looks_like_text(lines: list[str]) -> bool:
    for s in lines[:50]:
        s = s.strip()
        if s:
            return bool(_TEXT_TIMED.match(s) or _TEXT_PLAIN.match(s))
    return False


def read_plain(text: str, *, file: str, id: str, title: str) -> Meeting:
    b = MeetingBuilder(file, "text")
    timed: bool | None = None
    for no, raw in enumerate(split_lines(text), 1):
        s = raw.strip()
        if not s:
            continue
        m = _TEXT_TIMED.match(s)
        if m is not None:
            if timed is False:
                raise fail(
                    "this line has a [HH:MM:SS] time but the lines above have none",
                    file,
                    line=no,
                    hint="give every line a time or none",
                )
            timed = True
            b.add(m.group(2), _hms(m.group(1), file, no), None, m.group(3) or "", line=no)
            continue
        m = _TEXT_PLAIN.match(s)
        if m is not None:
            if timed is True:
                raise fail(
                    "this line has no [HH:MM:SS] time but the lines above have one",
                    file,
                    line=no,
                    hint="give every line a time or none",
                )
            timed = False
            b.add(m.group(1), 0.0, None, m.group(2) or "", line=no)
            continue
        raise fail(
            f"expected '[HH:MM:SS] Name: text' or 'Name: text', got {s[:60]!r}",
            file,
            line=no,
            hint="join a wrapped line to the line above, or pick another --input-format",
        )
    return b.build(id=id, title=title, meta={"timed": bool(timed)})
