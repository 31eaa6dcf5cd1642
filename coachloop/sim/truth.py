"""How well the product measures the simulated truth.

:func:`recovery` compares, across managers, the true mean level of each behaviour
(``truth.json``) with what the workspace measured: transcript behaviours as the mean
over each manager's stored 1:1 scores, calendar behaviours as the mean of the weekly
cycle scores. The result is Spearman's rho per behaviour (scipy), with the number of
managers behind it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import fmean
from typing import Any

from coachloop.sim.managers import BEHAVIORS, TRANSCRIPT_BEHAVIORS


def recovery(
    truth: Mapping[str, Any],
    meetings: Sequence[Mapping[str, Any]],
    cycles: Sequence[Sequence[Mapping[str, Any]]] = (),
) -> dict[str, dict[str, Any]]:
    """Spearman's rho between true and measured levels, per behaviour, across managers.

    ``meetings`` are rows like ``Workspace.meetings()`` (``manager_email``, ``scores``);
    ``cycles`` are the weekly results of ``Workspace.cycle`` (for the calendar behaviours).
    """
    from scipy.stats import spearmanr

    measured: dict[str, dict[str, list[float]]] = {}
    for row in meetings:
        mine = measured.setdefault(str(row.get("manager_email")), {})
        for b in TRANSCRIPT_BEHAVIORS:
            value = (row.get("scores") or {}).get(b)
            if value is not None:
                mine.setdefault(b, []).append(float(value))
    for week in cycles:
        for res in week:
            mine = measured.setdefault(str(res.get("manager")), {})
            for b in BEHAVIORS[len(TRANSCRIPT_BEHAVIORS) :]:
                value = ((res.get("behaviors") or {}).get(b) or {}).get("score")
                if value is not None:
                    mine.setdefault(b, []).append(float(value))
    out: dict[str, dict[str, Any]] = {}
    for b in BEHAVIORS:
        pairs = [
            (m["mean_levels"][b], fmean(measured[m["email"]][b]))
            for m in truth["managers"]
            if measured.get(m["email"], {}).get(b)
        ]
        if len(pairs) < 3:
            out[b] = {"rho": None, "managers": len(pairs)}
            continue
        rho = spearmanr([p[0] for p in pairs], [p[1] for p in pairs])[0]
        out[b] = {"rho": round(float(rho), 3), "managers": len(pairs)}
    return out
