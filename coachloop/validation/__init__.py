"""Validation of the tagger and timing signals on public data and the hand-labelled set.

``run_validation(datasets)`` recomputes every figure of docs/validation.md:

- MRDA test (``coachloop.validation.mrda``): question detection with and without
  punctuation, the wh/aux-start rule alone for reference, directive (``co``/``cs``)
  detection as ``advice``, and interrupted segments (``%-``) from timing alone and
  with cut-off cues;
- AMI test (``coachloop.validation.ami``): talk share and overlap share from a
  transcript-like view against the RTTM truth;
- the hand-labelled manager utterances, test part (``coachloop.validation.labelled``).

``render_markdown(figures)`` writes the table; ``check(figures, recorded)`` lists the
figures that fell below the recorded ones by more than ``TOLERANCE``.
"""

from coachloop.validation.run import TOLERANCE, check, render_markdown, run_validation

__all__ = ["TOLERANCE", "check", "render_markdown", "run_validation"]
