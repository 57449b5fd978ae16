"""Answer audio to the browser: the model's PCM chunks become paced 20 ms frames at 48 kHz."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fractions
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from strands.bidi.types.events import BidiOutputEvent

if TYPE_CHECKING:
    from strands.bidi.agent.agent import BidiAgent

logger = logging.getLogger(__name__)

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms
_TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)
# Past this much lateness the pacing clock restarts instead of bursting frames to catch up.
_MAX_LATENESS_SECONDS = 0.1
_INITIAL_RING_SECONDS = 2.0

FirstFrameCallback = Callable[[float], None]
PlaybackCallback = Callable[[bool], None]


class AudioOutputTrack(MediaStreamTrack):
    """An outgoing audio track: plays queued speech, silence when idle.

    Speech is kept resampled to 48 kHz mono in a ring buffer, so producing a frame copies 960
    samples and allocates only the frame itself. The ring starts at `_INITIAL_RING_SECONDS`,
    doubles while an answer is queued faster than it plays (up to `buffer_seconds`) and goes
    back to its first size once played out: an idle session holds 192 KB, not minutes of audio.
    """

    kind = "audio"

    def __init__(
        self,
        *,
        buffer_seconds: float,
        on_playback: PlaybackCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._max_samples = int(buffer_seconds * SAMPLE_RATE)
        self._initial_samples = min(self._max_samples, int(_INITIAL_RING_SECONDS * SAMPLE_RATE))
        self._ring = np.zeros(self._initial_samples, dtype=np.int16)
        self._audio_queued = asyncio.Event()  # wakes an idle track as soon as speech arrives
        self._read = 0  # absolute sample counters; ring index = counter % len(ring)
        self._written = 0
        self._resamplers: dict[tuple[int, int], av.AudioResampler] = {}
        self._markers: list[tuple[int, FirstFrameCallback]] = []
        self._on_playback = on_playback
        self._playing = False
        self._clock = clock
        self._start: float | None = None
        self._timestamp = 0
        self.dropped_samples = 0

    @property
    def queued_samples(self) -> int:
        """48 kHz samples waiting to be played."""
        return self._written - self._read

    @property
    def buffer_bytes(self) -> int:
        """Memory the queued speech takes now (the ring), whatever is queued."""
        return int(self._ring.nbytes)

    def push(
        self,
        pcm: bytes,
        sample_rate: int,
        on_first_frame: FirstFrameCallback | None = None,
        *,
        channels: int = 1,
    ) -> None:
        """Queue PCM16 at any rate; on_first_frame(t) fires when its first frame leaves."""
        if on_first_frame is not None:
            self._markers.append((self._written, on_first_frame))
        samples = np.frombuffer(pcm, dtype=np.int16)
        if sample_rate == SAMPLE_RATE and channels == 1:
            self._write(samples)
            return
        layout = "stereo" if channels == 2 else "mono"
        resampler = self._resamplers.get((sample_rate, channels))
        if resampler is None:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            self._resamplers[(sample_rate, channels)] = resampler
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout=layout)
        frame.sample_rate = sample_rate
        for resampled in resampler.resample(frame):
            self._write(resampled.to_ndarray()[0])

    def flush(self) -> None:
        """End of an answer: release the few samples the resamplers hold back."""
        resamplers, self._resamplers = self._resamplers, {}
        for resampler in resamplers.values():
            for resampled in resampler.resample(None):
                self._write(resampled.to_ndarray()[0])

    def clear(self) -> None:
        """Barge-in: drop everything queued at once."""
        self._read = self._written
        self._resamplers = {}
        self._markers.clear()
        self._audio_queued.clear()
        self._resize(self._initial_samples)

    def _write(self, samples: np.ndarray) -> None:
        if self.queued_samples + len(samples) > len(self._ring):
            self._grow(self.queued_samples + len(samples))
        size = len(self._ring)
        if len(samples) > size:
            self.dropped_samples += len(samples) - size
            samples = samples[-size:]
        overflow = self.queued_samples + len(samples) - size
        if overflow > 0:
            self._read += overflow
            self.dropped_samples += overflow
            logger.warning("answer audio buffer full: dropped %d samples", overflow)
        self._copy_in(self._written, samples)
        self._written += len(samples)
        self._audio_queued.set()

    def _grow(self, needed: int) -> None:
        size = len(self._ring)
        while size < needed and size < self._max_samples:
            size *= 2
        self._resize(min(size, self._max_samples))

    def _resize(self, size: int) -> None:
        if size == len(self._ring):
            return
        queued = self._copy_out(self._read, self.queued_samples)
        self._ring = np.zeros(size, dtype=np.int16)
        self._copy_in(self._read, queued)

    def _copy_in(self, position: int, samples: np.ndarray) -> None:
        size = len(self._ring)
        start = position % size
        first = min(len(samples), size - start)
        self._ring[start : start + first] = samples[:first]
        self._ring[: len(samples) - first] = samples[first:]

    def _copy_out(self, position: int, count: int, out: np.ndarray | None = None) -> np.ndarray:
        if out is None:
            out = np.empty(count, dtype=np.int16)
        size = len(self._ring)
        start = position % size
        first = min(count, size - start)
        out[:first] = self._ring[start : start + first]
        out[first:count] = self._ring[: count - first]
        return out

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        await self._pace()
        frame = av.AudioFrame(format="s16", layout="mono", samples=FRAME_SAMPLES)
        frame.sample_rate = SAMPLE_RATE
        frame.time_base = _TIME_BASE
        frame.pts = self._timestamp
        out = np.frombuffer(frame.planes[0], dtype=np.int16, count=FRAME_SAMPLES)
        available = min(self.queued_samples, FRAME_SAMPLES)
        if available:
            self._copy_out(self._read, available, out)
            self._read += available
        out[available:] = 0
        if self.queued_samples == 0:
            self._audio_queued.clear()
            self._resize(self._initial_samples)  # played out: give back what a long answer took
        self._after_frame(playing=available > 0)
        return frame

    async def _pace(self) -> None:
        now = self._clock()
        if self._start is None:
            self._start = now
            return
        self._timestamp += FRAME_SAMPLES
        wait = self._start + self._timestamp / SAMPLE_RATE - now
        if wait > 0 and not self._playing:
            # Idle: the first frame of an answer leaves as soon as its audio is here, not on
            # the next tick of the silence clock (10 ms sooner on average), and the clock
            # restarts from it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._audio_queued.wait(), wait)
                self._start = self._clock() - self._timestamp / SAMPLE_RATE
        elif wait > 0:
            await asyncio.sleep(wait)
        elif wait < -_MAX_LATENESS_SECONDS:
            self._start = now - self._timestamp / SAMPLE_RATE

    def _after_frame(self, *, playing: bool) -> None:
        if self._markers and self._markers[0][0] < self._read:
            sent_at = self._clock()
            while self._markers and self._markers[0][0] < self._read:
                self._markers.pop(0)[1](sent_at)
        if playing != self._playing:
            self._playing = playing
            if self._on_playback is not None:
                self._on_playback(playing)


class AudioOutput:
    """The BidiOutput role for audio: model audio into the track, barge-in clears it.

    `next_marker` (set by the session) supplies a callback to attach to the first audio chunk of
    each response, so the moment its first frame leaves can be measured.
    """

    def __init__(
        self, track: AudioOutputTrack, first_frame_of_response: FirstFrameCallback | None = None
    ) -> None:
        self._track = track
        self._first_frame_of_response = first_frame_of_response
        self._response_started = False

    async def start(self, agent: BidiAgent) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def __call__(self, event: BidiOutputEvent) -> None:
        kind = event.get("type")
        if kind == "bidi_audio_delta":
            marker = None
            if self._response_started:
                self._response_started = False
                marker = self._first_frame_of_response
            self._track.push(
                base64.b64decode(event["audio"]),
                event["sample_rate"],
                marker,
                channels=event.get("channels", 1),
            )
        elif kind == "bidi_barge_in":
            self._track.clear()
            self._response_started = False
        elif kind == "bidi_response_start":
            self._response_started = True
        elif kind == "bidi_response_stop":
            self._track.flush()
