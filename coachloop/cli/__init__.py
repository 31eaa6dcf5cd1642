"""The ``coachloop`` command: a thin layer over the library.

Each command group lives in its own module ``coachloop/cli/cmd_*.py`` that defines
``register(app: typer.Typer) -> None``; they are discovered here, so adding a
command never touches this file. Command modules import heavy libraries inside
the command functions, so ``coachloop --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from coachloop import __version__

app = typer.Typer(
    name="coachloop",
    help="Coach managers on their real, recorded 1:1s — one named behaviour at a time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coachloop {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """coachloop: scores, practice and debriefs for managers' 1:1s."""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(app)


_register_commands()


def main() -> None:
    app()
