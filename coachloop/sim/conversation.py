"""The conversation generator: a manager's parameters + a rep persona → a 1:1 script.

A script is a list of :class:`Turn` (who speaks, the filled line, the kind of move and
how it overlaps the previous turn); :mod:`coachloop.sim.timing` gives it times.

Shape of a 1:1: greeting and small talk, (an apology when the meeting was moved), an
agenda, then topic segments until the meeting's target length is reached, then
commitments and goodbye. Inside each segment the manager's parameters decide the moves:

* ``tell_before_ask``: open the segment with advice before any question;
* ``question_rate`` / ``open_question_share``: each exchange is a question (open or
  closed/leading) or a tell;
* ``interruption_rate``: the manager cuts a long rep answer short and tells;
* one coaching moment per segment: feedback on a rep skill — the cycle's focus skill with
  probability ``topic_focus``, else another — with evidence (a dated, quoted or counted
  observation) with probability ``evidence_use``; framed as an outcome to hit with
  probability ``outcome_focus``, else as a behaviour to practise; followed by a team
  comparison with probability ``benchmark_use``;
* ``calendar_protection``: whether a calendar remark protects the rep's selling time or
  books it for internal meetings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from coachloop.sim.lines import ACCOUNTS, FIRST_NAMES, LAST_NAMES, Slots, library, topic_phrase
from coachloop.sim.org import PERSONAS, RATED_SKILLS, Manager, Rep

SPEAKS_PER_SECOND = 2.5  # a rough rate for planning the length; timing.py sets real rates
FILLERS = ("um,", "uh,", "so,", "you know,", "I mean,", "like,")
#: First words that keep their capital after a filler ("Um, I…", "Uh, Nadia said…").
KEEP_CAPITAL = frozenset(
    {w for a in ACCOUNTS for w in a.split()} | set(FIRST_NAMES) | set(LAST_NAMES)
)


def _keeps_capital(word: str) -> bool:
    word = word.strip(",.?!:;\"'")
    return word == "I" or word.startswith("I'") or word in KEEP_CAPITAL or word.isupper()


@dataclass(frozen=True, slots=True)
class Turn:
    who: str  # "manager" | "rep"
    text: str
    kind: str  # the library section, e.g. "open_question", "feedback_evidence", "backchannel"
    overlap: str = ""  # "" | "backchannel" (inside the previous turn) | "interrupt"
    skill: str | None = None  # the rep skill a coaching move is about


def rep_accounts(rep: Rep, seed: int) -> list[tuple[str, str]]:
    """The rep's book of deals: (account, contact) pairs that recur week after week."""
    rng = random.Random(f"accounts:{seed}:{rep.person.email}")
    accounts = rng.sample(ACCOUNTS, 6)
    return [(a, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}".split()[0]) for a in accounts]


def focus_skill(rep: Rep, cycle: int) -> str:
    """The rep skill the manager coaches in a cycle: the weakest two, alternating."""
    weakest = sorted(RATED_SKILLS, key=lambda s: (rep.skills[s], s))
    return weakest[cycle % 2]


class _Script:
    def __init__(
        self, rng: random.Random, slots: Slots, params: dict[str, float], verbosity: float
    ):
        self.rng = rng
        self.slots = slots
        self.p = params
        self.verbosity = verbosity
        self.turns: list[Turn] = []
        self.words = 0
        self.recent: list[str] = []
        lib = library()
        self.m: dict[str, Any] = lib["manager"]
        self.r: dict[str, Any] = lib["rep"]
        self.skills: dict[str, Any] = lib["skills"]

    # -- output ---------------------------------------------------------------------------
    def say(
        self, who: str, text: str, kind: str, overlap: str = "", skill: str | None = None
    ) -> None:
        self.turns.append(Turn(who, text, kind, overlap, skill))
        self.words += len(text.split())

    def pick(self, pool: list[str]) -> str:
        """A template from ``pool``, avoiding the last few used when the pool allows."""
        choice = self.rng.choice(pool)
        for _ in range(3):
            if choice not in self.recent:
                break
            choice = self.rng.choice(pool)
        self.recent.append(choice)
        if len(self.recent) > 8:
            self.recent.pop(0)
        return choice

    def line(self, pool: list[str]) -> str:
        return self.slots.fill(self.pick(pool))

    def seconds(self) -> float:
        return self.words / SPEAKS_PER_SECOND + 0.7 * len(self.turns)

    def maybe_filler(self, text: str, p: float) -> str:
        if self.rng.random() < p:
            filler = self.rng.choice(FILLERS)
            if not _keeps_capital(text.split(" ", 1)[0]):
                text = text[0].lower() + text[1:]
            return f"{filler[0].upper()}{filler[1:]} {text}"
        return text

    # -- moves ----------------------------------------------------------------------------
    def manager(self, kind: str, topic: str | None = None, **kw: Any) -> None:
        pool = self.m[kind]
        if isinstance(pool, dict):
            pool = pool[topic]
        self.say("manager", self.maybe_filler(self.line(pool), 0.06), kind, **kw)

    def skill_line(self, skill: str, kind: str) -> str:
        return self.slots.fill(self.pick(self.skills[skill][kind]))

    def rep_answer(self, area: str, skill: str | None) -> None:
        """A long answer, maybe interrupted (the manager then tells), maybe with backchannels."""
        parts = [self.line(self.r["answer"][area])]
        n_extra = self.rng.choices((0, 1, 2), (1.0, 1.2 * self.verbosity, 0.6 * self.verbosity))[0]
        for _ in range(n_extra):
            parts.append(self.line(self.r["extra_sentence"]))
        text = self.maybe_filler(" ".join(parts), 0.2)
        words = text.split()
        if self.rng.random() < self.p["interruption_rate"] and len(words) > 8:
            cut = max(4, int(len(words) * self.rng.uniform(0.4, 0.75)))
            self.say("rep", " ".join(words[:cut]).rstrip(",.") + "—", "answer_interrupted")
            tell = self.skill_line(skill, "advice") if skill else self.line(self.m["advice"][area])
            self.say(
                "manager",
                self.line(self.m["interrupt"]) + " " + tell,
                "advice",
                overlap="interrupt",
                skill=skill,
            )
            self.rep("ack")
            return
        if len(words) > 18 and self.rng.random() < 0.6:
            cut = len(words) // 2
            self.say("rep", " ".join(words[:cut]), "answer")
            self.say(
                "manager", self.line(self.m["backchannel"]), "backchannel", overlap="backchannel"
            )
            self.say("rep", " ".join(words[cut:]), "answer")
        else:
            self.say("rep", text, "answer")

    def rep(self, kind: str) -> None:
        self.say("rep", self.line(self.r[kind]), kind)

    def skill_text(self, skill: str) -> None:
        """Put one skill's phrases into the slots (filled, since they hold slots too)."""
        sk = self.skills[skill]
        fill = self.slots.fill
        self.slots["skill_name"] = sk["name"]
        self.slots["skill_metric"] = sk["metric"]
        self.slots["skill_do"] = fill(self.rng.choice(sk["do"]))
        self.slots["skill_obs"] = fill(self.rng.choice(sk["obs"]))
        self.slots["skill_count"] = fill(sk["count"])

    def tell(self, skill: str) -> None:
        """One piece of telling: skill advice, or (outcome focus) a result to hit."""
        if self.rng.random() < self.p["outcome_focus"]:
            self.manager("outcome_talk")
        else:
            self.say(
                "manager",
                self.maybe_filler(self.skill_line(skill, "advice"), 0.05),
                "advice",
                skill=skill,
            )

    def coaching(self, skill: str, benchmark: bool) -> None:
        rng, p = self.rng, self.p
        self.skill_text(skill)
        kind = "feedback_evidence" if rng.random() < p["evidence_use"] else "feedback_vague"
        self.manager(kind, skill=skill)
        self.rep("reflect" if rng.random() < 0.6 else "ack")
        if rng.random() < p["outcome_focus"]:
            self.manager("outcome_talk")
        else:
            self.manager("behavior_talk", skill=skill)
        self.rep("ack")
        if benchmark:
            self.manager("benchmark", skill=skill)
            self.rep("ack")

    def skill_segment(self, skill: str, benchmark: bool) -> None:
        """A stretch of the 1:1 about one rep skill, ending in a coaching moment."""
        rng, p = self.rng, self.p
        area = self.skills[skill]["area"]
        told_first = rng.random() < p["tell_before_ask"]
        if told_first:
            self.tell(skill)
            self.rep("ack")
            if rng.random() < 0.5:
                self.tell(skill)
                self.rep("ack" if rng.random() < 0.7 else "short_answer")
        else:
            # Ask about the skill before any telling on it.
            if rng.random() < p["open_question_share"]:
                self.say("manager", self.skill_line(skill, "ask"), "open_question", skill=skill)
                self.rep_answer(area, skill)
            else:
                self.say("manager", self.skill_line(skill, "check"), "closed_question", skill=skill)
                self.rep("short_answer")
        for _ in range(rng.randint(2, 4)):
            if rng.random() < p["question_rate"]:
                if rng.random() < p["open_question_share"]:
                    self.manager("followup_open")
                    self.rep_answer(area, skill)
                else:
                    self.manager("leading_question" if rng.random() < 0.2 else "closed_status")
                    self.rep("short_answer")
            else:
                self.tell(skill)
                if rng.random() < 0.35:
                    self.say(
                        "rep",
                        self.line(self.r["backchannel"]),
                        "backchannel",
                        overlap="backchannel",
                    )
                self.rep("ack")
        self.coaching(skill, benchmark)

    def personal_segment(self, area: str) -> None:
        """Onboarding, career or wellbeing: open talk with no rep skill in it."""
        rng, p = self.rng, self.p
        if rng.random() < p["tell_before_ask"]:
            self.manager("advice", area)
            self.rep("ack")
        self.manager("open_question", area)
        self.rep_answer(area, None)
        for _ in range(rng.randint(1, 2)):
            if rng.random() < p["question_rate"]:
                self.manager("followup_open")
                self.rep_answer(area, None)
            else:
                self.manager("advice", area)
                self.rep("ack")


PERSONAL_AREAS = ("onboarding", "career", "wellbeing")


def generate_script(
    *,
    manager: Manager,
    rep: Rep,
    params: dict[str, float],
    cycle: int,
    day: date,
    target_seconds: float,
    rng: random.Random,
    seed: int,
    moved: bool = False,
) -> list[Turn]:
    """One 1:1 as a list of turns (see the module docstring for the shape)."""
    persona = PERSONAS[rep.persona]
    deals = rep_accounts(rep, seed)
    account, contact = rng.choice(deals)
    slots = Slots(
        rng,
        day,
        rep_first=rep.person.first,
        mgr_first=manager.person.first,
        account=account,
        contact=contact,
        peer=rng.choice(FIRST_NAMES),
    )
    s = _Script(rng, slots, params, persona["verbosity"])
    focus = focus_skill(rep, cycle)
    # A manager who drifts off the focus drifts to a few pet skills, not to all of them.
    # How many of them a 1:1 strays to falls with the focus level: 1 + round(3(1 − f)),
    # so a focused manager strays to one skill at most, a scattered one to four.
    pets = random.Random(f"pets:{seed}:{manager.person.email}").sample(RATED_SKILLS, 5)
    n_pets = 1 + round(3.0 * (1.0 - params["topic_focus"]))
    others = [k for k in pets if k != focus][:n_pets]
    personal = [a for a in PERSONAL_AREAS if a in persona["topics"]]
    personal_w = [persona["topics"][a] for a in personal]

    s.manager("greeting")
    s.rep("greeting")
    if rng.random() < 0.6:
        s.manager("smalltalk")
        s.rep("smalltalk")
    if moved:
        s.manager("cadence_apology")
        s.rep("ack")

    # Error diffusion: the share of skill segments on the focus follows the level closely
    # (not a coin per segment), and strays visit the pet skills in turn.
    acc: list[float] = [rng.random(), 0]

    def pick() -> tuple[str, bool]:
        """The next segment: (skill or personal area, is_skill)."""
        if personal and rng.random() < 0.18:
            return rng.choices(personal, personal_w)[0], False
        before = acc[0]
        acc[0] += params["topic_focus"]
        if int(acc[0]) > int(before):
            return focus, True
        acc[1] += 1
        return others[int(acc[1] - 1) % len(others)], True

    plan = [pick(), pick()]
    slots["topic_a"] = _agenda_name(plan[0], slots)
    slots["topic_b"] = _agenda_name(plan[1], slots)
    if slots["topic_b"] == slots["topic_a"]:
        slots["topic_b"] = "a couple of other things"
    s.manager("agenda")
    s.rep("agenda")
    # Benchmarks: a binomial number per meeting, so the count (not a cap) carries the level.
    n_bench = sum(rng.random() < params["benchmark_use"] for _ in range(3))
    closing_reserve = 60.0
    n_seg = 0
    skill_segments = 0
    while n_seg < 2 or s.seconds() < target_seconds - closing_reserve:
        what, is_skill = plan.pop(0) if plan else pick()
        account, contact = rng.choice(deals)
        slots["account"], slots["contact"] = account, contact
        if n_seg:
            slots["topic_a"] = _agenda_name((what, is_skill), slots)
            s.manager("transition")
        n_seg += 1
        if is_skill:
            s.skill_segment(what, benchmark=skill_segments < n_bench)
            skill_segments += 1
        else:
            s.personal_segment(what)
    if rng.random() < 0.5:
        s.manager(
            "calendar_protect"
            if rng.random() < params["calendar_protection"]
            else "calendar_intrude"
        )
        s.rep("ack")
    s.manager("commitment_ask")
    s.skill_text(focus)
    s.rep("commitment")
    s.manager("close")
    s.rep("close")
    return s.turns


def _agenda_name(item: tuple[str, bool], slots: Slots) -> str:
    what, is_skill = item
    if is_skill:
        area = library()["skills"][what]["area"]
        return topic_phrase(area, slots)
    return topic_phrase(what, slots)
