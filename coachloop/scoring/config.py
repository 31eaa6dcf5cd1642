"""Scoring config: the registered defaults, overridden from a YAML or TOML file.

File layout (YAML shown; TOML uses the same tables)::

    signals:
      longest_monologue_s.v1:
        max_gap_s: 5
    behaviors:
      ask_before_tell.v1:
        weights: {ask_first: 0.5, open_questions: 0.3, listening: 0.2}

Keys are versioned component names. Naming a version other than the default
(``ask_before_tell.v2``) runs that version instead. Only keys the component's default
config has may be set, with a value of the same type; numbers must be finite and
not negative. Every refusal is a ConfigError naming the file and the key.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coachloop.errors import ConfigError
from coachloop.scoring.registry import (
    BEHAVIORS,
    SIGNALS,
    Component,
    Registry,
    order_pipeline,
    split_name,
)

SECTIONS: dict[str, Registry] = {"signals": SIGNALS, "behaviors": BEHAVIORS}


@dataclass(frozen=True)
class ScoringConfig:
    """The resolved pipeline: components in run order and each one's config."""

    components: tuple[Component, ...]
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str | None = None

    def of(self, name: str) -> Mapping[str, Any]:
        return self.settings[name]

    @property
    def signals(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.kind == "signal")

    @property
    def behaviors(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.kind == "behavior")

    def to_dict(self) -> dict[str, Any]:
        """The full effective config, in the file layout (round-trips through resolve)."""
        out: dict[str, Any] = {"signals": {}, "behaviors": {}}
        for comp in self.components:
            out["signals" if comp.kind == "signal" else "behaviors"][comp.name] = json.loads(
                json.dumps(self.settings[comp.name])
            )
        return out


def resolve_config(
    overrides: Mapping[str, Any] | None = None, *, source: str = "<config>"
) -> ScoringConfig:
    """Defaults from the registries, with ``overrides`` (the file layout) applied."""
    overrides = overrides or {}
    if not isinstance(overrides, Mapping):
        raise ConfigError(
            f"{source}: the config must be a mapping with 'signals' and/or 'behaviors'"
        )
    unknown = sorted(set(overrides) - set(SECTIONS))
    if unknown:
        raise ConfigError(
            f"{source}: {unknown[0]}: unknown section",
            hint="sections are 'signals' and 'behaviors'",
        )
    chosen: dict[str, Component] = {}
    settings: dict[str, dict[str, Any]] = {}
    for section, registry in SECTIONS.items():
        defaults = {c.id: c for c in registry.defaults()}
        given = overrides.get(section) or {}
        if not isinstance(given, Mapping):
            raise ConfigError(f"{source}: {section}: must be a mapping of component names")
        picked = dict(defaults)
        seen: dict[str, str] = {}
        for name in given:
            key = f"{section}.{name}"
            if name not in registry:
                if isinstance(name, str) and "." not in name and name in defaults:
                    hint = f"did you mean {defaults[name].name!r}?"
                else:
                    hint = "registered: " + ", ".join(registry.names())
                raise ConfigError(f"{source}: {key}: unknown {registry.kind} component", hint=hint)
            comp_id, _ = split_name(name)
            if comp_id in seen:
                raise ConfigError(
                    f"{source}: {key}: {seen[comp_id]!r} is configured too; choose one version"
                )
            seen[comp_id] = name
            picked[comp_id] = registry.get(name)
        for comp in picked.values():
            merged = comp.config()
            values = given.get(comp.name)
            if values is not None:
                if not isinstance(values, Mapping):
                    raise ConfigError(
                        f"{source}: {section}.{comp.name}: must be a mapping of settings"
                    )
                _merge(merged, values, f"{section}.{comp.name}", source)
            settings[comp.name] = merged
            chosen[comp.name] = comp
    ordered = order_pipeline(list(chosen.values()))
    return ScoringConfig(components=tuple(ordered), settings=settings, source=source)


def _merge(target: dict[str, Any], values: Mapping[str, Any], key: str, source: str) -> None:
    for name, value in values.items():
        where = f"{source}: {key}.{name}"
        if name not in target:
            known = ", ".join(sorted(target)) or "none"
            raise ConfigError(f"{where}: unknown setting", hint=f"settings: {known}")
        default = target[name]
        if isinstance(default, dict):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: must be a mapping, got {value!r}")
            _merge(default, value, f"{key}.{name}", source)
            continue
        target[name] = _check_value(default, value, where)


def _check_value(default: Any, value: Any, where: str) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, got {value!r}")
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: must be a number, got {value!r}")
        if isinstance(default, int) and not isinstance(value, int):
            raise ConfigError(f"{where}: must be a whole number, got {value!r}")
        if math.isnan(value) or math.isinf(value) or value < 0:
            raise ConfigError(f"{where}: must be a finite number ≥ 0, got {value!r}")
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: must be a string, got {value!r}")
        return value
    if isinstance(default, list):
        if not isinstance(value, list):
            raise ConfigError(f"{where}: must be a list, got {value!r}")
        return list(value)
    return value


def load_config(path: str | Path) -> ScoringConfig:
    """Read a YAML (.yaml/.yml) or TOML (.toml) override file and resolve it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    elif suffix in {".yaml", ".yml"}:
        try:
            data = yaml.safe_load(raw.decode("utf-8"))
        except yaml.MarkedYAMLError as exc:
            where = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
            raise ConfigError(f"{path}: not valid YAML ({exc.problem}{where})") from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    else:
        raise ConfigError(
            f"{path}: unknown config format {suffix or '(no suffix)'!r}",
            hint="use a .yaml, .yml or .toml file",
        )
    return resolve_config(data or {}, source=str(path))
