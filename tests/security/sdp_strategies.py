"""Offers and candidates for fuzzing: a real browser-like offer and hypothesis strategies that
break it. Every address the agent may send STUN checks to is loopback, or no address at all."""

from __future__ import annotations

import asyncio

import aioice.ice
from aiortc import RTCPeerConnection
from hypothesis import strategies as st


async def _real_offer() -> str:
    pc = RTCPeerConnection()
    pc.addTransceiver("audio")
    pc.createDataChannel("events")
    await pc.setLocalDescription(await pc.createOffer())
    sdp: str = pc.localDescription.sdp
    await pc.close()
    return sdp


def _loopback_offer() -> list[str]:
    """A browser-like offer whose candidates are all on 127.0.0.1."""
    real = aioice.ice.get_host_addresses
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    try:
        return asyncio.run(_real_offer()).splitlines()
    finally:
        aioice.ice.get_host_addresses = real


REAL_OFFER = _loopback_offer()
NUMBERS = st.one_of(
    st.integers(-(2**40), 2**40).map(str), st.sampled_from(["", "-0", "1e309", "NaN", "0x10"])
)
WORDS = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30)
FIELD = st.one_of(NUMBERS, WORDS, st.sampled_from(["udp", "tcp", "typ", "host", "relay"]))
# Candidate addresses the agent may really send STUN checks to: loopback only, or strings that
# are neither an address nor a host name (no DNS or mDNS look-up leaves this machine).
ADDRESSES = st.one_of(
    st.sampled_from(["127.0.0.1", "::1", "127.0.0.256", "0", "-1", ""]),
    st.text(st.sampled_from("!$%&*()<>[]{}|~^"), min_size=1, max_size=10),
)


@st.composite
def candidates(draw: st.DrawFn) -> str:
    """Candidate attributes that look like RFC 8839 ones, each field possibly absurd."""
    fields = [
        draw(st.one_of(st.just("1"), FIELD)),  # foundation
        draw(st.one_of(st.just("1"), NUMBERS)),  # component
        draw(st.one_of(st.just("udp"), FIELD)),
        draw(st.one_of(st.just("2122260223"), NUMBERS)),  # priority
        draw(ADDRESSES),
        draw(st.one_of(st.just("9"), NUMBERS)),  # port
        draw(st.one_of(st.just("typ"), FIELD)),
        draw(st.one_of(st.just("host"), FIELD)),
    ]
    extra = draw(st.lists(FIELD, max_size=4))
    cut = draw(st.integers(0, len(fields)))
    return "candidate:" + " ".join(fields[: len(fields) - cut] + extra)


@st.composite
def offers(draw: st.DrawFn) -> str:
    """A real aiortc offer with lines dropped, duplicated, mangled or made up."""
    lines = list(REAL_OFFER)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "mangle", "insert", "candidate"]))
        if action == "drop" and len(lines) > 1:
            del lines[where]
        elif action == "dup":
            lines.insert(where, lines[where])
        elif action == "mangle":
            key, _, value = lines[where].partition("=")
            parts = value.split(" ")
            position = draw(st.integers(0, len(parts) - 1))
            is_address = value.startswith("candidate:") and position == 4
            parts[position] = draw(ADDRESSES if is_address else FIELD)
            lines[where] = f"{key}={' '.join(parts)}"
        elif action == "insert":
            kind = draw(st.sampled_from("vosctmab"))
            attribute = draw(st.sampled_from(["rtpmap:", "fmtp:", "mid:", "ssrc:", "group:", ""]))
            lines.insert(where, f"{kind}={attribute}{draw(WORDS)}")
        else:
            lines.insert(where, f"a={draw(candidates())}")
    return "\r\n".join(lines) + "\r\n"
