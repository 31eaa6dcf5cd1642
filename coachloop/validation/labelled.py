"""The hand-labelled manager utterances (``tests/fixtures/labelled/{dev,test}.tsv``).

Each row: ``id``, ``text``, ``labels`` (space-separated acts, plus ``vague_feedback``).
Rules for labelling are in docs/labelling.md. The test part was written and labelled
before the dev part and is scored, never tuned on.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from coachloop.acts import is_vague_feedback, tag_texts
from coachloop.errors import InputError
from coachloop.validation.metrics import PRF, prf

LABELLED_ACTS = (
    "question",
    "open_question",
    "closed_question",
    "leading_question",
    "advice",
    "feedback",
    "vague_feedback",
    "evidence",
    "outcome_talk",
    "behavior_talk",
    "benchmark",
    "commitment",
)
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "labelled"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: str
    labels: frozenset[str]


def read_labelled(path: Path) -> list[Item]:
    if not path.is_file():
        raise InputError("labelled set not found", file=path)
    items = []
    with path.open(newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if lineno == 1:
                continue
            if len(row) != 3:
                raise InputError(
                    f"expected 3 tab-separated fields, got {len(row)}", file=path, line=lineno
                )
            labels = frozenset(row[2].split())
            unknown = labels - set(LABELLED_ACTS)
            if unknown:
                raise InputError(f"unknown labels {sorted(unknown)}", file=path, line=lineno)
            items.append(Item(row[0], row[1], labels))
    return items


_NOT_ASR = re.compile(r"[^\w\s'-]")


def as_asr(text: str) -> str:
    """What an ASR export without punctuation would give: lower case, no punctuation."""
    return " ".join(_NOT_ASR.sub(" ", text.lower()).split())


def predict(items: list[Item], *, asr: bool = False) -> list[frozenset[str]]:
    """Tagger output per item, with ``vague_feedback`` added where it applies."""
    texts = [as_asr(it.text) if asr else it.text for it in items]
    out = []
    for text, acts in zip(texts, tag_texts(texts), strict=True):
        extra = {"vague_feedback"} if is_vague_feedback(text, acts) else set()
        out.append(frozenset(acts | extra))
    return out


def score_labelled(path: Path, *, asr: bool = False) -> dict[str, PRF]:
    items = read_labelled(path)
    pred = predict(items, asr=asr)
    return {
        act: prf([act in p for p in pred], [act in it.labels for it in items])
        for act in LABELLED_ACTS
    }
