"""Reading the CSV files users import (roster, ratings, KPIs): one strict helper.

Every import validates all rows first and writes nothing when any row is bad; the error
names the file and the line of the first bad row and lists every bad row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from coachloop.errors import InputError, unreadable_hint

EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
ISO_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{2})$")


#: bad rows named in one error message (the count says how many there are in all)
MAX_LISTED = 10


class RowError(Exception):
    """A problem with one row; collected, then raised together as one InputError."""


def read_rows(
    path: Path, *, required: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """``(line, row)`` pairs with stripped values; columns outside required/optional are
    ignored. Header names are matched case-insensitively."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read: {exc.strerror}", file=path, hint=unreadable_hint(exc)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 (byte {exc.start})", file=path, hint="save the CSV as UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("empty file; expected a header row", file=path, line=1) from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise InputError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            file=path,
            line=1,
            hint="expected columns: " + ", ".join([*required, *optional]),
        )
    wanted = {*required, *optional}
    rows: list[tuple[int, dict[str, str]]] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(names):
            raise InputError(
                f"{len(record)} fields but the header has {len(names)}", file=path, line=line
            )
        row = {n: (record[i].strip() if i < len(record) else "") for i, n in enumerate(names)}
        rows.append((line, {k: v for k, v in row.items() if k in wanted}))
    return rows


def raise_row_errors(path: Path, errors: list[tuple[int, str]]) -> None:
    """Raise one InputError for all bad rows (nothing has been written)."""
    if not errors:
        return
    errors.sort()
    first_line, first = errors[0]
    rest = "".join(f"; line {ln}: {msg}" for ln, msg in errors[1:MAX_LISTED])
    if len(errors) > MAX_LISTED:
        rest += f"; and {len(errors) - MAX_LISTED} more"
    count = f"{len(errors)} bad rows" if len(errors) > 1 else "1 bad row"
    raise InputError(
        f"{first}{rest}", file=path, line=first_line, hint=f"{count}, nothing imported"
    )


def parse_email(value: str, what: str = "email") -> str:
    if not value:
        raise RowError(f"{what} is empty")
    if not EMAIL_RE.match(value):
        raise RowError(f"{what} {value!r} is not an e-mail address")
    return value.lower()


def parse_date(value: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def parse_week(value: str, what: str = "week") -> date:
    """``2026-W47`` or any date in the week → the Monday of that ISO week."""
    m = ISO_WEEK_RE.match(value.strip())
    if m:
        try:
            return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise RowError(f"{what} {value!r} does not exist") from None
    try:
        return week_start(date.fromisoformat(value.strip()))
    except ValueError:
        raise RowError(f"{what} {value!r} is not an ISO week (2026-W47) or a date") from None


def iso_week(day: date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def parse_float(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{what} {value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise RowError(f"{what} {value!r} is not a finite number")
    return number


def parse_bool(value: str, what: str) -> bool:
    v = value.strip().lower()
    if v in ("true", "yes", "y", "1"):
        return True
    if v in ("false", "no", "n", "0"):
        return False
    raise RowError(f"{what} {value!r} is not true/false")


def parse_datetime(value: str, what: str) -> datetime:
    try:
        out = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"{what} {value!r} is not an ISO date-time") from None
    return out
