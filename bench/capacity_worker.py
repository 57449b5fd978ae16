"""One client process of the capacity benchmark: it holds a share of the concurrent sessions.

Workers are started once (spawned, so each has its own interpreter and event loop) and run
one level after another: connect the level's sessions, meet the other workers and the parent
at a barrier, measure for the window, report, close. Echo sessions send tone bursts; voice
sessions ask the spoken questions in a loop. Continuity is measured on every frame the agent
sent during the window.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import asdict, dataclass, field
from multiprocessing.queues import Queue
from typing import Any, Literal

import httpx
import psutil

from . import continuity, conversation, round_trip
from .client import SousSession, keep_ice_on_loopback, open_sous_session
from .speech import Question

Kind = Literal["echo", "voice"]
# Sessions a worker connects at once (a browser-like trickle, not a thundering herd).
CONNECT_CONCURRENCY = 4


@dataclass(frozen=True)
class LevelSpec:
    base_url: str
    kind: Kind
    sessions: int
    first_index: int  # of this worker's sessions among all the level's sessions
    total_sessions: int
    window_seconds: float
    burst_period: float
    connect_timeout: float
    barrier_timeout: float
    turn_timeout: float


@dataclass
class LevelResult:
    connected: int = 0
    connect_failures: list[str] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    lost_bursts: int = 0
    latencies: list[float] = field(default_factory=list)
    unanswered: int = 0
    frames: int = 0
    missing: int = 0
    late: int = 0
    client_cpu_seconds: float = 0.0
    barrier_broken: bool = False


def main(
    commands: Queue[LevelSpec | None],
    results: Queue[dict[str, Any]],
    barrier: threading.Barrier,
    questions: list[Question],
) -> None:
    """Process entry: run levels until told to stop (None)."""
    keep_ice_on_loopback()
    while (spec := commands.get()) is not None:
        results.put(asdict(asyncio.run(run_level(spec, barrier, questions))))


async def run_level(
    spec: LevelSpec, barrier: threading.Barrier, questions: list[Question]
) -> LevelResult:
    result = LevelResult()
    sessions: list[SousSession] = []
    limits = httpx.Limits(max_connections=CONNECT_CONCURRENCY * 2)
    async with httpx.AsyncClient(timeout=spec.connect_timeout, limits=limits) as http:
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def connect() -> None:
            async with gate:
                try:
                    sessions.append(
                        await open_sous_session(
                            http, spec.base_url, connect_timeout=spec.connect_timeout
                        )
                    )
                except Exception as error:  # counted: a refused session is a capacity signal
                    result.connect_failures.append(f"{type(error).__name__}: {error}"[:300])

        await asyncio.gather(*(connect() for _ in range(spec.sessions)))
        result.connected = len(sessions)
        try:
            await asyncio.to_thread(barrier.wait, spec.barrier_timeout)
        except threading.BrokenBarrierError:
            result.barrier_broken = True
        if not result.barrier_broken:
            await _measure(spec, sessions, questions, result)
        for session in sessions:
            with contextlib.suppress(Exception):
                await session.close()
    return result


async def _measure(
    spec: LevelSpec, sessions: list[SousSession], questions: list[Question], result: LevelResult
) -> None:
    process = psutil.Process()
    cpu_before = sum(process.cpu_times()[:2])
    window_start = time.monotonic()
    window_end = window_start + spec.window_seconds
    tasks = [
        _echo_session(spec, session, index, window_end, result)
        if spec.kind == "echo"
        else _voice_session(spec, session, index, window_end, questions, result)
        for index, session in enumerate(sessions, start=spec.first_index)
    ]
    await asyncio.gather(*tasks)
    result.client_cpu_seconds = sum(process.cpu_times()[:2]) - cpu_before
    for session in sessions:
        speaker = session.peer.speaker
        chosen = [i for i, at in enumerate(speaker.arrivals) if window_start <= at <= window_end]
        measured = continuity.measure(
            [speaker.arrivals[i] for i in chosen], [speaker.timestamps[i] for i in chosen]
        )
        result.frames += measured.frames
        result.missing += measured.missing
        result.late += measured.late


async def _echo_session(
    spec: LevelSpec, session: SousSession, index: int, window_end: float, result: LevelResult
) -> None:
    # Spread the sessions' bursts over the period instead of sending them all at once.
    offset = spec.burst_period * index / max(1, spec.total_sessions)
    bursts = max(1, int((window_end - time.monotonic() - offset) / spec.burst_period) - 1)
    trips = await round_trip.measure(
        session.peer, bursts=bursts, period=spec.burst_period, settle=offset
    )
    result.round_trips += trips
    result.lost_bursts += bursts - len(trips)


async def _voice_session(
    spec: LevelSpec,
    session: SousSession,
    index: int,
    window_end: float,
    questions: list[Question],
    result: LevelResult,
) -> None:
    # Conversations start at different moments, as real ones would.
    await asyncio.sleep(3.0 * index / max(1, spec.total_sessions))
    asked = index
    while time.monotonic() < window_end:
        question = questions[asked % len(questions)]
        asked += 1
        turn = await conversation.ask(session.peer, question, answer_timeout=spec.turn_timeout)
        if turn.latency_ms is None:
            result.unanswered += 1
        else:
            result.latencies.append(turn.latency_ms)
