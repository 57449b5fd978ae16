"""Validation of client SDP offers and ICE candidates, and extraction of an answer's candidates.

Candidate attributes are parsed with aioice (the ICE stack aiortc agents use), plus the checks of
RFC 8839's grammar that aioice's lenient parser leaves out.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from aioice import Candidate

from .errors import BadRequest, PayloadTooLarge

CANDIDATE_PREFIX = "candidate:"
_SDP_LINE = re.compile(r"^[a-z]=")
_MEDIA_SECTION_START = re.compile(r"^(?=m=)", re.MULTILINE)
_FOUNDATION = re.compile(r"^[A-Za-z0-9+/]{1,32}$")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$")
_TRANSPORTS = {"udp", "tcp"}
_CANDIDATE_TYPES = {"host", "srflx", "prflx", "relay"}


@dataclass(frozen=True)
class IceCandidate:
    """One ICE candidate as the browser's RTCIceCandidateInit carries it."""

    candidate: str
    sdpMid: str | None
    sdpMLineIndex: int | None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "candidate": self.candidate,
            "sdpMid": self.sdpMid,
            "sdpMLineIndex": self.sdpMLineIndex,
        }


def _candidate_problem(attribute: str) -> str | None:
    """Why `attribute` (the text after "candidate:") is not a valid candidate, or None."""
    bits = attribute.split()
    try:
        parsed = Candidate.from_sdp(attribute)
    except (ValueError, IndexError) as exc:
        return f"cannot parse it ({exc})"
    if not _FOUNDATION.match(parsed.foundation):
        return "the foundation must be 1-32 letters, digits, '+' or '/'"
    if not 1 <= parsed.component <= 256:
        return "the component id must be between 1 and 256"
    if parsed.transport.lower() not in _TRANSPORTS:
        return f"the transport must be udp or tcp, not {parsed.transport!r}"
    if not 0 <= parsed.priority < 2**32:
        return "the priority must be between 0 and 2^32-1"
    if not _is_address(parsed.host):
        return f"{parsed.host!r} is neither an IP address nor a host name"
    if not 0 <= parsed.port <= 65535:
        return f"the port {parsed.port} is out of range"
    if bits[6] != "typ" or parsed.type not in _CANDIDATE_TYPES:
        return "expected 'typ host|srflx|prflx|relay' after the port"
    return None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOSTNAME.match(host))  # e.g. an mDNS "<uuid>.local" name
    return True


def validate_candidate(candidate: str, sdp_mid: str | None, sdp_mline_index: int | None) -> None:
    """Raise BadRequest unless this is a well-formed trickled candidate (or end-of-candidates)."""
    if candidate == "":
        return  # end-of-candidates
    if sdp_mid is None and sdp_mline_index is None:
        raise BadRequest("An ICE candidate needs sdpMid or sdpMLineIndex to name its m-line.")
    if not candidate.startswith(CANDIDATE_PREFIX):
        raise BadRequest(
            f"Malformed ICE candidate: it must start with {CANDIDATE_PREFIX!r} "
            "(send RTCIceCandidate.candidate as is)."
        )
    problem = _candidate_problem(candidate.removeprefix(CANDIDATE_PREFIX))
    if problem is not None:
        raise BadRequest(f"Malformed ICE candidate: {problem}.")


def validate_offer(sdp: str, sdp_type: str, max_bytes: int) -> None:
    """Raise PayloadTooLarge or BadRequest unless `sdp` is an SDP offer with audio."""
    size = len(sdp.encode("utf-8"))
    if size > max_bytes:
        raise PayloadTooLarge(f"The SDP offer is {size} bytes; the limit is {max_bytes} bytes.")
    if sdp_type != "offer":
        raise BadRequest(f"Expected an SDP offer (type 'offer'), got type {sdp_type!r}.")
    lines = sdp.splitlines()
    if not lines or lines[0].strip() != "v=0":
        raise BadRequest("Not an SDP document: the first line must be 'v=0'.")
    has_audio = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not _SDP_LINE.match(line):
            raise BadRequest(f"Line {number} of the SDP is not of the form 'x=value'.")
        has_audio = has_audio or line.startswith("m=audio ")
        if line.startswith("a=candidate:"):
            problem = _candidate_problem(line.removeprefix("a=candidate:"))
            if problem is not None:
                raise BadRequest(f"Malformed ICE candidate on line {number} of the SDP: {problem}.")
    if not has_audio:
        raise BadRequest(
            "The offer has no audio m-line ('m=audio ...'): add an audio track or transceiver "
            "before creating the offer."
        )


def answer_candidates(sdp: str) -> list[IceCandidate]:
    """The ICE candidates in an SDP (aiortc puts all of its candidates in the answer)."""
    candidates: list[IceCandidate] = []
    media_sections = _MEDIA_SECTION_START.split(sdp)[1:]
    for mline_index, section in enumerate(media_sections):
        lines = [line.strip() for line in section.splitlines()]
        mid = next(
            (line.removeprefix("a=mid:") for line in lines if line.startswith("a=mid:")), None
        )
        candidates.extend(
            IceCandidate(line.removeprefix("a="), mid, mline_index)
            for line in lines
            if line.startswith("a=candidate:")
        )
    return candidates
