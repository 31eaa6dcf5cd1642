"""docs/formats.md stays honest: every format has a section whose sample reads as that format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachloop.readers import FORMATS, detect_format, read_text

DOC = (Path(__file__).parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"^### `([a-z-]+)`\n.*?```(?:text|json)\n(.*?)```", DOC, re.M | re.S))


def test_every_format_has_a_section_with_a_sample() -> None:
    assert sorted(SECTIONS) == sorted(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_is_detected_as_its_format(fmt: str) -> None:
    sample = SECTIONS[fmt]
    assert detect_format(sample) == fmt
    assert read_text(sample, name=f"doc-{fmt}").utterances
