"""docs/analytics.md documents every public function and config field of the package."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields
from pathlib import Path

import pytest

import coachloop.analytics as analytics
from coachloop.analytics.thresholds import CadenceConfig, CalibrationConfig, LoadConfig

DOC = (Path(__file__).parents[2] / "docs" / "analytics.md").read_text(encoding="utf-8")
FUNCTIONS = sorted(n for n in analytics.__all__ if inspect.isfunction(getattr(analytics, n)))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_is_documented(name):
    assert f"{name}(" in DOC


# weights are documented in the weight column of their table, not by field name
UNNAMED = {"w_share_held", "w_coverage", "w_gap", "w_length", "w_focus", "w_load", "w_manager",
           "w_after_hours", "w_leniency", "w_rank", "w_spread", "w_refs", "alpha",
           "meeting_hours_ok", "meeting_hours_max", "manager_hours_ok", "manager_hours_max"}  # fmt: skip


@pytest.mark.parametrize(
    "field",
    sorted(
        {f.name for cls in (CadenceConfig, LoadConfig, CalibrationConfig) for f in fields(cls)}
        - UNNAMED
    ),
)
def test_threshold_is_documented(field):
    assert re.search(rf"\b{field}\b", DOC), f"{field} is not in docs/analytics.md"
