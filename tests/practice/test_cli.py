"""``coachloop practice``: list, replay, interactive prompt, validate, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.practice import load_scenarios

runner = CliRunner()


def lines_file(tmp_path: Path, *lines: str) -> Path:
    p = tmp_path / "lines.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_list_json_has_id_behaviour_title() -> None:
    res = runner.invoke(app, ["practice", "--list", "--output", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["id"] for r in rows} == set(load_scenarios())
    assert set(rows[0]) == {"id", "behavior", "title"}


def test_replay_prints_transcript_state_facts_and_debrief(tmp_path: Path) -> None:
    f = lines_file(
        tmp_path,
        "# a comment line is skipped",
        "What's been happening, from your side?",
        "",
        "What can you tell me about procurement?",
    )
    res = runner.invoke(
        app, ["practice", "--scenario", "abt-lost-renewal", "--replay", str(f), "-o", "json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [t["speaker"] for t in out["transcript"]] == ["rep", "manager", "rep", "manager", "rep"]
    assert out["facts_unlocked"] == ["champion_left", "procurement_early"]
    assert out["facts_hidden"] == ["price_cut"]
    assert set(out["final_state"]) == {"openness", "defensiveness", "clarity"}
    assert out["debrief"]["behavior"] == "ask_before_tell"
    assert out["debrief"]["score"] == 100
    assert [h["id"] for h in out["debrief"]["hidden"]] == ["price_cut"]
    assert out["debrief"]["try_next"]
    assert (out["lines_played"], out["lines_in_file"]) == (2, 2)


def test_replay_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    f = lines_file(tmp_path, "You should have escalated.", "What happened?", "Okay.")
    args = [
        "practice",
        "--focus",
        "ask_before_tell",
        "--seed",
        "3",
        "--replay",
        str(f),
        "-o",
        "json",
    ]
    assert runner.invoke(app, args).stdout == runner.invoke(app, args).stdout


def test_interactive_prompt_ends_with_quit_and_shows_the_debrief() -> None:
    res = runner.invoke(
        app,
        ["practice", "--scenario", "bno-lost-bakeoff"],
        input="What happened with the evaluation, who did you meet?\n/quit\nnever read\n",
    )
    assert res.exit_code == 0, res.output
    assert "Leo Fischer:" in res.stdout
    assert "Debrief" in res.stdout and "Try next time:" in res.stdout
    assert "never read" not in res.stdout


def test_interactive_quit_before_speaking_is_not_an_error() -> None:
    res = runner.invoke(app, ["practice", "--scenario", "bno-lost-bakeoff"], input="/quit\n")
    assert res.exit_code == 0
    assert "nothing to debrief" in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "nope"], "coachloop: error[CL603]: no scenario 'nope'"),
        (["--focus", "charm"], "coachloop: error[CL604]: unknown behaviour 'charm'"),
        (
            ["--scenario", "abt-lost-renewal", "--focus", "hold_cadence"],
            "coachloop: error[CL650]: --scenario and --focus cannot be used together",
        ),
        (["--from-moment", "abc:3"], "coachloop: error[CL650]: --from-moment needs --workspace"),
        (
            ["--voice", "llm-endpoint", "--scenario", "abt-lost-renewal"],
            "coachloop: error[CL621]: the llm-endpoint voice needs a base URL",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACHLOOP_LLM_BASE_URL", raising=False)
    res = runner.invoke(app, ["practice", *args], input="")
    assert res.exit_code == 2
    assert res.stderr.startswith(message)
    assert len(res.stderr.strip().splitlines()) == 1


def test_an_empty_replay_file_is_refused(tmp_path: Path) -> None:
    f = lines_file(tmp_path, "# only a comment")
    res = runner.invoke(app, ["practice", "--scenario", "abt-lost-renewal", "--replay", str(f)])
    assert res.exit_code == 2
    assert "no manager lines" in res.stderr


def test_validate_reports_ok_and_bad_files(tmp_path: Path) -> None:
    from coachloop.practice.library import SCENARIO_DIR

    res = runner.invoke(app, ["practice", "--validate", str(SCENARIO_DIR), "-o", "json"])
    assert res.exit_code == 0
    assert len(json.loads(res.stdout)) == len(load_scenarios())
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: x\n", encoding="utf-8")
    res = runner.invoke(app, ["practice", "--validate", str(bad)])
    assert res.exit_code == 2
    assert res.stderr.startswith(f"coachloop: error[CL601]: {bad}: behavior: Field required")


def test_help_has_an_example() -> None:
    res = runner.invoke(app, ["practice", "--help"])
    assert res.exit_code == 0
    assert "coachloop practice --scenario abt-lost-renewal --replay" in res.stdout


@pytest.mark.parametrize("scenario_id", sorted(load_scenarios()))
def test_every_scenario_replays_from_a_file_and_runs_interactively(
    scenario_id: str, tmp_path: Path
) -> None:
    from coachloop.practice.scripts import coaching_script

    sc = load_scenarios()[scenario_id]
    f = lines_file(tmp_path, *coaching_script(sc))
    res = runner.invoke(app, ["practice", "-s", scenario_id, "--replay", str(f), "-o", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["debrief"]["success"]["passed"] is True
    assert len(out["facts_unlocked"]) >= sc.success.min_facts
    res = runner.invoke(
        app, ["practice", "-s", scenario_id], input="What's been happening?\n/quit\n"
    )
    assert res.exit_code == 0, res.output
    assert f"{sc.persona.name}:" in res.stdout and "Try next time:" in res.stdout
