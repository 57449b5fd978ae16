"""PCM helpers: resampling keeps length and tone, chunks respect their size."""

from __future__ import annotations

import numpy as np

from sous_media_agent.models.local import audio


def tone(frequency: float, seconds: float, rate: int) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * frequency * t) * 16000).astype(np.int16).tobytes()


def dominant_frequency(pcm: bytes, rate: int) -> float:
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_resample_keeps_duration_and_pitch() -> None:
    original = tone(440, 1.0, 22050)

    resampled = audio.resample(original, 22050, 16000)

    assert abs(audio.duration_seconds(resampled, 16000) - 1.0) < 0.01
    assert abs(dominant_frequency(resampled, 16000) - 440) < 2


def test_resample_to_the_same_rate_is_a_no_op() -> None:
    pcm = tone(440, 0.1, 16000)
    assert audio.resample(pcm, 16000, 16000) == pcm


def test_chunks_are_at_most_the_asked_length_and_lose_nothing() -> None:
    pcm = tone(440, 1.03, 22050)

    pieces = audio.chunks(pcm, 22050, 100)

    assert b"".join(pieces) == pcm
    assert max(audio.duration_seconds(piece, 22050) for piece in pieces) <= 0.1
    assert len(pieces) == 11


def test_loudness_tells_speech_level_from_silence() -> None:
    assert audio.rms_dbfs(b"\0\0" * 1000) == float("-inf")
    assert -10 < audio.rms_dbfs(tone(440, 0.1, 16000)) < -5
