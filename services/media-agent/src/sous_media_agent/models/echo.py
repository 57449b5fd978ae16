"""A model that sends every audio chunk straight back, for transport tests and benchmarks."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator
from typing import Any

from strands.bidi.models.configs import AudioConfig, AudioStreamConfig
from strands.bidi.models.model import BidiModel
from strands.bidi.types.content import BidiContentDelta, BidiMessage
from strands.bidi.types.events import (
    BidiAudioDeltaEvent,
    BidiConnectionStartEvent,
    BidiOutputEvent,
)
from strands.bidi.types.media import AudioDelta
from strands.types.content import Messages
from strands.types.tools import ToolSpec

MODEL_ID = "sous-echo"
SAMPLE_RATE = 16000
# Chunks waiting for a slow consumer; past this the oldest are dropped (memory stays bounded).
MAX_QUEUED_CHUNKS = 500


class EchoModel(BidiModel):
    """Yields each received 16 kHz PCM16 chunk back as `bidi_audio_delta`, nothing else."""

    def __init__(self, max_queued_chunks: int = MAX_QUEUED_CHUNKS) -> None:
        self._max_queued = max_queued_chunks
        self._queue: asyncio.Queue[BidiAudioDeltaEvent | None] = asyncio.Queue()
        self._content_id = uuid.uuid4().hex
        self.dropped_chunks = 0

    def get_config(self) -> dict[str, Any]:
        return {"model_id": MODEL_ID, "audio": self.get_audio_config()}

    def update_config(self, **model_config: Any) -> None:
        """Nothing to configure."""

    def get_audio_config(self) -> AudioConfig:
        stream: AudioStreamConfig = {"sample_rate": SAMPLE_RATE, "channels": 1, "format": "pcm"}
        return {"input": stream, "output": stream}

    async def start(
        self,
        system_prompt: str | None = None,
        tools: list[ToolSpec] | None = None,
        messages: Messages | None = None,
        **kwargs: Any,
    ) -> None:
        self._queue = asyncio.Queue()
        self._content_id = uuid.uuid4().hex

    async def stop(self) -> None:
        self._queue.put_nowait(None)

    async def receive(self) -> AsyncIterator[BidiOutputEvent]:
        yield BidiConnectionStartEvent(uuid.uuid4().hex, MODEL_ID)
        while (event := await self._queue.get()) is not None:
            yield event

    async def send(self, content: BidiMessage | BidiContentDelta) -> None:
        if not isinstance(content, AudioDelta):
            return
        pcm = content.source.get("bytes")
        if not isinstance(pcm, bytes | bytearray) or not pcm:
            return
        if self._queue.qsize() >= self._max_queued:
            self._queue.get_nowait()
            self.dropped_chunks += 1
        self._queue.put_nowait(
            BidiAudioDeltaEvent(
                base64.b64encode(pcm).decode("ascii"), "pcm", SAMPLE_RATE, 1, self._content_id
            )
        )
