"""The numpy audio level: exactly aiortc's value for every kind of frame."""

from __future__ import annotations

import aiortc.rtp
import av
import numpy as np
import pytest
from media_agent_support import tone

from sous_media_agent.audio_level import audio_level_dbov, install_fast_audio_level

AIORTC_AUDIO_LEVEL = aiortc.rtp.compute_audio_level_dbov


def frame_of(samples: np.ndarray) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = 48000
    return frame


FRAMES = {
    "silence": np.zeros(960, dtype=np.int16),
    "full scale": np.full(960, 32767, dtype=np.int16),
    "most negative": np.full(960, -32768, dtype=np.int16),
    "one quiet sample": np.eye(1, 960, 500, dtype=np.int16)[0],
    "speech-like tone": np.frombuffer(tone(0.02, 48000), dtype=np.int16),
    "noise": np.random.default_rng(7).integers(-3000, 3000, 960, dtype=np.int16),
}


@pytest.mark.parametrize("name", FRAMES)
def test_level_matches_aiortc(name: str) -> None:
    frame = frame_of(FRAMES[name])
    assert audio_level_dbov(frame) == AIORTC_AUDIO_LEVEL(frame)


def test_levels_match_aiortc_across_the_whole_range() -> None:
    rng = np.random.default_rng(11)
    for amplitude in np.geomspace(1, 32767, 60).astype(int):
        frame = frame_of(rng.integers(-amplitude, amplitude + 1, 960).astype(np.int16))
        assert audio_level_dbov(frame) == AIORTC_AUDIO_LEVEL(frame)


def test_installed_for_aiortc_senders() -> None:
    install_fast_audio_level()
    try:
        assert aiortc.rtp.compute_audio_level_dbov is audio_level_dbov
    finally:
        aiortc.rtp.compute_audio_level_dbov = AIORTC_AUDIO_LEVEL
