"""The interface between signaling and wherever media agents run.

A router places a new session on an agent and delivers the media agent's `/invocations` actions
(docs/architecture.md, "Media agent HTTP") to the agent holding a session. Adding a way to reach
agents (e.g. Kubernetes service discovery) means one new module implementing `AgentRouter`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from ..errors import (
    START_NEW_SESSION,
    AgentFailed,
    BadRequest,
    Conflict,
    PayloadTooLarge,
    ServiceUnavailable,
    SessionGone,
    SignalingError,
)

JsonObject = dict[str, Any]


class Action(StrEnum):
    ICE_SERVERS = "ice_servers"
    OFFER = "offer"
    ICE_CANDIDATE = "ice_candidate"
    CLOSE = "close"


@dataclass(frozen=True)
class Placement:
    """Where a new session went, and the ICE servers that agent wants the browser to use."""

    agent_id: str
    ice_servers: list[JsonObject]


class AgentRouter(Protocol):
    async def place(self, session_id: str) -> Placement:
        """Pin a new session to an agent (asking it for `ice_servers`), or ServiceUnavailable."""
        ...

    async def invoke(
        self, agent_id: str, session_id: str, action: Action, data: JsonObject
    ) -> JsonObject:
        """Deliver one action to the agent holding the session; its 200 response body."""
        ...

    @property
    def liveness_prefix(self) -> str | None:
        """An agent is alive while Redis holds the key `liveness_prefix + agent_id`; None when
        this router cannot tell (then every session counts as alive)."""
        ...

    async def aclose(self) -> None: ...


def invocation(session_id: str, action: Action, data: JsonObject) -> JsonObject:
    """The `/invocations` request body."""
    return {"action": action.value, "session_id": session_id, "data": data}


def agent_error(status_code: int, detail: str) -> SignalingError:
    """The client-facing error for an agent's non-200 `/invocations` answer."""
    if status_code == 400:
        return BadRequest(f"The media agent rejected the request: {detail}")
    if status_code == 404:
        return SessionGone(f"The media agent no longer holds this session. {START_NEW_SESSION}")
    if status_code == 409:
        return Conflict(f"The media agent refused: {detail}. {START_NEW_SESSION}")
    if status_code == 413:
        return PayloadTooLarge(f"The media agent refused the size: {detail}")
    if status_code == 503:
        return ServiceUnavailable(
            f"The media agent is at capacity or shutting down ({detail}). {START_NEW_SESSION}"
        )
    return AgentFailed(f"The media agent answered HTTP {status_code}: {detail}")


def ice_servers_of(response: JsonObject) -> list[JsonObject]:
    """The `ice_servers` list of an agent's response, or AgentFailed when it has none."""
    servers = response.get("ice_servers")
    if not isinstance(servers, list) or not all(isinstance(item, dict) for item in servers):
        raise AgentFailed("The media agent's ice_servers response has no 'ice_servers' list.")
    return servers
