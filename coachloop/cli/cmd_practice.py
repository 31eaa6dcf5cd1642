"""``coachloop practice``: practise one behaviour with a virtual rep.

Interactive in the terminal (``/quit`` ends), replayed from a file of manager lines
(``--replay``), listed (``--list``), or checked (``--validate`` a scenario file an L&D
team wrote). A thin layer over :mod:`coachloop.practice`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from coachloop.cli.common import (
    EXIT_BAD_INPUT,
    ReportFormat,
    emit_json,
    err_console,
    handle_errors,
    out_console,
)
from coachloop.errors import PracticeError, WorkspaceError

if TYPE_CHECKING:
    from coachloop.practice import PracticeSession, Scenario
    from coachloop.practice.debrief import Debrief


class VoiceName(StrEnum):
    scripted = "scripted"
    llm = "llm"
    llm_endpoint = "llm-endpoint"
    llm_local = "llm-local"


HELP = """Practise a behaviour with a virtual rep.

Examples:

  coachloop practice --list --output json

  coachloop practice --focus ask_before_tell

  coachloop practice --scenario abt-lost-renewal --replay my-lines.txt --output json

  coachloop practice --from-moment 3f2a9c1b:14 --workspace ./ws

  coachloop practice --validate my-scenario.yaml
"""


def _pick(
    *,
    scenario_id: str | None,
    focus: str | None,
    from_moment: str | None,
    workspace: str | None,
    extra_dirs: list[Path],
    seed: int,
) -> Scenario:
    from coachloop.practice import get_scenario, load_scenarios, scenarios_for

    chosen = [
        n
        for n, v in (
            ("--scenario", scenario_id),
            ("--focus", focus),
            ("--from-moment", from_moment),
        )
        if v
    ]
    if len(chosen) > 1:
        raise PracticeError(
            f"{' and '.join(chosen)} cannot be used together",
            hint="give one way to choose the scenario",
            code="CL650",
        )
    library = load_scenarios(extra_dirs)
    if from_moment:
        from coachloop.practice.from_moment import (
            load_moment_meeting,
            parse_moment,
            scenario_from_moment,
        )
        from coachloop.workspace import Workspace

        meeting_id, index = parse_moment(from_moment)
        with Workspace.open(workspace, create=False) as ws:
            meeting = load_moment_meeting(ws, meeting_id)
        return scenario_from_moment(meeting, index)
    if scenario_id:
        return get_scenario(scenario_id, scenarios=library)
    pool = (
        scenarios_for(focus, scenarios=library)
        if focus
        else sorted(library.values(), key=lambda s: s.id)
    )
    return pool[seed % len(pool)]


def _read_replay(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PracticeError(
            f"{path}: cannot read the replay file ({exc.strerror})",
            hint="give a text file with one manager line per line",
            code="CL651",
        ) from None
    except UnicodeDecodeError as exc:
        raise PracticeError(
            f"{path}: not UTF-8 text (byte {exc.start})",
            hint="give a text file with one manager line per line, saved as UTF-8",
            code="CL651",
        ) from None
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    if not lines:
        raise PracticeError(
            f"{path}: no manager lines",
            hint="write one manager line per line (# starts a comment)",
            code="CL651",
        )
    return lines


def _result(session: PracticeSession, debrief: Debrief, voice: str) -> dict[str, Any]:
    sc = session.scenario
    return {
        "scenario": {"id": sc.id, "behavior": sc.behavior, "title": sc.title},
        "seed": session.seed,
        "voice": voice,
        "transcript": session.transcript(),
        "final_state": session.rep_state.to_dict(),
        "facts_unlocked": list(session.unlocked),
        "facts_hidden": [f.id for f in session.locked],
        "end_reason": session.end_reason,
        "debrief": debrief.to_dict(),
    }


def _render_debrief(debrief: Debrief) -> None:
    from rich.markup import escape

    p = out_console.print
    score = "n/a" if debrief.score is None else f"{debrief.score:.0f}/100"
    p(f"\n[bold]Debrief[/bold] — {debrief.behavior.replace('_', ' ')}: [bold]{score}[/bold]")
    for ev in debrief.evidence[:4]:
        if isinstance(ev, dict):
            p(f"  • {escape(str(ev.get('shows', '')))}: “{escape(str(ev.get('quote', '')))}”")
    if debrief.why_not_higher:
        p(f"  why not higher: {escape(' '.join(str(w) for w in debrief.why_not_higher))}")
    p(f"[bold]Revealed[/bold] ({len(debrief.revealed)}):")
    for f in debrief.revealed:
        p(f"  ✓ {escape(f['text'])}")
    p(f"[bold]Stayed hidden[/bold] ({len(debrief.hidden)}):")
    for f in debrief.hidden:
        p(f"  ✗ {escape(f['text'])}")
    ok = "met" if debrief.success["passed"] else "not met"
    p(
        f"Success criteria: {ok} — "
        + ", ".join(f"{c['check']} {c['value']} ({c['target']})" for c in debrief.success["checks"])
    )
    p(f"[bold]Try next time:[/bold] {escape(debrief.try_next)}")


def _interactive(session: PracticeSession) -> None:
    from rich.markup import escape

    sc = session.scenario
    p = out_console.print
    p(f"[bold]{escape(sc.title)}[/bold]  ({sc.id}, practising {sc.behavior.replace('_', ' ')})")
    p(escape(sc.brief.strip()))
    persona = sc.persona
    p(
        f"[dim]{escape(persona.name)}, {escape(persona.role)}, {escape(persona.tenure)}. /quit ends.[/dim]\n"
    )
    opening = session.start()
    p(f"[bold]{escape(persona.name)}:[/bold] {escape(opening.text)}")
    from coachloop.practice import SessionState

    while session.status is SessionState.ACTIVE:
        try:
            line = input("you> ")
        except EOFError:
            break
        if line.strip() in ("/quit", "/q", "/exit"):
            break
        if not line.strip():
            continue
        reply = session.send(line)
        p(f"[bold]{escape(persona.name)}:[/bold] {escape(reply.text)}")
        if reply.fallback:
            p(f"[dim](scripted line used: {escape(reply.fallback)})[/dim]")
    if session.end_reason and session.status is SessionState.FINISHED:
        p(f"[dim](session ended: {escape(session.end_reason)})[/dim]")


def practice(
    scenario: str | None = typer.Option(None, "--scenario", "-s", help="Scenario id (see --list)."),
    focus: str | None = typer.Option(
        None, "--focus", "-f", help="Pick a scenario that trains this behaviour."
    ),
    from_moment: str | None = typer.Option(
        None,
        "--from-moment",
        help="MEETING_ID:INDEX — practise a moment of a stored 1:1 (needs --workspace).",
    ),
    voice: VoiceName = typer.Option(
        VoiceName.scripted, "--voice", help="How the rep's lines are worded."
    ),
    seed: int = typer.Option(0, "--seed", help="Same seed, same lines, same rep."),
    replay_file: Path | None = typer.Option(
        None, "--replay", help="Play manager lines from a file (one per line)."
    ),
    list_: bool = typer.Option(False, "--list", help="List the scenarios."),
    validate: list[Path] = typer.Option(
        [], "--validate", help="Check scenario YAML files (or folders) and exit."
    ),
    scenarios_dir: list[Path] = typer.Option(
        [], "--scenarios", help="Extra folder of scenario files."
    ),
    output: ReportFormat = typer.Option(
        ReportFormat.table, "--output", "-o", help="table or json."
    ),
    workspace: str | None = typer.Option(
        None,
        "--workspace",
        "-w",
        envvar="COACHLOOP_WORKSPACE",
        help="Store the session in this workspace (default: $COACHLOOP_WORKSPACE).",
    ),
    manager: str | None = typer.Option(
        None, "--manager", help="Manager e-mail (roster) the session counts for."
    ),
    manager_name: str = typer.Option(
        "Manager", "--manager-name", help="How the rep addresses you."
    ),
) -> None:
    with handle_errors():
        from coachloop.practice import (
            PracticeSession,
            load_scenario_file,
            load_scenarios,
            make_voice,
            replay,
        )

        modes = [n for n, on in (("--validate", bool(validate)), ("--list", list_)) if on]
        session_options = [
            n
            for n, v in (
                ("--scenario", scenario),
                ("--focus", focus),
                ("--from-moment", from_moment),
                ("--replay", replay_file),
            )
            if v
        ]
        if len(modes) > 1 or (modes and session_options):
            raise PracticeError(
                f"{' and '.join(modes + session_options)} cannot be used together",
                hint=f"{modes[0]} runs on its own; drop the other options",
                code="CL650",
            )
        if validate:
            checked: list[dict[str, Any]] = []
            for path in validate:
                files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
                for f in files:
                    sc = load_scenario_file(f)
                    checked.append(
                        {"file": str(f), "id": sc.id, "behavior": sc.behavior, "ok": True}
                    )
            if output is ReportFormat.json:
                emit_json(checked)
            else:
                for c in checked:
                    out_console.print(
                        f"ok  {c['file']}  ({c['id']}, {c['behavior']})", markup=False
                    )
            return
        if list_:
            rows = [
                {"id": s.id, "behavior": s.behavior, "title": s.title}
                for s in sorted(
                    load_scenarios(scenarios_dir).values(), key=lambda s: (s.behavior, s.id)
                )
            ]
            if output is ReportFormat.json:
                emit_json(rows)
            else:
                from rich.table import Table

                table = Table("id", "behaviour", "title")
                for r in rows:
                    table.add_row(r["id"], r["behavior"], r["title"])
                out_console.print(table)
            return
        if from_moment and workspace is None:
            raise PracticeError(
                "--from-moment needs --workspace",
                hint="give the workspace that holds the meeting",
                code="CL650",
            )
        chosen = _pick(
            scenario_id=scenario,
            focus=focus,
            from_moment=from_moment,
            workspace=workspace,
            extra_dirs=scenarios_dir,
            seed=seed,
        )
        if workspace is not None:
            # Check where the session will be stored before it is played, not after.
            from coachloop.workspace import Workspace

            with Workspace.open(workspace, create=False) as ws:
                if manager and manager.lower() not in {p["email"] for p in ws.people()}:
                    raise WorkspaceError(
                        f"manager {manager} is not in the workspace roster",
                        hint="give a manager's e-mail from `coachloop roster list`",
                    )
        lines = _read_replay(replay_file) if replay_file else None
        if lines is None and output is ReportFormat.json:
            raise PracticeError(
                "--output json needs --replay FILE (the interactive prompt has no JSON form)",
                hint="add --replay FILE, or drop --output json",
                code="CL650",
            )
        the_voice = make_voice(voice.value, seed=seed)
        try:
            session = PracticeSession(chosen, seed=seed, voice=the_voice, manager_name=manager_name)
            if lines is not None:
                replay(session, lines)
            else:
                _interactive(session)
            if session.manager_turns == 0:
                err_console.print("coachloop: no manager message; nothing to debrief", markup=False)
                raise typer.Exit(EXIT_BAD_INPUT if lines is not None else 0)
            debrief = session.finish()
        finally:
            the_voice.close()
        result = _result(session, debrief, voice.value)
        if lines is not None:
            # The session may end (an end condition) before the file runs out.
            result["lines_played"] = session.manager_turns
            result["lines_in_file"] = len(lines)
        if workspace is not None:
            from coachloop.practice.storage import store_session
            from coachloop.workspace import Workspace

            with Workspace.open(workspace) as ws:
                result["stored"] = store_session(session, ws, manager_email=manager)
        if output is ReportFormat.json:
            emit_json(result)
            return
        if lines is not None:
            from rich.markup import escape

            for t in session.turns:
                who = session.scenario.persona.name if t.speaker == "rep" else manager_name
                out_console.print(f"[bold]{escape(who)}:[/bold] {escape(t.text)}")
        _render_debrief(debrief)
        if "stored" in result:
            err_console.print(
                f"coachloop: stored as practice meeting {result['stored']['meeting_id']}",
                markup=False,
            )


def register(app: typer.Typer) -> None:
    app.command("practice", help=HELP)(practice)
