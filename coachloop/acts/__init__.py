"""Utterance acts: the fixed vocabulary the tagger assigns to each utterance.

Public API
----------
``ACTS``                      the act vocabulary (below)
``tag_meeting(meeting)``      one frozenset of acts per utterance, in utterance order
``tag_texts(texts)``          the same for bare texts (no timing: no interruption, and
                              backchannels judged on the words alone)
``tag_text(text)``            one text
``topics_of(text)``           the coaching topics/skills a text is about (``TOPICS``)
``is_vague_feedback(text)``   feedback with no specifics ("good job", "that was great")

Acts (an utterance may carry several; full rules with examples in docs/labelling.md)
------------------------------------------------------------------------------------
question          asks something (any form); with exactly one of
open_question     wh-/how-question or an open prompt ("walk me through…", "tell me about…")
closed_question   yes/no, either/or, tag question
leading_question  advice dressed as a question ("Don't you think you should…?",
                  "Wouldn't it be better to…?", "Have you tried…?"); always also
                  ``question`` and ``advice``, open or closed by its form
advice            telling: directives, instructions, suggestions, "you need to…",
                  "next time do X", imperatives
feedback          an evaluation of the rep's work, positive or negative
evidence          a reference to something specific and checkable: a quote, a moment
                  in a call, a number, a date, a named deal, customer or document
outcome_talk      results: won/lost, quota, revenue, slipped
behavior_talk     actions: asked, discovery, listened, handled the objection, next step
backchannel       "mm-hmm", "right", "yeah" that does not take the floor
interruption      starts while another speaker is still talking, or right after they
                  were cut off mid-sentence (the rule, or the learned cut-off model
                  when utterances have end times; never a backchannel)
benchmark         a team norm or peer comparison
commitment        the speaker commits to an action ("I'll take that off your calendar")

Punctuated text (Zoom/Teams) is trusted for question marks. Unpunctuated lower-case
ASR text goes through a small learned model (``coachloop/acts/questions.py``, weights in
``coachloop/acts/data``) that reads the words at the start and end of the utterance and,
in a meeting, the timing and first words of the next speaker; when the transcript has
word times, a gradient-boosted model (:mod:`coachloop.acts.boosted`) also reads how the
words of both speakers fall around the utterance (:mod:`coachloop.acts.wordtiming`).
"""

from __future__ import annotations

from collections.abc import Iterable

from coachloop.acts import rules as _rules
from coachloop.acts.context import apply_context
from coachloop.acts.questions import question_flag_text, question_flags
from coachloop.acts.text import is_vague_feedback, text_acts, topics_of
from coachloop.model import Meeting

ACTS: tuple[str, ...] = (
    "question",
    "open_question",
    "closed_question",
    "leading_question",
    "advice",
    "feedback",
    "evidence",
    "outcome_talk",
    "behavior_talk",
    "backchannel",
    "interruption",
    "benchmark",
    "commitment",
)

#: Coaching topics/skills that :func:`topics_of` can return (lexicon: data/topics.json).
TOPICS: tuple[str, ...] = tuple(name for name, _ in _rules.topic_patterns())

#: A meeting counts as punctuated when at least this share of utterances carry . ! or ?
PUNCTUATED_SHARE = 0.3

__all__ = [
    "ACTS",
    "TOPICS",
    "is_vague_feedback",
    "meeting_is_punctuated",
    "tag_meeting",
    "tag_text",
    "tag_texts",
    "topics_of",
]


def meeting_is_punctuated(texts: Iterable[str]) -> bool:
    """Whether a transcript carries sentence punctuation we can trust for questions."""
    n = hits = 0
    for t in texts:
        n += 1
        hits += _rules.is_punctuated(t)
    return n > 0 and hits >= PUNCTUATED_SHARE * n


def tag_text(text: str) -> frozenset[str]:
    """Acts of one bare text (punctuation judged on the text itself)."""
    return tag_texts([text])[0]


def tag_texts(texts: Iterable[str]) -> list[frozenset[str]]:
    """Acts of bare texts, context-free; punctuation is judged over the whole list."""
    texts = list(texts)
    punct = meeting_is_punctuated(texts)
    if punct:
        return [frozenset(text_acts(t, punctuated=True)) for t in texts]
    return [
        frozenset(text_acts(t, punctuated=False, question=question_flag_text(t))) for t in texts
    ]


def tag_meeting(meeting: Meeting, *, models: str = "auto") -> list[frozenset[str]]:
    """One frozenset of acts per utterance, in utterance order.

    ``models="logistic"`` keeps to the logistic question and cut-off models (faster on
    short unpunctuated segments; the default ``auto`` takes the boosted ones unless
    ``COACHLOOP_TAGGER_MODELS=logistic``: docs/validation.md, docs/performance.md).
    """
    if models not in ("auto", "logistic"):
        raise ValueError(f"models must be 'auto' or 'logistic', not {models!r}")
    utts = meeting.utterances
    punct = meeting_is_punctuated(u.text for u in utts)
    flags = None if punct else question_flags(utts, model=models)
    if flags is None:
        acts = [text_acts(u.text, punctuated=punct) for u in utts]
    else:
        acts = [
            text_acts(u.text, punctuated=False, question=q)
            for u, q in zip(utts, flags, strict=True)
        ]
    apply_context(utts, acts, model=models)
    return [frozenset(a) for a in acts]
