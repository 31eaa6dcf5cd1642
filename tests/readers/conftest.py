from datetime import UTC, datetime

import pytest

from coachloop.model import Meeting, Word, build_meeting

# How precisely each format keeps a start time (seconds), and whether it keeps
# ends, speaker names and word timings.
START_PRECISION = {
    "zoom-vtt": 0.0005,
    "teams-vtt": 0.0005,
    "vtt": 0.0005,
    "srt": 0.0005,
    "google-meet": 1.0,
    "otter": 1.0,
    "text": 1.0,
    "whisper": 0.0005,
    "whisperx": 0.0005,
    "assemblyai": 0.0005,
    "deepgram": 0.0005,
}
NO_ENDS = {"google-meet", "otter", "text"}
NO_SPEAKERS = {"vtt", "whisper"}
DIARISED = {"whisperx", "assemblyai", "deepgram"}
WORDS = {"whisper", "whisperx", "assemblyai", "deepgram"}


def one_on_one() -> Meeting:
    """A short 1:1 with an overlap (utterance 2 starts before 1 ends) and word timings."""
    return build_meeting(
        id="ab" * 32,
        title="Ana / Ben 1:1",
        started_at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
        rows=[
            {
                "speaker": "Ana Silva",
                "start": 0.5,
                "end": 4.25,
                "text": "Hi Ben, how's the quarter going?",
            },
            {
                "speaker": "Ben Okafor",
                "start": 4.0,
                "end": 9.5,
                "text": "Pretty well. We closed Acme & <Globex>.",
            },
            {
                "speaker": "Ana Silva",
                "start": 3725.123,
                "end": 3727.0,
                "text": "What got in the way?",
                "words": (
                    Word("What", 3725.123, 3725.4, 0.91),
                    Word("got", 3725.4, 3725.6, 0.88),
                    Word("in", 3725.6, 3725.7, 0.9),
                    Word("the", 3725.7, 3725.8, 0.97),
                    Word("way?", 3725.8, 3727.0, 0.99),
                ),
            },
            {
                "speaker": "Ben Okafor",
                "start": 3727.5,
                "end": 3731.0,
                "text": "Mostly the pricing review.",
            },
        ],
    )


@pytest.fixture
def meeting() -> Meeting:
    return one_on_one()
