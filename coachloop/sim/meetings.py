"""One simulated 1:1 as a :class:`~coachloop.model.Meeting`, ready for a writer.

:func:`simulate_meeting` is deterministic for (seed, manager, rep, week): its random
stream is keyed by those, so meetings can be made in any order or in parallel.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from coachloop.model import Meeting, Role, Speaker, build_meeting
from coachloop.sim.conversation import generate_script
from coachloop.sim.org import PERSONAS, Manager, Rep
from coachloop.sim.timing import place_turns

#: Export formats each recording platform produces; ASR pipelines add WhisperX/AssemblyAI.
PLATFORM_FORMAT = {"zoom": "zoom-vtt", "teams": "teams-vtt", "otter": "otter"}
ASR_FORMATS = ("whisperx", "assemblyai")
EXTENSIONS = {
    "zoom-vtt": ".vtt",
    "teams-vtt": ".vtt",
    "otter": ".txt",
    "whisperx": ".json",
    "assemblyai": ".json",
}


@dataclass(frozen=True, slots=True)
class MeetingPlan:
    """What the calendar decided about one week's 1:1 of a pair."""

    manager: Manager
    rep: Rep
    week: int  # 1-based
    cycle: int  # 0-based
    started_at: datetime
    moved: bool


def rng_for(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def choose_format(manager: Manager, rng: random.Random) -> tuple[str, bool]:
    """(format, asr_text): the manager's platform, or an ASR pipeline for some 1:1s."""
    if rng.random() < manager.asr_share:
        fmt = rng.choice(ASR_FORMATS)
        return fmt, rng.random() < 0.6
    return PLATFORM_FORMAT[manager.platform], False


def speaking_rate(rng: random.Random, base: float) -> float:
    return round(base * rng.uniform(0.9, 1.1), 3)


def simulate_meeting(plan: MeetingPlan, params: dict[str, float], *, seed: int) -> Meeting:
    """The 1:1 of ``plan`` as a Meeting (roles and e-mails set; format chosen in meta)."""
    mgr, rep = plan.manager, plan.rep
    rng = rng_for(seed, "meeting", mgr.index, rep.index, plan.week)
    fmt, asr_text = choose_format(mgr, rng)
    target = rng.uniform(20.5, 34.0) * 60.0
    turns = generate_script(
        manager=mgr,
        rep=rep,
        params=params,
        cycle=plan.cycle,
        day=plan.started_at.date(),
        target_seconds=target,
        rng=rng,
        seed=seed,
        moved=plan.moved,
    )
    voice = rng_for(seed, "voice", mgr.index, rep.index)
    rates = {
        "manager": speaking_rate(voice, 2.55),
        "rep": speaking_rate(voice, 2.45 * (0.95 + 0.1 * PERSONAS[rep.persona]["verbosity"])),
    }
    if fmt in ASR_FORMATS:
        labels = {"manager": "SPEAKER_00", "rep": "SPEAKER_01"}
        if fmt == "assemblyai":
            labels = {"manager": "A", "rep": "B"}
    else:
        labels = {"manager": mgr.person.name, "rep": rep.person.name}
    rows = place_turns(
        turns,
        labels=labels,
        rates=rates,
        rng=rng,
        with_words=fmt in ASR_FORMATS,
        asr_text=asr_text,
    )
    speakers = (
        Speaker(labels["manager"], mgr.person.name, Role.MANAGER, mgr.person.email),
        Speaker(labels["rep"], rep.person.name, Role.REP, rep.person.email),
    )
    return build_meeting(
        id=f"sim-{seed}-{mgr.index:03d}-{rep.index:02d}-w{plan.week:02d}",
        rows=rows,
        speakers=speakers,
        title=f"1:1 {mgr.person.name} / {rep.person.name}",
        started_at=plan.started_at,
        source_format=fmt,
        meta={
            "sim": {
                "manager_email": mgr.person.email,
                "rep_email": rep.person.email,
                "week": plan.week,
                "cycle": plan.cycle,
                "asr_text": asr_text,
            }
        },
    )
