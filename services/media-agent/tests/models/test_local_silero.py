"""Silero VAD v6 on onnxruntime: streaming window by window as faster-whisper's batch does."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from faster_whisper.vad import get_vad_model  # type: ignore[import-untyped]
from voice_support import silence

from sous_media_agent.models.local import audio
from sous_media_agent.models.local.silero import WINDOW_SAMPLES, SileroModel, SileroStream


def probabilities(stream: SileroStream, samples: np.ndarray) -> np.ndarray:
    windows = range(0, len(samples) - WINDOW_SAMPLES + 1, WINDOW_SAMPLES)
    return np.array([stream.probability(samples[i : i + WINDOW_SAMPLES]) for i in windows])


def test_streaming_matches_faster_whispers_whole_recording_run(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    samples = audio.to_float(silence(0.3) + speak("Find me a quick vegan curry recipe."))
    samples = samples[: len(samples) // WINDOW_SAMPLES * WINDOW_SAMPLES]

    streamed = probabilities(silero.stream(), samples)

    # faster-whisper zeroes the tail of the last window in place (its own quirk): not compared.
    reference = get_vad_model()(samples.copy()).reshape(-1)
    np.testing.assert_allclose(streamed[:-1], reference[:-1], atol=1e-5)


def test_speech_scores_high_and_silence_low(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    speech = audio.to_float(speak("How many grams is two cups of flour?"))
    quiet = audio.to_float(silence(1.0))

    scores = probabilities(silero.stream(), np.concatenate([quiet, speech, quiet]))

    windows_per_second = 16000 / WINDOW_SAMPLES
    before = scores[: int(0.9 * windows_per_second)]
    during = scores[int(1.2 * windows_per_second) : int(1.0 * windows_per_second) + 40]
    assert before.max() < 0.1
    assert np.median(during) > 0.8


def test_each_stream_keeps_its_own_state(
    silero: SileroModel, speak: Callable[[str], bytes]
) -> None:
    first = audio.to_float(speak("Set a timer for eight minutes."))[: 40 * WINDOW_SAMPLES]
    second = audio.to_float(silence(0.2) + speak("Cancel it.") + silence(1.0))
    second = second[: 40 * WINDOW_SAMPLES]
    alone = probabilities(silero.stream(), first)

    one, other = silero.stream(), silero.stream()
    interleaved = []
    for start in range(0, len(first), WINDOW_SAMPLES):
        interleaved.append(one.probability(first[start : start + WINDOW_SAMPLES]))
        other.probability(second[start : start + WINDOW_SAMPLES])

    np.testing.assert_allclose(interleaved, alone, atol=1e-6)


def test_a_window_of_the_wrong_size_is_refused(silero: SileroModel) -> None:
    with pytest.raises(ValueError, match="512 samples"):
        silero.stream().probability(np.zeros(480, dtype=np.float32))
