"""Acts of one utterance's text alone (no timing, no neighbours).

:func:`text_acts` is the per-utterance core of the tagger; :func:`coachloop.acts.tag_meeting`
adds what needs the conversation around it (backchannels that do not take the floor,
interruptions, the question model's dialogue features).
"""

from __future__ import annotations

import re
from functools import lru_cache

from coachloop.acts import rules as R

#: texts whose acts are remembered per process (a bounded LRU: memory stays flat)
TEXT_CACHE_SIZE = 16384

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+")
_WH_OPEN = re.compile(
    R._SS + r"(?:what|what's|whats|why|how|how's|where|where's|when|who|who's|whose)\b"
)
_ADVICE_LEX = R.RE_ADVICE_LEX


def _question_rule(norm: str) -> bool:
    """Question-form test for unpunctuated text (wh-start, aux inversion, prompts, tags)."""
    return (
        R.RE_WH_START.search(norm) is not None
        or R.RE_AUX_START.search(norm) is not None
        or R.RE_PROMPT.search(norm) is not None
        or R.RE_TAG_Q.search(norm) is not None
        or R.RE_OR_Q.search(norm) is not None
    )


def is_backchannel_text(norm: str) -> bool:
    """Short, content-free acknowledgement ("mm-hmm", "right", "yeah, got it")."""
    if len(norm) > 40 or "?" in norm:  # four acknowledgement words never run longer
        return False
    toks = R.tokens(norm)
    if not toks or len(toks) > 4:
        return False
    words = R.BACKCHANNEL_WORDS
    core = R.BACKCHANNEL_CORE
    return all(t in words for t in toks) and any(t in core for t in toks)


def text_acts(
    text: str, *, punctuated: bool | None = None, question: bool | None = None
) -> set[str]:
    """The acts that the text alone shows.

    ``punctuated`` says whether to trust sentence punctuation (``None``: look at the
    text). ``question`` overrides question detection (the meeting tagger passes the
    learned model's decision for unpunctuated text).
    """
    return set(_text_acts(text, punctuated, question))


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _text_acts(text: str, punctuated: bool | None, question: bool | None) -> frozenset[str]:
    # A pure function of its arguments, so memoised (bounded): short turns recur in
    # every meeting ("yeah", "okay, sounds good", "what else?") and the regular
    # expressions below are three quarters of tagging time.
    norm = R.normalize(text)
    punct = R.is_punctuated(text) if punctuated is None else punctuated
    if question is not True and is_backchannel_text(norm):
        # Only acknowledgement words: nothing else to find (the context may still
        # revoke the backchannel when it takes the floor).
        return frozenset({"backchannel"})
    acts: set[str] = set()
    if punct:
        sentences = _SENT_SPLIT.split(norm.strip())
        q_sents = [s for s in sentences if s.rstrip().endswith("?") or R.RE_PROMPT.match(s)]
        other = [s for s in sentences if s not in q_sents]
        is_q = bool(q_sents) if question is None else question
    else:
        q_sents = []
        if question is None:
            is_q = _question_rule(norm)
        else:
            # The model was fitted on meeting talk, where "tell me…" prompts are not
            # questions; in coaching they are (open) questions.
            is_q = question or R.RE_PROMPT.search(norm) is not None
        if is_q:
            q_sents = [norm]
            other = []
        else:
            other = [norm]
    leading = False
    if is_q:
        qtext = " ".join(q_sents) if q_sents else norm
        acts.add("question")
        leading = R.RE_LEADING.search(qtext) is not None
        if leading:
            acts.update(("leading_question", "advice"))
        if _WH_OPEN.search(qtext) or R.RE_PROMPT.search(qtext):
            acts.add("open_question")
        else:
            acts.add("closed_question")
        for s in q_sents:
            # A declarative with a tag ("you need to slow down, right?") still tells.
            if _ADVICE_LEX.search(s) and not R.RE_AUX_START.match(s) and not R.RE_WH_START.match(s):
                acts.add("advice")
    elif R.RE_LEADING.search(norm) and not punct:
        acts.update(("question", "leading_question", "closed_question", "advice"))
    rest = " ".join(other)
    if rest:
        if _ADVICE_LEX.search(rest) or (
            R.RE_IMPERATIVE.search(rest) and not R.RE_NOT_IMPERATIVE.search(rest)
        ):
            acts.add("advice")
        if R.RE_FEEDBACK.search(rest):
            acts.add("feedback")
        else:
            for sent in other:
                if (
                    R.RE_REP_WORK.search(sent)
                    and R.RE_EVALUATIVE.search(sent)
                    and not _ADVICE_LEX.search(sent)
                    and not R.RE_IMPERATIVE.search(sent)
                ):
                    acts.add("feedback")
                    break
    if (
        R.RE_QUICK_EVIDENCE.search(norm)
        or R.RE_EVIDENCE.search(norm)
        or (punct and text[1:] != text[1:].lower() and R.RE_PROPER.search(text))
    ):
        acts.add("evidence")
    if R.RE_OUTCOME.search(norm):
        acts.add("outcome_talk")
    if R.RE_BEHAVIOR.search(norm):
        acts.add("behavior_talk")
    if R.RE_BENCHMARK.search(norm):
        acts.add("benchmark")
    if R.RE_COMMIT.search(norm) and not R.RE_NOT_COMMIT.search(norm):
        acts.add("commitment")
    return frozenset(acts)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def topics_of(text: str) -> frozenset[str]:
    """Coaching topics (skills) the text is about, from ``data/topics.json``."""
    norm = R.normalize(text)
    return frozenset(name for name, rx in R.topic_patterns() if rx.search(norm))


def is_vague_feedback(text: str, acts: frozenset[str] | set[str] | None = None) -> bool:
    """Feedback with nothing specific behind it ("good job", "that was great").

    Feedback is vague when it carries no evidence, names no behaviour and no coaching
    topic. Pass ``acts`` when already tagged to save the work.
    """
    if acts is None:
        acts = text_acts(text)
    if "feedback" not in acts:
        return False
    if "evidence" in acts or "behavior_talk" in acts:
        return False
    return not topics_of(text)
