"""Redis keys the media agent reads and writes (see docs/architecture.md)."""

PREFIX = "sous:"
AGENTS = f"{PREFIX}agents"
TIMER_EVENTS = f"{PREFIX}events:timers"


def agent(agent_id: str) -> str:
    """Hash describing one live agent for the signaling router."""
    return f"{PREFIX}agent:{agent_id}"
