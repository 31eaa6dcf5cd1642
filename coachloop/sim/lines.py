"""The line library: templates from ``lines.yaml`` and the slot values that fill them.

Templates are Python format strings with named slots (``{account}``, ``{contact}``…).
A :class:`Slots` object holds one meeting's context (the rep, the deals, the dates) and
draws a fresh value for the "any" slots (numbers, weekdays) each time a line asks, so
two 1:1s, and two lines of one 1:1, rarely read alike.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


FIRST_NAMES = _words(
    "Aisha Alex Amara Ana Andre Anika Ben Bianca Carlos Chen Chloe Daniel Dara Diego Elena "
    "Emeka Erik Fatima Felix Grace Hana Hugo Imani Isaac Ivy Jamal Jonas Julia Kai Kenji Lara "
    "Leo Lina Luca Maya Mei Mateo Nadia Nikhil Nora Omar Oscar Priya Quinn Rafael Rosa Sam "
    "Sana Sofia Tariq Theo Uma Victor Wen Yara Yusuf Zara Zoe Ines Marek Olga Pablo Ravi Sean "
    "Tomas Ulla Vera Wiktor Xavier Yasmin Aurelie Bruno Celine Dmitri Esme Farid Gita Henrik"
)
LAST_NAMES = _words(
    "Abbott Adeyemi Alvarez Andersen Banerjee Becker Bianchi Brennan Castillo Chowdhury Costa "
    "Dubois Eriksen Fischer Fontaine Garcia Gupta Hansen Haddad Ito Jansen Kaur Kim Kowalski "
    "Larsen Lopez Mahmoud Martin Meyer Moreau Nakamura Novak Obi Okafor Olsen Park Patel Petrov "
    "Quinn Rossi Russo Sato Schmidt Silva Singh Sokolov Suzuki Tanaka Torres Ueda Varga Vogel "
    "Wagner Walsh Weber Wong Yilmaz Young Zhang Ziegler Moretti Lindqvist Horvat Keane Dalton"
)
ACCOUNTS = _words(
    "Acme Logistics, Northwind Health, Bluepeak Energy, Cobalt Foods, Delta Mutual, Everlane "
    "Retail, Fjord Analytics, Granite Bank, Harbor Freight Lines, Ironwood Labs, Juniper "
    "Schools, Kestrel Aviation, Lumen Media, Meridian Insurance, Nimbus Telecom, Orchard Pharma, "
    "Pioneer Steel, Quartz Software, Redwood Hotels, Summit Capital, Tidewater Ports, Umbra "
    "Security, Vantage Motors, Willow Care, Xenon Chemicals, Yellowstone Outdoor, Zephyr Travel, "
    "Atlas Mining, Beacon Credit, Cascade Water, Driftwood Homes, Ember Games, Falcon Freight, "
    "Gemstone Jewelry, Helix Bio, Indigo Fashion, Jetstream Airlines, Keystone Realty, Lattice "
    "Robotics, Monarch Dairy, Nova Clinics, Onyx Legal, Prism Optics, Quill Publishing, Ridge "
    "Construction, Sterling Wealth, Trident Marine, Unity Credit Union, Vertex Semiconductors",
    ", ",
)
COMPETITORS = (
    "Vendora",
    "Quotient",
    "Brightlane",
    "Northstar Sales",
    "Pipewise",
    "a homegrown tool",
)
STAGES = ("discovery", "qualification", "solution design", "proposal", "negotiation")
INTERNAL_MEETINGS = (
    "weekly ops review",
    "product feedback council",
    "QBR prep session",
    "enablement working group",
    "territory planning sync",
    "CRM migration workshop",
    "marketing alignment call",
    "deal desk review",
)
EVENTS = ("conference", "offsite", "team dinner", "customer event", "trade show", "hackathon")
SPORTS = ("soccer", "basketball", "swim", "volleyball", "hockey", "tennis")
STREETS = ("Main Street", "the waterfront", "Market Square", "King Street", "the old harbour")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = _words(
    "January February March April May June July August September October November December"
)

TOPICS = ("deal_debrief", "pipeline", "forecast", "objections", "onboarding", "career", "wellbeing")


@cache
def library() -> dict[str, Any]:
    """The parsed line library (``coachloop/sim/lines.yaml``)."""
    text = resources.files("coachloop.sim").joinpath("lines.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def count_templates(node: Any = None) -> int:
    """How many line templates the library holds (for docs and tests)."""
    node = library() if node is None else node
    if isinstance(node, str):
        return 1
    if isinstance(node, list):
        return sum(count_templates(x) for x in node)
    if isinstance(node, dict):
        return sum(count_templates(v) for v in node.values())
    return 0


def slot_names() -> set[str]:
    """Every slot name used by a template of the library."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            for _, field, _, _ in string.Formatter().parse(node):
                if field:
                    names.add(field)
        elif isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for x in node.values():
                walk(x)

    walk(library())
    return names


def _money(rng: random.Random, lo: int, hi: int) -> str:
    value = rng.randrange(lo, hi) * 1000
    if value >= 1_000_000:
        return f"${value / 1_000_000:.1f} million"
    return f"${value // 1000}k"


def _when(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


class Slots(dict[str, Any]):
    """One meeting's slot values; unknown keys are drawn on demand (``__missing__``).

    Context slots (rep, manager, deals, the focus skill) are set by the conversation
    generator; number and date slots are drawn fresh each time a template asks.
    """

    def __init__(self, rng: random.Random, day: date, **context: Any) -> None:
        super().__init__(context)
        self.rng = rng
        self.day = day

    def __missing__(self, key: str) -> Any:
        rng = self.rng
        if key == "account2":
            return rng.choice(ACCOUNTS)
        if key == "amount":
            return _money(rng, 18, 420)
        if key == "amount2":
            return _money(rng, 420, 900)
        if key == "pct":
            return str(rng.randrange(38, 96))
        if key == "n":
            return str(rng.randrange(6, 24))
        if key == "n_small":
            return rng.choice(("two", "three", "four", "five"))
        if key == "n_calls":
            return rng.choice(("five", "six", "eight", "ten"))
        if key == "n_weeks":
            return rng.choice(("three", "four", "five", "six"))
        if key == "minute":
            return str(rng.randrange(3, 28))
        if key == "weekday_past":
            return rng.choice(WEEKDAYS)
        if key in ("weekday_next", "weekday_next2"):
            return rng.choice(WEEKDAYS)
        if key == "date":
            return _when(self.day + timedelta(days=rng.randrange(4, 40)))
        if key == "date_past":
            return _when(self.day - timedelta(days=rng.randrange(1, 12)))
        if key == "competitor":
            return rng.choice(COMPETITORS)
        if key == "stage":
            return rng.choice(STAGES)
        if key == "internal_meeting":
            return rng.choice(INTERNAL_MEETINGS)
        if key == "event":
            return rng.choice(EVENTS)
        if key == "sport":
            return rng.choice(SPORTS)
        if key == "street":
            return rng.choice(STREETS)
        if key == "team_n":
            return str(rng.randrange(8, 15))
        if key == "team_top":
            return str(rng.randrange(15, 22))
        if key == "rep_n":
            return str(rng.randrange(3, 20))
        if key == "cmp_word":
            return rng.choice(("below the middle", "above the middle", "near the bottom"))
        if key == "cmp_rank":
            return rng.choice(("second", "fourth", "sixth", "seventh"))
        if key == "team_size":
            return str(rng.randrange(6, 11))
        raise KeyError(key)

    def fill(self, template: str) -> str:
        return template.format_map(self)


def topic_phrase(topic: str, slots: Slots) -> str:
    phrase: str = library()["topics"][topic]
    return slots.fill(phrase)
