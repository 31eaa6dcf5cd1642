"""Practice with a virtual rep: scenarios as data, an engine, voices and a debrief.

Public API (also used by the web app and the simulation lab)::

    load_scenarios(extra_dirs=()) -> dict[str, Scenario]     the scenario library
    get_scenario(id), scenarios_for(behavior)
    load_scenario_file(path), parse_scenario(data)           validate an L&D team's file
    PracticeSession(scenario, *, seed, manager_name, voice, tagger)
        .start() -> Turn, .send(text) -> Turn, .finish() -> Debrief
        .to_dict() / PracticeSession.from_dict(data)          keep a session between requests
        .to_meeting() -> Meeting (meta kind="practice")       what is scored and stored
    classify(acts, text, *, asked_before) -> [Reaction]      acts -> what the rep reacts to
    choose_line(scenario, reaction, *, rng, used, fields)    the rep's line, never repeated
    realise_line(line, fields)                               fill {manager} {rep} {issue} {account}
    make_voice("scripted" | "llm" | "llm-endpoint" | "llm-local")
    scenario_from_moment(meeting, index, behavior)           practise a real moment
    store_session(session, workspace)                        land it in the workspace

Persona data lives on each scenario: ``scenario.persona`` (name, role, tenure,
temperament, issue, account), ``scenario.state``, ``scenario.facts``,
``scenario.reactions`` (lines per :class:`Reaction`), with fallbacks in
:mod:`coachloop.practice.defaults` (``DEFAULT_LINES``, ``DEFAULT_EFFECTS``).
"""

from coachloop.practice.debrief import Debrief, debrief_session
from coachloop.practice.defaults import DEFAULT_EFFECTS, DEFAULT_LINES
from coachloop.practice.engine import (
    PracticeSession,
    RepState,
    SessionState,
    Turn,
    choose_line,
    classify,
    realise_line,
    replay,
)
from coachloop.practice.library import (
    get_scenario,
    load_scenario_file,
    load_scenarios,
    parse_scenario,
    scenarios_for,
)
from coachloop.practice.schema import BEHAVIORS, Fact, Persona, Reaction, Scenario, State
from coachloop.practice.voices import (
    EndpointVoice,
    LineRequest,
    LLMSettings,
    LocalVoice,
    ScriptedVoice,
    Voice,
    VoiceResult,
    make_voice,
)

__all__ = [
    "BEHAVIORS",
    "DEFAULT_EFFECTS",
    "DEFAULT_LINES",
    "Debrief",
    "EndpointVoice",
    "Fact",
    "LLMSettings",
    "LineRequest",
    "LocalVoice",
    "Persona",
    "PracticeSession",
    "Reaction",
    "RepState",
    "Scenario",
    "ScriptedVoice",
    "SessionState",
    "State",
    "Turn",
    "Voice",
    "VoiceResult",
    "choose_line",
    "classify",
    "debrief_session",
    "get_scenario",
    "load_scenario_file",
    "load_scenarios",
    "make_voice",
    "parse_scenario",
    "realise_line",
    "replay",
    "scenarios_for",
]
