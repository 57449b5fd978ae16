"""A browser-like aiortc client that signals through the HTTP API with trickle ICE."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiortc import RTCDataChannel, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

CONNECT_TIMEOUT_SECONDS = 20
ECHO_TIMEOUT_SECONDS = 10
_SETTLED = ("connected", "failed", "closed")


def split_candidates(sdp: str) -> tuple[str, list[dict[str, Any]]]:
    """The SDP without its candidate lines, and those candidates as RTCIceCandidateInit dicts."""
    kept: list[str] = []
    candidates: list[dict[str, Any]] = []
    sections = re.split(r"(?m)^(?=m=)", sdp)
    kept.extend(sections[0].splitlines())
    for mline_index, section in enumerate(sections[1:]):
        lines = section.splitlines()
        mid = next(line[len("a=mid:") :] for line in lines if line.startswith("a=mid:"))
        for line in lines:
            if line.startswith("a=candidate:"):
                candidates.append(
                    {"candidate": line[2:], "sdpMid": mid, "sdpMLineIndex": mline_index}
                )
            elif line != "a=end-of-candidates":
                kept.append(line)
    return "\r\n".join(kept) + "\r\n", candidates


@dataclass
class BrowserPeer:
    pc: RTCPeerConnection = field(default_factory=RTCPeerConnection)
    channel: RTCDataChannel | None = None
    received: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    channel_open: asyncio.Event = field(default_factory=asyncio.Event)

    async def trickle_offer(self) -> tuple[str, list[dict[str, Any]]]:
        """An audio + "events" data channel offer, with its candidates split out for trickling."""
        self.pc.addTransceiver("audio", direction="sendrecv")
        self.channel = self.pc.createDataChannel("events")
        self.channel.on("message", self.received.put_nowait)
        self.channel.on("open", self.channel_open.set)
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return split_candidates(self.pc.localDescription.sdp)

    async def accept_answer(self, answer_sdp: str, candidates: list[dict[str, Any]]) -> None:
        """Apply the answer without its inline candidates, then add the trickled ones."""
        stripped, _ = split_candidates(answer_sdp)
        await self.pc.setRemoteDescription(RTCSessionDescription(stripped, "answer"))
        for item in candidates:
            candidate = candidate_from_sdp(item["candidate"].removeprefix("candidate:"))
            candidate.sdpMid = item["sdpMid"]
            candidate.sdpMLineIndex = item["sdpMLineIndex"]
            await self.pc.addIceCandidate(candidate)
        await self.pc.addIceCandidate(None)

    async def wait_connected(self) -> None:
        """Return once ICE and DTLS are up; fail if the connection fails or takes too long."""
        settled = asyncio.Event()

        @self.pc.on("connectionstatechange")
        def changed() -> None:
            if self.pc.connectionState in _SETTLED:
                settled.set()

        if self.pc.connectionState not in _SETTLED:
            async with asyncio.timeout(CONNECT_TIMEOUT_SECONDS):
                await settled.wait()
        assert self.pc.connectionState == "connected", f"peer is {self.pc.connectionState}"

    async def echo(self, text: str) -> str:
        """Send on the data channel and wait for the agent's reply."""
        assert self.channel is not None
        async with asyncio.timeout(ECHO_TIMEOUT_SECONDS):
            await self.channel_open.wait()
            self.channel.send(text)
            return await self.received.get()

    async def close(self) -> None:
        await self.pc.close()


@dataclass(frozen=True)
class Negotiated:
    session_id: str
    client_candidates: list[dict[str, Any]]
    agent_candidates: list[dict[str, Any]]


async def connect_through(
    create_on: httpx.AsyncClient, signal_on: httpx.AsyncClient, peer: BrowserPeer
) -> Negotiated:
    """Create a session on one signaling instance and negotiate it through another: half the
    candidates before the offer (queued), the rest after the answer (forwarded), then
    end-of-candidates; the agent's candidates come from GET /ice."""
    created = await create_on.post("/api/sessions")
    assert created.status_code == 201, created.text
    session_id = created.json()["session_id"]
    offer_sdp, candidates = await peer.trickle_offer()
    assert candidates, "the client gathered no candidates"
    half = len(candidates) // 2 or 1
    for candidate in candidates[:half]:
        queued = await signal_on.post(f"/api/sessions/{session_id}/ice", json=candidate)
        assert queued.status_code == 204, queued.text
    answer = await signal_on.post(
        f"/api/sessions/{session_id}/offer", json={"sdp": offer_sdp, "type": "offer"}
    )
    assert answer.status_code == 200, answer.text
    for candidate in [*candidates[half:], {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}]:
        sent = await signal_on.post(f"/api/sessions/{session_id}/ice", json=candidate)
        assert sent.status_code == 204, sent.text
    agent_side = await signal_on.get(f"/api/sessions/{session_id}/ice")
    assert agent_side.status_code == 200
    assert agent_side.json()["complete"] is True
    await peer.accept_answer(answer.json()["sdp"], agent_side.json()["candidates"])
    return Negotiated(session_id, candidates, agent_side.json()["candidates"])
