"""CPU cost of the audio adapters per 20 ms of audio (what one session adds to the event loop).

uv run python services/media-agent/scripts/bench_audio.py
"""

from __future__ import annotations

import asyncio
import fractions
import time

import av
import numpy as np

from sous_media_agent.audio_in import AudioInput
from sous_media_agent.audio_out import AudioOutputTrack

FRAMES = 5000  # 100 s of audio


def tone(seconds: float, rate: int) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16).tobytes()


async def output_cost() -> tuple[float, float]:
    """µs to queue 20 ms of 22.05 kHz speech, and µs to produce one 48 kHz frame."""
    track = AudioOutputTrack(buffer_seconds=120)
    chunk = tone(0.1, 22050)  # the local model's 100 ms chunks
    started = time.perf_counter()
    for _ in range(FRAMES // 5):
        track.push(chunk, 22050)
    push_us = (time.perf_counter() - started) / FRAMES * 1e6
    track._pace = _no_wait  # type: ignore[method-assign]  # measure the work, not the pacing
    started = time.perf_counter()
    for _ in range(FRAMES):
        await track.recv()
    frame_us = (time.perf_counter() - started) / FRAMES * 1e6
    return push_us, frame_us


async def _no_wait() -> None:
    return None


def input_cost() -> float:
    """µs to turn one decoded 48 kHz stereo frame into 16 kHz mono PCM16 for the model."""
    audio_in = AudioInput(max_chunks=FRAMES + 10)
    data = np.repeat(np.frombuffer(tone(0.02, 48000), dtype=np.int16), 2).reshape(1, -1)
    frames = []
    for n in range(FRAMES):
        frame = av.AudioFrame.from_ndarray(data, format="s16", layout="stereo")
        frame.sample_rate = 48000
        frame.pts = n * 960
        frame.time_base = fractions.Fraction(1, 48000)
        frames.append(frame)
    resampler = audio_in._resampler
    started = time.perf_counter()
    for frame in frames:
        for resampled in resampler.resample(frame):
            audio_in.offer(resampled.to_ndarray().tobytes())
    return (time.perf_counter() - started) / FRAMES * 1e6


def main() -> None:
    push_us, frame_us = asyncio.run(output_cost())
    in_us = input_cost()
    print(f"output: queue 20 ms of 22.05 kHz speech  {push_us:6.1f} µs")
    print(f"output: produce one 20 ms 48 kHz frame   {frame_us:6.1f} µs")
    print(f"input:  48 kHz stereo → 16 kHz mono      {in_us:6.1f} µs per 20 ms frame")
    total = push_us + frame_us + in_us
    print(f"per session: {total:.0f} µs per 20 ms = {total / 200:.2f}% of one core")


if __name__ == "__main__":
    main()
