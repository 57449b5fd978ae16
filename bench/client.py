"""The benchmark's WebRTC client: a real aiortc peer that talks to Sous the way the browser does.

`open_sous_session` follows the frontend's flow (frontend/src/session/attempt.ts): `POST
/api/sessions`, a peer connection with the returned ICE servers, the microphone track and an
ordered `events` data channel, the offer, trickled candidates (`POST .../ice`, then `""` for
end-of-candidates), the answer, one `GET .../ice`. `open_pipecat_session` connects the same
peer to a Pipecat SmallWebRTC offer endpoint instead. Both record, on one monotonic clock, when
each frame of microphone audio left and when each frame of the agent's audio arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aioice.ice
import av
import httpx
import numpy as np
from aiortc import (
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpReceiver,
    RTCSessionDescription,
)
from aiortc.jitterbuffer import JitterBuffer
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from .pcm import RATE

FRAME_SAMPLES = 960  # 20 ms at 48 kHz, what browsers and aiortc send
_TIME_BASE = fractions.Fraction(1, RATE)
# Past this much lateness the microphone's clock restarts instead of bursting to catch up.
_MAX_LATENESS_SECONDS = 0.1
# aiortc holds this many audio packets before decoding (JitterBuffer(capacity=16, prefetch=4)).
AIORTC_JITTER_PREFETCH = 4


def keep_ice_on_loopback() -> None:
    """Make this process's peers offer host candidates on 127.0.0.1 only.

    Benchmark traffic stays on loopback, as the stack's agents do (ICE_HOST_ADDRESSES) and as
    the test suite's peers do; aioice otherwise offers every interface but loopback.
    """
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


class Microphone(MediaStreamTrack):
    """An audio track paced in real time: queued PCM (48 kHz mono int16), silence otherwise.

    Remembers when each 20 ms frame was handed to the encoder, so the moment any sample left
    the client is known.
    """

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._pending = np.zeros(0, dtype=np.int16)
        self._sent = 0  # samples handed out so far
        self._start: float | None = None
        self._pts = 0
        self.frame_times: list[float] = []
        self._waiters: list[tuple[int, asyncio.Future[float]]] = []

    def play(self, samples: np.ndarray) -> int:
        """Queue audio after anything still queued; returns the stream index of its first sample."""
        starts_at = self._sent + len(self._pending)
        self._pending = np.concatenate([self._pending, samples.astype(np.int16)])
        return starts_at

    def time_of(self, index: int) -> float | None:
        """When stream sample `index` left (None while it has not)."""
        frame, offset = divmod(index, FRAME_SAMPLES)
        if frame >= len(self.frame_times):
            return None
        return self.frame_times[frame] + offset / RATE

    async def sent(self, index: int) -> float:
        """Wait until stream sample `index` has left; returns when it did."""
        at = self.time_of(index)
        if at is not None:
            return at
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((index, waiter))
        return await waiter

    def _wake_waiters(self) -> None:
        waiting = []
        for index, waiter in self._waiters:
            at = self.time_of(index)
            if at is None:
                waiting.append((index, waiter))
            elif not waiter.done():
                waiter.set_result(at)
        self._waiters = waiting

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        now = time.monotonic()
        if self._start is None:
            self._start = now
        else:
            wait = self._start + self._pts / RATE - now
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -_MAX_LATENESS_SECONDS:
                self._start = now - self._pts / RATE
        chunk = self._pending[:FRAME_SAMPLES]
        self._pending = self._pending[FRAME_SAMPLES:]
        if len(chunk) < FRAME_SAMPLES:
            chunk = np.concatenate([chunk, np.zeros(FRAME_SAMPLES - len(chunk), dtype=np.int16)])
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.time_base = _TIME_BASE
        frame.pts = self._pts
        self._pts += FRAME_SAMPLES
        self._sent += FRAME_SAMPLES
        self.frame_times.append(time.monotonic())
        if self._waiters:
            self._wake_waiters()
        return frame


class Speaker:
    """Records the agent's audio track: mono 48 kHz samples, and per frame its arrival time,
    RTP timestamp and first sample index."""

    def __init__(self) -> None:
        self._pcm = bytearray()
        self.arrivals: list[float] = []
        self.timestamps: list[int] = []
        self.frame_starts: list[int] = []
        self._reader: asyncio.Task[None] | None = None

    @property
    def sample_count(self) -> int:
        return len(self._pcm) // 2

    def attach(self, track: MediaStreamTrack) -> None:
        if self._reader is None:
            self._reader = asyncio.create_task(self._read(track), name="speaker")

    async def _read(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                arrived = time.monotonic()
                assert isinstance(frame, av.AudioFrame)
                channels = len(frame.layout.channels)
                mono = frame.to_ndarray().reshape(-1)[::channels]
                if frame.sample_rate != RATE:
                    raise RuntimeError(f"expected {RATE} Hz audio, got {frame.sample_rate} Hz")
                self.frame_starts.append(self.sample_count)
                self.arrivals.append(arrived)
                self.timestamps.append(int(frame.pts or 0))
                self._pcm += mono.astype(np.int16).tobytes()

    def samples(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """A copy of the recorded samples [start, end)."""
        stop = self.sample_count if end is None else min(end, self.sample_count)
        return np.frombuffer(bytes(self._pcm[2 * start : 2 * stop]), dtype=np.int16)

    def time_of(self, index: int) -> float:
        """When recorded sample `index` arrived (its frame's arrival plus its offset in it)."""
        frame = int(np.searchsorted(self.frame_starts, index, side="right")) - 1
        return self.arrivals[frame] + (index - self.frame_starts[frame]) / RATE

    def index_at(self, moment: float) -> int:
        """First sample of the first frame that arrived at or after `moment`."""
        frame = int(np.searchsorted(self.arrivals, moment, side="left"))
        return self.frame_starts[frame] if frame < len(self.frame_starts) else self.sample_count

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


def set_receive_buffer(receiver: RTCRtpReceiver, prefetch: int) -> None:
    """Make an aiortc receiver hold `prefetch` packets before decoding (its default is 4).

    aiortc has no public knob for this; a browser's buffer adapts to the network, so the
    "wire" measurements use the smallest buffer aiortc can run with. Always aiortc's own
    buffer, even where the media agent's is installed in the same process (the test suite).
    """
    vars(receiver)["_RTCRtpReceiver__jitter_buffer"] = JitterBuffer(capacity=16, prefetch=prefetch)


@dataclass
class ConnectTimes:
    """Milliseconds from the first request to each step of connection setup."""

    session_created_ms: float | None = None
    offer_sent_ms: float | None = None
    answered_ms: float | None = None
    ice_connected_ms: float | None = None
    dtls_connected_ms: float | None = None
    channel_open_ms: float | None = None


@dataclass
class Peer:
    """An aiortc peer with a microphone, a speaker and the `events` data channel."""

    ice_servers: list[dict[str, Any]] = field(default_factory=list)
    jitter_prefetch: int = AIORTC_JITTER_PREFETCH

    def __post_init__(self) -> None:
        servers = [
            RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
            for s in self.ice_servers
        ]
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=servers))
        self.mic = Microphone()
        self.speaker = Speaker()
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.started = time.monotonic()
        self.times = ConnectTimes()
        self._ice_connected = asyncio.Event()
        self._dtls_connected = asyncio.Event()
        self._channel_open = asyncio.Event()
        self._failed = asyncio.Event()
        transceiver = self.pc.addTransceiver(self.mic, direction="sendrecv")
        set_receive_buffer(transceiver.receiver, self.jitter_prefetch)
        self.channel = self.pc.createDataChannel("events", ordered=True)
        self.channel.on("open", self._on_channel_open)
        self.channel.on("message", self._on_message)
        self.pc.on("track", self._on_track)
        self.pc.on("iceconnectionstatechange", self._on_ice_state)
        self.pc.on("connectionstatechange", self._on_connection_state)

    def since_start_ms(self) -> float:
        return (time.monotonic() - self.started) * 1000

    def _on_channel_open(self) -> None:
        self.times.channel_open_ms = self.since_start_ms()
        self._channel_open.set()

    def _on_message(self, raw: str | bytes) -> None:
        with contextlib.suppress(ValueError):
            message = json.loads(raw)
            if isinstance(message, dict):
                self.events.append((time.monotonic(), message))

    def _on_track(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            self.speaker.attach(track)

    def _on_ice_state(self) -> None:
        state = self.pc.iceConnectionState
        if state in ("connected", "completed") and not self._ice_connected.is_set():
            self.times.ice_connected_ms = self.since_start_ms()
            self._ice_connected.set()
        elif state == "failed":
            self._failed.set()

    def _on_connection_state(self) -> None:
        state = self.pc.connectionState
        if state == "connected":
            self.times.dtls_connected_ms = self.since_start_ms()
            self._dtls_connected.set()
        elif state in ("failed", "closed"):
            self._failed.set()

    async def wait_connected(self, seconds: float) -> None:
        """Until ICE and DTLS are up and the data channel is open (the browser's "connected")."""

        async def all_up() -> None:
            await self._ice_connected.wait()
            await self._dtls_connected.wait()
            await self._channel_open.wait()

        up = asyncio.ensure_future(all_up())
        failed = asyncio.ensure_future(self._failed.wait())
        try:
            done, _ = await asyncio.wait(
                {up, failed}, timeout=seconds, return_when="FIRST_COMPLETED"
            )
        finally:
            up.cancel()
            failed.cancel()
        if up not in done:
            state = self.pc.connectionState
            raise ConnectionError(f"peer not connected within {seconds:.0f} s (state {state})")

    async def local_offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return str(self.pc.localDescription.sdp)

    async def accept(self, answer: dict[str, Any]) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))

    def events_of(self, kind: str, since: float = 0.0) -> list[dict[str, Any]]:
        return [event for at, event in self.events if at >= since and event.get("type") == kind]

    async def close(self) -> None:
        await self.speaker.stop()
        await self.pc.close()


@dataclass(frozen=True)
class Candidate:
    candidate: str
    sdp_mid: str
    sdp_mline_index: int

    def as_json(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "sdpMid": self.sdp_mid,
            "sdpMLineIndex": self.sdp_mline_index,
        }


def split_candidates(sdp: str) -> tuple[str, list[Candidate]]:
    """The SDP without candidates (as a browser's offer is) and the first section's candidates.

    aiortc gathers before it offers and bundles every section on one transport, so the first
    media section's candidates are the ones a browser would trickle.
    """
    kept: list[str] = []
    found: list[str] = []
    section, mid = -1, "0"
    for line in sdp.split("\r\n"):
        if line.startswith("m="):
            section += 1
        if section == 0 and line.startswith("a=mid:"):
            mid = line.removeprefix("a=mid:")
        if line.startswith("a=candidate:"):
            if section == 0:
                found.append(line.removeprefix("a="))
        elif line != "a=end-of-candidates":
            kept.append(line)
    return "\r\n".join(kept), [Candidate(c, mid, 0) for c in found]


@dataclass
class SousSession:
    session_id: str
    peer: Peer
    http: httpx.AsyncClient
    base_url: str

    async def close(self) -> None:
        await self.peer.close()
        with contextlib.suppress(httpx.HTTPError):
            await self.http.delete(f"{self.base_url}/api/sessions/{self.session_id}")


class SignalingRefused(RuntimeError):
    """Signaling answered an error; the message holds its status and detail."""


def _check(response: httpx.Response, step: str) -> dict[str, Any]:
    if response.status_code >= 400:
        raise SignalingRefused(f"{step}: HTTP {response.status_code} {response.text[:300]}")
    body = response.json() if response.content else {}
    return body if isinstance(body, dict) else {}


async def open_sous_session(
    http: httpx.AsyncClient,
    base_url: str,
    *,
    connect_timeout: float = 20.0,
    jitter_prefetch: int = AIORTC_JITTER_PREFETCH,
) -> SousSession:
    """Create a session through signaling and connect to its agent, like the browser."""
    started = time.monotonic()
    created = _check(await http.post(f"{base_url}/api/sessions"), "create session")
    session_id = str(created["session_id"])
    peer = Peer(ice_servers=list(created.get("ice_servers", [])), jitter_prefetch=jitter_prefetch)
    peer.started = started
    peer.times.session_created_ms = peer.since_start_ms()
    session = SousSession(session_id, peer, http, base_url)
    try:
        sdp, candidates = split_candidates(await peer.local_offer())
        url = f"{base_url}/api/sessions/{session_id}"
        peer.times.offer_sent_ms = peer.since_start_ms()
        offer = asyncio.ensure_future(http.post(f"{url}/offer", json={"sdp": sdp, "type": "offer"}))
        trickle = asyncio.ensure_future(_trickle(http, f"{url}/ice", candidates))
        answer = _check(await offer, "offer")
        await peer.accept(answer)
        peer.times.answered_ms = peer.since_start_ms()
        agent_candidates = asyncio.ensure_future(http.get(f"{url}/ice"))
        await peer.wait_connected(connect_timeout)
        await trickle
        _check(await agent_candidates, "agent candidates")
    except BaseException:
        await session.close()
        raise
    return session


async def _trickle(http: httpx.AsyncClient, url: str, candidates: list[Candidate]) -> None:
    """Post candidates one after the other, in order, then end-of-candidates (as the page does)."""
    for candidate in [*candidates, Candidate("", candidates[0].sdp_mid if candidates else "0", 0)]:
        _check(await http.post(url, json=candidate.as_json()), "ice candidate")


async def open_pipecat_session(
    http: httpx.AsyncClient,
    offer_url: str,
    *,
    connect_timeout: float = 20.0,
    jitter_prefetch: int = AIORTC_JITTER_PREFETCH,
) -> Peer:
    """Connect the same peer to a Pipecat SmallWebRTC offer endpoint (candidates inline)."""
    peer = Peer(jitter_prefetch=jitter_prefetch)
    try:
        sdp = await peer.local_offer()
        peer.times.offer_sent_ms = peer.since_start_ms()
        response = await http.post(offer_url, json={"sdp": sdp, "type": "offer"})
        await peer.accept(_check(response, "pipecat offer"))
        peer.times.answered_ms = peer.since_start_ms()
        await peer.wait_connected(connect_timeout)
    except BaseException:
        await peer.close()
        raise
    return peer
