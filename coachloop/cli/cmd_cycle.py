"""``coachloop cycle`` (the weekly cycle and briefs) and ``coachloop curves``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from coachloop.cli.cmd_workspace import (
    BEHAVIOR_SHORT,
    OUTPUT_OPTION,
    WORKSPACE_OPTION,
    emit_rows,
    open_workspace,
)
from coachloop.cli.common import TableFormat, emit_csv, emit_json, handle_errors, out_console, warn


def _flat(result: dict[str, Any]) -> dict[str, Any]:
    row = {
        k: result[k] for k in ("manager", "week", "focus", "meetings", "scenario_id", "cycle_start")
    }
    for b, v in result["behaviors"].items():
        row[b] = v["score"]
        row[f"{b}_delta_week"] = v["delta_week"]
        row[f"{b}_delta_baseline"] = v["delta_baseline"]
        row[f"{b}_meetings"] = v["meetings"]
    return row


def register(app: typer.Typer) -> None:
    @app.command("cycle")
    def cycle_cmd(
        week: str = typer.Option(
            None, "--week", help="ISO week, e.g. 2026-W47 (default: last complete week with data)."
        ),
        briefs: Path = typer.Option(
            None, "--briefs", help="Write Markdown briefs into this folder."
        ),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """The weekly cycle: each manager's scores and deltas, ONE focus per cycle, the
        practice scenario and evidence; stored so the focus persists.

        Example: coachloop cycle --week 2026-W47 --briefs briefs/ -o json
        """
        with handle_errors(), open_workspace(workspace) as ws:
            if briefs is not None:
                from coachloop.workspace.briefs import write_briefs

                write_briefs([], briefs)  # the folder can be made, before the cycle is stored
            results = ws.cycle(week=week)
            if briefs is not None:
                written = write_briefs(results, briefs)
                warn(f"wrote {len(written)} briefs to {briefs}")
        if output is TableFormat.json:
            emit_json(results)
        elif output is TableFormat.csv:
            rows = [_flat(r) for r in results]
            emit_csv(rows, list(rows[0]) if rows else ["manager"])
        else:
            from rich.table import Table

            table = Table(
                title=f"cycle {results[0]['week']}" if results else "cycle", show_edge=False
            )
            for col in [
                "manager",
                "1:1s",
                "focus",
                *BEHAVIOR_SHORT.values(),
            ]:  # deltas vs last week
                table.add_column(col)
            for r in results:
                cells = []
                for b in BEHAVIOR_SHORT:
                    v = r["behaviors"][b]
                    if v["score"] is None:
                        cells.append("—")
                    else:
                        d = v["delta_week"]
                        cells.append(
                            f"{v['score']:.0f}" + (f" ({d:+.0f})" if d is not None else "")
                        )
                focus = BEHAVIOR_SHORT.get(r["focus"], r["focus"]) if r["focus"] else "—"
                table.add_row(r["name"], str(r["meetings"]), focus, *cells)
            out_console.print(table)

    @app.command("curves")
    def curves_cmd(
        manager: str = typer.Option(..., "--manager", help="Manager e-mail."),
        behavior: str = typer.Option(None, "--behavior", help="One behaviour id (default: all)."),
        workspace: str = WORKSPACE_OPTION,
        output: TableFormat = OUTPUT_OPTION,
    ) -> None:
        """Weekly series per behaviour (recorded 1:1s and practice apart), with the slope,
        its 95 % CI and a change-point test.

        Example: coachloop curves --manager ana@example.com --behavior ask_before_tell -o json
        """
        with handle_errors(), open_workspace(workspace) as ws:
            curves = ws.curves(manager, behavior=behavior)
        if output is TableFormat.json:
            emit_json(curves)
            return
        rows = []
        for c in curves:
            for series in ("recorded", "practice"):
                for p in c[series]:
                    rows.append(
                        {
                            "behavior": c["behavior"],
                            "series": series,
                            "week": p["week"],
                            "score": p["score"],
                            "n": p.get("meetings", p.get("sessions")),
                        }
                    )
        if output is TableFormat.csv:
            emit_csv(rows, ["behavior", "series", "week", "score", "n"])
            return
        summary = []
        for c in curves:
            for series in ("recorded", "practice"):
                t = c[f"{series}_trend"]
                summary.append(
                    {
                        "behavior": c["behavior"],
                        "series": series,
                        "weeks": t["n"],
                        "slope/week": t["slope"],
                        "95% CI": None
                        if t["ci_low"] is None
                        else f"{t['ci_low']:.2f} to {t['ci_high']:.2f}",
                        "p": None if t["p_value"] is None else f"{t['p_value']:.3f}",
                        "direction": t["direction"] or t["reason"],
                        "change week": t["change_week"],
                    }
                )
        emit_rows(
            summary,
            [
                "behavior",
                "series",
                "weeks",
                "slope/week",
                "95% CI",
                "p",
                "direction",
                "change week",
            ],
            output,
            title=f"curves for {manager}",
        )
