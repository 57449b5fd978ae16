"""Where the services spend their CPU in the scenarios whose goals are missed (py-spy).

Separate from the measured runs, so sampling never disturbs a published number. Raw collapsed
stacks are kept in `.bench/profiles/` (open them with speedscope or flamegraph.pl). The offline
model is not profiled here: its work is native (CTranslate2, onnxruntime) and out of py-spy's
sight; its per-stage timings in the voice benchmark say where its time goes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from . import machine, profiling, round_trip, wrk
from .client import open_sous_session
from .results import Section, Table
from .settings import ROOT, BenchSettings
from .system import System

NAME = "profile"
TOP = 12
OUT = ROOT / ".bench" / "profiles"


@dataclass(frozen=True)
class Scenario:
    title: str
    service: str
    work: Callable[[], Awaitable[object]]


async def _connects(url: str, count: int, settings: BenchSettings) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(count):
            session = await open_sous_session(
                http, url, connect_timeout=settings.connect_timeout_seconds
            )
            await session.close()


async def _echo_sessions(url: str, count: int, seconds: float, settings: BenchSettings) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        sessions = [
            await open_sous_session(http, url, connect_timeout=settings.connect_timeout_seconds)
            for _ in range(count)
        ]
        try:
            await asyncio.gather(
                *(round_trip.measure(s.peer, bursts=int(seconds), period=1.0) for s in sessions)
            )
        finally:
            for session in sessions:
                await session.close()


def _cell(entries: list[tuple[str, float]], index: int) -> list[str]:
    if index >= len(entries):
        return ["", ""]
    function, share = entries[index]
    return [f"`{function}`", f"{share:.1f} %"]


def _table(title: str, summary: profiling.Profile) -> Table:
    top_self, top_total = summary.top_self(TOP), summary.top_total(TOP)
    rows = [
        _cell(top_self, i) + _cell(top_total, i) for i in range(max(len(top_self), len(top_total)))
    ]
    seconds = summary.possible / profiling.RATE_HZ
    return Table(
        title=f"{title}: GIL held {summary.gil_busy:.0f} % of {seconds:.0f} s",
        columns=["function (self)", "self", "function (total)", "total"],
        rows=rows,
    )


async def profile(system: System, scenarios: list[Scenario], name: str, title: str) -> Section:
    contention = machine.Contention()
    tables: list[Table] = []
    raw: dict[str, object] = {}
    for index, scenario in enumerate(scenarios):
        output = OUT / f"{name}-{index + 1}-{scenario.service}.txt"
        with profiling.recording(system.pid(scenario.service), output) as record:
            await scenario.work()
        summary = record.profile()
        tables.append(_table(f"{scenario.title} — {scenario.service}", summary))
        raw[scenario.title] = {
            "service": scenario.service,
            "samples": summary.samples,
            "possible_samples": summary.possible,
            "gil_busy_percent": summary.gil_busy,
            "top_self": summary.top_self(TOP),
            "top_total": summary.top_total(TOP),
        }
    return Section(
        name=name,
        title=title,
        method=(
            "py-spy samples the named process 100 times a second while the scenario runs and "
            "keeps the stack of the thread holding the GIL (Python work; waiting threads are "
            "left out). *self*: share of the recording with the function on top of the stack; "
            "*total*: anywhere on the stack (event-loop and thread-pool plumbing left out). The "
            "self shares add up to how busy the GIL was. Raw stacks: `.bench/profiles/`."
        ),
        tables=tables,
        notes=[],
        load=contention.result(),
        raw=raw,
    )


async def run_echo(system: System, settings: BenchSettings, mode: str) -> Section:
    url = system.signaling_url
    creates = [wrk.Request("POST", "/api/sessions")]
    scenarios = [
        Scenario(
            "15 connections one after the other", "agent", lambda: _connects(url, 15, settings)
        ),
        Scenario(
            "15 connections one after the other", "signaling", lambda: _connects(url, 15, settings)
        ),
        Scenario(
            "session creates under load (wrk, 16 connections, 4 s)",
            "signaling",
            lambda: wrk.run(url, creates, connections=16, seconds=4),
        ),
        Scenario(
            "10 concurrent echo sessions, 8 s",
            "agent",
            lambda: _echo_sessions(url, 10, 8, settings),
        ),
    ]
    return await profile(
        system,
        scenarios,
        f"{NAME}-echo",
        "Profiles: connection setup, signaling and the echo audio path",
    )
