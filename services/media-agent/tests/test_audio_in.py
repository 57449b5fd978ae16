"""Microphone input: 48 kHz stereo frames become 16 kHz mono PCM16; the queue stays bounded."""

from __future__ import annotations

import asyncio

import numpy as np
from media_agent_support import ToneTrack, eventually

from sous_media_agent.audio_in import AudioInput


async def test_track_audio_reaches_the_agent_as_16khz_mono() -> None:
    audio_in = AudioInput(max_chunks=100)
    track = ToneTrack()
    audio_in.attach(track)
    try:
        assert await eventually(lambda: audio_in.queued_chunks >= 15, within=5)
        chunks = [(await audio_in()).source["bytes"] for _ in range(15)]
    finally:
        await audio_in.stop()
        track.stop()
    assert all(len(chunk) == 640 for chunk in chunks[1:])  # 20 ms of 16 kHz PCM16
    samples = np.frombuffer(b"".join(chunks[1:]), dtype=np.int16).astype(np.float64)
    peak_hz = np.argmax(np.abs(np.fft.rfft(samples))) * 16000 / len(samples)
    assert abs(peak_hz - 440) < 20


async def test_a_slow_model_drops_the_oldest_audio_and_counts_it() -> None:
    audio_in = AudioInput(max_chunks=3)
    for n in range(5):
        audio_in.offer(bytes([n]) * 640)
    assert audio_in.queued_chunks == 3
    assert audio_in.dropped_chunks == 2
    kept = [(await audio_in()).source["bytes"][0] for _ in range(3)]
    assert kept == [2, 3, 4]


async def test_stop_ends_reading_the_track() -> None:
    audio_in = AudioInput(max_chunks=10)
    track = ToneTrack()
    audio_in.attach(track)
    await audio_in.stop()
    count = audio_in.queued_chunks
    await asyncio.sleep(0.2)
    assert audio_in.queued_chunks == count
    track.stop()
