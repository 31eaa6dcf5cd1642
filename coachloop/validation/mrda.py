"""Read the ICSI MRDA corpus (``mrda/database/*.dadb`` and ``mrda/splits``).

Each ``.dadb`` row is one dialogue-act segment: ``start, end, id, _, words, tag,
channel, speaker, tag, adjacency…`` where ``words`` is ``start+end+word|…``. The tag
is MRDA's: parts joined by ``|`` or ``:``, each ``general^specific^…`` optionally
followed by a disruption mark ``.%-`` (interrupted), ``.%--`` (abandoned) or ``.%``.

Gold labels used by the validation (docs/validation.md says the same):

- question:    some part's general tag is ``qy qw qo qr qrr qh`` (whatever its
               disruption mark: an interrupted or abandoned question was still asked);
               declarative (``^d``) and tag (``^g``) questions are included;
- directive:   some part carries the specific tag ``co`` (command) or ``cs`` (suggestion);
- interrupted: some part ends in ``%-`` (interrupted by another speaker; abandoned
               ``%--`` is not included);
- scored:      the segment has words and a tag other than empty, ``z`` and ``x``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coachloop.errors import InputError
from coachloop.model import Meeting, Word, build_meeting

QUESTION_TAGS = frozenset({"qy", "qw", "qo", "qr", "qrr", "qh"})
SPLITS = ("train", "val", "test")


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    speaker: str
    words: tuple[Word, ...]
    tag: str

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _parts(tag: str) -> list[str]:
    return [p for p in tag.replace(":", "|").split("|") if p]


def is_scored(tag: str) -> bool:
    return tag not in ("", "z", "x")


def is_question(tag: str) -> bool:
    return any(p.split("^", 1)[0].split(".", 1)[0] in QUESTION_TAGS for p in _parts(tag))


def is_directive(tag: str) -> bool:
    for p in _parts(tag):
        spec = p.split(".", 1)[0].split("^")[1:]
        if "co" in spec or "cs" in spec:
            return True
    return False


def is_interrupted(tag: str) -> bool:
    return any(p.endswith("%-") and not p.endswith("%--") for p in _parts(tag))


def split_meetings(root: Path, split: str) -> list[str]:
    """Meeting ids of a split, from ``mrda/splits/metadata/<split>_split.txt``."""
    path = root / "mrda" / "splits" / "metadata" / f"{split}_split.txt"
    if not path.is_file():
        raise InputError("MRDA split list not found", file=path, hint="pass the datasets folder")
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def _word(raw: str) -> Word | None:
    try:
        s, e, w = raw.split("+", 2)
        start, end = float(s), float(e)
    except ValueError:
        return None
    w = w.replace("_", "")
    if not w:
        return None
    return Word(text=w, start=start, end=max(start, end))


def read_segments(path: Path) -> list[Segment]:
    """Segments of one ``.dadb`` file, sorted by start time (then input order)."""
    if not path.is_file():
        raise InputError("MRDA meeting file not found", file=path)
    segs: list[Segment] = []
    with path.open(newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh), 1):
            if len(row) < 8:
                raise InputError(f"expected 14 fields, got {len(row)}", file=path, line=lineno)
            words = tuple(w for w in (_word(x) for x in row[4].split("|")) if w is not None)
            if not words:
                continue
            start, end = float(row[0]), float(row[1])
            segs.append(Segment(start, max(start, end), row[7], words, row[5]))
    segs.sort(key=lambda s: s.start)
    return segs


def to_meeting(
    name: str, segs: list[Segment], texts: list[str] | None = None, *, words: bool = True
) -> Meeting:
    """A coachloop Meeting of the segments (optionally with replaced texts).

    ``words=False`` drops the word times, as a caption export without them would.
    """
    rows = [
        {
            "speaker": s.speaker,
            "start": s.start,
            "end": s.end,
            "text": s.text if texts is None else texts[i],
            "words": s.words if words else (),
        }
        for i, s in enumerate(segs)
    ]
    return build_meeting(id=name, rows=rows, source_format="mrda-dadb")


def iter_split(root: Path, split: str) -> Iterator[tuple[str, list[Segment]]]:
    for name in split_meetings(root, split):
        yield name, read_segments(root / "mrda" / "database" / f"{name}.dadb")
