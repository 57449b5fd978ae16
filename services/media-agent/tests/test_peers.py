"""Peer connections: candidates, relay-only answers, and two peers meeting through coturn."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import numpy as np
import pytest
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.rtp import is_rtcp
from media_agent_support import ClientPeer, ToneTrack, eventually, free_port, rms

from sous_media_agent.audio_in import AudioInput
from sous_media_agent.audio_out import AudioOutputTrack
from sous_media_agent.config import IceServer
from sous_media_agent.peers import (
    InvalidSignal,
    answer_offer,
    new_peer_connection,
    parse_candidate,
    strip_non_relay_candidates,
)

SDP = (
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "a=candidate:1 1 udp 2130706431 10.0.0.5 50000 typ host\r\n"
    "a=candidate:2 1 udp 1694498815 203.0.113.9 50000 typ srflx raddr 10.0.0.5 rport 50000\r\n"
    "a=candidate:3 1 udp 16777215 198.51.100.7 3478 typ relay raddr 203.0.113.9 rport 50000\r\n"
    "a=end-of-candidates\r\n"
)


def test_strip_keeps_only_relay_candidates() -> None:
    stripped = strip_non_relay_candidates(SDP)
    assert "typ host" not in stripped and "typ srflx" not in stripped
    assert "a=candidate:3 1 udp 16777215 198.51.100.7 3478 typ relay" in stripped
    assert stripped.count("\r\n") == SDP.count("\r\n") - 2


def test_candidate_parsing() -> None:
    parsed = parse_candidate(
        "candidate:2 1 udp 1694498815 203.0.113.9 50000 typ srflx raddr 10.0.0.5 rport 50000",
        "0",
        0,
    )
    assert parsed is not None
    assert (parsed.ip, parsed.port, parsed.type, parsed.relatedAddress) == (
        "203.0.113.9",
        50000,
        "srflx",
        "10.0.0.5",
    )
    assert (parsed.sdpMid, parsed.sdpMLineIndex) == ("0", 0)
    assert parse_candidate("  ", "0", 0) is None  # end of candidates
    with pytest.raises(InvalidSignal, match="SDP grammar"):
        parse_candidate("candidate:1 1 udp 5 1.2.3.4 5 typ wormhole", "0", 0)


@pytest.fixture(scope="module")
def coturn() -> Iterator[IceServer]:
    """A real TURN server on 127.0.0.1 with a static user."""
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.fail("coturn is not installed: apt-get install -y coturn")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="sous-coturn-")
    process = subprocess.Popen(
        [
            binary,
            "-n",
            "--log-file=stdout",
            "--no-cli",
            "--no-tls",
            "--no-dtls",
            f"--listening-port={port}",
            "--listening-ip=127.0.0.1",
            "--relay-ip=127.0.0.1",
            "--min-port=49160",
            "--max-port=49200",
            "--realm=sous",
            "--lt-cred-mech",
            "--user=sous:secret",
            "--fingerprint",
            "--allow-loopback-peers",
            f"--pidfile={workdir}/turnserver.pid",
            f"--userdb={workdir}/turndb",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield IceServer(
        urls=[f"turn:127.0.0.1:{port}?transport=udp"], username="sous", credential="secret"
    )
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


async def test_relay_only_peers_connect_through_coturn(coturn: IceServer) -> None:
    agent = new_peer_connection([coturn], relay_only=True)
    browser = RTCPeerConnection(
        RTCConfiguration(
            iceServers=[RTCIceServer(coturn.urls, coturn.username, coturn.credential)],
            iceTransportPolicy=RTCIceTransportPolicy.RELAY,
        )
    )
    client = ClientPeer(browser)
    try:
        offer = await client.offer()
        assert "typ relay" in offer["sdp"]
        answer = await answer_offer(
            agent, offer["sdp"], relay_only=True, send_track=AudioOutputTrack(buffer_seconds=1)
        )
        candidates = [line for line in answer.split("\r\n") if line.startswith("a=candidate:")]
        assert candidates, "the agent gathered no relay candidate"
        assert all(" typ relay " in line for line in candidates), candidates
        await client.accept({"sdp": answer, "type": "answer"})
        assert await eventually(lambda: agent.connectionState == "connected", within=20)
        await asyncio.wait_for(client.channel_open.wait(), 10)
        gatherer = agent.getTransceivers()[0].receiver.transport.transport.iceGatherer
        assert {c.type for c in gatherer.getLocalCandidates()} == {"relay"}
    finally:
        await client.close()
        await agent.close()


async def test_agent_answer_without_relay_only_holds_host_candidates() -> None:
    agent = new_peer_connection([], relay_only=False)
    client = ClientPeer()
    try:
        offer = await client.offer()
        answer = await answer_offer(agent, offer["sdp"], relay_only=False, send_track=ToneTrack())
        assert " typ host" in answer
    finally:
        await client.close()
        await agent.close()


class LossyMicrophone:
    """Loses every `nth` RTP packet the client's microphone sends (from `after` on)."""

    def __init__(self, client: ClientPeer, nth: int, after: int) -> None:
        self.sent = 0
        self.lost = 0
        self._nth = nth
        self._after = after
        transport = client.pc.getSenders()[0].transport
        self._send = transport._send_rtp
        transport._send_rtp = self._send_rtp  # type: ignore[method-assign]

    async def _send_rtp(self, data: bytes) -> None:
        if not is_rtcp(data):
            self.sent += 1
            if self.sent > self._after and self.sent % self._nth == 0:
                self.lost += 1
                return
        await self._send(data)


async def test_the_agent_hears_a_lossy_microphone_for_its_full_length() -> None:
    agent = new_peer_connection([], relay_only=False)
    heard = AudioInput(max_chunks=1000)
    agent.on("track", heard.attach)
    client = ClientPeer()
    try:
        offer = await client.offer()
        answer = await answer_offer(agent, offer["sdp"], relay_only=False, send_track=ToneTrack())
        await client.accept({"sdp": answer, "type": "answer"})
        microphone = LossyMicrophone(client, nth=10, after=25)
        assert await eventually(lambda: microphone.sent >= 150, within=20)
        client.mic.stop()
        await asyncio.sleep(0.5)
        chunks = [(await heard()).source["bytes"] for _ in range(heard.queued_chunks)]
    finally:
        await heard.stop()
        await client.close()
        await agent.close()
    assert microphone.lost >= 12
    heard_ms = sum(len(chunk) for chunk in chunks) / 32  # 16 kHz PCM16: 32 bytes per ms
    # Each lost 20 ms packet is concealed: at most the last few packets are still buffered
    # (without concealment a tenth of the audio would be missing, aiortc's buffer lost half).
    assert heard_ms >= (microphone.sent - 5) * 20
    levels = [rms(np.frombuffer(chunk, dtype=np.int16)) for chunk in chunks[5:]]
    # The holes hold the tone, not silence: libopus's concealment and its recovery after it
    # dip the level to about half the median, a silent hole would take it to zero.
    assert min(levels) > 0.25 * float(np.median(levels))
