"""The simulated org: directors, managers (two cohorts) and 6–10 reps per manager.

Everything here is small (a 200-manager org is ~2,000 people), so the org is built in
memory; transcripts, the large part, are streamed by :mod:`coachloop.sim.run`.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from coachloop.sim.lines import FIRST_NAMES, LAST_NAMES
from coachloop.sim.managers import COHORTS

DOMAIN = "example.com"
REGIONS = ("EMEA", "NA East", "NA West", "APAC", "LATAM", "DACH", "Nordics", "UK&I")
SEGMENTS = ("SMB", "Mid-Market", "Enterprise", "Commercial")
PLATFORMS = ("zoom", "teams", "otter")
PLATFORM_WEIGHTS = (0.45, 0.35, 0.20)

#: Rep personas: how they talk and what they need. ``verbosity`` scales answer length,
#: ``topics`` weights the agenda, ``skill`` is a mean true skill (1–5 scale).
PERSONAS: dict[str, dict[str, Any]] = {
    "new_hire": {
        "verbosity": 0.8,
        "skill": 2.3,
        "topics": {
            "onboarding": 3,
            "deal_debrief": 2,
            "pipeline": 1,
            "objections": 1,
            "wellbeing": 1,
        },
    },
    "steady": {
        "verbosity": 1.0,
        "skill": 3.2,
        "topics": {"deal_debrief": 3, "pipeline": 2, "forecast": 2, "objections": 1, "career": 1},
    },
    "veteran": {
        "verbosity": 1.25,
        "skill": 3.8,
        "topics": {"deal_debrief": 3, "forecast": 2, "career": 1, "objections": 1, "pipeline": 1},
    },
    "struggling": {
        "verbosity": 0.9,
        "skill": 2.6,
        "topics": {
            "wellbeing": 2,
            "pipeline": 2,
            "deal_debrief": 2,
            "forecast": 1,
            "objections": 1,
        },
    },
    "high_flyer": {
        "verbosity": 1.15,
        "skill": 4.1,
        "topics": {"deal_debrief": 3, "career": 2, "forecast": 2, "pipeline": 1},
    },
    "quiet": {
        "verbosity": 0.7,
        "skill": 3.0,
        "topics": {"deal_debrief": 2, "pipeline": 2, "objections": 1, "wellbeing": 1},
    },
}
PERSONA_WEIGHTS = {
    "new_hire": 2,
    "steady": 4,
    "veteran": 2,
    "struggling": 2,
    "high_flyer": 1,
    "quiet": 2,
}
RATED_SKILLS = (
    "discovery",
    "objection_handling",
    "next_steps",
    "negotiation",
    "pipeline_hygiene",
    "forecasting",
    "prospecting",
    "demo",
    "closing",
)


@dataclass(slots=True)
class Person:
    name: str
    email: str
    role: str  # director | manager | rep
    manager_email: str
    team: str
    cohort: str

    @property
    def first(self) -> str:
        return self.name.split()[0]

    def roster_row(self) -> dict[str, str]:
        return {
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "manager_email": self.manager_email,
            "team": self.team,
            "cohort": self.cohort,
        }


@dataclass(slots=True)
class Rep:
    person: Person
    index: int
    persona: str
    tenure_months: int
    skills: dict[str, float]  # true skill per rated skill, 1–5
    base_kpi: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Manager:
    person: Person
    index: int
    director_email: str
    platform: str
    asr_share: float  # share of 1:1s that go through an ASR pipeline (WhisperX/AssemblyAI)
    weekday: int  # 0 = Monday; the 1:1 series day
    slot_times: tuple[time, ...]
    leniency: float  # rating bias (larger when calibration is weak)
    reps: list[Rep] = field(default_factory=list)


@dataclass(slots=True)
class Org:
    seed: int
    start: date  # Monday of week 1
    weeks: int
    directors: list[Person]
    managers: list[Manager]

    def people(self) -> list[Person]:
        out = list(self.directors)
        for m in self.managers:
            out.append(m.person)
            out.extend(r.person for r in m.reps)
        return out

    @property
    def n_reps(self) -> int:
        return sum(len(m.reps) for m in self.managers)


def _names(rng: random.Random) -> list[tuple[str, str]]:
    pairs = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    rng.shuffle(pairs)
    return pairs


def build_org(*, managers: int, weeks: int, seed: int, start: date) -> Org:
    """Directors → managers → reps, with balanced cohorts; deterministic for a seed."""
    rng = random.Random(f"org:{seed}")
    names = iter(_names(rng))
    used: set[str] = set()

    def person(role: str, manager_email: str, team: str, cohort: str) -> Person:
        first, last = next(names)
        email = f"{first}.{last}@{DOMAIN}".lower()
        n = 2
        while email in used:
            email = f"{first}.{last}{n}@{DOMAIN}".lower()
            n += 1
        used.add(email)
        return Person(f"{first} {last}", email, role, manager_email, team, cohort)

    n_directors = max(1, math.ceil(managers / 8))
    directors = [
        person("director", "", f"{REGIONS[i % len(REGIONS)]} Sales", "") for i in range(n_directors)
    ]
    cohorts = [COHORTS[i % 2] for i in range(managers)]
    rng.shuffle(cohorts)
    persona_names = list(PERSONA_WEIGHTS)
    persona_w = [PERSONA_WEIGHTS[p] for p in persona_names]
    mgrs: list[Manager] = []
    for i in range(managers):
        director = directors[i % n_directors]
        team = f"{REGIONS[i % len(REGIONS)]} {SEGMENTS[(i // len(REGIONS)) % len(SEGMENTS)]} {i // (len(REGIONS) * len(SEGMENTS)) + 1}"
        mp = person("manager", director.email, team, cohorts[i])
        hour0 = rng.choice((9, 10, 13, 14))
        slots = tuple(time(hour0 + k // 2, 30 * (k % 2)) for k in range(10))
        mgr = Manager(
            person=mp,
            index=i,
            director_email=director.email,
            platform=rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0],
            asr_share=round(rng.uniform(0.15, 0.4), 3),
            weekday=rng.randrange(0, 4),
            slot_times=slots,
            leniency=round(rng.uniform(0.2, 1.0), 3),
        )
        for j in range(rng.randint(6, 10)):
            rp = person("rep", mp.email, team, cohorts[i])
            persona = rng.choices(persona_names, persona_w)[0]
            base = PERSONAS[persona]["skill"]
            skills = {s: round(min(5.0, max(1.0, rng.gauss(base, 0.5))), 2) for s in RATED_SKILLS}
            tenure = rng.randint(1, 3) if persona == "new_hire" else rng.randint(6, 60)
            mgr.reps.append(Rep(rp, j, persona, tenure, skills))
        mgrs.append(mgr)
    return Org(seed=seed, start=start, weeks=weeks, directors=directors, managers=mgrs)
