"""Shared pieces of the CLI: error translation, output formats, the stderr console.

Library code raises :class:`coachloop.errors.CoachloopError`; here, at the edge,
it becomes one line on stderr (``coachloop: error[CL210]: file, line 3: …``) and
an exit code: 2 for bad input (the error's ``exit_code``), 1 for other failures.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from coachloop.errors import CoachloopError

T = TypeVar("T")

#: Human-facing messages, progress bars and warnings go to stderr; stdout carries data.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
out_console = Console(highlight=False, soft_wrap=True)

EXIT_BAD_INPUT = 2


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class RowFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def write_between_markers(path: Path, begin: str, end: str, body: str) -> None:
    """Replace what lies between two marker lines of a Markdown file with ``body``.

    A file without both markers is refused (exit 2) and left as it was; the new text
    is written to a temporary file beside it and moved into place, so a failure never
    leaves half a page.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else f"{begin}\n{end}\n"
    if begin not in text or end not in text or text.index(begin) > text.index(end):
        err_console.print(
            f"coachloop: {path} has no {begin} … {end} markers; add both lines where the "
            "table belongs"
        )
        raise typer.Exit(2)
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{head}{begin}\n{body}{end}{tail}", encoding="utf-8")
    tmp.replace(path)


def error_line(exc: CoachloopError) -> str:
    return f"coachloop: error[{exc.code}]: {exc}"


def report_error(exc: CoachloopError) -> None:
    """Print one error line on stderr (no traceback, no markup interpretation)."""
    err_console.print(error_line(exc), markup=False)


def warn(message: str) -> None:
    err_console.print(f"coachloop: {message}", markup=False)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn the project's errors into an exit code and a message; let bugs surface."""
    try:
        yield
    except CoachloopError as exc:
        report_error(exc)
        raise typer.Exit(exc.exit_code) from None


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def emit_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    sys.stdout.write(buf.getvalue())


def run_each(
    items: Sequence[T],
    work: Callable[[T], Any],
    *,
    label: str = "working",
    show_progress: bool | None = None,
) -> tuple[list[tuple[T, Any]], list[tuple[T, CoachloopError]]]:
    """Run ``work`` on every item; collect results and the project's errors separately.

    A bad file never stops the others. A progress bar goes to stderr when there are
    many items and stderr is a terminal (or ``show_progress`` forces it).
    """
    from rich.progress import Progress

    done: list[tuple[T, Any]] = []
    failed: list[tuple[T, CoachloopError]] = []
    progress_on = (
        show_progress if show_progress is not None else (len(items) > 5 and err_console.is_terminal)
    )
    with Progress(console=err_console, transient=True, disable=not progress_on) as progress:
        task = progress.add_task(label, total=len(items))
        for item in items:
            try:
                done.append((item, work(item)))
            except CoachloopError as exc:
                failed.append((item, exc))
            progress.advance(task)
    return done, failed
