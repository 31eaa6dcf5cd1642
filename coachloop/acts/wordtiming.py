"""Word-timing features of each utterance, computed for a whole meeting at once.

The learned models in :mod:`coachloop.acts.boosted` read how an utterance is spoken
and how the other speakers' words fall around it, from word start/end times only
(no audio, no words' identities):

- inside the utterance: duration, word count, speech rate, the last word's duration
  (also relative to the utterance's mean), the pause before the last word, the longest
  pause, the last three words' pace relative to the mean;
- around its end: how many words of other speakers start in ten windows from 3 s
  before to 4 s after the end; whether another speaker's word is under way at the end
  and at the last word's start; when the first other word after the utterance's start
  comes, and how many own words follow it; the other speakers' word time just before
  and just after the end; the nearest other word start;
- the same speaker: time to their next word, their words in the next 1 s and 3 s,
  the pause since their previous word, and whether the next utterance is theirs.

Utterances without word times count as one word spanning the utterance. Everything is
numpy over sorted arrays (``searchsorted``), so a meeting of any length costs a few
array passes, not a loop over its words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coachloop.model import Utterance

#: Windows (seconds relative to the utterance's end) in which other speakers' word
#: starts are counted.
WINDOWS: tuple[tuple[float, float], ...] = (
    (-3.0, -2.0),
    (-2.0, -1.0),
    (-1.0, -0.5),
    (-0.5, -0.25),
    (-0.25, 0.0),
    (0.0, 0.25),
    (0.25, 0.5),
    (0.5, 1.0),
    (1.0, 2.0),
    (2.0, 4.0),
)

#: Value of a "time to …" feature when there is no such word (far away).
FAR = 99.0

FEATURES: tuple[str, ...] = (
    "dur",
    "n_words",
    "rate",
    "last_word_s",
    "last_word_rel",
    "last_gap_s",
    "mean_word_s",
    "max_gap_s",
    "tail_pace_rel",
    *(f"other_starts[{a:g},{b:g})" for a, b in WINDOWS),
    "other_under_way_at_end",
    "other_under_way_at_last_word",
    "first_other_after_start",
    "own_words_after_first_other",
    "nearest_other_start",
    "other_time_after_2s",
    "other_time_before_2s",
    "other_time_inside_rel",
    "own_next_word_s",
    "own_words_next_1s",
    "own_words_next_3s",
    "own_prev_word_s",
    "next_utt_same_speaker",
)


def has_word_times(utts: Sequence[Utterance]) -> bool:
    """Whether most utterances carry word times (the models were fitted on such data)."""
    return bool(utts) and sum(1 for u in utts if u.words) >= 0.8 * len(utts)


def _flat_words(utts: Sequence[Utterance]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word starts, ends and owning utterance (utterance order, words in time order)."""
    starts: list[float] = []
    ends: list[float] = []
    owner: list[int] = []
    for i, u in enumerate(utts):
        if u.words:
            for w in u.words:
                starts.append(w.start)
                ends.append(w.end)
                owner.append(i)
        else:
            starts.append(u.start)
            ends.append(u.end if u.end is not None else u.start)
            owner.append(i)
    return np.asarray(starts), np.asarray(ends), np.asarray(owner, dtype=np.int64)


class _Words:
    """Sorted views of a set of words for window counts and speech time."""

    def __init__(self, starts: np.ndarray, ends: np.ndarray) -> None:
        order = np.argsort(starts, kind="stable")
        self.starts = starts[order]
        self.ends_sorted = np.sort(ends)
        mids = (starts + ends) / 2.0
        morder = np.argsort(mids, kind="stable")
        self.mids = mids[morder]
        self.cumdur = np.concatenate([[0.0], np.cumsum((ends - starts)[morder])])

    def count_starts(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Words starting in [lo, hi)."""
        s = self.starts
        return (np.searchsorted(s, hi, "left") - np.searchsorted(s, lo, "left")).astype(float)

    def under_way(self, t: np.ndarray) -> np.ndarray:
        """Words with start < t < end (1.0 when any)."""
        n = np.searchsorted(self.starts, t, "left") - np.searchsorted(self.ends_sorted, t, "right")
        return (n > 0).astype(float)

    def time_between(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Seconds of words whose midpoint lies in [lo, hi)."""
        c = self.cumdur
        return c[np.searchsorted(self.mids, hi, "left")] - c[np.searchsorted(self.mids, lo, "left")]

    def first_at_or_after(self, t: np.ndarray) -> np.ndarray:
        """Start of the first word starting at or after t (FAR when none)."""
        k = np.searchsorted(self.starts, t, "left")
        out = np.full(len(t), np.inf)
        ok = k < len(self.starts)
        out[ok] = self.starts[k[ok]]
        return out

    def nearest_start(self, t: np.ndarray) -> np.ndarray:
        """Signed distance from t to the nearest word start (FAR when none)."""
        s = self.starts
        if len(s) == 0:
            return np.full(len(t), FAR)
        k = np.searchsorted(s, t, "left")
        after = s[np.minimum(k, len(s) - 1)] - t
        before = s[np.maximum(k - 1, 0)] - t
        after = np.where(k < len(s), after, np.inf)
        before = np.where(k > 0, before, -np.inf)
        return np.where(np.abs(before) < np.abs(after), before, after)


#: The last (utterances, rows) computed: ``tag_meeting`` asks twice per meeting (the
#: question and the cut-off model). Keyed by identity; holding the sequence keeps its
#: id from being reused. One tuple, read and replaced whole, so threads scoring other
#: meetings at the same time can only miss it, never get another meeting's rows.
_last: tuple[Sequence[Utterance], np.ndarray] | None = None


def word_timing_matrix(utts: Sequence[Utterance]) -> np.ndarray:
    """One row of :data:`FEATURES` per utterance (float64), in utterance order.

    The result is shared with the next caller asking about the same (immutable)
    sequence: read it, don't write to it.
    """
    global _last
    last = _last
    if last is not None and last[0] is utts and isinstance(utts, tuple):
        return last[1]
    out = _word_timing_matrix(utts)
    out.setflags(write=False)
    _last = (utts, out)
    return out


def _word_timing_matrix(utts: Sequence[Utterance]) -> np.ndarray:
    n = len(utts)
    out = np.zeros((n, len(FEATURES)))
    if n == 0:
        return out
    ws, we, owner = _flat_words(utts)
    counts = np.bincount(owner, minlength=n)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    last = first + counts - 1
    wd = we - ws
    st = ws[first]
    end = we[last]
    dur = end - st
    nw = counts.astype(float)
    mean_wd = np.add.reduceat(wd, first) / nw
    gaps = np.zeros(len(ws))
    gaps[1:] = ws[1:] - we[:-1]
    gaps[first] = 0.0  # no gap before an utterance's first word
    max_gap = np.maximum.reduceat(gaps, first)
    last_gap = np.where(counts > 1, gaps[last], -1.0)
    tail_first = np.maximum(first, last - 2)
    tail_mean = np.add.reduceat(wd, np.stack([tail_first, last + 1], axis=1).ravel()[:-1])[::2] / (
        last - tail_first + 1
    )
    safe_mean = np.maximum(mean_wd, 0.01)
    cols: dict[str, np.ndarray] = {
        "dur": dur,
        "n_words": nw,
        "rate": nw / np.maximum(dur, 0.05),
        "last_word_s": wd[last],
        "last_word_rel": wd[last] / safe_mean,
        "last_gap_s": last_gap,
        "mean_word_s": mean_wd,
        "max_gap_s": max_gap,
        "tail_pace_rel": tail_mean / safe_mean,
    }

    speakers = np.asarray([u.speaker for u in utts])
    word_spk = speakers[owner]
    for spk in np.unique(speakers):
        rows = np.flatnonzero(speakers == spk)
        own_mask = word_spk == spk
        other = _Words(ws[~own_mask], we[~own_mask])
        own = _Words(ws[own_mask], we[own_mask])
        e, s0 = end[rows], st[rows]
        lw_start = ws[last[rows]]
        for a, b in WINDOWS:
            cols.setdefault(f"other_starts[{a:g},{b:g})", np.zeros(n))[rows] = other.count_starts(
                e + a, e + b
            )
        cols.setdefault("other_under_way_at_end", np.zeros(n))[rows] = other.under_way(e)
        cols.setdefault("other_under_way_at_last_word", np.zeros(n))[rows] = other.under_way(
            lw_start
        )
        fo = other.first_at_or_after(s0)
        cols.setdefault("first_other_after_start", np.zeros(n))[rows] = np.where(
            np.isfinite(fo), fo - e, FAR
        )
        cols.setdefault("nearest_other_start", np.zeros(n))[rows] = other.nearest_start(e)
        cols.setdefault("other_time_after_2s", np.zeros(n))[rows] = other.time_between(e, e + 2.0)
        cols.setdefault("other_time_before_2s", np.zeros(n))[rows] = other.time_between(e - 2.0, e)
        cols.setdefault("other_time_inside_rel", np.zeros(n))[rows] = other.time_between(
            s0, e
        ) / np.maximum(dur[rows], 0.05)
        # Own words said after the first other word started (per word, then summed).
        fo_per_word = np.repeat(np.where(np.isfinite(fo), fo, np.inf), counts[rows])
        after = (ws[own_mask] >= fo_per_word).astype(float)
        starts_of_rows = np.concatenate([[0], np.cumsum(counts[rows])[:-1]])
        cols.setdefault("own_words_after_first_other", np.zeros(n))[rows] = np.add.reduceat(
            after, starts_of_rows
        )
        nxt = own.first_at_or_after(np.nextafter(lw_start, np.inf))
        cols.setdefault("own_next_word_s", np.zeros(n))[rows] = np.where(
            np.isfinite(nxt), nxt - e, FAR
        )
        cols.setdefault("own_words_next_1s", np.zeros(n))[rows] = own.count_starts(e, e + 1.0)
        cols.setdefault("own_words_next_3s", np.zeros(n))[rows] = own.count_starts(e, e + 3.0)
        k = np.searchsorted(own.ends_sorted, s0, "right") - 1
        prev_end = np.where(k >= 0, own.ends_sorted[np.maximum(k, 0)], -np.inf)
        cols.setdefault("own_prev_word_s", np.zeros(n))[rows] = np.where(
            np.isfinite(prev_end), s0 - prev_end, FAR
        )
    same = np.zeros(n)
    same[:-1] = (speakers[1:] == speakers[:-1]).astype(float)
    cols["next_utt_same_speaker"] = same
    for j, name in enumerate(FEATURES):
        out[:, j] = cols[name]
    return out
