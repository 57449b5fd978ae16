"""Audio continuity at the listener: frames missing from the stream and frames that came too late.

A receiver plays frames from a playout buffer of `buffer_seconds`. A frame is late when it
arrives after its playout time; the buffer then re-anchors on it, as a real receiver recovers
from an underrun. Missing frames are gaps in the RTP timestamps (never sent or lost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms
DEFAULT_BUFFER_SECONDS = 0.06


@dataclass(frozen=True)
class Continuity:
    frames: int
    missing: int
    late: int

    @property
    def bad_fraction(self) -> float:
        """Share of the frames that should have played but did not play on time."""
        expected = self.frames + self.missing
        return (self.missing + self.late) / expected if expected else 0.0


def measure(
    arrivals: Sequence[float],
    timestamps: Sequence[int],
    *,
    buffer_seconds: float = DEFAULT_BUFFER_SECONDS,
    frame_samples: int = FRAME_SAMPLES,
    sample_rate: int = SAMPLE_RATE,
) -> Continuity:
    """Continuity of frames received at `arrivals` (seconds) carrying RTP `timestamps`."""
    if len(arrivals) != len(timestamps):
        raise ValueError("every frame needs one arrival time and one timestamp")
    missing = late = 0
    anchor: float | None = None  # playout time of the media timestamp 0
    previous: int | None = None
    for arrived, timestamp in zip(arrivals, timestamps, strict=True):
        if previous is not None and timestamp > previous:
            missing += max(0, round((timestamp - previous) / frame_samples) - 1)
        previous = timestamp if previous is None else max(previous, timestamp)
        media_time = timestamp / sample_rate
        if anchor is None:
            anchor = arrived + buffer_seconds - media_time
        elif arrived > anchor + media_time:
            late += 1
            anchor = arrived + buffer_seconds - media_time
    return Continuity(frames=len(arrivals), missing=missing, late=late)
