"""How an agent's /invocations errors reach the client, whichever router carried them."""

from __future__ import annotations

import pytest

from sous_signaling.errors import (
    AgentFailed,
    BadRequest,
    Conflict,
    PayloadTooLarge,
    ServiceUnavailable,
    SessionGone,
    SignalingError,
)
from sous_signaling.routing.base import agent_error, ice_servers_of


@pytest.mark.parametrize(
    ("status", "error", "client_status", "says"),
    [
        (400, BadRequest, 400, "rejected the request: DETAIL"),
        (404, SessionGone, 410, "no longer holds this session. Start a new session"),
        (409, Conflict, 409, "refused: DETAIL. Start a new session"),
        (413, PayloadTooLarge, 413, "refused the size: DETAIL"),
        (503, ServiceUnavailable, 503, "at capacity or shutting down (DETAIL)"),
        (500, AgentFailed, 502, "answered HTTP 500: DETAIL"),
        (302, AgentFailed, 502, "answered HTTP 302: DETAIL"),
    ],
)
def test_agent_statuses_map_to_client_errors(
    status: int, error: type[SignalingError], client_status: int, says: str
) -> None:
    mapped = agent_error(status, "DETAIL")
    assert isinstance(mapped, error)
    assert mapped.status_code == client_status
    assert says in mapped.detail


@pytest.mark.parametrize(
    "response", [{}, {"ice_servers": "turn:x"}, {"ice_servers": ["turn:x"]}, {"servers": []}]
)
def test_an_ice_servers_answer_without_a_list_of_dicts_is_502(response: dict[str, object]) -> None:
    with pytest.raises(AgentFailed, match="no 'ice_servers' list"):
        ice_servers_of(response)
