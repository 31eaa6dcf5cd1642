"""The org: people and reporting lines with history.

``import_roster`` reads a CSV (name, email, role, manager_email, team, cohort[, consent])
and applies it as of an effective date: people are created or updated; when someone's
manager differs from their current line, the current line is closed at the effective date
and a new one opened, so history is kept (a meeting in March still belongs to the
manager the rep had in March). People absent from the file are left as they are. All
rows are validated first; any bad row means nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from coachloop.errors import WorkspaceError
from coachloop.workspace._csv import (
    RowError,
    parse_bool,
    parse_email,
    raise_row_errors,
    read_rows,
)
from coachloop.workspace.models import ROLES, ImportLog, Person, ReportingLine, utcnow

if TYPE_CHECKING:
    from coachloop.workspace.core import Workspace

COLUMNS = ("name", "email", "role")
OPTIONAL = ("manager_email", "team", "cohort", "consent")


def import_roster(ws: Workspace, path: Path, *, effective: date | None = None) -> dict[str, Any]:
    effective = effective or utcnow().date()
    rows = read_rows(path, required=COLUMNS, optional=OPTIONAL)
    errors: list[tuple[int, str]] = []
    parsed: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in rows:
        try:
            item = _parse_row(row)
            if item["email"] in parsed:
                raise RowError(
                    f"{item['email']} already appears on line {parsed[item['email']][0]}"
                )
            parsed[item["email"]] = (line, item)
        except RowError as exc:
            errors.append((line, str(exc)))
    raise_row_errors(path, errors)

    with ws.write() as s:
        existing = {p.email: p for p in s.scalars(select(Person))}
        roles = {e: p.role for e, p in existing.items()}
        roles.update({e: item["role"] for e, (_, item) in parsed.items()})
        for email, (line, item) in parsed.items():
            boss = item["manager_email"]
            if boss is None:
                continue
            if boss == email:
                errors.append((line, f"{email} cannot be their own manager"))
            elif boss not in roles:
                errors.append(
                    (line, f"manager {boss} is neither in this file nor in the workspace")
                )
            elif roles[boss] == "rep":
                errors.append((line, f"manager {boss} is a rep; reps have no reports"))
        errors.extend(_cycles(parsed, s))
        raise_row_errors(path, errors)  # rolls the transaction back (nothing written yet)

        added = updated = moved = 0
        for email, (_, item) in parsed.items():
            person = existing.get(email)
            fields = {k: item[k] for k in ("name", "role", "team", "cohort", "consent")}
            if item["consent"] is None:
                fields["consent"] = person.consent if person else True
            if person is None:
                person = Person(email=email, **fields)
                s.add(person)
                existing[email] = person
                added += 1
            elif any(getattr(person, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(person, k, v)
                updated += 1
        s.flush()
        for email, (line, item) in parsed.items():
            person = existing[email]
            boss = existing[item["manager_email"]] if item["manager_email"] else None
            try:
                moved += _set_manager(s, person, boss, effective)
            except RowError as exc:
                errors.append((line, str(exc)))
        raise_row_errors(path, errors)
        summary = {
            "people_added": added,
            "people_updated": updated,
            "lines_changed": moved,
            "rows": len(parsed),
            "effective": effective.isoformat(),
        }
        s.add(ImportLog(kind="roster", source=str(path), summary=summary))
    return summary


def _parse_row(row: dict[str, str]) -> dict[str, Any]:
    name = row["name"]
    if not name:
        raise RowError("name is empty")
    email = parse_email(row["email"])
    role = row["role"].lower()
    if role not in ROLES:
        raise RowError(f"role {row['role']!r} is not one of {', '.join(ROLES)}")
    boss = row.get("manager_email", "")
    consent = row.get("consent", "")
    return {
        "name": name,
        "email": email,
        "role": role,
        "manager_email": parse_email(boss, "manager_email") if boss else None,
        "team": row.get("team") or None,
        "cohort": row.get("cohort") or None,
        "consent": parse_bool(consent, "consent") if consent else None,
    }


def _cycles(parsed: dict[str, tuple[int, dict[str, Any]]], s: Session) -> list[tuple[int, str]]:
    """Reporting loops (a manages b manages a) in the org as it would be after import."""
    graph = {e: b for e, b in current_managers(s).items()}
    graph.update({e: item["manager_email"] for e, (_, item) in parsed.items()})
    errors = []
    for email, (line, _) in parsed.items():
        seen = [email]
        boss = graph.get(email)
        while boss is not None:
            if boss in seen:
                errors.append((line, f"reporting loop: {' -> '.join([*seen, boss])}"))
                break
            seen.append(boss)
            boss = graph.get(boss)
    return errors


def _set_manager(s: Session, person: Person, boss: Person | None, effective: date) -> int:
    current = s.scalars(
        select(ReportingLine).where(
            ReportingLine.person_id == person.id, ReportingLine.valid_to.is_(None)
        )
    ).first()
    if current is not None and boss is not None and current.manager_id == boss.id:
        if effective < current.valid_from and _only_line(s, current):
            # the same line, known to hold earlier (e.g. a roster first imported with
            # today's date, then again with the date the data starts): extend it back
            current.valid_from = effective
            return 1
        return 0
    if current is None and boss is None:
        return 0
    if current is not None:
        if effective < current.valid_from:
            raise RowError(
                f"{person.email}: effective date {effective} is before their current "
                f"reporting line started ({current.valid_from})"
            )
        if effective == current.valid_from:
            if boss is None:
                s.delete(current)
            else:
                current.manager_id = boss.id
            return 1
        current.valid_to = effective
    if boss is not None:
        s.add(ReportingLine(person_id=person.id, manager_id=boss.id, valid_from=effective))
    return 1


def _only_line(s: Session, line: ReportingLine) -> bool:
    """True when ``line`` is the person's only reporting line (nothing before it)."""
    others = select(ReportingLine.id).where(
        ReportingLine.person_id == line.person_id, ReportingLine.id != line.id
    )
    return s.scalars(others).first() is None


def current_managers(s: Session, *, on: date | None = None) -> dict[str, str]:
    """person e-mail → manager e-mail (on a date; default: the open lines)."""
    p, m = aliased(Person), aliased(Person)
    q = select(p.email, m.email).join(ReportingLine, ReportingLine.person_id == p.id)
    q = q.join(m, ReportingLine.manager_id == m.id)
    q = q.where(_valid_on(on))
    return {a: b for a, b in s.execute(q)}


def _valid_on(on: date | None) -> Any:
    if on is None:
        return ReportingLine.valid_to.is_(None)
    return and_(
        ReportingLine.valid_from <= on,
        or_(ReportingLine.valid_to.is_(None), ReportingLine.valid_to > on),
    )


def manager_of(s: Session, person_id: int, on: date | None) -> int | None:
    q = select(ReportingLine.manager_id).where(ReportingLine.person_id == person_id, _valid_on(on))
    return s.scalars(q.order_by(ReportingLine.valid_from.desc())).first()


def reports_of(s: Session, manager_id: int, on: date | None) -> list[int]:
    q = select(ReportingLine.person_id).where(ReportingLine.manager_id == manager_id, _valid_on(on))
    return sorted(s.scalars(q))


def person_by_email(s: Session, email: str) -> Person:
    person = s.scalars(select(Person).where(Person.email == email.strip().lower())).first()
    if person is None:
        raise WorkspaceError(
            f"no person with e-mail {email} in the workspace",
            hint="import the roster first: coachloop roster import FILE.csv",
        )
    return person


def _person_dict(p: Person, manager: str | None) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "role": p.role,
        "manager_email": manager,
        "team": p.team,
        "cohort": p.cohort,
        "consent": p.consent,
    }


def list_people(ws: Workspace, *, role: str | None = None) -> list[dict[str, Any]]:
    with ws.session() as s:
        managers = current_managers(s)
        q = select(Person).order_by(Person.email)
        if role is not None:
            q = q.where(Person.role == role)
        return [_person_dict(p, managers.get(p.email)) for p in s.scalars(q)]


def org_rows(ws: Workspace, *, on: date | None = None) -> list[dict[str, Any]]:
    """Everyone with their manager on ``on`` (default: now), for display and export."""
    with ws.session() as s:
        managers = current_managers(s, on=on)
        return [
            _person_dict(p, managers.get(p.email))
            for p in s.scalars(select(Person).order_by(Person.email))
        ]


def history(ws: Workspace, email: str) -> list[dict[str, Any]]:
    """A person's reporting lines, oldest first."""
    with ws.session() as s:
        person = person_by_email(s, email)
        m = aliased(Person)
        q = (
            select(m.email, ReportingLine.valid_from, ReportingLine.valid_to)
            .join(m, ReportingLine.manager_id == m.id)
            .where(ReportingLine.person_id == person.id)
            .order_by(ReportingLine.valid_from)
        )
        return [{"manager_email": e, "valid_from": f, "valid_to": t} for e, f, t in s.execute(q)]


def emails_to_ids(s: Session, emails: Iterable[str]) -> dict[str, int]:
    wanted = {e.lower() for e in emails}
    if not wanted:
        return {}
    q = select(Person.email, Person.id).where(Person.email.in_(wanted))
    return {e: i for e, i in s.execute(q)}
