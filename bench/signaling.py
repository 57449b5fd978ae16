"""Signaling throughput and p99: session create and ICE post, with 1 and 2 instances.

Both instances share one Redis and the one echo agent (a create asks the agent for its ICE
servers). With two instances, one wrk per instance runs at the same time with half the
connections; throughput is summed and the worse p99 is reported. ICE posts go to sessions
created beforehand that have no offer yet, so each post is queued in Redis (the path every
candidate takes before the answer).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from . import machine, wrk
from .results import Section, Table
from .settings import ROOT, BenchSettings
from .system import LogFile, System
from .wrk import Request

NAME = "signaling"
WARM_UP_SECONDS = 1
CANDIDATE = {
    "candidate": "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
}


@dataclass(frozen=True)
class Plan:
    seconds: int
    connections: int
    warm_up: bool
    ice_sessions: int


PLANS = {
    "quick": Plan(seconds=1, connections=16, ice_sessions=60, warm_up=False),
    "full": Plan(seconds=6, connections=16, ice_sessions=400, warm_up=True),
}


async def _sessions(url: str, count: int) -> list[str]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        gate = asyncio.Semaphore(8)

        async def create() -> str:
            async with gate:
                response = await http.post("/api/sessions")
                response.raise_for_status()
                return str(response.json()["session_id"])

        return list(await asyncio.gather(*(create() for _ in range(count))))


async def run(system: System, settings: BenchSettings, mode: str) -> Section:
    plan = PLANS[mode]
    contention = machine.Contention()
    if len(system.signaling_urls) < 2:
        sink = LogFile(ROOT / ".bench" / "logs" / "signaling2.log")
        await asyncio.to_thread(system.add_signaling, sink)
    session_ids = await _sessions(system.signaling_url, plan.ice_sessions)
    scenarios = {
        "POST /api/sessions": [Request("POST", "/api/sessions")],
        "POST /api/sessions/{id}/ice": [
            Request("POST", f"/api/sessions/{sid}/ice", CANDIDATE) for sid in session_ids
        ],
    }
    rows: list[list[str]] = []
    raw: dict[str, object] = {"plan": plan.__dict__}
    for name, requests in scenarios.items():
        for instances in (1, 2):
            urls = system.signaling_urls[:instances]
            if plan.warm_up:
                await wrk.run_many(
                    urls, requests, connections=plan.connections, seconds=WARM_UP_SECONDS
                )
            load = await wrk.run_many(
                urls, requests, connections=plan.connections, seconds=plan.seconds
            )
            rows.append(
                [
                    name,
                    str(instances),
                    f"{load.per_second:.0f}",
                    f"{load.p50_ms:.1f}",
                    f"{load.p99_ms:.1f}",
                    str(load.errors),
                ]
            )
            raw[f"{name} x{instances}"] = load.__dict__ | {"per_second": load.per_second}
    return Section(
        name=NAME,
        title="Signaling: throughput and p99 with 1 and 2 instances on one Redis",
        method=(
            f"wrk, {plan.connections} keep-alive connections in total, {plan.seconds:.0f} s per "
            f"row{' after a 1 s warm-up' if plan.warm_up else ''}. A session create reserves "
            "the client's slot, picks the agent "
            "(Lua), asks the agent for ICE servers over HTTP and stores the session; an ICE post "
            "validates the candidate and queues it. Rate limits are raised (all load comes "
            "from 127.0.0.1) but still checked on every request."
        ),
        tables=[
            Table(
                title="Signaling",
                columns=["request", "instances", "requests/s", "p50 ms", "p99 ms", "errors"],
                rows=rows,
            )
        ],
        notes=[],
        load=contention.result(),
        raw=raw,
    )
