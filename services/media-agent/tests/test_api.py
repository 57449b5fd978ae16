"""`/ping` and `/invocations`: the contract of docs/architecture.md, including every error."""

from __future__ import annotations

import json

import httpx
from fastapi import FastAPI
from media_agent_support import ClientPeer, connect, invoke

SESSION = "a" * 43


async def test_ping_is_healthy_without_sessions(http: httpx.AsyncClient) -> None:
    response = await http.get("/ping")
    assert response.status_code == 200
    assert response.json() == {"status": "Healthy"}


async def test_ice_servers_are_empty_on_loopback(http: httpx.AsyncClient) -> None:
    response = await invoke(http, "ice_servers", SESSION)
    assert response.status_code == 200
    assert response.json() == {"ice_servers": []}


async def test_offer_returns_an_answer_with_candidates(http: httpx.AsyncClient) -> None:
    client = ClientPeer()
    try:
        response = await invoke(http, "offer", SESSION, await client.offer())
        assert response.status_code == 200
        answer = response.json()
        assert answer["type"] == "answer"
        assert answer["sdp"].startswith("v=0")
        assert "a=candidate:" in answer["sdp"]
        assert "m=audio" in answer["sdp"]
    finally:
        await client.close()


async def test_second_offer_for_a_session_is_refused(http: httpx.AsyncClient) -> None:
    client = await connect(http, SESSION)
    other = ClientPeer()
    try:
        response = await invoke(http, "offer", SESSION, await other.offer())
        assert response.status_code == 409
        assert "new session" in response.json()["detail"]
    finally:
        await client.close()
        await other.close()


async def test_trickled_candidates_are_accepted(http: httpx.AsyncClient) -> None:
    client = await connect(http, SESSION)
    try:
        candidate = {
            "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 54400 typ host",
            "sdpMid": "0",
            "sdpMLineIndex": 0,
        }
        assert (await invoke(http, "ice_candidate", SESSION, candidate)).json() == {"status": "ok"}
        end = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
        assert (await invoke(http, "ice_candidate", SESSION, end)).json() == {"status": "ok"}
    finally:
        await client.close()


def _offer_body(sdp: str) -> bytes:
    invocation = {"action": "offer", "session_id": "x", "data": {"sdp": sdp, "type": "offer"}}
    return json.dumps(invocation).encode()


async def test_bad_invocations_get_400_with_a_reason(http: httpx.AsyncClient) -> None:
    cases = [
        (b"not json", "JSON object"),
        (b"[1, 2]", "JSON object"),
        (b'{"action": "dance", "session_id": "x"}', "Unknown action 'dance'"),
        (b'{"action": "offer"}', "session_id: Field required"),
        (b'{"action": "offer", "session_id": "x", "data": {}}', "data.sdp: Field required"),
        (
            b'{"action": "offer", "session_id": "x", "data": {"sdp": "v=0", "type": "answer"}}',
            "data.type",
        ),
        (_offer_body("v=0\r\n"), "no audio"),
        (_offer_body("m=audio junk"), "could not be used"),
    ]
    for body, reason in cases:
        response = await http.post(
            "/invocations", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, (body, response.text)
        assert reason in response.json()["detail"], (body, response.json())


async def test_bad_candidates_get_400(http: httpx.AsyncClient) -> None:
    client = await connect(http, SESSION)
    try:
        for data, reason in [
            ({"candidate": "candidate:garbage", "sdpMid": "0"}, "SDP grammar"),
            ({"candidate": "candidate:1 1 udp x 1.2.3.4 5 typ host", "sdpMid": "0"}, "bad number"),
            ({"candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ host"}, "sdpMid or sdpMLineIndex"),
            ({"sdpMid": "0"}, "data.candidate: Field required"),
        ]:
            response = await invoke(http, "ice_candidate", SESSION, data)
            assert response.status_code == 400, data
            assert reason in response.json()["detail"], response.json()
    finally:
        await client.close()


async def test_candidate_for_an_unknown_session_is_404(http: httpx.AsyncClient) -> None:
    data = {"candidate": "candidate:1 1 udp 1 127.0.0.1 5 typ host", "sdpMid": "0"}
    response = await invoke(http, "ice_candidate", "nobody", data)
    assert response.status_code == 404
    assert "start a new session" in response.json()["detail"]


async def test_close_is_idempotent(http: httpx.AsyncClient) -> None:
    for _ in range(2):
        response = await invoke(http, "close", "never-opened")
        assert response.status_code == 200
        assert response.json() == {"status": "closed"}


async def test_oversized_bodies_are_refused(http: httpx.AsyncClient) -> None:
    body = b'{"action": "offer", "session_id": "x", "data": {"sdp": "' + b"a" * 70_000 + b'"}}'
    response = await http.post("/invocations", content=body)
    assert response.status_code == 413
    assert "65536 bytes" in response.json()["detail"]


async def test_full_agent_answers_503(app: FastAPI, http: httpx.AsyncClient) -> None:
    clients = [await connect(http, f"session-{n}") for n in range(2)]  # capacity is 2
    extra = ClientPeer()
    try:
        response = await invoke(http, "offer", "session-3", await extra.offer())
        assert response.status_code == 503
        assert "capacity (2 sessions)" in response.json()["detail"]
        assert (await invoke(http, "ice_servers", "session-3")).status_code == 503
        assert (await http.get("/ping")).json() == {"status": "HealthyBusy"}
    finally:
        for client in [*clients, extra]:
            await client.close()


async def test_draining_agent_answers_503(app: FastAPI, http: httpx.AsyncClient) -> None:
    app.state.sessions.draining = True
    client = ClientPeer()
    try:
        response = await invoke(http, "offer", SESSION, await client.offer())
        assert response.status_code == 503
        assert "shutting down" in response.json()["detail"]
    finally:
        await client.close()
