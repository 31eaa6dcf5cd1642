"""docs/labelling.md keeps up with the act and topic vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachloop.acts import ACTS, TOPICS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "labelling.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*ACTS, *TOPICS, "vague_feedback"])
def test_every_act_and_topic_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC
