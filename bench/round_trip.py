"""Audio round trip through an echoing agent: tone bursts in silence, onsets found in the echo.

Consecutive bursts use different frequencies, so an echo that comes back later than the next
burst is still matched to its own burst (up to len(FREQUENCIES) periods late) instead of being
taken for a fast echo of the next one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import numpy as np

from . import onset, pcm
from .client import Peer

BURST_SECONDS = 0.06
FREQUENCIES = (500.0, 1000.0, 1500.0, 2000.0)
# A burst at amplitude 10 000 has an RMS of ~7 000; the echo's silence is near 0.
THRESHOLD = 2000.0
WINDOW = 48  # 1 ms
_ANALYSIS = 480  # 10 ms after an onset tell its frequency (100 Hz resolution)
_BURST_SAMPLES = int(BURST_SECONDS * pcm.RATE)


def burst(index: int, period: float) -> np.ndarray:
    """Burst `index` followed by silence up to `period` seconds."""
    tone = pcm.tone(BURST_SECONDS, frequency=FREQUENCIES[index % len(FREQUENCIES)])
    return np.concatenate([tone, pcm.silence(period - BURST_SECONDS)])


def dominant_frequency(samples: np.ndarray) -> float:
    """Which of FREQUENCIES is strongest in `samples`."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64), n=_ANALYSIS))
    bins = [round(f * _ANALYSIS / pcm.RATE) for f in FREQUENCIES]
    return FREQUENCIES[int(np.argmax([spectrum[b] for b in bins]))]


def find_echo(segment: np.ndarray, frequency: float) -> int | None:
    """Index of the first burst onset in `segment` whose tone is `frequency`."""
    position = 0
    for _ in range(len(segment) // _BURST_SAMPLES + 1):
        found = onset.first_loud(segment, THRESHOLD, WINDOW, start=position)
        if found is None:
            return None
        if dominant_frequency(segment[found : found + _ANALYSIS]) == frequency:
            return found
        position = found + _BURST_SAMPLES  # another burst's echo: skip it
    return None


async def measure(peer: Peer, *, bursts: int, period: float, settle: float = 0.5) -> list[float]:
    """Round trips (ms) of `bursts` bursts sent `period` s apart; lost bursts are left out."""
    await asyncio.sleep(settle)
    starts = [peer.mic.play(burst(index, period)) for index in range(bursts)]
    await peer.mic.sent(starts[-1] + int(period * pcm.RATE) - 1)
    await asyncio.sleep(period)  # the last echo's tail
    return round_trips(peer, starts, period)


def round_trips(peer: Peer, starts: list[int], period: float) -> list[float]:
    """For each burst started at microphone sample `start`, ms until its echo began."""
    results: list[float] = []
    for index, start in enumerate(starts):
        sent_at = peer.mic.time_of(start)
        if sent_at is None:
            continue
        first = peer.speaker.index_at(sent_at)
        last = peer.speaker.index_at(sent_at + len(FREQUENCIES) * period)
        frequency = FREQUENCIES[index % len(FREQUENCIES)]
        found = find_echo(peer.speaker.samples(first, last), frequency)
        if found is not None:
            results.append((peer.speaker.time_of(first + found) - sent_at) * 1000)
    return results


Closer = Callable[[], Awaitable[None]]
Opener = Callable[[int], Awaitable[tuple[Peer, Closer]]]


async def over_sessions(
    opener: Opener, *, sessions: int, bursts: int, period: float, jitter_prefetch: int
) -> tuple[list[float], int]:
    """Round trips over `sessions` fresh sessions, and how many bursts never came back."""
    results: list[float] = []
    lost = 0
    for _ in range(sessions):
        peer, close = await opener(jitter_prefetch)
        try:
            trips = await measure(peer, bursts=bursts, period=period)
        finally:
            await close()
        results += trips
        lost += bursts - len(trips)
    return results, lost
