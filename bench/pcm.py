"""PCM16 helpers: tones, silence and resampling (PyAV's resampler) as int16 numpy arrays."""

from __future__ import annotations

import av
import numpy as np

RATE = 48_000


def tone(seconds: float, *, frequency: float = 1000.0, amplitude: int = 10_000) -> np.ndarray:
    """A sine burst at 48 kHz starting at phase 0, so its first samples already rise."""
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * frequency * t) * amplitude).astype(np.int16)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def resample(samples: np.ndarray, from_rate: int, to_rate: int = RATE) -> np.ndarray:
    """Mono int16 audio at another rate (flushing the resampler's tail)."""
    if from_rate == to_rate:
        return samples
    resampler = av.AudioResampler(format="s16", layout="mono", rate=to_rate)
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = from_rate
    pieces = [f.to_ndarray()[0] for f in resampler.resample(frame)]
    pieces += [f.to_ndarray()[0] for f in resampler.resample(None)]
    return np.concatenate(pieces).astype(np.int16) if pieces else samples[:0]
