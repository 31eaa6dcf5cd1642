from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachloop.errors import AnalysisError
from coachloop.outcomes.report import (
    brief_context,
    manager_context,
    org_context,
    render_html,
    write_reports,
)
from coachloop.outcomes.synthetic import SyntheticOrg, synthetic_panels


@pytest.fixture(scope="module")
def small() -> SyntheticOrg:
    return synthetic_panels(teams=6, weeks=18, seed=2)


def _self_contained(html: str) -> None:
    # every image is embedded; nothing is fetched from anywhere
    assert not re.search(r'(src|href)="(?!data:)', html)


def test_manager_report_html_and_pdf(small: SyntheticOrg, tmp_path: Path) -> None:
    paths = write_reports(small.panels, tmp_path, manager="m000@example.com")
    assert [p.name for p in paths] == [
        "manager-m000_example.com.html",
        "manager-m000_example.com.pdf",
    ]
    html = paths[0].read_text(encoding="utf-8")
    _self_contained(html)
    assert html.count('src="data:image/png;base64,') == 2  # behaviours and team KPIs
    assert "90-day report: m000@example.com" in html
    assert paths[1].read_bytes()[:5] == b"%PDF-"


def test_manager_figures_match_the_panel(small: SyntheticOrg) -> None:
    ctx = manager_context(small.panels, "m001@example.com")
    b = small.panels.behaviors
    b = b[(b["manager"] == "m001@example.com") & (b["behavior"] == "hold_cadence")]
    row = next(r for r in ctx["behaviors"] if r["behavior"] == "hold_cadence")
    # the period is weeks 5..17; start = weeks 5-6, now = weeks 16-17
    assert row["start"] == pytest.approx(b[b["week"].isin([5, 6])]["score"].mean())
    assert row["end"] == pytest.approx(b[b["week"].isin([16, 17])]["score"].mean())
    assert ctx["subtitle"] == "team team-001, classroom cohort — weeks 5 to 17"


def test_org_report_shows_refusals_instead_of_noise(small: SyntheticOrg) -> None:
    ctx = org_context(small.panels, cohort_options={"start": small.start})
    assert ctx["impact"]["error"].startswith("No impact estimates: not enough data: 6 teams")
    assert "did" in ctx["cohorts"]
    html = render_html("org.html.j2", ctx)
    _self_contained(html)
    assert "No impact estimates: not enough data" in html
    assert html.count('src="data:image/png;base64,') == 2  # behaviours and cohort curves


def test_weekly_brief(small: SyntheticOrg) -> None:
    ctx = brief_context(small.panels, "m002@example.com", week=10)
    assert ctx["subtitle"] == "team team-002 — week 10"
    b = small.panels.behaviors
    now = b[
        (b["manager"] == "m002@example.com")
        & (b["week"] == 10)
        & (b["behavior"] == "ask_before_tell")
    ]["score"]
    row = next(r for r in ctx["behaviors"] if r["behavior"] == "ask_before_tell")
    assert row["now"] == (f"{now.mean():.0f}" if len(now) else "—")
    _self_contained(render_html("brief.html.j2", ctx))


def test_unknown_manager(small: SyntheticOrg) -> None:
    with pytest.raises(AnalysisError, match="no scores for manager 'nobody@example.com'"):
        manager_context(small.panels, "nobody@example.com")
