"""Answer audio to the browser: the model's PCM chunks become paced 20 ms frames at 48 kHz."""

from __future__ import annotations

import asyncio
import base64
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

FirstFrameCallback = Callable[[float], None]
PlaybackCallback = Callable[[bool], None]


class AudioOutputTrack(MediaStreamTrack):
    """An outgoing audio track: plays queued speech, silence when idle.

    Speech is kept resampled to 48 kHz mono in one preallocated ring buffer, so producing a frame
    copies 960 samples and allocates only the frame itself.
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
        self._ring = np.zeros(int(buffer_seconds * SAMPLE_RATE), dtype=np.int16)
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

    def _write(self, samples: np.ndarray) -> None:
        size = len(self._ring)
        if len(samples) > size:
            self.dropped_samples += len(samples) - size
            samples = samples[-size:]
        overflow = self.queued_samples + len(samples) - size
        if overflow > 0:
            self._read += overflow
            self.dropped_samples += overflow
            logger.warning("answer audio buffer full: dropped %d samples", overflow)
        start = self._written % size
        first = min(len(samples), size - start)
        self._ring[start : start + first] = samples[:first]
        self._ring[: len(samples) - first] = samples[first:]
        self._written += len(samples)

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
            size = len(self._ring)
            start = self._read % size
            first = min(available, size - start)
            out[:first] = self._ring[start : start + first]
            out[first:available] = self._ring[: available - first]
            self._read += available
        out[available:] = 0
        self._after_frame(playing=available > 0)
        return frame

    async def _pace(self) -> None:
        now = self._clock()
        if self._start is None:
            self._start = now
            return
        self._timestamp += FRAME_SAMPLES
        wait = self._start + self._timestamp / SAMPLE_RATE - now
        if wait > 0:
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
