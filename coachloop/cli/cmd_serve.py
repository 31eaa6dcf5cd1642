"""``coachloop serve``, ``coachloop users …`` and ``coachloop retention``: the web app and its accounts."""

from __future__ import annotations

import sys
from datetime import date

import typer

from coachloop.cli.common import (
    TableFormat,
    emit_csv,
    emit_json,
    err_console,
    handle_errors,
    out_console,
    warn,
)

users_app = typer.Typer(help="Local accounts for the dashboard.", no_args_is_help=True)

WORKSPACE_OPT = typer.Option(
    None,
    "--workspace",
    "-w",
    envvar="COACHLOOP_WORKSPACE",
    help="Workspace directory or database URL.",
)


def serve(
    workspace: str = WORKSPACE_OPT,
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on."),
    today: str = typer.Option(
        None, help="Pin the dashboard's 'today' (YYYY-MM-DD), e.g. for a simulated org."
    ),
) -> None:
    """Start the dashboard and the API.

    Example: coachloop serve --workspace ./demo/workspace --port 8000
    """
    with handle_errors():
        import uvicorn

        from coachloop.web import create_app
        from coachloop.web.settings import WebSettings
        from coachloop.workspace.core import Workspace

        settings = WebSettings()
        if settings.uses_placeholder_secret:
            warn(
                f"using the placeholder secret key ({settings.environment}); set COACHLOOP_WEB_SECRET_KEY before real use"
            )
        ws = Workspace.open(workspace)
        pinned = date.fromisoformat(today) if today else None
        app = create_app(ws, settings, today=pinned)
        # The manager page's trend tests import the statistics stack (seconds, once):
        # do it before the first visitor. Then freeze what is loaded, so the collector's
        # full passes skip those long-lived objects (~230 ms pauses every few requests
        # at 200 managers otherwise; docs/performance.md#dashboard).
        import gc

        import coachloop.analytics.curves  # noqa: F401

        gc.freeze()
        err_console.print(
            f"coachloop dashboard on http://{host}:{port}  (Ctrl-C to stop)", markup=False
        )
        uvicorn.run(app, host=host, port=port, log_level="warning")


@users_app.command("add")
def users_add(
    email: str = typer.Argument(
        ..., help="The person's e-mail (must be in the roster unless --role admin)."
    ),
    role: str = typer.Option(..., "--role", help="admin, director, manager or rep."),
    password: str = typer.Option(None, "--password", help="The password (or --password-stdin)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    replace: bool = typer.Option(False, "--replace", help="Reset an existing account."),
    workspace: str = WORKSPACE_OPT,
) -> None:
    """Create a local account.

    Example: coachloop users add dana@acme.com --role manager --password-stdin < pw.txt
    """
    with handle_errors():
        from coachloop.errors import ConfigError
        from coachloop.web.accounts import create_user
        from coachloop.workspace.core import Workspace

        if password_stdin and password is not None:
            raise ConfigError(
                "--password and --password-stdin cannot be used together",
                hint="give the password one way; --password-stdin keeps it out of the shell history",
            )
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise ConfigError("no password given", hint="pass --password or --password-stdin")
        with Workspace.open(workspace) as ws:
            user = create_user(ws, email, role=role, password=password, replace=replace)
        err_console.print(f"account {user.email} ({user.role}) ready", markup=False)


@users_app.command("list")
def users_list(
    workspace: str = WORKSPACE_OPT,
    output: TableFormat = typer.Option(TableFormat.table, "--output", "-o"),
) -> None:
    """List the local accounts."""
    with handle_errors():
        from rich.table import Table

        from coachloop.web.accounts import list_users
        from coachloop.workspace.core import Workspace

        with Workspace.open(workspace) as ws:
            rows = list_users(ws)
        if output is TableFormat.json:
            emit_json(rows)
        elif output is TableFormat.csv:
            emit_csv(rows, ["email", "role", "person_id", "disabled"])
        else:
            table = Table("email", "role", "person", "disabled")
            for r in rows:
                table.add_row(
                    str(r["email"]), str(r["role"]), str(r["person_id"] or ""), str(r["disabled"])
                )
            out_console.print(table)


def retention(
    days: int = typer.Option(
        None, "--days", help="Delete raw transcripts older than this (default: the web setting)."
    ),
    workspace: str = WORKSPACE_OPT,
    output: TableFormat = typer.Option(TableFormat.table, "--output", "-o"),
) -> None:
    """Delete raw transcripts past the retention period; scores are kept.

    Example: coachloop retention --days 365
    """
    with handle_errors():
        from coachloop.web.retention import apply_retention
        from coachloop.web.settings import WebSettings
        from coachloop.workspace.core import Workspace

        keep = days if days is not None else WebSettings().retention_days
        with Workspace.open(workspace) as ws:
            result = apply_retention(ws, days=keep, today=date.today())
        if output is TableFormat.json:
            emit_json(result)
        elif output is TableFormat.csv:
            emit_csv([result], ["cutoff", "meetings", "utterances"])
        else:
            out_console.print(
                f"deleted the transcripts of {result['meetings']} meetings ({result['utterances']} utterances) older than {result['cutoff']}; scores kept"
            )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("retention")(retention)
    app.add_typer(users_app, name="users")
