"""The WebRTC side of a session: an aiortc peer connection built from the browser's offer."""

from __future__ import annotations

import logging
import re

import aioice.ice
from aiortc import (
    RTCConfiguration,
    RTCIceCandidate,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.exceptions import (
    InternalError,
    InvalidAccessError,
    InvalidStateError,
    OperationError,
)
from aiortc.mediastreams import MediaStreamTrack
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.sdp import candidate_from_sdp

from .audio_level import install_fast_audio_level
from .config import IceServer
from .jitter_buffer import install_audio_jitter_buffer
from .opus_concealment import install_opus_concealment

logger = logging.getLogger(__name__)

_CANDIDATE_TYPES = frozenset({"host", "srflx", "prflx", "relay"})
_NON_RELAY_LINE = re.compile(r"^a=candidate:.* typ (host|srflx|prflx)( .*)?$")


class InvalidSignal(ValueError):
    """An offer or candidate the agent cannot use; the message says why."""


def new_peer_connection(ice_servers: list[IceServer], *, relay_only: bool) -> RTCPeerConnection:
    """A peer connection that gathers with these servers (only TURN relays when relay_only).

    Its microphone audio loses only the packets the network lost, and those are concealed; the
    audio level of each packet it sends costs 9 µs instead of aiortc's 250.
    """
    install_audio_jitter_buffer()
    install_opus_concealment()
    install_fast_audio_level()
    configuration = RTCConfiguration(
        iceServers=[
            RTCIceServer(urls=server.urls, username=server.username, credential=server.credential)
            for server in ice_servers
        ],
        iceTransportPolicy=RTCIceTransportPolicy.RELAY if relay_only else RTCIceTransportPolicy.ALL,
    )
    return RTCPeerConnection(configuration)


async def answer_offer(
    peer: RTCPeerConnection, offer_sdp: str, *, relay_only: bool, send_track: MediaStreamTrack
) -> str:
    """Apply the offer, send `send_track` back, return the answer SDP with all agent candidates."""
    if "m=audio" not in offer_sdp:
        raise InvalidSignal("The offer has no audio (m=audio) section; send the microphone track")
    try:
        await peer.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        peer.addTrack(send_track)
        # aiortc gathers every candidate before setLocalDescription returns: no agent trickle.
        await peer.setLocalDescription(await peer.createAnswer())
    except (
        AssertionError,
        AttributeError,
        ValueError,
        IndexError,
        KeyError,
        TypeError,
        InternalError,
        InvalidAccessError,
        InvalidStateError,
        OperationError,
    ) as error:
        # aiortc signals offers it cannot use (bad lines, no fingerprint, no direction, no
        # codecs) with assert and friends, sometimes only when the answer is made.
        reason = str(error) or "a line does not follow the SDP grammar"
        raise InvalidSignal(f"The offer SDP could not be used: {reason}") from error
    sdp = peer.localDescription.sdp
    return strip_non_relay_candidates(sdp) if relay_only else sdp


def advertise_host_addresses(addresses: list[str]) -> None:
    """Offer host candidates only on these addresses (every interface when empty).

    Unreachable host candidates cost connection time; on one machine, loopback is all a browser
    needs. aioice has no per-connection knob for it, so this is process-wide, set once at start.
    """
    if addresses:
        chosen = list(addresses)
        aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: list(chosen)


def strip_non_relay_candidates(sdp: str) -> str:
    """Drop host/srflx/prflx candidate lines so the browser can only reach the agent via TURN."""
    lines = sdp.split("\r\n")
    return "\r\n".join(line for line in lines if not _NON_RELAY_LINE.match(line))


def parse_candidate(
    candidate: str, sdp_mid: str | None, sdp_mline_index: int | None
) -> RTCIceCandidate | None:
    """A browser's trickled candidate; None for the empty end-of-candidates marker."""
    text = candidate.strip()
    if not text:
        return None
    if sdp_mid is None and sdp_mline_index is None:
        raise InvalidSignal("A candidate needs sdpMid or sdpMLineIndex")
    text = text.removeprefix("a=").removeprefix("candidate:")
    bits = text.split()
    if len(bits) < 8 or bits[6] != "typ" or bits[7] not in _CANDIDATE_TYPES:
        raise InvalidSignal(
            "The candidate is not in SDP grammar, e.g. "
            "'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host'"
        )
    try:
        parsed = candidate_from_sdp(text)
    except ValueError as error:
        raise InvalidSignal(f"The candidate has a bad number: {error}") from error
    parsed.sdpMid = sdp_mid
    parsed.sdpMLineIndex = sdp_mline_index
    return parsed
