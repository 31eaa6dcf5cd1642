from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.cli.cmd_outcomes import parse_lags
from coachloop.outcomes.synthetic import SyntheticOrg

runner = CliRunner()


@pytest.fixture(scope="module")
def csvs(org: SyntheticOrg, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("panels")
    org.panels.behaviors.to_csv(d / "scores.csv", index=False)
    org.panels.kpis.to_csv(d / "kpis.csv", index=False)
    return d / "scores.csv", d / "kpis.csv"


def test_outcomes_json_from_csv_files(csvs: tuple[Path, Path]) -> None:
    result = runner.invoke(
        app,
        ["outcomes", "--scores", str(csvs[0]), "--kpis", str(csvs[1]), "--lag", "4", "-o", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["n_teams"] == 40 and data["n_obs"] == {"win_rate@lag4": 1364}
    assert {e["behavior"] for e in data["estimates"] if e["significant"]} == {"ask_before_tell"}


def test_outcomes_table_with_known_effects_reports_coverage() -> None:
    result = runner.invoke(app, ["outcomes", "--synthetic", "0"])
    assert result.exit_code == 0, result.output
    assert "True effects inside their 95% interval: 7/7 (100%)." in result.stdout
    assert "Survive Holm correction: ask_before_tell → win_rate (lag 4" in result.stdout


def test_outcomes_refusal_is_one_line_and_exit_2(csvs: tuple[Path, Path]) -> None:
    result = runner.invoke(
        app, ["outcomes", "--scores", str(csvs[0]), "--kpis", str(csvs[1]), "--min-teams", "50"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "coachloop: error[CL700]: not enough data: 40 teams × 36 weeks, need at least 50 teams × "
        "8 weeks with a KPI and a behaviour score 4 weeks earlier (below this the clustered "
        "standard errors are unreliable and the estimates would be noise; wait for more weeks "
        "or add teams)"
    )


def test_conflicting_inputs_are_refused(csvs: tuple[Path, Path]) -> None:
    result = runner.invoke(app, ["outcomes", "--synthetic", "0", "--scores", str(csvs[0])])
    assert result.exit_code == 2
    assert "--synthetic cannot be combined with --scores/--kpis" in result.stderr


@pytest.mark.parametrize(
    ("values", "lags"),
    [(["4"], [4]), (["2..5"], [2, 3, 4, 5]), (["3,6", "8-9"], [3, 6, 8, 9]), ([], [4])],
)
def test_lag_syntax(values: list[str], lags: list[int]) -> None:
    assert parse_lags(values) == lags


def test_cohorts_json_and_chart(tmp_path: Path) -> None:
    chart = tmp_path / "c.png"
    result = runner.invoke(
        app, ["outcomes", "--synthetic", "0", "--cohorts", "--chart", str(chart), "-o", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["start"] == 4 and [d["outcome"] for d in data["did"]] == [
        "behavior_score",
        "win_rate",
    ]
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_plan_json_recomputes_and_writes_chart(tmp_path: Path) -> None:
    chart = tmp_path / "plan.png"
    result = runner.invoke(
        app,
        [
            "plan",
            "--managers",
            "200",
            "--hours",
            "100",
            "--set",
            "coach_rate=100",
            "--chart",
            str(chart),
            "-o",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 200 managers x 20 observed hours x 1 coach hour each x $100
    assert data["cost"]["loop"]["coaching"] == 400_000
    assert data["hours_by_activity"]["loop"]["real_1on1_practice"] == 70
    assert chart.read_bytes()[:4] == b"\x89PNG"


def test_plan_table_and_bad_set() -> None:
    ok = runner.invoke(app, ["plan", "--managers", "40", "--hours", "60"])
    assert ok.exit_code == 0 and "Cost for 40 managers ($)" in ok.stdout
    bad = runner.invoke(app, ["plan", "--set", "coach_rate"])
    assert bad.exit_code == 2
    assert "--set 'coach_rate' is not NAME=NUMBER" in bad.stderr
    listing = runner.invoke(app, ["plan", "--list"])
    assert "Lombardo & Eichinger (1996)" in listing.stdout
