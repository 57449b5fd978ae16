"""Microphone audio from the browser: the remote Opus track as 16 kHz mono PCM16 for the model."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from strands.bidi.types.media import AudioDelta

if TYPE_CHECKING:
    from strands.bidi.agent.agent import BidiAgent

logger = logging.getLogger(__name__)

MODEL_SAMPLE_RATE = 16_000


class AudioInput:
    """The BidiInput role for audio: reads the track, resamples, hands chunks to the agent.

    The queue is bounded: if the model falls behind, the oldest audio is dropped (and counted)
    rather than letting memory and latency grow.
    """

    def __init__(self, max_chunks: int) -> None:
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=max_chunks)
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=MODEL_SAMPLE_RATE)
        self._reader: asyncio.Task[None] | None = None
        self.dropped_chunks = 0

    def attach(self, track: MediaStreamTrack) -> None:
        """Start reading the browser's microphone track."""
        if self._reader is not None:
            logger.warning("ignoring a second audio track")
            return
        self._reader = asyncio.create_task(self._read(track), name="audio-in")

    def offer(self, pcm: bytes) -> None:
        """Queue one chunk, dropping the oldest when full."""
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped_chunks += 1
            if self.dropped_chunks == 1 or self.dropped_chunks % 500 == 0:
                logger.warning(
                    "model is behind the microphone: dropped %d chunks", self.dropped_chunks
                )
        self._queue.put_nowait(pcm)

    @property
    def queued_chunks(self) -> int:
        return self._queue.qsize()

    async def _read(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            assert isinstance(frame, av.AudioFrame)
            # Each chunk is one contiguous array; bytes() is the one copy the model needs.
            for resampled in self._resampler.resample(frame):
                self.offer(resampled.to_ndarray().tobytes())

    async def start(self, agent: BidiAgent) -> None:
        return None

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    async def __call__(self) -> AudioDelta:
        return AudioDelta(format="pcm", source={"bytes": await self._queue.get()})
