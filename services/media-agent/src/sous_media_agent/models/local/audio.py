"""PCM16 mono helpers: resampling (av's resampler), chunking and loudness."""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt

BYTES_PER_SAMPLE = 2


def resample(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """PCM16 mono at `from_rate` → PCM16 mono at `to_rate`."""
    if from_rate == to_rate or not pcm:
        return pcm
    resampler = av.AudioResampler(format="s16", layout="mono", rate=to_rate)
    samples = np.frombuffer(pcm, dtype=np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
    frame.sample_rate = from_rate
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    return b"".join(bytes(out.planes[0])[: out.samples * BYTES_PER_SAMPLE] for out in frames)


def chunks(pcm: bytes, sample_rate: int, chunk_ms: int) -> list[bytes]:
    """Consecutive pieces of at most `chunk_ms` milliseconds."""
    size = max(1, sample_rate * chunk_ms // 1000) * BYTES_PER_SAMPLE
    return [pcm[start : start + size] for start in range(0, len(pcm), size)]


def duration_seconds(pcm: bytes, sample_rate: int) -> float:
    return len(pcm) / BYTES_PER_SAMPLE / sample_rate


def to_float(pcm: bytes) -> npt.NDArray[np.float32]:
    """PCM16 → float32 in [-1, 1] (what Whisper and the VAD take)."""
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0


def rms_dbfs(pcm: bytes) -> float:
    """Loudness in dB relative to full scale; -inf for silence."""
    samples = to_float(pcm)
    if samples.size == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(np.square(samples))))
    return 20 * float(np.log10(rms)) if rms > 0 else float("-inf")
