"""Audio continuity at the listener: late and missing frames of a received stream."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench import continuity

FRAME = continuity.FRAME_SAMPLES


def steady(count: int, start: float = 10.0) -> tuple[list[float], list[int]]:
    return [start + i * 0.02 for i in range(count)], [i * FRAME for i in range(count)]


def test_a_steady_stream_is_continuous() -> None:
    arrivals, timestamps = steady(500)
    measured = continuity.measure(arrivals, timestamps)
    assert (measured.frames, measured.missing, measured.late) == (500, 0, 0)
    assert measured.bad_fraction == 0.0


def test_jitter_within_the_playout_buffer_is_not_late() -> None:
    arrivals, timestamps = steady(100)
    arrivals = [at + (0.04 if i % 2 else 0.0) for i, at in enumerate(arrivals)]
    assert continuity.measure(arrivals, timestamps).late == 0


def test_a_stall_makes_the_frames_behind_it_late_once() -> None:
    arrivals, timestamps = steady(100)
    # The sender stalls for 200 ms after frame 50, then the backlog arrives at once.
    arrivals = [at if i < 50 else max(at, arrivals[50] + 0.2) for i, at in enumerate(arrivals)]
    measured = continuity.measure(arrivals, timestamps)
    assert measured.late == 1  # the buffer re-anchors on the first late frame
    assert measured.missing == 0


def test_gaps_in_the_timestamps_are_missing_frames() -> None:
    arrivals, timestamps = steady(100)
    kept = [i for i in range(100) if not 40 <= i < 43]
    measured = continuity.measure([arrivals[i] for i in kept], [timestamps[i] for i in kept])
    assert measured.missing == 3
    assert measured.bad_fraction == 3 / 100
