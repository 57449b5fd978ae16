"""Hypothesis-generated SDP offers and ICE candidates, through signaling and straight at the
agent: every one is answered 2xx or 4xx with a reason, and the agent lives on."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sdp_strategies import REAL_OFFER, WORDS, candidates, offers

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
CLIENT_ERRORS = {400, 404, 409, 413}


@pytest.fixture(scope="module")
def http(fuzz_stack: tuple[Stack, StackLog]) -> Iterator[httpx.Client]:
    stack, _ = fuzz_stack
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def agent(fuzz_stack: tuple[Stack, StackLog]) -> Iterator[httpx.Client]:
    stack, _ = fuzz_stack
    with httpx.Client(base_url=stack.agent_url(), timeout=30) as client:
        yield client
        assert client.get("/ping").status_code == 200  # still alive after all of it


def invoke(agent: httpx.Client, action: str, session_id: str, data: object) -> httpx.Response:
    return agent.post(
        "/invocations", json={"action": action, "session_id": session_id, "data": data}
    )


def test_fuzzed_offers_through_signaling_get_an_answer_or_a_reason(http: httpx.Client) -> None:

    @given(sdp=offers())
    @FUZZ
    def check(sdp: str) -> None:
        session_id = http.post("/api/sessions").json()["session_id"]
        try:
            answer = http.post(
                f"/api/sessions/{session_id}/offer", json={"sdp": sdp, "type": "offer"}
            )
            assert answer.status_code == 200 or answer.status_code in CLIENT_ERRORS, answer.text
            assert answer.json()["detail" if answer.status_code != 200 else "sdp"]
        finally:
            assert http.delete(f"/api/sessions/{session_id}").status_code == 204

    check()


def test_fuzzed_offers_straight_at_the_agent_never_break_it(agent: httpx.Client) -> None:

    @given(sdp=offers())
    @FUZZ
    def check(sdp: str) -> None:
        session_id = secrets.token_urlsafe(32)
        answer = invoke(agent, "offer", session_id, {"sdp": sdp, "type": "offer"})
        closed = invoke(agent, "close", session_id, {})
        assert answer.status_code in (200, 400), answer.text
        assert closed.status_code == 200

    check()


def test_fuzzed_candidates_get_accepted_or_a_reason(
    http: httpx.Client, agent: httpx.Client
) -> None:
    session_id = http.post("/api/sessions").json()["session_id"]
    answered = http.post(
        f"/api/sessions/{session_id}/offer",
        json={"sdp": "\r\n".join(REAL_OFFER) + "\r\n", "type": "offer"},
    )
    assert answered.status_code == 200, answered.text

    @given(candidate=candidates(), mid=st.one_of(st.none(), WORDS), index=st.integers(-5, 5000))
    @FUZZ
    def check(candidate: str, mid: str | None, index: int) -> None:
        body = {"candidate": candidate, "sdpMid": mid, "sdpMLineIndex": index}
        through = http.post(f"/api/sessions/{session_id}/ice", json=body)
        assert through.status_code in {204, 400}, through.text
        direct = invoke(agent, "ice_candidate", session_id, body)
        assert direct.status_code in {200, 400}, direct.text

    check()
    http.delete(f"/api/sessions/{session_id}")
