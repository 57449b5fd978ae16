"""Transport overhead: audio round trip client → media agent (echo model) → client.

Tone bursts go out in silence; the echo's onset is found in the received audio. Measured twice:
with aiortc's default receive buffer on the client (4 packets = 80 ms, what an aiortc client
hears) and with a 1-packet buffer (closest to the wire, as a browser's adaptive buffer gets on
loopback); the agent's own receive buffer is in both. For reference, the same client against a
bare aiortc peer in its own process that sends the decoded audio straight back: what aiortc
alone costs, with default and with 1-packet buffers on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from aiortc import RTCPeerConnection, RTCSessionDescription

from . import machine, round_trip
from .client import AIORTC_JITTER_PREFETCH, Peer, open_sous_session, set_receive_buffer
from .results import Section, Table, ms
from .settings import BenchSettings
from .stats import Summary, summarize
from .system import System

NAME = "transport"
CLIENT_BUFFERS = {
    "aiortc client, default receive buffer (4 packets)": AIORTC_JITTER_PREFETCH,
    "aiortc client, 1-packet receive buffer": 1,
}
REFERENCE_BUFFERS = {
    "reference: bare aiortc echo peer, 4-packet buffers": AIORTC_JITTER_PREFETCH,
    "reference: bare aiortc echo peer, 1-packet buffers": 1,
}


@dataclass(frozen=True)
class Plan:
    sessions: int
    bursts: int
    period: float


PLANS = {"quick": Plan(sessions=1, bursts=10, period=0.3), "full": Plan(2, 30, 0.4)}


def sous_opener(
    http: httpx.AsyncClient, base_url: str, settings: BenchSettings
) -> round_trip.Opener:
    async def open_session(prefetch: int) -> tuple[Peer, round_trip.Closer]:
        session = await open_sous_session(
            http,
            base_url,
            connect_timeout=settings.connect_timeout_seconds,
            jitter_prefetch=prefetch,
        )
        return session.peer, session.close

    return open_session


def echo_reference_opener(settings: BenchSettings) -> round_trip.Opener:
    """A bare aiortc peer in this process that plays back what it receives."""

    async def open_peers(prefetch: int) -> tuple[Peer, round_trip.Closer]:
        peer = Peer(jitter_prefetch=prefetch)
        echo = RTCPeerConnection()
        echo.on("track", echo.addTrack)
        try:
            await echo.setRemoteDescription(
                RTCSessionDescription(await peer.local_offer(), "offer")
            )
            for transceiver in echo.getTransceivers():
                set_receive_buffer(transceiver.receiver, prefetch)
            await echo.setLocalDescription(await echo.createAnswer())
            await peer.accept({"sdp": echo.localDescription.sdp, "type": "answer"})
            await peer.wait_connected(settings.connect_timeout_seconds)
        except BaseException:
            await peer.close()
            await echo.close()
            raise

        async def close() -> None:
            await peer.close()
            await echo.close()

        return peer, close

    return open_peers


def summary_row(label: str, summary: Summary, lost: int) -> list[str]:
    return [
        label,
        str(summary["n"]),
        ms(summary["p50"]),
        ms(summary["p95"]),
        ms(summary["p99"]),
        ms(summary["min"]),
        ms(summary["max"]),
        str(lost),
    ]


COLUMNS = ["client", "bursts", "p50 ms", "p95 ms", "p99 ms", "min ms", "max ms", "lost"]


async def run(system: System, settings: BenchSettings, mode: str) -> Section:
    plan = PLANS[mode]
    contention = machine.Contention()
    rows: list[list[str]] = []
    raw: dict[str, object] = {"plan": plan.__dict__}
    async with httpx.AsyncClient(timeout=30) as http:
        opener = sous_opener(http, system.signaling_url, settings)
        await round_trip.over_sessions(
            opener, sessions=1, bursts=2, period=0.3, jitter_prefetch=AIORTC_JITTER_PREFETCH
        )
        series = [(label, prefetch, opener) for label, prefetch in CLIENT_BUFFERS.items()]
        series += [(label, prefetch, echo_reference_opener(settings))
                   for label, prefetch in REFERENCE_BUFFERS.items()]  # fmt: skip
        for label, prefetch, open_peers in series:
            trips, lost = await round_trip.over_sessions(
                open_peers,
                sessions=plan.sessions,
                bursts=plan.bursts,
                period=plan.period,
                jitter_prefetch=prefetch,
            )
            summary = summarize(trips)
            rows.append(summary_row(label, summary, lost))
            raw[label] = {
                "summary": summary,
                "round_trips_ms": trips,
                "lost": lost,
                "reference": label in REFERENCE_BUFFERS,
            }
    return Section(
        name=NAME,
        title="Transport overhead: audio round trip through the echo model",
        method=(
            f"An aiortc client connects through signaling ({plan.sessions} session(s) per row) "
            f"and sends {plan.bursts} tone bursts of {round_trip.BURST_SECONDS * 1000:.0f} ms, "
            f"{plan.period} s apart; the media agent runs `MODEL=echo`. Round trip = first "
            "loud sample of the echo at the client minus the moment the burst's first sample "
            "left the client (both on the client's clock). The first session is a warm-up and "
            "is not counted."
        ),
        tables=[Table(title="Round trip (client → agent → client)", columns=COLUMNS, rows=rows)],
        notes=[],
        load=contention.result(),
        raw=raw,
    )
