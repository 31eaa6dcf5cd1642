"""The permission rules of coachloop.web.access, as pure functions over a hand-made org."""

from __future__ import annotations

from datetime import date

import pytest

from coachloop.web.access import (
    Viewer,
    aggregate_allowed,
    may_see_manager,
    may_see_meeting,
    scope_for,
    subtree,
    visible_until,
)

# 1 director ── 2 manager ── 4, 5 reps
#            └─ 3 manager ── 6 rep
# 7 director ── 8 manager ── 9 rep
REPORTS = {1: [2, 3], 2: [4, 5], 3: [6], 7: [8], 8: [9]}


def viewer(role: str, person_id: int | None) -> Viewer:
    return Viewer(1, "x@ex.com", role, person_id, scope_for(role, person_id, REPORTS))


def test_subtree_is_everyone_below_not_the_root() -> None:
    assert subtree(1, REPORTS) == {2, 3, 4, 5, 6}
    assert subtree(8, REPORTS) == {9}
    assert subtree(9, REPORTS) == frozenset()


def test_subtree_survives_a_cycle_in_bad_data() -> None:
    assert subtree(1, {1: [2], 2: [1, 3]}) == {2, 3}


@pytest.mark.parametrize(("role", "pid", "scope"), [
    ("admin", None, None), ("director", 1, {2, 3, 4, 5, 6}), ("manager", 2, {4, 5}),
    ("rep", 4, set()), ("director", None, set()),
])  # fmt: skip
def test_scope_for(role: str, pid: int | None, scope: set[int] | None) -> None:
    got = scope_for(role, pid, REPORTS)
    assert got == (None if scope is None else frozenset(scope))


@pytest.mark.parametrize(("role", "pid", "manager", "allowed"), [
    ("admin", None, 8, True), ("director", 1, 2, True), ("director", 1, 8, False),
    ("director", 7, 2, False), ("manager", 2, 2, True), ("manager", 2, 3, False),
    ("rep", 4, 2, False),
])  # fmt: skip
def test_may_see_manager(role: str, pid: int | None, manager: int, allowed: bool) -> None:
    assert may_see_manager(viewer(role, pid), manager) is allowed


@pytest.mark.parametrize(("role", "pid", "manager", "rep", "allowed"), [
    ("rep", 4, 2, 4, True), ("rep", 4, 2, 5, False), ("rep", 6, 2, 4, False),
    ("manager", 2, 2, 4, True), ("manager", 3, 2, 4, False),
    ("director", 1, 3, 6, True), ("director", 7, 3, 6, False), ("director", 1, None, 4, False),
    ("admin", None, None, None, True),
])  # fmt: skip
def test_may_see_meeting(
    role: str, pid: int | None, manager: int | None, rep: int | None, allowed: bool
) -> None:
    assert may_see_meeting(viewer(role, pid), manager, rep) is allowed


def test_visible_until_self_first_window() -> None:
    today = date(2026, 12, 1)
    assert visible_until(viewer("manager", 2), 2, today=today, self_first_days=2) is None
    assert visible_until(viewer("admin", None), 2, today=today, self_first_days=2) is None
    # the week of Monday 2026-11-23 ends 11-30; the director sees it from 12-02
    director = viewer("director", 1)
    assert visible_until(director, 2, today=today, self_first_days=2) == date(2026, 11, 22)
    assert visible_until(director, 2, today=date(2026, 12, 2), self_first_days=2) == date(
        2026, 11, 23
    )
    assert visible_until(director, 2, today=today, self_first_days=0) == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("size", "minimum", "allowed"), [(4, 5, False), (5, 5, True), (2, 2, True)]
)
def test_aggregate_allowed(size: int, minimum: int, allowed: bool) -> None:
    assert aggregate_allowed(size, min_group_size=minimum) is allowed


def test_viewer_with_no_person_sees_only_when_admin() -> None:
    assert viewer("admin", None).may_see_person(None)
    assert not viewer("director", 1).may_see_person(None)
