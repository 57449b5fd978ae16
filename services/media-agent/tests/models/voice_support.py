"""A scripted microphone and an event recorder: the BidiAgent's input and output in tests."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from strands.bidi.agent.agent import BidiAgent
from strands.bidi.types.events import BidiOutputEvent
from strands.bidi.types.media import AudioDelta

SPEECH_RATE = 16000
CHUNK_SECONDS = 0.02
CHUNK_BYTES = int(SPEECH_RATE * CHUNK_SECONDS) * 2


def silence(seconds: float) -> bytes:
    return b"\0\0" * int(SPEECH_RATE * seconds)


class Microphone:
    """Plays queued PCM16 16 kHz audio to the agent in real time, 20 ms a call; silence after.

    `position` is how much audio (seconds) has been sent: the "audio time" of the conversation.
    """

    def __init__(self) -> None:
        self._queued = bytearray()
        self._sent_bytes = 0
        self._next_at = 0.0

    @property
    def position(self) -> float:
        return self._sent_bytes / 2 / SPEECH_RATE

    def say(self, pcm: bytes) -> float:
        """Queue audio; returns the audio time at which it will start."""
        starts_at = (self._sent_bytes + len(self._queued)) / 2 / SPEECH_RATE
        self._queued += pcm
        return starts_at

    async def start(self, agent: BidiAgent) -> None:
        self._next_at = time.monotonic()

    async def stop(self) -> None:
        return None

    async def __call__(self) -> AudioDelta:
        self._next_at += CHUNK_SECONDS
        await asyncio.sleep(max(0.0, self._next_at - time.monotonic()))
        chunk = bytes(self._queued[:CHUNK_BYTES]).ljust(CHUNK_BYTES, b"\0")
        del self._queued[:CHUNK_BYTES]
        self._sent_bytes += CHUNK_BYTES
        return AudioDelta(format="pcm", source={"bytes": chunk})


@dataclass
class Heard:
    event: BidiOutputEvent
    at_audio_time: float  # the microphone's position when the event came out


@dataclass
class Recorder:
    """Keeps every output event with the audio time it arrived at."""

    microphone: Microphone
    heard: list[Heard] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self, agent: BidiAgent) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def __call__(self, event: BidiOutputEvent) -> None:
        self.heard.append(Heard(event, self.microphone.position))
        self._changed.set()

    def of_type(self, kind: str) -> list[BidiOutputEvent]:
        return [item.event for item in self.heard if item.event.get("type") == kind]

    async def wait_for(
        self, check: Callable[[BidiOutputEvent], bool], within: float = 30.0
    ) -> Heard:
        """The first event (already heard or still to come) that passes `check`."""
        async with asyncio.timeout(within):
            seen = 0
            while True:
                for item in self.heard[seen:]:
                    if check(item.event):
                        return item
                seen = len(self.heard)
                self._changed.clear()
                await self._changed.wait()

    def transcripts(self, role: str) -> list[str]:
        return [
            str(event["transcript"])
            for event in self.of_type("bidi_transcript_block")
            if event["role"] == role
        ]

    def tool_uses(self) -> list[dict[str, Any]]:
        return [use for event in self.of_type("bidi_tool_use_blocks") for use in event["tool_uses"]]

    def audio(self, content_id: str | None = None) -> bytes:
        return b"".join(
            base64.b64decode(event["audio"])
            for event in self.of_type("bidi_audio_delta")
            if content_id is None or event["content_id"] == content_id
        )


def is_type(kind: str, **fields: Any) -> Callable[[BidiOutputEvent], bool]:
    def check(event: BidiOutputEvent) -> bool:
        return event.get("type") == kind and all(event.get(k) == v for k, v in fields.items())

    return check
