"""Onset and end detection: the basis of every latency the benchmarks publish."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench import onset, pcm, round_trip


def test_finds_a_burst_onset_to_the_sample_after_silence() -> None:
    audio = np.concatenate([pcm.silence(0.1), pcm.tone(0.05), pcm.silence(0.1)])
    found = onset.first_loud(audio, threshold=2000, window=48)
    # 0.1 s of silence at 48 kHz is 4800 samples; a 1 kHz sine passes 2000/10000 within 2 samples.
    assert found is not None and 4800 <= found <= 4802


def test_onset_search_starts_where_asked() -> None:
    audio = np.concatenate([pcm.tone(0.05), pcm.silence(0.1), pcm.tone(0.05)])
    assert onset.first_loud(audio, threshold=2000, window=48) == 2  # 0, 1305, 2588, ...
    second = onset.first_loud(audio, threshold=2000, window=48, start=4000)
    assert second is not None and 7200 <= second <= 7202


def test_onset_that_sits_late_in_a_window_is_not_reported_a_window_late() -> None:
    # The burst starts 40 samples into a 48-sample window; that window's RMS stays low.
    audio = np.concatenate([np.zeros(40, np.int16), pcm.tone(0.05)])
    found = onset.first_loud(audio, threshold=2000, window=48)
    assert found is not None and 40 <= found <= 42


def test_silence_and_faint_noise_have_no_onset() -> None:
    rng = np.random.default_rng(7)
    noise = (rng.standard_normal(48_000) * 50).astype(np.int16)  # about -56 dBFS
    assert onset.first_loud(noise, threshold=330, window=480) is None
    assert onset.last_loud(pcm.silence(1.0), threshold=330, window=480) is None


def test_end_of_speech_is_the_last_loud_sample() -> None:
    audio = np.concatenate([pcm.silence(0.2), pcm.tone(0.5, amplitude=3000), pcm.silence(0.3)])
    end = onset.last_loud(audio, threshold=330, window=480)
    speech_end = int(0.7 * pcm.RATE)
    assert end is not None and speech_end - 48 <= end <= speech_end


def test_a_late_echo_is_matched_to_its_own_burst_by_frequency() -> None:
    # Burst 0's echo (500 Hz) arrives after burst 1 (1000 Hz) was already echoed.
    ahead = round_trip.burst(1, 0.2)
    own = round_trip.burst(0, 0.2)
    segment = np.concatenate([pcm.silence(0.05), ahead, own])
    found = round_trip.find_echo(segment, round_trip.FREQUENCIES[0])
    expected = int(0.05 * pcm.RATE) + len(ahead)
    assert found is not None and expected <= found <= expected + 48
    assert round_trip.find_echo(segment, round_trip.FREQUENCIES[2]) is None
