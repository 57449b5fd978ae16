"""What happens to a session when its media agent dies, seen through the API."""

from __future__ import annotations

import asyncio

import redis

from services.signaling.tests.conftest import AgentFactory, AppClientFactory

CANDIDATE = {"candidate": "candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host", "sdpMid": "0"}


async def test_every_request_of_a_dead_agents_session_is_410_then_the_slot_is_free(
    app_client: AppClientFactory, start_agent: AgentFactory, redis_sync: redis.Redis
) -> None:
    doomed = await start_agent(heartbeat_ttl=0.5, heartbeat_interval=0.1)
    async with app_client(MAX_SESSIONS_PER_CLIENT=1) as client:
        session_id = (await client.post("/api/sessions")).json()["session_id"]
        await doomed.kill()
        await asyncio.sleep(0.7)  # its registration expires
        await start_agent()
        assert (await client.post("/api/sessions")).status_code == 429, "the old session holds it"

        gone = await client.get(f"/api/sessions/{session_id}/ice")
        assert gone.status_code == 410
        assert gone.json()["detail"] == (
            "The media agent of this session has stopped (its heartbeat expired). "
            "Start a new session (POST /api/sessions)."
        )
        assert (
            await client.post(f"/api/sessions/{session_id}/ice", json=CANDIDATE)
        ).status_code == 404
        assert (await client.post("/api/sessions")).status_code == 201, "the slot was freed"
    assert not redis_sync.exists(f"sous:session:{session_id}")


async def test_closing_a_dead_agents_session_still_succeeds(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    doomed = await start_agent()
    async with app_client() as client:
        session_id = (await client.post("/api/sessions")).json()["session_id"]
        await doomed.kill()  # registration still live: the close call itself fails
        closed = await client.delete(f"/api/sessions/{session_id}")
        again = await client.delete(f"/api/sessions/{session_id}")
    assert closed.status_code == 204
    assert again.status_code == 404


async def test_an_agent_that_stopped_answering_is_503_and_the_offer_can_be_retried(
    app_client: AppClientFactory, start_agent: AgentFactory, redis_sync: redis.Redis
) -> None:
    doomed = await start_agent()
    async with app_client() as client:
        session_id = (await client.post("/api/sessions")).json()["session_id"]
        await doomed.kill()
        offer = {"sdp": "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", "type": "offer"}
        refused = await client.post(f"/api/sessions/{session_id}/offer", json=offer)
    assert refused.status_code == 503
    assert "The media agent is not answering" in refused.json()["detail"]
    assert "Start a new session" in refused.json()["detail"]
    assert redis_sync.hget(f"sous:session:{session_id}", "state") == "new"
