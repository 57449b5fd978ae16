"""Test support for the media agent: a scripted voice model and a real aiortc client peer."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fractions
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import av
import httpx
import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from strands.bidi.models.model import BidiModel
from strands.bidi.types.content import BidiMessage
from strands.bidi.types.events import (
    BidiAudioDeltaEvent,
    BidiBargeInEvent,
    BidiOutputEvent,
    BidiResponseStartEvent,
    BidiResponseStopEvent,
    BidiToolUseBlocksEvent,
    BidiTranscriptDeltaEvent,
    BidiTranscriptStartEvent,
    BidiTranscriptStopEvent,
)
from strands.bidi.types.media import AudioDelta
from strands.types.content import TextBlock
from strands.types.tools import ToolResultBlock

TONE_HZ = 440


def tone(seconds: float, rate: int, amplitude: int = 8000) -> bytes:
    """A sine tone as mono PCM16."""
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * TONE_HZ * t) * amplitude).astype(np.int16).tobytes()


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0


class ScriptedModel(BidiModel):
    """A voice model whose behaviour the test scripts; it echoes microphone audio back.

    Text input `"tool:<name> <json>"` asks for a tool call; any other text is answered with an
    assistant transcript and a short tone, like a spoken reply.
    """

    def __init__(self, on_turn_metrics: Callable[[dict[str, Any]], None] | None = None) -> None:
        self._events: asyncio.Queue[BidiOutputEvent | Exception] = asyncio.Queue()
        self.on_turn_metrics = on_turn_metrics
        self.echo = True
        self.texts: list[str] = []
        self.tool_results: list[ToolResultBlock] = []
        self.announcements: list[str] = []
        self.audio_bytes_in = 0
        self.started = 0
        self.stopped = 0

    def get_config(self) -> Any:
        return {"model_id": "scripted"}

    def update_config(self, **model_config: Any) -> None:
        return None

    async def start(
        self, system_prompt: str | None = None, tools: Any = None, messages: Any = None, **_: Any
    ) -> None:
        self.started += 1
        self.tool_specs = tools

    async def stop(self) -> None:
        self.stopped += 1

    def emit(self, *events: BidiOutputEvent | Exception) -> None:
        for event in events:
            self._events.put_nowait(event)

    async def receive(self) -> AsyncIterator[BidiOutputEvent]:
        while True:
            event = await self._events.get()
            if isinstance(event, Exception):
                raise event
            yield event

    async def send(self, content: BidiMessage | AudioDelta) -> None:
        if isinstance(content, AudioDelta):
            pcm = content.source["bytes"]
            self.audio_bytes_in += len(pcm)
            if self.echo:
                self.emit(
                    BidiAudioDeltaEvent(base64.b64encode(pcm).decode(), "pcm", 16000, 1, "echo")
                )
            return
        for block in content.content:
            if isinstance(block, ToolResultBlock):
                self.tool_results.append(block)
                self.say("done")
            elif isinstance(block, TextBlock):
                self.texts.append(block.text)
                self._answer_text(block.text)

    def _answer_text(self, text: str) -> None:
        if text.startswith("tool:"):
            name, _, arguments = text[5:].partition(" ")
            self.emit(
                BidiToolUseBlocksEvent(
                    [
                        {
                            "toolUseId": f"t{len(self.texts)}",
                            "name": name,
                            "input": json.loads(arguments or "{}"),
                        }
                    ]
                )
            )
            return
        user = uuid.uuid4().hex
        self.emit(
            BidiTranscriptStartEvent("user", user),
            BidiTranscriptDeltaEvent(text, "user", user),
            BidiTranscriptStopEvent("user", user),
        )
        speech_end_at = time.monotonic()
        if self.on_turn_metrics is not None:
            self.on_turn_metrics(
                {
                    "turn": len(self.texts),
                    "speech_end_at": speech_end_at,
                    "stages": {"stt_ms": 1.0, "brain_ms": 2.0},
                }
            )
        self.say(f"you said {text}")

    def say(self, text: str, seconds: float = 0.4) -> None:
        response, content = uuid.uuid4().hex, uuid.uuid4().hex
        self.emit(
            BidiResponseStartEvent(response),
            BidiTranscriptStartEvent("assistant", content),
            BidiTranscriptDeltaEvent(text, "assistant", content),
            BidiTranscriptStopEvent("assistant", content),
        )
        pcm = tone(seconds, 22050)
        for start in range(0, len(pcm), 4410):  # 100 ms chunks
            chunk = base64.b64encode(pcm[start : start + 4410]).decode()
            self.emit(BidiAudioDeltaEvent(chunk, "pcm", 22050, 1, content))
        self.emit(BidiResponseStopEvent(response))

    def barge_in(self) -> None:
        self.emit(BidiBargeInEvent())

    async def announce(self, text: str) -> None:
        self.announcements.append(text)
        self.say(text)


class ToneTrack(MediaStreamTrack):
    """A microphone: 20 ms frames of 48 kHz stereo audio, a tone while `speaking`."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self.speaking = True
        self._pts = 0
        self._start: float | None = None
        samples = np.frombuffer(tone(0.02, 48000), dtype=np.int16)
        self._tone = np.repeat(samples, 2).reshape(1, -1)
        self._silence = np.zeros_like(self._tone)

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        wait = self._start + self._pts / 48000 - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        data = self._tone if self.speaking else self._silence
        frame = av.AudioFrame.from_ndarray(data, format="s16", layout="stereo")
        frame.sample_rate = 48000
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, 48000)
        self._pts += 960
        return frame


class ClientPeer:
    """A browser stand-in built from real aiortc: microphone track, `events` channel, speaker."""

    def __init__(self, pc: RTCPeerConnection | None = None) -> None:
        self.pc = pc or RTCPeerConnection()
        self.mic = ToneTrack()
        self.pc.addTrack(self.mic)
        self.channel = self.pc.createDataChannel("events")
        self.events: list[dict[str, Any]] = []
        self.levels: list[tuple[float, float]] = []  # (monotonic time, RMS) per received frame
        self.channel_open = asyncio.Event()
        self._readers: list[asyncio.Task[None]] = []
        self.channel.on("open", self.channel_open.set)
        self.channel.on("message", lambda raw: self.events.append(json.loads(raw)))
        self.pc.on("track", self._on_track)

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._readers.append(asyncio.create_task(self._read(track)))

    async def _read(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                assert isinstance(frame, av.AudioFrame)
                self.levels.append((time.monotonic(), rms(frame.to_ndarray())))

    async def offer(self) -> dict[str, str]:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return {"sdp": self.pc.localDescription.sdp, "type": "offer"}

    async def accept(self, answer: dict[str, str]) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))

    def send(self, message: dict[str, Any] | str) -> None:
        self.channel.send(message if isinstance(message, str) else json.dumps(message))

    async def wait_for_event(
        self, predicate: Callable[[dict[str, Any]], bool], within: float = 10.0, *, start: int = 0
    ) -> dict[str, Any]:
        """The first event (from index `start` on) that matches, waiting up to `within` s."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for event in self.events[start:]:
                if predicate(event):
                    return event
            await asyncio.sleep(0.02)
        raise AssertionError(f"no matching event within {within}s; got {self.events}")

    def loud_since(self, since: float, threshold: float = 500.0) -> int:
        return sum(1 for at, level in self.levels if at >= since and level > threshold)

    async def close(self) -> None:
        for reader in self._readers:
            reader.cancel()
        await self.pc.close()


async def invoke(
    http: httpx.AsyncClient, action: str, session_id: str, data: dict[str, Any] | None = None
) -> httpx.Response:
    return await http.post(
        "/invocations", json={"action": action, "session_id": session_id, "data": data or {}}
    )


async def connect(
    http: httpx.AsyncClient, session_id: str, client: ClientPeer | None = None
) -> ClientPeer:
    """Offer → answer through /invocations, then wait for the data channel to open."""
    client = client or ClientPeer()
    response = await invoke(http, "offer", session_id, await client.offer())
    assert response.status_code == 200, response.text
    await client.accept(response.json())
    await asyncio.wait_for(client.channel_open.wait(), 15)
    return client


async def eventually(condition: Callable[[], bool], within: float = 10.0) -> bool:
    """Poll `condition` until it holds or `within` seconds pass; returns its last value."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def serve(app: Any, port: int | None = None) -> AsyncIterator[str]:
    """Serve an ASGI app with a real uvicorn on 127.0.0.1; yields its base URL."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    assert await eventually(lambda: server.started, within=10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
