"""Connection setup: `POST /api/sessions` → ICE connected, through the whole local stack.

Four series, each connecting `runs` times one after the other (plus one warm-up run that is
not counted): the aiortc client (bench/client.py) and headless Chromium (bench/chromium.py)
through the whole stack; to see what signaling adds, the aiortc client posting its offer
straight to the agent's `/invocations`; and for reference a bare aiortc-to-aiortc exchange in
one process with no HTTP at all.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from aiortc import RTCPeerConnection

from . import chromium, machine
from .client import Microphone, Peer, open_sous_session
from .results import Section, Table, ms
from .settings import BenchSettings
from .stats import summarize
from .system import System

NAME = "connect"
STEPS = [
    ("session_created_ms", "create"),
    ("answered_ms", "offer → answer"),
    ("ice_connected_ms", "→ ICE connected"),
    ("dtls_connected_ms", "→ DTLS"),
    ("channel_open_ms", "→ channel open"),
]


@dataclass(frozen=True)
class Plan:
    runs: int


PLANS = {"quick": Plan(runs=8), "full": Plan(runs=30)}


async def aiortc_runs(base_url: str, runs: int, settings: BenchSettings) -> list[dict[str, Any]]:
    results = []
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(runs):
            session = await open_sous_session(
                http, base_url, connect_timeout=settings.connect_timeout_seconds
            )
            await session.close()
            results.append(asdict(session.peer.times))
    return results


async def agent_runs(agent_url: str, runs: int, settings: BenchSettings) -> list[dict[str, Any]]:
    """The same client posting its offer straight to the agent's /invocations: no signaling."""
    results = []
    async with httpx.AsyncClient(base_url=agent_url, timeout=30) as http:
        for _ in range(runs):
            session_id = secrets.token_urlsafe(32)
            peer = Peer()
            try:
                offer = {"sdp": await peer.local_offer(), "type": "offer"}
                peer.times.offer_sent_ms = peer.since_start_ms()
                body = {"action": "offer", "session_id": session_id, "data": offer}
                response = await http.post("/invocations", json=body)
                response.raise_for_status()
                await peer.accept(response.json())
                peer.times.answered_ms = peer.since_start_ms()
                await peer.wait_connected(settings.connect_timeout_seconds)
            finally:
                await peer.close()
                close = {"action": "close", "session_id": session_id, "data": {}}
                await http.post("/invocations", json=close)
            results.append(asdict(peer.times))
    return results


async def bare_run(connect_timeout: float) -> dict[str, Any]:
    """Two aiortc peers in this process, offer and answer handed over directly."""
    started = time.monotonic()
    times: dict[str, Any] = {}
    caller, callee = RTCPeerConnection(), RTCPeerConnection()
    caller.addTrack(Microphone())
    channel = caller.createDataChannel("events", ordered=True)
    opened = asyncio.Event()
    channel.on("open", opened.set)

    def on_ice_state() -> None:
        if caller.iceConnectionState == "completed":
            times.setdefault("ice_connected_ms", (time.monotonic() - started) * 1000)

    caller.on("iceconnectionstatechange", on_ice_state)
    try:
        await caller.setLocalDescription(await caller.createOffer())
        await callee.setRemoteDescription(caller.localDescription)
        callee.addTrack(Microphone())
        await callee.setLocalDescription(await callee.createAnswer())
        await caller.setRemoteDescription(callee.localDescription)
        times["answered_ms"] = (time.monotonic() - started) * 1000
        await asyncio.wait_for(opened.wait(), connect_timeout)
        times["channel_open_ms"] = (time.monotonic() - started) * 1000
    finally:
        await caller.close()
        await callee.close()
    return times


async def bare_runs(runs: int, connect_timeout: float) -> list[dict[str, Any]]:
    return [await bare_run(connect_timeout) for _ in range(runs)]


def step_row(label: str, runs: list[dict[str, Any]], failures: int) -> list[str]:
    """p50/p95 of the two totals, then the p50 of each step's own duration."""
    ice = summarize([r["ice_connected_ms"] for r in runs if r.get("ice_connected_ms")])
    opened = summarize([r["channel_open_ms"] for r in runs if r.get("channel_open_ms")])
    steps = []
    previous = "start"
    for key, _ in STEPS:
        durations = [
            r[key] - (r[previous] if previous != "start" else 0.0)
            for r in runs
            if r.get(key) is not None and (previous == "start" or r.get(previous) is not None)
        ]
        steps.append(ms(summarize(durations)["p50"]) if durations else "-")
        if any(r.get(key) is not None for r in runs):
            previous = key
    return [
        label,
        str(len(runs)),
        str(failures),
        ms(ice["p50"]),
        ms(ice["p95"]),
        ms(opened["p50"]),
        ms(opened["p95"]),
        *steps,
    ]


COLUMNS = [
    "client",
    "runs",
    "failed",
    "→ ICE p50",
    "→ ICE p95",
    "→ usable p50",
    "→ usable p95",
    *[f"{label} (p50)" for _, label in STEPS],
]


async def _counted(make: Any, runs: int) -> tuple[list[dict[str, Any]], int]:
    """Run `make(runs + 1)` (first run is the warm-up); failures end the series early."""
    try:
        results = await make(runs + 1)
    except Exception as error:  # a failed series is reported, not fatal to the whole run
        return [{"error": str(error)}], runs
    return results[1:], 0


async def run(system: System, settings: BenchSettings, mode: str) -> Section:
    plan = PLANS[mode]
    contention = machine.Contention()
    url = system.signaling_url
    timeout = settings.connect_timeout_seconds
    series = {
        "aiortc client through the stack": lambda n: aiortc_runs(url, n, settings),
        "aiortc client straight to the agent (no signaling)": lambda n: agent_runs(
            system.stack.agent_url(0), n, settings
        ),
        "headless Chromium through the stack": lambda n: chromium.connect_runs(url, n, settings),
        "bare aiortc ↔ aiortc, no signaling (reference)": lambda n: bare_runs(n, timeout),
    }
    rows: list[list[str]] = []
    raw: dict[str, Any] = {"plan": plan.__dict__}
    for label, make in series.items():
        runs, failures = await _counted(make, plan.runs)
        ok = [r for r in runs if "error" not in r]
        rows.append(step_row(label, ok, failures))
        raw[label] = runs
    return Section(
        name=NAME,
        title="Connection setup: POST /api/sessions → connected",
        method=(
            f"{plan.runs} connections per client, one after the other, after one warm-up run. "
            "Times are from the first request (`POST /api/sessions`; for the reference, the "
            "offer) to ICE `connected` and to *usable* (DTLS up and the `events` data channel "
            "open, which is when the page says connected). Step columns are the p50 of each "
            "step's own duration. Candidates are trickled as the frontend does; the agent's "
            "candidates come inline in the answer."
        ),
        tables=[Table(title="Connection setup (ms)", columns=COLUMNS, rows=rows)],
        notes=[],
        load=contention.result(),
        raw=raw,
    )
