"""Registries of scoring components: signals and behaviours with versioned names.

A component is a plain function registered under a versioned name (``"talk_share.v1"``)
with the inputs it reads (``requires``), the values it writes (``assigns``) and a
default config (thresholds, weights). Built-ins register exactly like third-party
components::

    from coachloop.scoring import SIGNALS, SignalResult

    @SIGNALS.register("filler_words.v1", requires=("meeting.utterances",),
                      default_config={"words": ["um", "uh"]})
    def filler_words(view, who, cfg, found):   # found: signals already computed
        idx = tuple(i for i in view.indexes_of(who) if ...)
        return SignalResult(len(idx), idx)

A behaviour is ``func(view, signals, cfg, context) -> Judgement``.

Input names a component may require:

``meeting.utterances``  utterance text and timing (ends estimated where unknown)
``meeting.roles``       which labels are the manager and which the rep
``acts``                the tagger's acts per utterance (``coachloop.acts``)
``acts.topics``         the skill topics per utterance
``acts.vague``          whether an utterance is vague feedback
``signals.<id>``        a signal another component assigns
``context.<field>``     a :class:`~coachloop.scoring.engine.ScoringContext` field

A pipeline (one component per id, the default being the highest version) is checked
before anything runs: every requirement must be an input or be assigned by a
component that runs earlier, so a misconfigured pipeline fails at once, not halfway
through a batch.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coachloop.errors import ConfigError

NAME_RE = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)$")

#: Inputs the engine provides before any component runs.
BASE_INPUTS: frozenset[str] = frozenset(
    {"meeting.utterances", "meeting.roles", "acts", "acts.topics", "acts.vague"}
)
CONTEXT_FIELDS: frozenset[str] = frozenset({"focus_topic", "calendar", "calibration"})

Kind = Literal["signal", "behavior"]


def split_name(name: str) -> tuple[str, int]:
    """``"talk_share.v1"`` -> ``("talk_share", 1)``; ConfigError for anything else."""
    match = NAME_RE.match(name) if isinstance(name, str) else None
    if match is None:
        raise ConfigError(
            f"component name {name!r} is not versioned",
            hint="use lower_snake_case and a version suffix, e.g. 'talk_share.v1'",
        )
    return match["id"], int(match["version"])


@dataclass(frozen=True, slots=True)
class Component:
    """One registered signal or behaviour."""

    name: str
    kind: Kind
    func: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    default_config: Mapping[str, Any] = field(default_factory=dict)
    #: signals only: also computed for the rep (reported under ``rep_signals``)
    for_rep: bool = False
    doc: str = ""

    @property
    def id(self) -> str:
        return split_name(self.name)[0]

    @property
    def version(self) -> int:
        return split_name(self.name)[1]

    def config(self) -> dict[str, Any]:
        """A fresh deep copy of the default config (callers may change it)."""
        return copy.deepcopy(dict(self.default_config))


class Registry:
    """Versioned components of one kind, in registration order."""

    def __init__(self, kind: Kind) -> None:
        self.kind: Kind = kind
        self._items: dict[str, Component] = {}
        #: bumped on every (un)registration, so cached pipelines know they are stale
        self.generation = 0

    def register(
        self,
        name: str,
        *,
        requires: Sequence[str],
        assigns: Sequence[str] | None = None,
        default_config: Mapping[str, Any] | None = None,
        for_rep: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: register ``func`` under ``name`` (e.g. ``"talk_share.v1"``)."""
        comp_id, _ = split_name(name)
        if name in self._items:
            raise ConfigError(f"{self.kind} component {name!r} is already registered")
        prefix = "signals" if self.kind == "signal" else "behaviors"
        for req in requires:
            _check_input_name(name, req)
        if for_rep and self.kind != "signal":
            raise ConfigError(f"{name}: only signals can be computed for the rep")

        def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
            self._items[name] = Component(
                name=name,
                kind=self.kind,
                func=func,
                requires=tuple(requires),
                assigns=tuple(assigns) if assigns is not None else (f"{prefix}.{comp_id}",),
                default_config=copy.deepcopy(dict(default_config or {})),
                for_rep=for_rep,
                doc=(func.__doc__ or "").strip(),
            )
            self.generation += 1
            return func

        return decorate

    def unregister(self, name: str) -> None:
        """Remove a component (for tests and plugins that replace one)."""
        if name not in self._items:
            raise ConfigError(f"no {self.kind} component named {name!r}")
        del self._items[name]
        self.generation += 1

    def get(self, name: str) -> Component:
        if name not in self._items:
            raise ConfigError(
                f"no {self.kind} component named {name!r}",
                hint=_suggest(name, self.names()),
            )
        return self._items[name]

    def names(self) -> list[str]:
        return list(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[Component]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def defaults(self) -> list[Component]:
        """One component per id — the highest version — in first-registration order."""
        best: dict[str, Component] = {}
        for comp in self._items.values():
            cur = best.get(comp.id)
            if cur is None or comp.version > cur.version:
                best[comp.id] = comp
        return list(best.values())


def _check_input_name(component: str, req: str) -> None:
    head, _, tail = req.partition(".")
    ok = (
        req in BASE_INPUTS
        or (head in {"signals", "behaviors"} and bool(tail))
        or (head == "context" and tail in CONTEXT_FIELDS)
    )
    if not ok:
        raise ConfigError(
            f"{component}: unknown input {req!r}",
            hint="inputs are " + ", ".join(sorted(BASE_INPUTS)) + ", signals.<id>, context.<field>",
        )


def _suggest(name: str, known: Sequence[str]) -> str:
    base = name.split(".v")[0]
    close = [k for k in known if k.split(".v")[0] == base]
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "registered: " + ", ".join(known)


def order_pipeline(components: Sequence[Component]) -> list[Component]:
    """Order components so each runs after what it requires; refuse unmet requirements.

    Signals come before behaviours; within a kind, registration order is kept unless a
    requirement forces a component later.
    """
    pending = list(components)
    provided = set(BASE_INPUTS) | {f"context.{f}" for f in CONTEXT_FIELDS}
    all_assigned = {a for c in components for a in c.assigns}
    for comp in components:
        missing = [r for r in comp.requires if r not in provided and r not in all_assigned]
        if missing:
            raise ConfigError(
                f"{comp.name} requires {', '.join(missing)}, which no component in the pipeline assigns"
            )
    ordered: list[Component] = []
    for kind in ("signal", "behavior"):
        todo = [c for c in pending if c.kind == kind]
        while todo:
            ready = next((c for c in todo if all(r in provided for r in c.requires)), None)
            if ready is None:
                raise ConfigError(
                    "components require each other in a cycle: " + ", ".join(c.name for c in todo)
                )
            ordered.append(ready)
            provided.update(ready.assigns)
            todo.remove(ready)
    return ordered


SIGNALS = Registry("signal")
BEHAVIORS = Registry("behavior")
