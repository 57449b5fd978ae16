"""The session API over HTTP: the whole negotiation with a real aiortc peer, and every bad input."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
import redis

from services.signaling.tests.conftest import AgentFactory, AppClientFactory
from services.signaling.tests.webrtc_client import BrowserPeer, connect_through

HOST_CANDIDATE = "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"


@pytest.fixture
async def offer_sdp() -> AsyncIterator[str]:
    """A real aiortc offer (audio + data channel), candidates stripped."""
    peer = BrowserPeer()
    sdp, _ = await peer.trickle_offer()
    yield sdp
    await peer.close()


async def create_session(client: httpx.AsyncClient) -> str:
    created = await client.post("/api/sessions")
    assert created.status_code == 201, created.text
    return str(created.json()["session_id"])


async def test_a_browser_peer_connects_through_trickle_ice_and_talks_to_the_agent(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    agent = await start_agent()
    peer = BrowserPeer()
    async with app_client() as client:
        negotiated = await connect_through(client, client, peer)
        await peer.wait_connected()
        assert await peer.echo("hello") == "echo:hello"
        # Queued and forwarded candidates reach the agent in the order the client sent them.
        sent = [c["candidate"] for c in negotiated.client_candidates] + [""]
        await agent.wait_until(lambda: len(agent.delivered(negotiated.session_id)) == len(sent))
        assert agent.delivered(negotiated.session_id) == sent
        assert negotiated.agent_candidates, "the agent's candidates come from its answer"

        closed = await client.delete(f"/api/sessions/{negotiated.session_id}")
        assert closed.status_code == 204
        gone = await client.get(f"/api/sessions/{negotiated.session_id}/ice")
        assert gone.status_code == 404
    assert negotiated.session_id not in agent.peers
    assert agent.actions(negotiated.session_id)[-1] == "close"
    await peer.close()


async def test_create_returns_the_agents_ice_servers_and_the_expiry(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    turn = {"urls": ["turn:turn.example.org:3478"], "username": "u", "credential": "c"}
    await start_agent(ice_servers=[turn])
    async with app_client(SESSION_TTL_SECONDS=120) as client:
        before = time.time()
        created = await client.post("/api/sessions")
    assert created.status_code == 201
    body = created.json()
    assert len(body["session_id"]) == 43  # secrets.token_urlsafe(32); AgentCore needs >= 33
    assert body["ice_servers"] == [turn]
    expires = datetime.fromisoformat(body["expires_at"]).timestamp()
    assert before + 119 <= expires <= time.time() + 121


async def test_candidates_wait_in_redis_until_the_answer_then_go_straight_to_the_agent(
    app_client: AppClientFactory,
    start_agent: AgentFactory,
    redis_sync: redis.Redis,
    offer_sdp: str,
) -> None:
    agent = await start_agent()
    async with app_client() as client:
        session_id = await create_session(client)
        early = {"candidate": HOST_CANDIDATE, "sdpMid": "0", "sdpMLineIndex": 0}
        assert (await client.post(f"/api/sessions/{session_id}/ice", json=early)).status_code == 204
        assert "ice_candidate" not in agent.actions(session_id)
        assert redis_sync.llen(f"sous:session:{session_id}:ice:client") == 1
        assert (await client.get(f"/api/sessions/{session_id}/ice")).json() == {
            "candidates": [],
            "complete": False,
        }

        agent.candidates_flow.clear()  # the agent takes its time over candidates
        offer = {"sdp": offer_sdp, "type": "offer"}
        answered = await client.post(f"/api/sessions/{session_id}/offer", json=offer)
        assert answered.status_code == 200, "the answer does not wait for queued candidates"
        assert agent.delivered(session_id) == []
        agent.candidates_flow.set()
        await agent.wait_until(lambda: agent.delivered(session_id) == [HOST_CANDIDATE])
        assert agent.actions(session_id) == ["ice_servers", "offer", "ice_candidate"]
        assert redis_sync.llen(f"sous:session:{session_id}:ice:client") == 0
        # The deliverer gives up its lease once it finds the queue empty.
        delivery = f"sous:session:{session_id}:ice:delivery"
        for _ in range(500):
            if not redis_sync.exists(delivery):
                break
            await asyncio.sleep(0.01)
        assert not redis_sync.exists(delivery), "the delivery lease was never given up"

        late = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
        assert (await client.post(f"/api/sessions/{session_id}/ice", json=late)).status_code == 204
        assert agent.delivered(session_id) == [HOST_CANDIDATE, ""], "sent before the 204"
        assert not redis_sync.exists(delivery)
        listed = (await client.get(f"/api/sessions/{session_id}/ice")).json()
    assert listed["complete"] is True
    assert listed["candidates"] and all(
        c["candidate"].startswith("candidate:") and c["sdpMid"] is not None
        for c in listed["candidates"]
    )


async def test_shutdown_lets_queued_candidates_reach_the_agent(
    app_client: AppClientFactory, start_agent: AgentFactory, offer_sdp: str
) -> None:
    agent = await start_agent()
    queued = [HOST_CANDIDATE, ""]
    async with app_client() as client:
        session_id = await create_session(client)
        for candidate in queued:
            body = {"candidate": candidate, "sdpMid": "0", "sdpMLineIndex": 0}
            assert (
                await client.post(f"/api/sessions/{session_id}/ice", json=body)
            ).status_code == 204
        agent.candidates_flow.clear()
        offer = {"sdp": offer_sdp, "type": "offer"}
        assert (
            await client.post(f"/api/sessions/{session_id}/offer", json=offer)
        ).status_code == 200
        await agent.wait_until(lambda: agent.candidates_arrived(session_id) == 1)
        # Signaling stops now, with the first candidate still at the (slow) agent.
        asyncio.get_running_loop().call_later(0.2, agent.candidates_flow.set)
    assert agent.delivered(session_id) == queued


async def test_a_second_offer_is_refused(
    app_client: AppClientFactory, start_agent: AgentFactory, offer_sdp: str
) -> None:
    await start_agent()
    async with app_client() as client:
        session_id = await create_session(client)
        offer = {"sdp": offer_sdp, "type": "offer"}
        assert (
            await client.post(f"/api/sessions/{session_id}/offer", json=offer)
        ).status_code == 200
        again = await client.post(f"/api/sessions/{session_id}/offer", json=offer)
    assert again.status_code == 409
    assert "already has an offer" in again.json()["detail"]


async def test_an_offer_the_agent_cannot_take_can_be_retried(
    app_client: AppClientFactory, start_agent: AgentFactory, offer_sdp: str
) -> None:
    agent = await start_agent()
    async with app_client() as client:
        session_id = await create_session(client)
        agent.draining = True
        offer = {"sdp": offer_sdp, "type": "offer"}
        refused = await client.post(f"/api/sessions/{session_id}/offer", json=offer)
        assert refused.status_code == 503
        assert "Start a new session" in refused.json()["detail"]
        agent.draining = False
        retried = await client.post(f"/api/sessions/{session_id}/offer", json=offer)
    assert retried.status_code == 200
    assert retried.json()["type"] == "answer"


async def test_no_live_agent_is_503_with_a_message(app_client: AppClientFactory) -> None:
    async with app_client() as client:
        created = await client.post("/api/sessions")
    assert created.status_code == 503
    assert "No media agent is available" in created.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/offer", {"sdp": "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", "type": "offer"}),
        ("POST", "/ice", {"candidate": HOST_CANDIDATE, "sdpMid": "0"}),
        ("GET", "/ice", None),
        ("DELETE", "", None),
    ],
)
@pytest.mark.parametrize("session_id", ["x" * 43, "not-a-session"])
async def test_unknown_sessions_are_404(
    app_client: AppClientFactory, method: str, path: str, body: object, session_id: str
) -> None:
    async with app_client() as client:
        response = await client.request(method, f"/api/sessions/{session_id}{path}", json=body)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Unknown or expired session")


async def test_an_idle_session_expires(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    await start_agent()
    async with app_client(SESSION_TTL_SECONDS=1) as client:
        session_id = await create_session(client)
        assert (await client.get(f"/api/sessions/{session_id}/ice")).status_code == 200
        await asyncio.sleep(1.3)
        expired = await client.get(f"/api/sessions/{session_id}/ice")
    assert expired.status_code == 404


async def test_activity_renews_the_session_ttl(
    app_client: AppClientFactory, start_agent: AgentFactory, redis_sync: redis.Redis
) -> None:
    await start_agent()
    async with app_client(SESSION_TTL_SECONDS=600) as client:
        session_id = await create_session(client)
        redis_sync.expire(f"sous:session:{session_id}", 5)  # as if it sat idle for 595 s
        candidate = {"candidate": HOST_CANDIDATE, "sdpMid": "0"}
        assert (
            await client.post(f"/api/sessions/{session_id}/ice", json=candidate)
        ).status_code == 204
    assert redis_sync.ttl(f"sous:session:{session_id}") > 590
    assert redis_sync.ttl(f"sous:session:{session_id}:ice:client") > 590


BAD_OFFERS = [
    pytest.param({"type": "answer"}, "Expected an SDP offer", id="type-answer"),
    pytest.param({"sdp": "hello there"}, "first line must be 'v=0'", id="not-sdp"),
    pytest.param({"sdp": ""}, "first line must be 'v=0'", id="empty"),
    pytest.param(
        {"sdp": "v=0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"},
        "no audio m-line",
        id="no-audio",
    ),
    pytest.param({"sdp": "v=0\r\nthis is not sdp\r\n"}, "Line 2", id="junk-line"),
    pytest.param({"sdp": 5}, "sdp: Input should be a valid string", id="sdp-not-a-string"),
    pytest.param({"type": None}, "type: Input should be a valid string", id="type-missing"),
]


@pytest.mark.parametrize(("change", "message"), BAD_OFFERS)
async def test_bad_offers_are_400_with_a_message(
    app_client: AppClientFactory,
    start_agent: AgentFactory,
    offer_sdp: str,
    change: dict[str, str],
    message: str,
) -> None:
    agent = await start_agent()
    async with app_client() as client:
        session_id = await create_session(client)
        body = {"sdp": offer_sdp, "type": "offer", **change}
        response = await client.post(f"/api/sessions/{session_id}/offer", json=body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert "offer" not in agent.actions(session_id), "bad SDP never reaches the agent"


async def test_a_malformed_candidate_inside_the_offer_is_400(
    app_client: AppClientFactory, start_agent: AgentFactory, offer_sdp: str
) -> None:
    await start_agent()
    bad = offer_sdp.replace(
        "a=mid:0\r\n", "a=mid:0\r\na=candidate:1 1 udp 5 127.0.0.1 99999 typ host\r\n"
    )
    async with app_client() as client:
        session_id = await create_session(client)
        response = await client.post(
            f"/api/sessions/{session_id}/offer", json={"sdp": bad, "type": "offer"}
        )
    assert response.status_code == 400
    assert "Malformed ICE candidate" in response.json()["detail"]
    assert "port 99999 is out of range" in response.json()["detail"]


async def test_an_oversized_sdp_is_413(
    app_client: AppClientFactory, start_agent: AgentFactory, offer_sdp: str
) -> None:
    await start_agent()
    padded = offer_sdp + "a=x-padding:" + "p" * 5000 + "\r\n"
    async with app_client(MAX_SDP_BYTES=4096) as client:
        session_id = await create_session(client)
        response = await client.post(
            f"/api/sessions/{session_id}/offer", json={"sdp": padded, "type": "offer"}
        )
    assert response.status_code == 413
    assert "the limit is 4096 bytes" in response.json()["detail"]


BAD_CANDIDATES = [
    pytest.param(
        {"candidate": "1 1 udp 5 127.0.0.1 4000 typ host", "sdpMid": "0"},
        "must start with 'candidate:'",
        id="no-prefix",
    ),
    pytest.param({"candidate": "candidate:garbage", "sdpMid": "0"}, "cannot parse", id="garbage"),
    pytest.param(
        {"candidate": "candidate:1 1 udp 5 127.0.0.1 4000 typ bogus", "sdpMid": "0"},
        "typ host|srflx|prflx|relay",
        id="bad-type",
    ),
    pytest.param(
        {"candidate": "candidate:1 1 sctp 5 127.0.0.1 4000 typ host", "sdpMid": "0"},
        "transport must be udp or tcp",
        id="bad-transport",
    ),
    pytest.param(
        {"candidate": "candidate:1 1 udp 5 not_a_host! 4000 typ host", "sdpMid": "0"},
        "neither an IP address nor a host name",
        id="bad-address",
    ),
    pytest.param({"candidate": HOST_CANDIDATE}, "needs sdpMid or sdpMLineIndex", id="no-mline"),
    pytest.param(
        {"candidate": HOST_CANDIDATE, "sdpMLineIndex": -1}, "sdpMLineIndex", id="negative-index"
    ),
    pytest.param({"sdpMid": "0"}, "candidate: Field required", id="missing"),
]


@pytest.mark.parametrize(("body", "message"), BAD_CANDIDATES)
async def test_malformed_candidates_are_400_with_a_message(
    app_client: AppClientFactory, start_agent: AgentFactory, body: dict[str, object], message: str
) -> None:
    await start_agent()
    async with app_client() as client:
        session_id = await create_session(client)
        response = await client.post(f"/api/sessions/{session_id}/ice", json=body)
    assert response.status_code == 400
    assert message in response.json()["detail"]


JUNK_BODIES = [
    pytest.param(b"{not json", "not valid JSON", id="invalid-json"),
    pytest.param(b"[1, 2, 3]", "must be a JSON object", id="array"),
    pytest.param(b'"v=0"', "must be a JSON object", id="string"),
    pytest.param(b"\xff\xfe\x00garbage", "not valid JSON", id="binary"),
]


@pytest.mark.parametrize(("raw", "message"), JUNK_BODIES)
async def test_junk_bodies_are_400_never_5xx(
    app_client: AppClientFactory, start_agent: AgentFactory, raw: bytes, message: str
) -> None:
    await start_agent()
    async with app_client() as client:
        session_id = await create_session(client)
        for path in ("offer", "ice"):
            response = await client.post(
                f"/api/sessions/{session_id}/{path}",
                content=raw,
                headers={"content-type": "application/json"},
            )
            assert response.status_code == 400, (path, response.text)
            assert message in response.json()["detail"]
