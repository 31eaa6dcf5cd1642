"""Loading and validating scenario files.

``load_scenarios()`` returns the shipped library (``coachloop/practice/scenarios``) plus
any extra directories given; every file is validated against
:class:`coachloop.practice.schema.Scenario`. A bad file raises
:class:`~coachloop.errors.PracticeError` whose message names the file, the field path and
what to write instead, e.g.::

    my.yaml: persona.tenure: field required (add `tenure:` under `persona:`, e.g. "8 months") [CL601]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from coachloop.errors import PracticeError
from coachloop.practice.schema import BEHAVIORS, Scenario

SCENARIO_DIR = Path(str(resources.files("coachloop.practice").joinpath("scenarios")))


def _path_of(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc if p != "[key]") or "<top level>"


def _fix_for(err: Mapping[str, Any], data: Any) -> str:
    kind = err["type"]
    loc = err["loc"]
    last = str(loc[-1]) if loc else ""
    parent = ".".join(str(p) for p in loc[:-1])
    if kind == "missing":
        where = f" under `{parent}:`" if parent else ""
        return f"add `{last}:`{where}"
    if kind == "extra_forbidden":
        return f"remove `{last}` or check its spelling; see docs/practice.md for the fields"
    if kind == "enum":
        if last == "[key]":
            return f"`{loc[-2]}` is not a reaction name; see the reaction table in docs/practice.md"
        return "see docs/practice.md for the allowed values"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "state values are between 0 and 1; deltas between -1 and 1"
    if kind == "too_short":
        return "give at least one item"
    if kind == "string_pattern_mismatch":
        return "use lowercase letters, digits and - (scenario ids) or _ (fact ids)"
    if kind == "string_type":
        return (
            "write text here; quote values YAML reads as numbers or true/false "
            '(31, yes, no, on, off), e.g. "yes"'
        )
    if kind in ("list_type", "dict_type", "model_type"):
        shape = {
            "list_type": "a list (- item lines)",
            "dict_type": "a mapping (key: value lines)",
            "model_type": "a mapping (key: value lines)",
        }[kind]
        return f"this must be {shape}; see docs/practice.md"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "wrong type of value; see docs/practice.md for this field"
    return "see docs/practice.md"


def _error_from_validation(file: str, exc: ValidationError, data: Any) -> PracticeError:
    first = exc.errors()[0]
    msg = str(first["msg"]).removeprefix("Value error, ")
    more = len(exc.errors()) - 1
    tail = f"; {more} more problem(s) after fixing this" if more else ""
    return PracticeError(
        f"{file}: {_path_of(first['loc'])}: {msg}{tail}",
        hint=_fix_for(first, data),
        code="CL601",
    )


def parse_scenario(data: Any, *, source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as plain data (what ``yaml.safe_load`` returns)."""
    if not isinstance(data, dict):
        raise PracticeError(
            f"{source}: a scenario file must be a mapping of fields, got {type(data).__name__}",
            hint="start the file with `id: my-scenario` and see docs/practice.md",
            code="CL601",
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _error_from_validation(source, exc, data) from None


def load_scenario_file(path: str | Path) -> Scenario:
    """Read and validate one scenario YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PracticeError(
            f"{path}: cannot read the scenario file ({exc.strerror})",
            hint="check the path",
            code="CL600",
        ) from None
    except UnicodeDecodeError as exc:
        raise PracticeError(
            f"{path}: not UTF-8 text (byte {exc.start})",
            hint="give a scenario YAML file saved as UTF-8",
            code="CL600",
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PracticeError(
            f"{path}{where}: not valid YAML: {problem}",
            hint="check indentation and quote lines that contain ': '",
            code="CL602",
        ) from None
    scenario = parse_scenario(data, source=str(path))
    if path.stem != scenario.id:
        raise PracticeError(
            f"{path}: id: the id {scenario.id!r} differs from the file name {path.stem!r}",
            hint=f"rename the file to {scenario.id}.yaml or set `id: {path.stem}`",
            code="CL601",
        )
    return scenario


def _load_dir(directory: Path) -> list[Scenario]:
    return [load_scenario_file(p) for p in sorted(directory.glob("*.yaml"))]


@lru_cache(maxsize=1)
def _shipped() -> tuple[Scenario, ...]:
    return tuple(_load_dir(SCENARIO_DIR))


def load_scenarios(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Scenario]:
    """Every scenario by id: the shipped library plus ``extra_dirs`` (validated).

    An id defined twice is an error (PracticeError CL605) naming both files.
    """
    out: dict[str, Scenario] = {}
    origin: dict[str, str] = {}
    groups: list[tuple[str, list[Scenario]]] = [(str(SCENARIO_DIR), list(_shipped()))]
    for d in extra_dirs:
        d = Path(d)
        if not d.is_dir():
            raise PracticeError(
                f"{d}: not a directory of scenario files",
                hint="give a folder of *.yaml files",
                code="CL600",
            )
        groups.append((str(d), _load_dir(d)))
    for where, scenarios in groups:
        for sc in scenarios:
            if sc.id in out:
                raise PracticeError(
                    f"scenario id {sc.id!r} is defined in both {origin[sc.id]} and {where}",
                    hint="give one of them another id (and file name)",
                    code="CL605",
                )
            out[sc.id] = sc
            origin[sc.id] = where
    return out


def get_scenario(scenario_id: str, *, scenarios: Mapping[str, Scenario] | None = None) -> Scenario:
    library = load_scenarios() if scenarios is None else scenarios
    try:
        return library[scenario_id]
    except KeyError:
        raise PracticeError(
            f"no scenario {scenario_id!r}",
            hint="`coachloop practice --list` shows the ids",
            code="CL603",
        ) from None


def scenarios_for(
    behavior: str, *, scenarios: Mapping[str, Scenario] | None = None
) -> list[Scenario]:
    """The scenarios that train ``behavior``, by id."""
    if behavior not in BEHAVIORS:
        raise PracticeError(
            f"unknown behaviour {behavior!r}",
            hint="use one of " + ", ".join(BEHAVIORS),
            code="CL604",
        )
    library = load_scenarios() if scenarios is None else scenarios
    return sorted((s for s in library.values() if s.behavior == behavior), key=lambda s: s.id)
