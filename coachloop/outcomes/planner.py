"""Programme planner: a classroom programme vs the behavioural loop, in hours and money.

Every figure follows from :data:`PARAMETERS`, each with a default, a unit and where the
default comes from. Only a few defaults have a published source, and those sources back
the *shape* of an assumption (a 70/20/10 split, an exponential forgetting curve, spacing
beats massing), not a dollar figure; every other default says ``assumption`` — replace
it with your own number (``--set name=value``).

Both programmes give each manager the same ``hours`` of development, split over five
activities (theory, case studies, scenario practice, observed real work, real 1:1
practice). What differs is how the hours are split, who delivers them and whether they
cost the manager extra time: real 1:1 practice happens in 1:1s the manager holds anyway.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coachloop.errors import AnalysisError

ACTIVITIES: tuple[str, ...] = (
    "theory",
    "case_studies",
    "scenario_practice",
    "observed_real_work",
    "real_1on1_practice",
)
PROGRAMMES: tuple[str, ...] = ("classroom", "loop")

ASSUMPTION = "assumption"
LOMBARDO = (
    "Lombardo & Eichinger (1996), The Career Architect Development Planner: the 70-20-10 "
    "model (70% challenging experience, 20% developmental relationships, 10% coursework)"
)
EBBINGHAUS = (
    "Ebbinghaus (1885), Über das Gedächtnis: retention falls off roughly exponentially "
    "with time (the functional form only; the time constant is an assumption)"
)
CEPEDA = (
    "Cepeda, Pashler, Vul, Wixted & Rohrer (2006), Distributed practice in verbal recall "
    "tasks, Psychological Bulletin 132(3): spaced practice is retained better than massed "
    "(the direction only; the size of the multiplier is an assumption)"
)


@dataclass(frozen=True)
class Parameter:
    name: str
    default: float
    unit: str
    source: str
    help: str


def _p(name: str, default: float, unit: str, source: str, help: str) -> Parameter:
    return Parameter(name, default, unit, source, help)


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in [
        # --- how each programme splits a manager's hours (shares sum to 1) ---
        _p("classroom_theory", 0.40, "share", ASSUMPTION, "classroom hours spent on theory"),
        _p("classroom_case_studies", 0.30, "share", ASSUMPTION, "classroom hours on case studies"),
        _p("classroom_scenario_practice", 0.25, "share", ASSUMPTION, "role-play in the room"),
        _p(
            "classroom_observed_real_work",
            0.05,
            "share",
            ASSUMPTION,
            "a facilitator sits in on a real 1:1",
        ),
        _p(
            "classroom_real_1on1_practice",
            0.0,
            "share",
            ASSUMPTION,
            "a classroom programme does not follow managers into their 1:1s",
        ),
        _p(
            "loop_theory",
            0.05,
            "share",
            LOMBARDO + "; the split of the 10% is an assumption",
            "short self-paced explanations of the focus behaviour",
        ),
        _p(
            "loop_case_studies",
            0.0,
            "share",
            ASSUMPTION,
            "none: the manager's own 1:1s are the cases",
        ),
        _p(
            "loop_scenario_practice",
            0.05,
            "share",
            LOMBARDO + "; the split of the 10% is an assumption",
            "practice with the virtual rep",
        ),
        _p(
            "loop_observed_real_work",
            0.20,
            "share",
            LOMBARDO + " (the 20%)",
            "a coach debriefs the manager on their scored, recorded 1:1s",
        ),
        _p(
            "loop_real_1on1_practice",
            0.70,
            "share",
            LOMBARDO + " (the 70%)",
            "practising the focus behaviour in real 1:1s",
        ),
        # --- delivery ---
        _p("class_size", 20, "managers per class", ASSUMPTION, "managers in one classroom cohort"),
        _p(
            "facilitator_rate", 250.0, "$ per hour", ASSUMPTION, "external facilitator day rate / 8"
        ),
        _p(
            "facilitator_prep_ratio",
            1.0,
            "prep hours per delivery hour",
            ASSUMPTION,
            "preparation per classroom hour",
        ),
        _p("venue_per_participant_hour", 12.0, "$", ASSUMPTION, "room, catering, materials"),
        _p("coach_rate", 150.0, "$ per hour", ASSUMPTION, "internal or contract coach"),
        _p(
            "coach_hours_per_observed_hour",
            1.0,
            "coach hours",
            ASSUMPTION,
            "coach time for each hour of observed real work (reviewing + debriefing)",
        ),
        _p(
            "software_per_manager_year",
            600.0,
            "$ per manager per year",
            ASSUMPTION,
            "licence for scoring, scenario practice and dashboards",
        ),
        _p(
            "platform_fixed_year",
            20000.0,
            "$ per year",
            ASSUMPTION,
            "set-up, integration and administration, whatever the org size",
        ),
        _p("programme_weeks", 12, "weeks", ASSUMPTION, "length of one programme run (90 days)"),
        _p(
            "manager_hourly_cost",
            90.0,
            "$ per hour",
            ASSUMPTION,
            "loaded cost of an hour of a manager's time",
        ),
        _p(
            "real_work_extra_time_share",
            0.0,
            "share",
            ASSUMPTION,
            "extra manager time per hour of real 1:1 practice (0: the 1:1 happens anyway)",
        ),
        # --- retention ---
        _p(
            "classroom_delivery_days",
            5,
            "days",
            ASSUMPTION,
            "the classroom hours are delivered in the first N days",
        ),
        _p(
            "forgetting_time_constant_days",
            30.0,
            "days",
            EBBINGHAUS,
            "retention of massed learning after t days is exp(-t / this)",
        ),
        _p(
            "spacing_multiplier",
            2.0,
            "x",
            CEPEDA,
            "spaced practice's time constant relative to massed practice",
        ),
        _p("retention_day", 90, "day", ASSUMPTION, "the day on which retention is measured"),
    ]
}


def resolve(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Defaults with ``overrides`` applied; refuses unknown names and impossible values."""
    values = {name: p.default for name, p in PARAMETERS.items()}
    for name, value in (overrides or {}).items():
        if name not in PARAMETERS:
            raise AnalysisError(
                f"unknown planner parameter {name!r}",
                hint="see `coachloop plan --list` for the names",
            )
        if not math.isfinite(value) or value < 0:
            raise AnalysisError(f"planner parameter {name} must be a number >= 0, not {value}")
        values[name] = float(value)
    for programme in PROGRAMMES:
        total = sum(values[f"{programme}_{a}"] for a in ACTIVITIES)
        if abs(total - 1.0) > 1e-6:
            raise AnalysisError(
                f"the {programme} activity shares add up to {total:g}, not 1",
                hint=f"adjust the {programme}_* shares with --set",
            )
    if values["class_size"] < 1:
        raise AnalysisError("class_size must be at least 1")
    return values


def hours_by_activity(values: Mapping[str, float], hours: float) -> dict[str, dict[str, float]]:
    return {
        programme: {a: hours * values[f"{programme}_{a}"] for a in ACTIVITIES}
        for programme in PROGRAMMES
    }


GROUP_ACTIVITIES = ("theory", "case_studies", "scenario_practice")


def classroom_cost(values: Mapping[str, float], managers: int, hours: float) -> dict[str, float]:
    """Delivery cost of the classroom programme and the manager time it takes."""
    h = hours_by_activity(values, hours)["classroom"]
    classes = math.ceil(managers / values["class_size"])
    group_hours = sum(h[a] for a in GROUP_ACTIVITIES)
    facilitation = (
        classes * group_hours * values["facilitator_rate"] * (1 + values["facilitator_prep_ratio"])
    )
    venue = managers * group_hours * values["venue_per_participant_hour"]
    observation = managers * h["observed_real_work"] * values["facilitator_rate"]
    delivery = facilitation + venue + observation
    extra_hours = hours - h["real_1on1_practice"] * (1 - values["real_work_extra_time_share"])
    time = managers * extra_hours * values["manager_hourly_cost"]
    return {
        "classes": classes,
        "facilitation": facilitation,
        "venue": venue,
        "observation": observation,
        "delivery": delivery,
        "manager_time": time,
        "total": delivery + time,
        "delivery_per_manager": delivery / managers,
        "total_per_manager": (delivery + time) / managers,
    }


def loop_cost(values: Mapping[str, float], managers: int, hours: float) -> dict[str, float]:
    """Delivery cost of the behavioural loop and the manager time it takes."""
    h = hours_by_activity(values, hours)["loop"]
    years = values["programme_weeks"] / 52
    platform = values["platform_fixed_year"] * years
    software = managers * values["software_per_manager_year"] * years
    coaching = (
        managers
        * h["observed_real_work"]
        * values["coach_hours_per_observed_hour"]
        * values["coach_rate"]
    )
    delivery = platform + software + coaching
    extra_hours = hours - h["real_1on1_practice"] * (1 - values["real_work_extra_time_share"])
    time = managers * extra_hours * values["manager_hourly_cost"]
    return {
        "platform": platform,
        "software": software,
        "coaching": coaching,
        "delivery": delivery,
        "manager_time": time,
        "total": delivery + time,
        "delivery_per_manager": delivery / managers,
        "total_per_manager": (delivery + time) / managers,
    }


def retained_hours(values: Mapping[str, float], hours: float) -> dict[str, float]:
    """Practice hours still retained on ``retention_day`` under the forgetting-curve assumption.

    Classroom: hours spread evenly over the first ``classroom_delivery_days`` days, time
    constant ``forgetting_time_constant_days``. Loop: hours spread evenly over the
    programme's weeks, time constant times ``spacing_multiplier``. Averaged day by day.
    """
    day = values["retention_day"]
    tau = values["forgetting_time_constant_days"]

    def retained(days: int, constant: float) -> float:
        days = max(1, int(days))
        return sum(hours / days * math.exp(-(day - d) / constant) for d in range(days) if d <= day)

    return {
        "classroom": retained(int(values["classroom_delivery_days"]), tau),
        "loop": retained(int(values["programme_weeks"] * 7), tau * values["spacing_multiplier"]),
    }


DEFAULT_SIZES: tuple[int, ...] = (25, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class Plan:
    managers: int
    hours: float
    values: dict[str, float]
    hours_by_activity: dict[str, dict[str, float]]
    cost: dict[str, dict[str, float]]
    retained: dict[str, float]
    growth: list[dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "managers": self.managers,
            "hours_per_manager": self.hours,
            "hours_by_activity": self.hours_by_activity,
            "cost": self.cost,
            "retained_hours_at_day": {"day": self.values["retention_day"], **self.retained},
            "cost_per_manager_by_org_size": self.growth,
            "parameters": [
                {
                    "name": name,
                    "value": self.values[name],
                    "default": p.default,
                    "unit": p.unit,
                    "source": p.source,
                    "help": p.help,
                }
                for name, p in PARAMETERS.items()
            ],
        }


def plan(
    *,
    managers: int,
    hours: float,
    overrides: Mapping[str, float] | None = None,
    sizes: Sequence[int] = DEFAULT_SIZES,
) -> Plan:
    """Hours, cost and retention of both programmes for ``managers`` and as the org grows."""
    if managers < 1:
        raise AnalysisError("--managers must be at least 1")
    if hours <= 0:
        raise AnalysisError("--hours must be more than 0")
    values = resolve(overrides)
    sizes = sorted({*sizes, managers})
    growth = []
    for n in sizes:
        c, lp = classroom_cost(values, n, hours), loop_cost(values, n, hours)
        growth.append(
            {
                "managers": n,
                "classroom_delivery_per_manager": c["delivery_per_manager"],
                "loop_delivery_per_manager": lp["delivery_per_manager"],
                "classroom_total_per_manager": c["total_per_manager"],
                "loop_total_per_manager": lp["total_per_manager"],
            }
        )
    return Plan(
        managers=managers,
        hours=hours,
        values=values,
        hours_by_activity=hours_by_activity(values, hours),
        cost={
            "classroom": classroom_cost(values, managers, hours),
            "loop": loop_cost(values, managers, hours),
        },
        retained=retained_hours(values, hours),
        growth=growth,
    )


def plan_chart(p: Plan) -> bytes:
    """Hours by activity (stacked bars) and cost per manager as the org grows, PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.8))
    colours = ["#4575b4", "#91bfdb", "#fee090", "#fc8d59", "#d73027"]
    bottoms = [0.0, 0.0]
    for activity, colour in zip(ACTIVITIES, colours, strict=True):
        vals = [p.hours_by_activity[prog][activity] for prog in PROGRAMMES]
        left.bar(PROGRAMMES, vals, bottom=bottoms, color=colour, label=activity.replace("_", " "))
        bottoms = [b + v for b, v in zip(bottoms, vals, strict=True)]
    left.set_ylabel("hours per manager")
    left.set_title("where the hours go")
    left.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    sizes = [g["managers"] for g in p.growth]
    for key, label, style in [
        ("classroom_total_per_manager", "classroom (incl. manager time)", "-"),
        ("loop_total_per_manager", "loop (incl. manager time)", "-"),
        ("classroom_delivery_per_manager", "classroom (delivery only)", "--"),
        ("loop_delivery_per_manager", "loop (delivery only)", "--"),
    ]:
        colour = "#762a83" if key.startswith("classroom") else "#1b7837"
        right.plot(
            sizes, [g[key] for g in p.growth], style, marker="o", ms=3, color=colour, label=label
        )
    right.set_xscale("log")
    right.set_xlabel("managers in the programme")
    right.set_ylabel("$ per manager")
    right.set_title("cost per manager as the org grows")
    right.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()
