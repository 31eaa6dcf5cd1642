"""Built-in reaction effects and fallback rep lines.

A scenario file may give its own lines and effect for any reaction; whatever it leaves
out comes from here. The effects are the persona mechanics the issue asks for: telling
before asking makes the rep defensive, a vague evaluation confuses, evidence engages,
an outcome-only debrief makes the rep dwell on the loss, an open question opens up.
The numbers are documented in docs/practice.md (the table is checked by a test).
"""

from __future__ import annotations

from coachloop.practice.schema import Effect, Reaction

R = Reaction

DEFAULT_EFFECTS: dict[Reaction, Effect] = {
    R.tell_before_ask: Effect(openness=-0.15, defensiveness=0.25, clarity=0.0),
    R.scattered: Effect(openness=-0.05, defensiveness=0.1, clarity=-0.1),
    R.vague_feedback: Effect(openness=-0.05, defensiveness=0.1, clarity=-0.05),
    R.evidence_feedback: Effect(openness=0.15, defensiveness=-0.15, clarity=0.15),
    R.unfounded_benchmark: Effect(openness=-0.1, defensiveness=0.2, clarity=0.0),
    R.benchmark: Effect(openness=0.1, defensiveness=-0.05, clarity=0.2),
    R.outcome_only: Effect(openness=-0.05, defensiveness=0.15, clarity=-0.05),
    R.behavior_focus: Effect(openness=0.1, defensiveness=-0.1, clarity=0.2),
    R.commitment: Effect(openness=0.1, defensiveness=-0.1, clarity=0.2),
    R.advice: Effect(openness=0.0, defensiveness=0.0, clarity=0.1),
    R.open_question: Effect(openness=0.1, defensiveness=-0.1, clarity=0.05),
    R.reveal: Effect(),
    R.guarded: Effect(),
    R.closed_question: Effect(openness=0.0, defensiveness=0.0, clarity=0.0),
    R.leading_question: Effect(openness=-0.05, defensiveness=0.05, clarity=0.0),
    R.backchannel: Effect(openness=0.05, defensiveness=0.0, clarity=0.0),
    R.default: Effect(),
}

DEFAULT_LINES: dict[Reaction, tuple[str, ...]] = {
    R.tell_before_ask: (
        "Okay. Sure. I'll do that.",
        "Right. Got it.",
        "Fine. Anything else?",
        "I mean, you haven't really heard what happened, but okay.",
        "Sure, if you say so.",
    ),
    R.scattered: (
        "That's a lot of things at once. Which one do you actually want me to work on?",
        "Okay, I've lost track. What's the one thing that matters most?",
        "I can't change all of that by next week. Where do I start?",
        "So... all of it? Pick one for me.",
    ),
    R.vague_feedback: (
        "What do you mean?",
        "Can you be more specific? I'm not sure what you're referring to.",
        "Which part, exactly?",
        "I don't really know what to do with that.",
        "Meaning what, concretely?",
    ),
    R.evidence_feedback: (
        "Yeah, fair. I remember that moment.",
        "Okay, when you put it like that I can see it.",
        "Huh. I didn't notice I was doing that.",
        "That's fair. I rushed that part.",
        "Right, I can picture exactly where that happened.",
    ),
    R.unfounded_benchmark: (
        "Compared to who, exactly?",
        "The team? Their territories aren't mine.",
        "Is that based on numbers, or a feeling?",
        "Okay, but I don't know what 'the others' are doing differently.",
    ),
    R.benchmark: (
        "Huh, I didn't know the gap was that big.",
        "Okay, that number is useful. What are they doing differently?",
        "That's a concrete comparison. I can work with that.",
        "Right, so I'm the outlier on that one.",
    ),
    R.outcome_only: (
        "Yeah. I know. It stings.",
        "I keep replaying how we lost it.",
        "I know the number's bad. I don't need reminding.",
        "Honestly I just feel like I blew it.",
        "Everyone's going to see that on the board.",
    ),
    R.behavior_focus: (
        "Okay, that's something I can actually change.",
        "Yeah, I could do that differently next time.",
        "That makes sense. It's about what I do in the room, not the result.",
        "Right. I can practise that.",
    ),
    R.commitment: (
        "That would really help, thank you.",
        "Okay. If you can do that, I can commit to my side.",
        "Great. That makes next week a lot clearer.",
        "Thanks. I'll hold you to that.",
    ),
    R.advice: (
        "Okay, that makes sense.",
        "I can try that.",
        "Good idea. I'll give that a go.",
        "Right, that fits with what we just talked about.",
    ),
    R.open_question: (
        "Hmm. Let me think about that.",
        "Good question. It's been a messy few weeks.",
        "I'm not totally sure. There's a lot going on.",
        "Where do I start...",
        "I guess it depends how far back you want to go.",
    ),
    R.reveal: (
        "Honestly?",
        "Okay, since you ask.",
        "So, the thing I haven't said yet:",
        "The real story is this.",
        "I should have mentioned this earlier.",
        "Between us,",
    ),
    R.guarded: (
        "It's fine. I've got it under control.",
        "Nothing really. It's handled.",
        "I'd rather not get into it.",
        "Does it matter? You've already decided.",
        "Look, I'll sort it out.",
    ),
    R.closed_question: (
        "Yes.",
        "No, not really.",
        "I think so.",
        "Sort of.",
        "Probably.",
    ),
    R.leading_question: (
        "I guess so, if that's what you think.",
        "Sure, yeah.",
        "I suppose you're right.",
        "If you say so.",
    ),
    R.backchannel: (
        "Yeah.",
        "Mm-hm.",
        "So, yeah.",
        "Anyway.",
    ),
    R.default: (
        "Okay.",
        "Right.",
        "Hmm, okay.",
        "Sure.",
        "I see.",
    ),
}

#: Short lead-ins combined with a line when every plain line of a reaction is used up,
#: so that no line is repeated in a session.
OPENERS: tuple[str, ...] = (
    "Look,",
    "Well,",
    "Honestly,",
    "I mean,",
    "Okay, so",
    "Yeah,",
    "Hm,",
    "Right,",
    "To be fair,",
    "Listen,",
)

#: The debrief's one thing to try next time, by what went wrong (scenario tips override).
DEFAULT_TIPS: dict[Reaction, str] = {
    R.tell_before_ask: (
        'Open with a question before any advice, e.g. "Walk me through what happened from '
        'your side", and hold your suggestion until the rep has answered.'
    ),
    R.scattered: (
        "Name one behaviour for this cycle and say it once: \"For the next two weeks, let's "
        'work only on X"; park the rest.'
    ),
    R.vague_feedback: (
        'Replace the judgement with what you saw: quote the moment ("at minute 12 you said…") '
        "and then say its effect."
    ),
    R.unfounded_benchmark: (
        'Bring the team number when you compare ("the team median is 3 discovery calls a '
        'deal, you\'re at 1") instead of "the others do better".'
    ),
    R.outcome_only: (
        'Move from the result to a behaviour: ask "What would you do differently in the '
        'next call?" rather than going over the loss.'
    ),
    R.leading_question: (
        'Turn the leading question into an open one: "What did you think of…" instead of '
        '"Don\'t you think you should…".'
    ),
    R.closed_question: (
        'Swap a yes/no question for a what/how question, e.g. "How did the call go?" '
        'instead of "Did the call go well?".'
    ),
    R.guarded: (
        "When the rep goes quiet, lower the stakes first: acknowledge what they said and "
        "ask one open question about their view."
    ),
}

#: The tip when nothing went wrong, by behaviour.
BEHAVIOR_TIPS: dict[str, str] = {
    "ask_before_tell": "Keep asking first; next time also ask the rep to propose the fix before you do.",
    "one_behavior_per_cycle": "Keep one focus; next time close by agreeing how you will both check it next week.",
    "evidence_based_feedback": "Keep quoting the moment; next time ask the rep to find a second example themselves.",
    "behavior_not_outcome": "Keep the debrief on behaviour; next time ask the rep to name the behaviour first.",
    "calibrate_against_team": "Keep the numbers; next time ask the rep which peer to shadow.",
    "protect_rep_calendars": "Keep protecting the time; next time put the cleared block in the calendar during the 1:1.",
    "hold_cadence": "Keep the cadence; next time book the next 1:1 before you hang up.",
}
