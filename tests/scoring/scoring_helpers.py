"""Hand-built meetings for the scoring tests.

A row is ``(who, start, end, text, acts)``: who is "M" (manager Ana) or "R" (rep Bo),
acts a space-separated string of act names. Passing the acts explicitly keeps each
signal test independent of the tagger; a few tests run the real tagger on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coachloop.model import Meeting, Role, Speaker, build_meeting
from coachloop.scoring import Scorecard, score_meeting

Row = tuple[str, float, float | None, str, str]
NAMES = {"M": "Ana", "R": "Bo", "X": "Cy"}


def meeting_of(
    rows: Sequence[Row], *, manager: bool = True
) -> tuple[Meeting, list[frozenset[str]]]:
    speakers = [
        Speaker("Ana", role=Role.MANAGER if manager else Role.OTHER),
        Speaker("Bo", role=Role.REP),
    ]
    meeting = build_meeting(
        id="m-test",
        title="Ana / Bo",
        speakers=speakers,
        rows=[
            {"speaker": NAMES[who], "start": start, "end": end, "text": text}
            for who, start, end, text, _ in rows
        ],
    )
    return meeting, [frozenset(acts.split()) for *_, acts in rows]


def score(rows: Sequence[Row], **kwargs: Any) -> Scorecard:
    meeting, acts = meeting_of(rows)
    return score_meeting(meeting, acts=acts, **kwargs)


Q_OPEN = "question open_question"
Q_CLOSED = "question closed_question"
