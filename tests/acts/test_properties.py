"""Any text and any timing give acts from the vocabulary, one set per utterance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coachloop.acts import ACTS, TOPICS, is_vague_feedback, tag_meeting, tag_texts, topics_of
from coachloop.model import build_meeting

texts = st.text(min_size=1, max_size=80).filter(lambda t: t.strip() and "\x00" not in t)


@settings(max_examples=150, deadline=None)
@given(st.lists(texts, min_size=1, max_size=6))
def test_tag_texts_total(items: list[str]) -> None:
    out = tag_texts(items)
    assert len(out) == len(items)
    for text, acts in zip(items, out, strict=True):
        assert acts <= set(ACTS)
        assert topics_of(text) <= set(TOPICS)
        assert isinstance(is_vague_feedback(text, acts), bool)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["M", "R"]),
            st.floats(0, 100),
            st.floats(0, 5),
            texts,
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_tag_meeting_total(rows: list[tuple[str, float, float, str, bool]]) -> None:
    meeting = build_meeting(
        id="p",
        rows=[
            {"speaker": s, "start": a, "end": a + d if has_end else None, "text": t}
            for s, a, d, t, has_end in rows
        ],
    )
    acts = tag_meeting(meeting)
    assert len(acts) == len(rows)
    for a in acts:
        assert a <= set(ACTS)
        assert not ({"backchannel", "interruption"} <= a)
