"""Every Redis key signaling reads or writes (see docs/architecture.md, "Redis keys")."""

from __future__ import annotations

PREFIX = "sous:"

# Written by media agents, read (and pruned) by signaling.
AGENTS = f"{PREFIX}agents"


def agent(agent_id: str) -> str:
    return f"{PREFIX}agent:{agent_id}"


def agent_assigned(agent_id: str, heartbeat: str) -> str:
    """Sessions signaling gave an agent since the heartbeat stamped `heartbeat` (its updated_at)."""
    return f"{PREFIX}agent:{agent_id}:assigned:{heartbeat}"


def session(session_id: str) -> str:
    return f"{PREFIX}session:{session_id}"


def client_candidates(session_id: str) -> str:
    return f"{PREFIX}session:{session_id}:ice:client"


def agent_candidates(session_id: str) -> str:
    return f"{PREFIX}session:{session_id}:ice:agent"


def client_sessions(client_ip: str) -> str:
    """Sorted set: the client's live session ids, scored by when each expires."""
    return f"{PREFIX}client:{client_ip}:sessions"


def request_count(client_ip: str, window: int) -> str:
    return f"{PREFIX}ratelimit:{client_ip}:{window}"
