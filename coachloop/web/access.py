"""Who may see what. Pure rules over the org; the routes call them before every read.

Rules (docs/privacy.md):

* **admin** sees everything.
* **director** sees the managers (and their reps) in their org subtree, through the
  current reporting lines; a manager's new week only after the manager's
  "self first" window (``self_first_days`` after the week ends).
* **manager** sees their own scores, meetings, practice and curves — at once.
* **rep** sees their own 1:1s (and rates them); never scores of other people.
* Nobody sees a person who has not consented (when consent is required).
* Aggregates above a manager's own team are shown only for groups of at least
  ``min_group_size`` people.

Every view of another person's data is written to the audit log by the caller
(:func:`coachloop.web.data.audit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from coachloop.errors import AccessError


@dataclass(frozen=True, slots=True)
class Viewer:
    user_id: int
    email: str
    role: str
    person_id: int | None
    #: people whose data this viewer may see besides their own; None = everyone
    scope: frozenset[int] | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see_person(self, person_id: int | None) -> bool:
        if person_id is None:
            return self.is_admin
        if self.scope is None or person_id == self.person_id:
            return True
        return person_id in self.scope


def subtree(root: int, reports: Mapping[int, Iterable[int]]) -> frozenset[int]:
    """Everyone below ``root`` in the reporting tree (not ``root`` itself)."""
    seen: set[int] = set()
    stack = list(reports.get(root, ()))
    while stack:
        pid = stack.pop()
        if pid in seen or pid == root:
            continue
        seen.add(pid)
        stack.extend(reports.get(pid, ()))
    return frozenset(seen)


def scope_for(
    role: str, person_id: int | None, reports: Mapping[int, Iterable[int]]
) -> frozenset[int] | None:
    """The set of other people a role may see (None = everyone)."""
    if role == "admin":
        return None
    if person_id is None:
        return frozenset()
    if role == "director":
        return subtree(person_id, reports)
    if role == "manager":
        # A manager sees their own reps' 1:1s with them (not the reps' other data).
        return frozenset(reports.get(person_id, ()))
    return frozenset()


def may_see_manager(viewer: Viewer, manager_id: int) -> bool:
    """Scores, curves and focus of a manager: admin, the manager, their directors."""
    if viewer.is_admin or viewer.person_id == manager_id:
        return True
    return viewer.role == "director" and viewer.may_see_person(manager_id)


def may_see_meeting(viewer: Viewer, manager_id: int | None, rep_id: int | None) -> bool:
    if viewer.is_admin:
        return True
    if viewer.person_id is not None and viewer.person_id in (manager_id, rep_id):
        return True
    return (
        viewer.role == "director" and manager_id is not None and viewer.may_see_person(manager_id)
    )


def visible_until(
    viewer: Viewer, manager_id: int, *, today: date, self_first_days: int
) -> date | None:
    """The last week start whose data this viewer may see for ``manager_id``.

    None means no limit (the manager themselves, or an admin). Others see a week
    only once it has ended and the manager has had ``self_first_days`` alone with it.
    """
    if viewer.is_admin or viewer.person_id == manager_id:
        return None
    # A week starting on Monday W ends on W+7; others see it from W+7+self_first_days.
    return today - timedelta(days=7 + self_first_days)


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise AccessError(f"you may not see {what}", code="CL801")


def aggregate_allowed(group_size: int, *, min_group_size: int) -> bool:
    return group_size >= min_group_size
