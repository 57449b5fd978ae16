"""Capacity of ONE media agent process: concurrent sessions until latency or continuity breaks.

Client sessions live in other processes (bench/capacity_worker.py). The ramp goes up level
by level; at each level all sessions connect, then measure together for a window while this
process reads the agent's CPU time (psutil). A level holds when
- every session connected,
- p95 latency rose at most `p95_rise_limit_ms` above the one-session level, and
- at most `bad_frames_limit` of the agent's frames came late (60 ms playout buffer) or missing,
  and at most that share of bursts/turns went unanswered.
The ramp stops at the first level that breaks; the capacity is the last level that held.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from typing import Any

import psutil

from . import capacity_worker, machine, speech
from .capacity_worker import Kind, LevelSpec
from .results import Section, Table, ms
from .settings import BenchSettings
from .stats import summarize
from .system import System

NAME = "capacity"


@dataclass(frozen=True)
class Plan:
    levels: list[int]
    window_seconds: float
    p95_rise_limit_ms: float
    bad_frames_limit: float = 0.01
    workers: int = 2
    burst_period: float = 1.0
    turn_timeout: float = 15.0
    questions: int = 0  # spoken questions voice sessions cycle through
    # The one-session level is the baseline for p95: long enough to have ~20 samples.
    baseline_window_seconds: float | None = None
    # The machine is shared: a level during which other processes took more than this much CPU
    # (% of a core) is measured again, up to this many times.
    disturbance_limit_percent: float = 25.0
    disturbed_retries: int = 2


ECHO_PLANS = {
    "quick": Plan(levels=[1, 10], window_seconds=4, p95_rise_limit_ms=50),
    "full": Plan(
        levels=[1, 2, 4, 6, 8, 10, 12, 15, 20, 30, 40, 50, 60, 80, 100],
        window_seconds=12,
        p95_rise_limit_ms=50,
    ),
}
VOICE_PLANS = {
    "quick": Plan(levels=[1, 2], window_seconds=6, p95_rise_limit_ms=500, questions=4),
    "full": Plan(
        levels=[1, 2, 3, 4, 5, 6, 8],
        window_seconds=45,
        p95_rise_limit_ms=500,
        questions=8,
        baseline_window_seconds=120,
    ),
}


@dataclass
class Level:
    sessions: int
    connected: int
    connect_failures: list[str]
    latency: dict[str, Any]
    unanswered: int
    attempts: int
    frames: int
    missing: int
    late: int
    agent_cpu_percent: float
    others_cpu_percent: float  # processes outside the benchmark, e.g. other people's work
    client_cpu_percent: float
    holds: bool = False
    reason: str = ""
    measured: int = 1  # times the level ran (it is repeated while others disturb it)

    @property
    def bad_frames(self) -> float:
        expected = self.frames + self.missing
        return (self.missing + self.late) / expected if expected else 1.0

    @property
    def cpu_per_session(self) -> float:
        return self.agent_cpu_percent / max(1, self.connected)


class Workers:
    """Persistent client processes and the barrier they meet the parent at."""

    def __init__(self, count: int, questions: list[speech.Question]) -> None:
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(count + 1)
        self.commands: list[Any] = [context.Queue() for _ in range(count)]
        self.results: Any = context.Queue()
        self.processes: list[SpawnProcess] = [
            context.Process(
                target=capacity_worker.main,
                args=(commands, self.results, self.barrier, questions),
                daemon=True,
            )
            for commands in self.commands
        ]
        for process in self.processes:
            process.start()

    def stop(self) -> None:
        for commands in self.commands:
            commands.put(None)
        for process in self.processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def run_level(
    workers: Workers,
    system: System,
    kind: Kind,
    sessions: int,
    plan: Plan,
    timeout: float,
    window: float,
) -> Level:
    agent = psutil.Process(system.pid("agent"))
    shares = _split(sessions, len(workers.processes))
    first = 0
    for commands, share in zip(workers.commands, shares, strict=True):
        commands.put(
            LevelSpec(
                base_url=system.signaling_url,
                kind=kind,
                sessions=share,
                first_index=first,
                total_sessions=sessions,
                window_seconds=window,
                burst_period=plan.burst_period,
                connect_timeout=timeout,
                barrier_timeout=timeout + 5 + sessions * 0.5,
                turn_timeout=plan.turn_timeout,
            )
        )
        first += share
    try:
        workers.barrier.wait(timeout=timeout + 10 + sessions * 0.5)
    except Exception:
        workers.barrier.reset()
    cpu_before = sum(agent.cpu_times()[:2])
    contention = machine.Contention()
    started = time.monotonic()
    time.sleep(window)
    elapsed = time.monotonic() - started
    agent_cpu = 100 * (sum(agent.cpu_times()[:2]) - cpu_before) / elapsed
    others = contention.result()["others_cpu_percent"]
    results = []
    for _ in workers.processes:
        try:
            results.append(workers.results.get(timeout=window + 120 + sessions))
        except queue.Empty:
            results.append({"barrier_broken": True, "connect_failures": ["worker timed out"]})
    latencies = [x for r in results for x in r.get("round_trips", []) + r.get("latencies", [])]
    unanswered = sum(r.get("lost_bursts", 0) + r.get("unanswered", 0) for r in results)
    level = Level(
        sessions=sessions,
        connected=sum(r.get("connected", 0) for r in results),
        connect_failures=[f for r in results for f in r.get("connect_failures", [])],
        latency=dict(summarize(latencies)),
        unanswered=unanswered,
        attempts=len(latencies) + unanswered,
        frames=sum(r.get("frames", 0) for r in results),
        missing=sum(r.get("missing", 0) for r in results),
        late=sum(r.get("late", 0) for r in results),
        agent_cpu_percent=round(agent_cpu, 1),
        others_cpu_percent=others,
        client_cpu_percent=round(
            100 * sum(r.get("client_cpu_seconds", 0.0) for r in results) / elapsed, 1
        ),
    )
    if any(r.get("barrier_broken") for r in results):
        level.connect_failures.append("not every session was ready in time")
    return level


def judge(level: Level, baseline: Level | None, plan: Plan) -> None:
    """Decide whether the level holds, saying why not."""
    reasons = []
    if level.connect_failures or level.connected < level.sessions:
        reasons.append(f"{level.sessions - level.connected} session(s) failed to connect")
    p95 = level.latency.get("p95")
    base_p95 = (baseline or level).latency.get("p95")
    if p95 is None:
        reasons.append("nothing came back")
    elif base_p95 is not None and p95 > base_p95 + plan.p95_rise_limit_ms:
        reasons.append(f"p95 {p95:.0f} ms > {base_p95:.0f} + {plan.p95_rise_limit_ms:.0f} ms")
    if level.bad_frames > plan.bad_frames_limit:
        reasons.append(f"{100 * level.bad_frames:.1f} % frames late or missing")
    if level.attempts and level.unanswered / level.attempts > plan.bad_frames_limit:
        reasons.append(f"{level.unanswered} of {level.attempts} unanswered")
    level.holds = not reasons
    level.reason = "; ".join(reasons)


def ramp(system: System, settings: BenchSettings, kind: Kind, plan: Plan) -> list[Level]:
    questions = speech.synthesize(plan.questions)
    workers = Workers(plan.workers, questions)
    levels: list[Level] = []
    try:
        for sessions in plan.levels:
            window = plan.window_seconds
            if not levels and plan.baseline_window_seconds is not None:
                window = plan.baseline_window_seconds
            for attempt in range(1 + plan.disturbed_retries):
                level = run_level(
                    workers, system, kind, sessions, plan, settings.connect_timeout_seconds, window
                )
                level.measured = attempt + 1
                if level.others_cpu_percent <= plan.disturbance_limit_percent:
                    break
                print(
                    f"[bench] {sessions} sessions: other processes took "
                    f"{level.others_cpu_percent:.0f} % of a core; measuring again",
                    flush=True,
                )
            judge(level, levels[0] if levels else None, plan)
            levels.append(level)
            if not level.holds:
                break
    finally:
        workers.stop()
    return levels


COLUMNS = [
    "sessions",
    "connected",
    "p50 ms",
    "p95 ms",
    "unanswered",
    "late+missing frames",
    "agent CPU (% of a core)",
    "per session",
    "clients CPU",
    "other processes",
    "holds",
]


def _row(level: Level) -> list[str]:
    return [
        str(level.sessions),
        str(level.connected),
        ms(level.latency.get("p50")),
        ms(level.latency.get("p95")),
        f"{level.unanswered}/{level.attempts}",
        f"{100 * level.bad_frames:.2f} %",
        f"{level.agent_cpu_percent:.0f} %",
        f"{level.cpu_per_session:.1f} %",
        f"{level.client_cpu_percent:.0f} %",
        f"{level.others_cpu_percent:.0f} %"
        + (f" (measured {level.measured} times)" if level.measured > 1 else ""),
        "yes" if level.holds else f"no: {level.reason}",
    ]


def capacity_of(levels: list[Level]) -> int:
    held = [level.sessions for level in levels if level.holds]
    return max(held) if held else 0


def section(kind: Kind, plan: Plan, levels: list[Level], contention: machine.Contention) -> Section:
    what = "echo sessions (`MODEL=echo`)" if kind == "echo" else "offline-model conversations"
    measure = (
        f"tone-burst round trips every {plan.burst_period:.0f} s per session"
        if kind == "echo"
        else "voice-to-voice latency of spoken questions asked one after another per session"
    )
    ramp_end = levels[-1] if levels else None
    baseline = (
        f" (the first, the one-session baseline, for {plan.baseline_window_seconds:.0f} s)"
        if plan.baseline_window_seconds is not None
        else ""
    )
    verdict = f"Capacity: **{capacity_of(levels)}** concurrent {what} on one agent process" + (
        f" (broke at {ramp_end.sessions}: {ramp_end.reason})."
        if ramp_end and not ramp_end.holds
        else " (the ramp ended without breaking)."
    )
    return Section(
        name=f"{NAME}-{kind}",
        title=f"Capacity of one media agent: {what}",
        method=(
            f"Levels {plan.levels}; clients in {plan.workers} other processes; each level "
            f"measures for {plan.window_seconds:.0f} s{baseline}: {measure}. A level holds when "
            f"every session connects, p95 rises at most {plan.p95_rise_limit_ms:.0f} ms above the "
            f"one-session level, and at most {100 * plan.bad_frames_limit:.0f} % of the agent's "
            "audio frames are late (60 ms playout buffer) or missing and of bursts/turns are "
            "unanswered. CPU is % of one core (the machine has "
            f"{psutil.cpu_count()}); the clients share the same cores. *Other processes* is CPU "
            "taken by processes outside the benchmark and the stack it started (the machine is "
            "shared); a level they took more than "
            f"{plan.disturbance_limit_percent:.0f} % of a core from is measured again (up to "
            f"{plan.disturbed_retries} times) and the last run is shown."
        ),
        tables=[Table(title=verdict, columns=COLUMNS, rows=[_row(level) for level in levels])],
        notes=[],
        load=contention.result(),
        raw={
            "plan": plan.__dict__,
            "capacity": capacity_of(levels),
            "levels": [
                {
                    **level.__dict__,
                    "bad_frames": level.bad_frames,
                    "cpu_per_session": level.cpu_per_session,
                }
                for level in levels
            ],
        },
    )


def run(system: System, settings: BenchSettings, mode: str, kind: Kind) -> Section:
    plan = (ECHO_PLANS if kind == "echo" else VOICE_PLANS)[mode]
    contention = machine.Contention()
    levels = ramp(system, settings, kind, plan)
    return section(kind, plan, levels, contention)
