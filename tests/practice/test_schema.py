"""Scenario files: the shipped library validates; bad files say file, field and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coachloop.errors import PracticeError
from coachloop.practice import load_scenario_file, load_scenarios
from coachloop.practice.library import SCENARIO_DIR
from tests.practice.conftest import SCENARIO


def write(tmp_path: Path, data: Any, name: str = "tiny.yaml") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return p


def with_change(path: str, value: Any) -> dict[str, Any]:
    import copy

    data = copy.deepcopy(SCENARIO)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is _DELETE:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


_DELETE = object()


def test_the_shipped_files_are_named_by_id() -> None:
    files = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
    assert files == sorted(load_scenarios())
    assert len(files) >= 14


def test_a_good_file_loads(tmp_path: Path) -> None:
    sc = load_scenario_file(write(tmp_path, SCENARIO))
    assert sc.persona.name == "Ana Silva"
    assert sc.facts[0].about == ["budget", "money"]


@pytest.mark.parametrize(
    ("path", "value", "message", "hint"),
    [
        (
            "persona.tenure",
            _DELETE,
            "persona.tenure: Field required",
            "add `tenure:` under `persona:`",
        ),
        ("persona.mood", "x", "persona.mood: Extra inputs are not permitted", "remove `mood`"),
        (
            "behavior",
            "listening",
            "behavior: unknown behaviour 'listening'",
            "see docs/practice.md",
        ),
        (
            "state.openness",
            1.5,
            "state.openness: Input should be less than or equal to 1",
            "between 0 and 1",
        ),
        ("opening", [], "opening: List should have at least 1 item", "give at least one item"),
        (
            "facts.0.about",
            ["budget", 31],
            "facts.0.about.1: Input should be a valid string",
            "quote values YAML reads as numbers",
        ),
        (
            "facts.0.id",
            "Budget Cut",
            "facts.0.id: String should match pattern",
            "use lowercase letters",
        ),
        (
            "reactions.vague_feedback.lines",
            ["Hi {boss}"],
            "reactions.vague_feedback.lines: Value error, unknown placeholder {boss}",
            "see docs",
        ),
        (
            "reactions.angry",
            {"lines": ["Grr"]},
            "reactions.angry: Input should be 'tell_before_ask'",
            "`angry` is not a reaction name",
        ),
        ("facts.1.id", "budget_cut", "fact ids must be unique; repeated: budget_cut", "see docs"),
    ],
)
def test_bad_fields_name_file_path_and_fix(
    tmp_path: Path, path: str, value: Any, message: str, hint: str
) -> None:
    p = write(tmp_path, with_change(path, value))
    with pytest.raises(PracticeError) as info:
        load_scenario_file(p)
    text = str(info.value)
    assert text.startswith(f"{p}: ")
    assert message.replace("Value error, ", "") in text
    assert hint in text
    assert info.value.code == "CL601"


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "id: tiny\nbrief: [unclosed\ntitle: x\n")
    with pytest.raises(PracticeError, match=rf"^{p}, line \d+: not valid YAML") as info:
        load_scenario_file(p)
    assert info.value.code == "CL602"


def test_the_id_must_match_the_file_name(tmp_path: Path) -> None:
    p = write(tmp_path, SCENARIO, name="other.yaml")
    with pytest.raises(PracticeError, match="rename the file to tiny.yaml or set `id: other`"):
        load_scenario_file(p)


def test_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(PracticeError, match="a scenario file must be a mapping"):
        load_scenario_file(write(tmp_path, "- a\n- b\n"))


def test_extra_directories_add_scenarios_and_duplicates_are_refused(tmp_path: Path) -> None:
    write(tmp_path, SCENARIO)
    assert "tiny" in load_scenarios([tmp_path])
    write(tmp_path, {**SCENARIO, "id": "abt-lost-renewal"}, name="abt-lost-renewal.yaml")
    with pytest.raises(PracticeError, match="'abt-lost-renewal' is defined in both") as info:
        load_scenarios([tmp_path])
    assert info.value.code == "CL605"
