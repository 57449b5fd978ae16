"""The benchmark client: browser-like offers, and round trips measured through real aiortc peers."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiortc import RTCPeerConnection
from aiortc.mediastreams import MediaStreamTrack

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench import pcm, round_trip
from bench.client import Peer, split_candidates

OFFER = "\r\n".join([
    "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
    "m=audio 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:0",
    "a=candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host",
    "a=candidate:2 1 udp 2130706431 fd00::2 50001 typ host",
    "a=end-of-candidates",
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:1",
    "a=candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host",
    "a=end-of-candidates", "",
])  # fmt: skip


def test_offer_loses_its_candidates_which_are_trickled_once() -> None:
    sdp, candidates = split_candidates(OFFER)
    assert "a=candidate" not in sdp and "end-of-candidates" not in sdp
    assert "a=mid:1" in sdp and sdp.startswith("v=0")
    assert [c.candidate for c in candidates] == [
        "candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host",
        "candidate:2 1 udp 2130706431 fd00::2 50001 typ host",
    ]
    assert candidates[0].as_json() == {
        "candidate": "candidate:1 1 udp 2130706431 192.0.2.2 50000 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }


async def test_round_trips_through_a_real_echoing_peer_are_found_and_plausible() -> None:
    client = Peer()
    echo = RTCPeerConnection()

    @echo.on("track")
    def send_back(track: MediaStreamTrack) -> None:
        echo.addTrack(track)  # the callee plays what it hears straight back

    try:
        await client.pc.setLocalDescription(await client.pc.createOffer())
        await echo.setRemoteDescription(client.pc.localDescription)
        await echo.setLocalDescription(await echo.createAnswer())
        await client.accept({"sdp": echo.localDescription.sdp, "type": "answer"})
        await client.wait_connected(15)
        trips = await round_trip.measure(client, bursts=5, period=0.3)
    finally:
        await client.close()
        await echo.close()
    assert len(trips) == 5
    # Two Opus hops and the client's 4-packet receive buffer: tens of ms, never negative.
    assert all(20 < trip < 500 for trip in trips), trips


async def test_microphone_reports_when_a_sample_left() -> None:
    client = Peer()
    try:
        start = client.mic.play(pcm.tone(0.1))
        receiver = asyncio.ensure_future(_drain(client))
        left = await asyncio.wait_for(client.mic.sent(start + 2400), 5)
        receiver.cancel()
    finally:
        await client.close()
    assert client.mic.time_of(start + 2400) == left
    assert left - client.mic.frame_times[0] >= 0.04  # sample 2400 is 50 ms in, in frame 2


async def _drain(client: Peer) -> None:
    while True:
        await client.mic.recv()
