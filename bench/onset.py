"""Where sound starts and ends in PCM16 audio: the basis of every latency measured at the client.

Audio is cut into windows of `window` samples; a window is loud when its RMS exceeds
`threshold`. Around the first loud window the onset is refined to the first sample whose
magnitude exceeds the threshold, so a 1 ms window gives sub-millisecond onsets for tone bursts.
"""

from __future__ import annotations

import numpy as np


def _window_rms(samples: np.ndarray, window: int) -> np.ndarray:
    usable = len(samples) - len(samples) % window
    blocks = samples[:usable].astype(np.float64).reshape(-1, window)
    rms: np.ndarray = np.sqrt(np.mean(blocks * blocks, axis=1))
    return rms


def first_loud(samples: np.ndarray, threshold: float, window: int, start: int = 0) -> int | None:
    """Index of the first sample at or after `start` where sound begins; None if it never does."""
    tail = samples[start:]
    loud = np.flatnonzero(_window_rms(tail, window) > threshold)
    if len(loud) == 0:
        return None
    # The onset may sit late in the window before the first loud one: search from there.
    begin = max(0, int(loud[0]) - 1) * window
    block = np.abs(tail[begin : begin + 2 * window].astype(np.int32))
    over = np.flatnonzero(block > threshold)
    offset = int(over[0]) if len(over) else window
    return start + begin + offset


def last_loud(samples: np.ndarray, threshold: float, window: int) -> int | None:
    """Index just past the last loud sample (the end of speech); None if all silent."""
    loud = np.flatnonzero(_window_rms(samples, window) > threshold)
    if len(loud) == 0:
        return None
    last_window = int(loud[-1]) * window
    block = np.abs(samples[last_window : last_window + window].astype(np.int32))
    over = np.flatnonzero(block > threshold)
    end = int(over[-1]) + 1 if len(over) else window
    return last_window + end
