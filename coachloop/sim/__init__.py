"""The simulation lab: a synthetic sales org whose managers' 1:1s, calendars, ratings and
KPIs are generated from known behaviour parameters, with the ground truth beside them.

Public API
----------
``simulate_org(out_dir, *, managers, weeks, seed, ...) -> SimSummary``
    write an org to a folder (see :mod:`coachloop.sim.run` for the layout);
``plan_org(managers=, weeks=, seed=)``
    the org and each manager's true trajectory, without files;
``simulate_meeting(plan, params, seed=)``
    one 1:1 as a :class:`~coachloop.model.Meeting`.

How the pieces fit: docs/simulation.md.
"""

from __future__ import annotations

from coachloop.sim.managers import BEHAVIORS, Dynamics
from coachloop.sim.meetings import MeetingPlan, simulate_meeting
from coachloop.sim.run import SimSummary, plan_org, simulate_org

__all__ = [
    "BEHAVIORS",
    "Dynamics",
    "MeetingPlan",
    "SimSummary",
    "plan_org",
    "simulate_meeting",
    "simulate_org",
]
