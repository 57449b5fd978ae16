"""Every Redis key signaling reads or writes (see docs/architecture.md, "Redis keys")."""

from __future__ import annotations

PREFIX = "sous:"

# Written by media agents, read (and pruned) by signaling.
AGENTS = f"{PREFIX}agents"
AGENT_PREFIX = f"{PREFIX}agent:"  # + agent id: the agent's hash, present while it heartbeats


def agent(agent_id: str) -> str:
    return f"{AGENT_PREFIX}{agent_id}"


def agent_assigned(agent_id: str, heartbeat: str) -> str:
    """Sessions signaling gave an agent since the heartbeat stamped `heartbeat` (its updated_at)."""
    return f"{agent(agent_id)}:assigned:{heartbeat}"


def session(session_id: str) -> str:
    return f"{PREFIX}session:{session_id}"


def client_candidates(session_id: str) -> str:
    return f"{PREFIX}session:{session_id}:ice:client"


def agent_candidates(session_id: str) -> str:
    return f"{PREFIX}session:{session_id}:ice:agent"


def candidate_delivery(session_id: str) -> str:
    """Lease of the one request delivering the session's queued client candidates."""
    return f"{PREFIX}session:{session_id}:ice:delivery"


# Lua scripts build a client's key from the client_ip they read: prefix + ip + suffix.
CLIENT_SESSIONS_AFFIXES = (f"{PREFIX}client:", ":sessions")


def client_sessions(client_ip: str) -> str:
    """Sorted set: the client's live session ids, scored by when each expires."""
    prefix, suffix = CLIENT_SESSIONS_AFFIXES
    return f"{prefix}{client_ip}{suffix}"


def request_count(client_ip: str, window: int) -> str:
    return f"{PREFIX}ratelimit:{client_ip}:{window}"
