"""Every Redis key and stream the timers use (docs/architecture.md lists them)."""

from __future__ import annotations

DUE = "sous:timers"  # sorted set: timer id → due time (epoch seconds) of running timers
EVENTS_STREAM = "sous:events:timers"


def timer(timer_id: str) -> str:
    """Hash holding one timer; expires a while after the timer ends."""
    return f"sous:timer:{timer_id}"


def session_timers(session_id: str) -> str:
    """Hash timer id → status of one session's timers; expires when the session is idle."""
    return f"sous:timers:session:{session_id}"
