"""From a real moment to practice: a scenario built from the manager's own 1:1.

``scenario_from_moment(meeting, index, behavior)`` takes one manager utterance (for
example a tell-before-ask instance the scorecard cites as evidence) and builds a
scenario around it: the rep is the person from that 1:1, the rep's opening line is
what they said just before the moment, the hidden facts are what the rep said in the
rest of the conversation, and the mechanics (state, reactions, lines) are the same as
every shipped scenario's. ``load_moment_meeting`` finds the meeting in a workspace.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from coachloop.errors import PracticeError
from coachloop.model import Meeting, Role, Utterance
from coachloop.practice.library import parse_scenario
from coachloop.practice.schema import BEHAVIORS, Scenario
from coachloop.practice.stopwords import STOPWORDS

if TYPE_CHECKING:
    from coachloop.workspace import Workspace

MAX_FACTS = 3
_STOP = STOPWORDS
_WORD = re.compile(r"[a-z][a-z'-]{4,}")


def _mmss(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{int(seconds % 60):02d}"


def _content_words(text: str, *, limit: int = 6) -> list[str]:
    seen: list[str] = []
    for w in _WORD.findall(text.lower()):
        w = w.strip("'-")
        if w not in _STOP and w not in seen:
            seen.append(w)
    return seen[:limit]


def infer_behavior(acts: frozenset[str]) -> str:
    """The behaviour a manager utterance most plausibly shows a miss on."""
    if "advice" in acts:
        return "ask_before_tell"
    if "feedback" in acts and "evidence" not in acts:
        return "evidence_based_feedback"
    if "outcome_talk" in acts and "behavior_talk" not in acts:
        return "behavior_not_outcome"
    if "benchmark" in acts:
        return "calibrate_against_team"
    return "ask_before_tell"


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def scenario_from_moment(
    meeting: Meeting,
    index: int,
    behavior: str | None = None,
    *,
    acts: frozenset[str] | None = None,
) -> Scenario:
    """A practice scenario around utterance ``index`` (a manager line) of ``meeting``.

    ``behavior`` defaults to the one the moment's acts point at (tagged here unless
    ``acts`` is given). The meeting must have a speaker with the manager role
    (``coachloop.roles.assign_roles`` sets it).
    """
    n = len(meeting.utterances)
    if not isinstance(index, int) or not 0 <= index < n:
        raise PracticeError(
            f"meeting {meeting.id[:12]} has no utterance {index} (it has {n}, numbered 0–{n - 1})",
            hint="use an index from the scorecard's evidence",
            code="CL630",
        )
    manager = meeting.manager
    if manager is None:
        raise PracticeError(
            f"meeting {meeting.id[:12]}: no speaker has the manager role",
            hint="assign roles first (coachloop.roles.assign_roles or --manager NAME)",
            code="CL631",
        )
    moment = meeting.utterances[index]
    if moment.speaker != manager.label:
        nxt = next(
            (u.index for u in meeting.utterances[index:] if u.speaker == manager.label), None
        )
        tip = f"the manager's next line is {nxt}" if nxt is not None else "pick a manager line"
        raise PracticeError(
            f"utterance {index} of meeting {meeting.id[:12]} is not the manager's",
            hint=tip,
            code="CL632",
        )
    if behavior is not None and behavior not in BEHAVIORS:
        raise PracticeError(
            f"unknown behaviour {behavior!r}",
            hint="use one of " + ", ".join(BEHAVIORS),
            code="CL604",
        )
    if behavior is None:
        if acts is None:
            from coachloop.acts import tag_meeting

            acts = tag_meeting(meeting)[index]
        behavior = infer_behavior(acts)

    rep_labels = meeting.labels_with_role(Role.REP) or [
        s.label for s in meeting.speakers if s.label != manager.label
    ]
    if not rep_labels:
        raise PracticeError(
            f"meeting {meeting.id[:12]} has only the manager speaking",
            hint="pick a 1:1 where the rep speaks",
            code="CL633",
        )
    rep = meeting.speaker(rep_labels[0])
    rep_utts = [u for u in meeting.utterances if u.speaker == rep.label]
    before = [u for u in rep_utts if u.index < index]
    opening_utt: Utterance | None = before[-1] if before else None
    opening = _clip(opening_utt.text, 300) if opening_utt else "So, where do you want to start?"

    # Facts: the rep's most substantial lines elsewhere in the meeting, in order.
    others = [u for u in rep_utts if u is not opening_utt and u.n_words >= 8]
    picked = sorted(sorted(others, key=lambda u: -u.n_words)[:MAX_FACTS], key=lambda u: u.index)
    facts: list[dict[str, Any]] = []
    for k, u in enumerate(picked):
        words = _content_words(u.text)
        facts.append(
            {
                "id": f"said_{u.index}",
                "text": _clip(u.text, 300).replace("{", "(").replace("}", ")"),
                "about": words,
                "min_openness": round(0.35 + 0.1 * k, 2),
            }
        )
    if not facts:
        facts.append(
            {
                "id": "more_to_it",
                "text": "There's more to it than I said in the meeting, honestly.",
                "about": [],
            }
        )
    rep_name = rep.display
    situation = _clip(" ".join(u.text for u in before[-3:]), 240) if before else "the 1:1"
    title = meeting.title or meeting.id[:12]
    data = {
        "id": f"moment-{re.sub(r'[^a-z0-9]', '', meeting.id.lower())[:10] or 'meeting'}-{index}",
        "version": 1,
        "behavior": behavior,
        "title": f"Replay: {title} at {_mmss(moment.start)}",
        "brief": (
            f"In your 1:1 \u201c{title}\u201d at {_mmss(moment.start)} you said: "
            f"\u201c{_clip(moment.text, 240)}\u201d. {rep_name} had just said: "
            f"\u201c{situation}\u201d. Replay the moment and practise "
            f"{behavior.replace('_', ' ')}."
        )
        .replace("{", "(")
        .replace("}", ")"),
        "persona": {
            "name": rep_name,
            "role": "Account Executive",
            "tenure": "as in your team",
            "temperament": "as in the recorded 1:1",
            "issue": _clip(situation, 120),
        },
        "opening": [opening.replace("{", "(").replace("}", ")")],
        "state": {"openness": 0.4, "defensiveness": 0.4, "clarity": 0.2},
        "facts": facts,
        "end": {"max_turns": 10, "clarity_at": 0.9},
        "success": {"min_facts": min(2, len(facts)), "min_clarity": 0.5, "max_defensiveness": 0.5},
        "meta": {"source_meeting": meeting.id, "source_index": index, "from_moment": True},
    }
    return parse_scenario(data, source=f"moment {meeting.id[:12]}:{index}")


def parse_moment(spec: str) -> tuple[str, int]:
    """``MEETING_ID:INDEX`` → (meeting id, index)."""
    mid, sep, idx = spec.rpartition(":")
    if not sep or not mid or not idx.isdigit():
        raise PracticeError(
            f"--from-moment {spec!r} is not MEETING_ID:INDEX",
            hint="e.g. --from-moment 3f2a9c…:14 (the id and utterance index from a scorecard)",
            code="CL634",
        )
    return mid, int(idx)


def load_moment_meeting(workspace: Workspace, meeting_id: str) -> Meeting:
    """The stored meeting with this id (or unique id prefix) from the workspace."""
    from sqlalchemy import select

    from coachloop.model import Speaker, build_meeting
    from coachloop.workspace.models import MeetingRow, UtteranceRow

    with workspace.session() as s:
        ids = list(
            s.scalars(select(MeetingRow.id).where(MeetingRow.id.startswith(meeting_id)).limit(2))
        )
        if not ids:
            raise PracticeError(
                f"no meeting {meeting_id!r} in the workspace",
                hint="`coachloop meetings` lists stored meetings with their ids",
                code="CL635",
            )
        if len(ids) > 1:
            raise PracticeError(
                f"meeting id prefix {meeting_id!r} matches more than one meeting",
                hint="give more characters of the id",
                code="CL635",
            )
        row = s.get(MeetingRow, ids[0])
        if row is None:  # deleted between the two reads
            raise PracticeError(f"meeting {ids[0]!r} disappeared", code="CL635")
        utts = list(
            s.scalars(
                select(UtteranceRow)
                .where(UtteranceRow.meeting_id == row.id)
                .order_by(UtteranceRow.index)
            )
        )
        transcript = row.transcript or {}
        speakers = [
            Speaker(label=sp["label"], name=sp.get("name"), role=Role(sp.get("role") or "other"))
            for sp in transcript.get("speakers", [])
        ]
        return build_meeting(
            id=row.id,
            rows=[
                {"speaker": u.speaker, "start": u.start, "end": u.end, "text": u.text} for u in utts
            ],
            speakers=speakers,
            title=row.title,
            started_at=row.started_at,
            source_format=row.source_format,
        )
