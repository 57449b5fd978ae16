"""When a capacity level holds or breaks, and how sessions are shared among client processes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench.capacity import Level, Plan, _split, capacity_of, judge

PLAN = Plan(levels=[1, 10, 20], window_seconds=5, p95_rise_limit_ms=50)


def level(sessions: int, p95: float | None, **changes: Any) -> Level:
    values: dict[str, Any] = dict(
        sessions=sessions, connected=sessions, connect_failures=[],
        latency={"p50": p95, "p95": p95}, unanswered=0, attempts=10 * sessions,
        frames=1000 * sessions, missing=0, late=0, agent_cpu_percent=3.0 * sessions,
        others_cpu_percent=0.0, client_cpu_percent=10.0,
    )  # fmt: skip
    values.update(changes)
    return Level(**values)


def test_a_level_close_to_the_single_session_holds() -> None:
    base = level(1, 200.0)
    judge(base, None, PLAN)
    busy = level(10, 249.0)
    judge(busy, base, PLAN)
    assert base.holds and busy.holds and busy.reason == ""


def test_latency_rise_late_frames_and_failed_connections_each_break_a_level() -> None:
    base = level(1, 200.0)
    slow = level(20, 260.0)
    choppy = level(20, 210.0, late=500)
    refused = level(20, 210.0, connected=18, connect_failures=["503"] * 2)
    for candidate in (slow, choppy, refused):
        judge(candidate, base, PLAN)
        assert not candidate.holds
    assert "p95 260 ms > 200 + 50 ms" in slow.reason
    assert "frames late or missing" in choppy.reason
    assert "2 session(s) failed to connect" in refused.reason


def test_capacity_is_the_largest_level_that_held() -> None:
    levels = [level(1, 200.0), level(10, 220.0), level(20, 400.0)]
    for item in levels:
        judge(item, levels[0], PLAN)
    assert capacity_of(levels) == 10
    assert levels[1].cpu_per_session == 3.0


def test_sessions_are_split_evenly_over_workers() -> None:
    assert _split(7, 2) == [4, 3]
    assert _split(1, 2) == [1, 0]
    assert sum(_split(101, 3)) == 101
