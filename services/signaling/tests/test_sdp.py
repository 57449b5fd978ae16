"""SDP offer and candidate validation, and reading the candidates out of an answer."""

from __future__ import annotations

import pytest
from aiortc import RTCPeerConnection

from sous_signaling.errors import BadRequest, PayloadTooLarge
from sous_signaling.sdp import IceCandidate, answer_candidates, validate_candidate, validate_offer


async def _aiortc_offer(*kinds: str) -> str:
    pc = RTCPeerConnection()
    for kind in kinds:
        pc.addTransceiver(kind)
    pc.createDataChannel("events")
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp
    await pc.close()
    return sdp


async def test_a_real_offer_with_candidates_passes() -> None:
    sdp = await _aiortc_offer("audio")
    assert "a=candidate:" in sdp
    validate_offer(sdp, "offer", max_bytes=65536)


async def test_a_video_only_offer_is_refused() -> None:
    with pytest.raises(BadRequest, match="no audio m-line"):
        validate_offer(await _aiortc_offer("video"), "offer", max_bytes=65536)


def test_size_is_counted_in_utf8_bytes() -> None:
    sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\ns=" + "é" * 600 + "\r\n"  # 1200+ bytes
    with pytest.raises(PayloadTooLarge, match=r"is \d+ bytes; the limit is 1024 bytes"):
        validate_offer(sdp, "offer", max_bytes=1024)
    validate_offer(sdp, "offer", max_bytes=2048)


@pytest.mark.parametrize(
    "candidate",
    [
        "candidate:842163049 1 udp 1677729535 198.51.100.4 50000 typ srflx raddr 0.0.0.0 rport 0",
        "candidate:1 1 UDP 2122260223 2001:db8::1 54321 typ host generation 0",
        "candidate:3 1 tcp 1518280447 192.0.2.9 9 typ host tcptype active",
        "candidate:4 1 udp 2122262783 3c8a1a0e-7f0b-4bc6-9a55-0f1e2d3c4b5a.local 55000 typ host",
        "candidate:5 1 udp 41885439 203.0.113.5 3478 typ relay raddr 198.51.100.4 rport 50000",
    ],
)
def test_browser_candidates_are_accepted(candidate: str) -> None:
    validate_candidate(candidate, "0", 0)


def test_end_of_candidates_needs_no_mline() -> None:
    validate_candidate("", None, None)


@pytest.mark.parametrize(
    ("candidate", "problem"),
    [
        ("candidate:1 1 udp 5 127.0.0.1", "cannot parse"),
        ("candidate:1 x udp 5 127.0.0.1 4000 typ host", "cannot parse"),
        ("candidate:1 0 udp 5 127.0.0.1 4000 typ host", "component id"),
        ("candidate:1 1 udp 99999999999 127.0.0.1 4000 typ host", "priority"),
        ("candidate:1 1 udp 5 127.0.0.1 70000 typ host", "port 70000 is out of range"),
        ("candidate:1 1 udp 5 127.0.0.1 4000 type host", "expected 'typ"),
        ("candidate:f@@ 1 udp 5 127.0.0.1 4000 typ host", "foundation"),
    ],
)
def test_malformed_candidates_say_what_is_wrong(candidate: str, problem: str) -> None:
    with pytest.raises(BadRequest, match="Malformed ICE candidate") as raised:
        validate_candidate(candidate, "0", 0)
    assert problem in raised.value.detail


async def test_answer_candidates_carry_their_mid_and_mline_index() -> None:
    offerer, answerer = RTCPeerConnection(), RTCPeerConnection()
    offerer.addTransceiver("audio")
    offerer.createDataChannel("events")
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    found = answer_candidates(answerer.localDescription.sdp)
    await offerer.close()
    await answerer.close()

    assert {c.sdpMLineIndex for c in found} == {0, 1}
    assert {(c.sdpMid, c.sdpMLineIndex) for c in found} == {("0", 0), ("1", 1)}
    for candidate in found:
        validate_candidate(candidate.candidate, candidate.sdpMid, candidate.sdpMLineIndex)


def test_an_sdp_without_candidates_has_none() -> None:
    assert answer_candidates("v=0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n") == []


def test_candidates_before_the_first_media_section_are_ignored() -> None:
    sdp = "v=0\r\na=candidate:1 1 udp 5 127.0.0.1 4000 typ host\r\nm=audio 9 RTP/AVP 0\r\n"
    assert answer_candidates(sdp) == []


def test_a_section_without_mid_is_named_by_index() -> None:
    sdp = "v=0\r\nm=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp 5 127.0.0.1 4000 typ host\r\n"
    assert answer_candidates(sdp) == [
        IceCandidate("candidate:1 1 udp 5 127.0.0.1 4000 typ host", None, 0)
    ]
