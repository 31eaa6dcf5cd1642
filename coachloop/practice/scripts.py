"""Replayable manager scripts: a "coaching" manager and a "telling" manager.

They are built from a scenario (its persona, its facts' ``about`` words, its behaviour)
so they work on any scenario an L&D team writes. The test suite replays both on every
scenario and checks that coaching scores higher on the scenario's behaviour and
unlocks more facts; the benchmark replays them to time the engine; the CLI's
``--replay`` takes the same kind of script from a file. A scenario may carry its own
scripts in ``meta.coaching_script`` / ``meta.telling_script`` (lists of lines).
"""

from __future__ import annotations

from coachloop.practice.schema import Fact, Scenario

_FUNCTION_WORDS = frozenset(
    [
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "how",
        "side",
        "going",
        "happen",
        "happened",
        "happening",
        "walk",
        "one",
        "most",
        "next",
        "want",
        "help",
        "feel",
        "think",
        "doing",
        "could",
        "work",
        "did",
        "see",
        "made",
    ]
)

_COACHING_MIDDLE: dict[str, tuple[str, ...]] = {
    "ask_before_tell": (
        "Thanks, that changes how I see it. What would you try first?",
        "One idea, building on what you said: book a second contact early in every deal.",
    ),
    "one_behavior_per_cycle": (
        "For the next two weeks, let's work only on your discovery questions.",
        "Try asking two more discovery questions before you pitch.",
        "I'll sit in on one of your discovery calls with you next Thursday.",
    ),
    "evidence_based_feedback": (
        "Nice work on the opening: at minute 3 you asked about their current process and let them talk for two minutes.",
        "At minute 12, when they asked about integrations, you talked for four minutes without pausing, and they stopped taking notes.",
    ),
    "behavior_not_outcome": (
        "What would you do differently in the next call?",
        "Let's look at how you handled the objection in that meeting and practise what you would say next time.",
    ),
    "calibrate_against_team": (
        "Compared with the team median over the same two quarters, you're at about half on this, 12% against 21%.",
        "Our top reps at that stage walk the champion through it live; the team average is 2 calls per proposal.",
    ),
    "protect_rep_calendars": (
        "What would help you get more selling time back?",
        "I'll take you off the meetings you don't need today and protect your mornings from next week.",
    ),
    "hold_cadence": (
        "What would make our 1:1s worth your time?",
        "Let's keep the 1:1 every Monday at 9 for fifteen minutes; I'll send the invite today.",
    ),
}

_TELLING_MIDDLE: dict[str, tuple[str, ...]] = {
    "ask_before_tell": ("You should have escalated much earlier.",),
    "one_behavior_per_cycle": (
        "You need to fix your discovery, your demos, your CRM hygiene and your follow-ups.",
    ),
    "evidence_based_feedback": ("Your demo was pretty rough, honestly.",),
    "behavior_not_outcome": ("The bottom line is we lost the deal and missed the number.",),
    "calibrate_against_team": ("Everyone else on the team is doing better than you.",),
    "protect_rep_calendars": (
        "You need to decline more meetings and manage your calendar better.",
    ),
    "hold_cadence": ("Fine, skip the 1:1s and just message me if something comes up.",),
}


def _topic_word(fact: Fact) -> str:
    for word in fact.about:
        if word not in _FUNCTION_WORDS and len(word) >= 3:
            return word
    return fact.about[0] if fact.about else "that"


def coaching_script(scenario: Scenario) -> list[str]:
    """Open questions first, evidence-grounded feedback, a behaviour-focused close."""
    custom = scenario.meta.get("coaching_script")
    if custom:
        return [str(x) for x in custom]
    lines = ["What's been happening, from your side?"]
    for fact in scenario.facts[1:]:
        lines.append(f"What can you tell me about the {_topic_word(fact)}?")
    lines += _COACHING_MIDDLE[scenario.behavior]
    lines.append("What will you do differently this week?")
    return lines


def telling_script(scenario: Scenario) -> list[str]:
    """Advice before any question, vague judgement, outcome talk, closed questions."""
    custom = scenario.meta.get("telling_script")
    if custom:
        return [str(x) for x in custom]
    return [
        "You should have pushed harder on this one.",
        *_TELLING_MIDDLE[scenario.behavior],
        "Honestly that was not great.",
        "We lost a lot on this and the number is down this quarter.",
        "Did you follow the process?",
        "Don't you think you should have asked for help sooner?",
        "Just make sure it doesn't happen again.",
    ]
