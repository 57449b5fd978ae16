"""The outgoing audio track: pacing, resampling of any model rate, silence, barge-in."""

from __future__ import annotations

import asyncio
import base64
import time

import numpy as np
import pytest
from media_agent_support import rms, tone

from sous_media_agent.audio_out import SAMPLE_RATE, AudioOutput, AudioOutputTrack


async def frames(track: AudioOutputTrack, count: int) -> list[np.ndarray]:
    return [(await track.recv()).to_ndarray()[0] for _ in range(count)]


async def test_frames_are_20ms_at_48khz_and_paced_in_real_time() -> None:
    track = AudioOutputTrack(buffer_seconds=1)
    first = await track.recv()
    assert (first.samples, first.sample_rate, first.layout.name) == (960, 48000, "mono")
    start = time.monotonic()
    received = [await track.recv() for _ in range(25)]
    elapsed = time.monotonic() - start
    assert 0.45 <= elapsed <= 1.5  # 25 frames of 20 ms: never faster than real time
    assert [f.pts for f in received] == [960 * n for n in range(1, 26)]


async def test_idle_track_plays_silence() -> None:
    track = AudioOutputTrack(buffer_seconds=1)
    assert all(rms(f) == 0 for f in await frames(track, 5))


@pytest.mark.parametrize("rate", [16000, 22050, 24000, 48000])
async def test_any_model_rate_plays_for_the_same_duration(rate: int) -> None:
    track = AudioOutputTrack(buffer_seconds=2)
    pcm = tone(0.5, rate)
    for start in range(0, len(pcm), rate // 5 * 2):  # 100 ms chunks
        track.push(pcm[start : start + rate // 5 * 2], rate)
    track.flush()
    assert abs(track.queued_samples - SAMPLE_RATE // 2) <= 64
    levels = [rms(f) for f in await frames(track, 30)]
    loud = [n for n, level in enumerate(levels) if level > 1000]
    assert loud == list(range(len(loud)))  # contiguous from the start
    assert 24 <= len(loud) <= 26  # 0.5 s = 25 frames
    spectrum_peak = None
    track2 = AudioOutputTrack(buffer_seconds=2)
    track2.push(tone(0.2, rate), rate)
    samples = np.concatenate(await frames(track2, 8))
    spectrum_peak = np.argmax(np.abs(np.fft.rfft(samples[960:])))
    freq = spectrum_peak * SAMPLE_RATE / len(samples[960:])
    assert abs(freq - 440) < 20  # resampled, not sped up or slowed down


async def test_clear_drops_everything_queued_at_once() -> None:
    track = AudioOutputTrack(buffer_seconds=10)
    track.push(tone(5, 22050), 22050)
    assert track.queued_samples > 4 * SAMPLE_RATE
    await track.recv()
    track.clear()
    assert track.queued_samples == 0
    assert all(rms(f) == 0 for f in await frames(track, 3))


async def test_playback_callback_reports_start_and_end() -> None:
    changes: list[bool] = []
    track = AudioOutputTrack(buffer_seconds=1, on_playback=changes.append)
    track.push(tone(0.04, 48000), 48000)
    await frames(track, 4)
    assert changes == [True, False]


async def test_first_frame_marker_fires_when_that_audio_leaves() -> None:
    fired: list[float] = []
    track = AudioOutputTrack(buffer_seconds=1)
    track.push(tone(0.1, 48000), 48000)  # 5 frames already queued
    track.push(tone(0.1, 48000), 48000, fired.append)
    await frames(track, 5)
    assert fired == []
    before = time.monotonic()
    await track.recv()
    assert len(fired) == 1 and fired[0] >= before


async def test_a_long_answer_is_kept_whole_and_its_memory_given_back_once_played() -> None:
    track = AudioOutputTrack(buffer_seconds=120)
    idle_bytes = track.buffer_bytes
    assert idle_bytes <= 2 * 2 * SAMPLE_RATE  # not 120 s of audio per idle session
    track.push(tone(8, 24000), 24000)
    track.flush()
    assert track.dropped_samples == 0
    assert abs(track.queued_samples - 8 * SAMPLE_RATE) <= 64
    track.clear()
    assert track.buffer_bytes == idle_bytes
    track.push(tone(3, 48000), 48000)
    assert track.buffer_bytes > idle_bytes
    played = await frames(track, 3 * 50 + 1)
    assert rms(played[-2]) > 1000 and rms(played[-1]) == 0  # all of it, in order, then silence
    assert track.buffer_bytes == idle_bytes


async def test_an_idle_track_sends_an_answer_without_waiting_for_its_next_tick() -> None:
    track = AudioOutputTrack(buffer_seconds=1)
    delays = []
    for _ in range(5):
        await frames(track, 2)  # idle: silence on the 20 ms clock
        await asyncio.sleep(0.002)  # the answer arrives just after a tick
        pushed = time.monotonic()
        track.push(tone(0.02, 48000), 48000)
        frame = await track.recv()
        delays.append(time.monotonic() - pushed)
        assert rms(frame.to_ndarray()[0]) > 1000
    # On the silence clock it would leave at the next tick, ~18 ms later.
    assert min(delays) < 0.01


async def test_overflow_drops_the_oldest_audio_and_counts_it() -> None:
    track = AudioOutputTrack(buffer_seconds=0.1)
    track.push(tone(0.15, 48000), 48000)
    assert track.queued_samples == 4800
    assert track.dropped_samples == 2400


async def test_output_adapter_decodes_audio_and_clears_on_barge_in() -> None:
    track = AudioOutputTrack(buffer_seconds=2)
    marks: list[float] = []
    output = AudioOutput(track, marks.append)
    audio = base64.b64encode(tone(0.2, 16000)).decode()
    await output({"type": "bidi_response_start", "response_id": "r"})  # type: ignore[arg-type]
    await output(
        {"type": "bidi_audio_delta", "audio": audio, "sample_rate": 16000, "channels": 1}  # type: ignore[arg-type]
    )
    assert track.queued_samples > 0.15 * SAMPLE_RATE
    await track.recv()
    assert len(marks) == 1
    await output({"type": "bidi_barge_in"})  # type: ignore[arg-type]
    assert track.queued_samples == 0
