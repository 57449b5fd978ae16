"""Which client a request comes from, for per-client limits.

The socket peer, unless that peer is a trusted proxy: then X-Forwarded-For is read from the right,
skipping trusted proxies, and the first address not in TRUSTED_PROXIES is the client. Addresses a
client wrote itself (left of it) are never believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from .config import IpNetwork

UNKNOWN_CLIENT = "unknown"


def _is_trusted(address: str, trusted: Sequence[IpNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_ip(peer: str | None, forwarded_for: str | None, trusted: Sequence[IpNetwork]) -> str:
    """The client's address given the socket peer and the X-Forwarded-For header."""
    if peer is None:
        return UNKNOWN_CLIENT
    if not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # a garbled header: the last hop we can vouch for is the proxy
        if not _is_trusted(address, trusted):
            return address
    return str(ipaddress.ip_address(hops[0]))
