"""What the running stack holds in Redis, as the tests read it (keys per docs/architecture.md)."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis


def agent_sessions(client: redis.Redis) -> int:
    """Sessions the live media agents report holding (their heartbeat hashes)."""
    total = 0
    for member in client.smembers("sous:agents"):
        agent_id = member.decode() if isinstance(member, bytes) else member
        count = client.hget(f"sous:agent:{agent_id}", "sessions")
        total += int(count) if count is not None else 0
    return total


def signaling_sessions(client: redis.Redis) -> int:
    """Session records signaling keeps (one hash per open session)."""
    return sum(1 for key in client.scan_iter("sous:session:*") if ":ice:" not in key)


def timer_pending(client: redis.Redis, timer_id: str) -> bool:
    """Whether the tools service will still fire this timer (it has a due time)."""
    return client.zscore("sous:timers", timer_id) is not None


def eventually(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Whether `check` comes true within `timeout` seconds (Redis state follows heartbeats)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
