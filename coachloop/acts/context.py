"""Acts that need the conversation around an utterance: backchannels and interruptions.

Both work from timing and speaker changes, so they apply to any export with utterance
start/end times; without end times only the cut-off cue can mark an interruption.

- A short acknowledgement ("mm-hmm", "yeah") stays a ``backchannel`` only when it does
  not take the floor: the same speaker does not go on right after it, and it does not
  answer a question the other speaker just asked.
- An utterance is an ``interruption`` when it starts while another speaker is still
  talking (that speaker's utterance goes on for more than ``OVERLAP_S`` seconds after
  its start), or within ``CUTOFF_GAP_S`` seconds of another speaker's utterance that
  ends cut off (a trailing dash or ellipsis, or a dangling function word such as
  "and", "the", "to"). A backchannel is never an interruption.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coachloop.model import Utterance

#: The other speaker must still be talking this long after the start (seconds).
OVERLAP_S = 0.5
#: A reply this soon after a cut-off utterance is an interruption (seconds).
CUTOFF_GAP_S = 1.0
#: The same speaker going on within this gap means a "yeah" took the floor (seconds).
FLOOR_GAP_S = 1.0
#: How many earlier utterances to look back at for an overlapping one.
LOOKBACK = 6

_CUTOFF = re.compile(
    r"(?:[-\u2014\u2013]|\.\.\.|\u2026)\s*$"
    r"|\b(?:and|the|a|an|to|of|but|so|because|if|that|with|for|or|is|was|we|i|you|my|your|"
    r"our|their|in|on|at|like|um|uh)\s*$",
    re.IGNORECASE,
)


def ends_cut_off(text: str) -> bool:
    """True when the text stops mid-sentence (dash, ellipsis, dangling function word)."""
    return _CUTOFF.search(text) is not None


def apply_context(utts: Sequence[Utterance], acts: list[set[str]]) -> None:
    """Add ``interruption`` and revoke floor-taking ``backchannel`` in place."""
    n = len(utts)
    for i in range(n):
        a = acts[i]
        u = utts[i]
        if "backchannel" in a:
            nxt = utts[i + 1] if i + 1 < n else None
            if _inside_other(utts, i):
                continue  # said over the other's talk: a continuer, whatever follows
            if (
                nxt is not None
                and nxt.speaker == u.speaker
                and "backchannel" not in acts[i + 1]
                and nxt.start - (u.end if u.end is not None else u.start) <= FLOOR_GAP_S
            ):
                a.discard("backchannel")
            else:
                prev = _prev_other(utts, i)
                if prev is not None and "question" in acts[prev]:
                    a.discard("backchannel")
            if "backchannel" in a:
                continue
        start = u.start
        lo = max(0, i - LOOKBACK)
        for j in range(i - 1, lo - 1, -1):
            v = utts[j]
            if v.speaker == u.speaker:
                continue
            if v.end is not None and v.start <= start and v.end - start > OVERLAP_S:
                a.add("interruption")
                break
        else:
            k = _prev_other(utts, i)
            if k is not None:
                v = utts[k]
                end = v.end if v.end is not None else v.start
                if start - end <= CUTOFF_GAP_S and ends_cut_off(v.text):
                    a.add("interruption")


def _inside_other(utts: Sequence[Utterance], i: int) -> bool:
    """True when another speaker's earlier utterance is still going when this one ends."""
    u = utts[i]
    end = u.end if u.end is not None else u.start
    for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
        v = utts[j]
        if v.speaker != u.speaker and v.end is not None and v.end > end:
            return True
    return False


def _prev_other(utts: Sequence[Utterance], i: int) -> int | None:
    """Index of the nearest earlier utterance by another speaker (within LOOKBACK)."""
    spk = utts[i].speaker
    for j in range(i - 1, max(-1, i - 1 - LOOKBACK), -1):
        if utts[j].speaker != spk:
            return j
    return None
