"""Signaling is stateless: real `sous-signaling` processes share sessions through Redis alone.

Two signaling servers run as separate processes (uvicorn on 127.0.0.1); media-agent doubles run
real aiortc peers and heartbeat in Redis like the real agent.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import redis

from services.signaling.tests.agent_double import AgentDouble
from services.signaling.tests.conftest import AgentFactory
from services.signaling.tests.webrtc_client import BrowserPeer, connect_through


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_signaling(redis_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "REDIS_URL": redis_url,
        "MAX_SESSIONS_PER_CLIENT": "100",
        "FRONTEND_DIR": "/nonexistent",
    }
    proc = subprocess.Popen([sys.executable, "-m", "sous_signaling"], env=env)
    return proc, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def signaling_urls(redis_url: str) -> Iterator[tuple[str, str]]:
    """Two signaling processes, A and B, on the test Redis database."""
    started = [_start_signaling(redis_url) for _ in range(2)]
    try:
        for proc, url in started:
            for _ in range(200):
                assert proc.poll() is None, "sous-signaling exited at startup"
                try:
                    if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                subprocess.run(["sleep", "0.05"], check=True)
            else:
                pytest.fail(f"sous-signaling at {url} did not start")
        yield started[0][1], started[1][1]
    finally:
        for proc, _ in started:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
async def instances(
    signaling_urls: tuple[str, str], redis_sync: redis.Redis
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    url_a, url_b = signaling_urls
    async with (
        httpx.AsyncClient(base_url=url_a, timeout=30) as a,
        httpx.AsyncClient(base_url=url_b, timeout=30) as b,
    ):
        yield a, b


def _placed_on(agents: list[AgentDouble], session_id: str) -> str:
    for agent in agents:
        if agent.actions(session_id):
            return agent.agent_id
    raise AssertionError(f"no agent saw session {session_id}")


async def test_created_on_a_negotiated_through_b_connects(
    instances: tuple[httpx.AsyncClient, httpx.AsyncClient], start_agent: AgentFactory
) -> None:
    a, b = instances
    agent = await start_agent()
    peer = BrowserPeer()
    negotiated = await connect_through(a, b, peer)
    await peer.wait_connected()
    assert await peer.echo("from B") == "echo:from B"
    expected = len(negotiated.client_candidates) + 1
    await agent.wait_until(lambda: len(agent.delivered(negotiated.session_id)) == expected)
    assert agent.delivered(negotiated.session_id)[-1] == ""
    assert (await a.delete(f"/api/sessions/{negotiated.session_id}")).status_code == 204
    assert negotiated.session_id not in agent.peers
    await peer.close()


async def test_two_agents_share_a_burst_of_sessions(
    instances: tuple[httpx.AsyncClient, httpx.AsyncClient], start_agent: AgentFactory
) -> None:
    a, b = instances
    quiet = {"heartbeat_interval": 30.0, "heartbeat_ttl": 60.0}  # no heartbeat mid-burst
    first, second = await start_agent(capacity=4, **quiet), await start_agent(capacity=4, **quiet)
    created = await asyncio.gather(*(client.post("/api/sessions") for client in (a, b) * 4))
    assert [response.status_code for response in created] == [201] * 8
    placements = Counter(
        _placed_on([first, second], response.json()["session_id"]) for response in created
    )
    assert placements == {first.agent_id: 4, second.agent_id: 4}
    full = await a.post("/api/sessions")
    assert full.status_code == 503
    assert "No media agent is available" in full.json()["detail"]


async def test_a_killed_agent_gets_no_new_sessions_and_its_sessions_are_gone(
    instances: tuple[httpx.AsyncClient, httpx.AsyncClient],
    start_agent: AgentFactory,
    redis_sync: redis.Redis,
) -> None:
    a, b = instances
    doomed = await start_agent(capacity=50, heartbeat_ttl=1.0)  # most room: gets sessions
    survivor = await start_agent(capacity=20, heartbeat_ttl=1.0)
    peer = BrowserPeer()
    negotiated = await connect_through(a, b, peer)
    await peer.wait_connected()
    assert negotiated.session_id in doomed.peers

    await doomed.kill()
    # Right away (its registration not yet expired) and after: every new session lands on the
    # survivor; the dead agent is tried at most once per create and skipped.
    for _ in range(6):
        created = await b.post("/api/sessions")
        assert created.status_code == 201, created.text
        assert _placed_on([survivor], created.json()["session_id"]) == survivor.agent_id

    await asyncio.sleep(1.2)  # past the heartbeat TTL
    assert not redis_sync.exists(f"sous:agent:{doomed.agent_id}")
    late = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
    gone = await a.post(f"/api/sessions/{negotiated.session_id}/ice", json=late)
    assert gone.status_code == 410
    assert "Start a new session" in gone.json()["detail"]
    assert (await b.get(f"/api/sessions/{negotiated.session_id}/ice")).status_code == 404
    created = await a.post("/api/sessions")
    assert created.status_code == 201
    assert doomed.agent_id not in redis_sync.smembers("sous:agents")
    await peer.close()


async def test_end_of_candidates_never_overtakes_queued_candidates(
    instances: tuple[httpx.AsyncClient, httpx.AsyncClient], start_agent: AgentFactory
) -> None:
    """The client's "" posted to A while B still delivers the queued candidates to a slow agent
    must reach the agent last: aiortc ignores candidates that come after end-of-candidates."""
    a, b = instances
    agent = await start_agent()
    peer = BrowserPeer()
    session_id = (await a.post("/api/sessions")).json()["session_id"]
    offer_sdp, candidates = await peer.trickle_offer()
    # A candidate nothing answers (as a browser's unroutable ones), then the client's real one.
    unreachable = f"candidate:9 1 udp 2130706431 127.0.0.1 {_free_port()} typ host"
    queued = [{"candidate": unreachable, "sdpMid": "0", "sdpMLineIndex": 0}, *candidates]
    for candidate in queued:
        assert (await a.post(f"/api/sessions/{session_id}/ice", json=candidate)).status_code == 204

    agent.candidates_flow.clear()
    offer = asyncio.create_task(
        b.post(f"/api/sessions/{session_id}/offer", json={"sdp": offer_sdp, "type": "offer"})
    )
    await agent.wait_until(lambda: agent.candidates_arrived(session_id) == 1)  # B delivers
    end = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
    ended = asyncio.create_task(a.post(f"/api/sessions/{session_id}/ice", json=end))
    overtook = asyncio.create_task(
        agent.wait_until(lambda: agent.candidates_arrived(session_id) == 2)
    )
    await asyncio.wait([ended, overtook], return_when=asyncio.FIRST_COMPLETED)
    overtook.cancel()
    agent.candidates_flow.set()

    answer, end_posted = await offer, await ended
    assert (answer.status_code, end_posted.status_code) == (200, 204)
    sent = [candidate["candidate"] for candidate in queued] + [""]
    await agent.wait_until(lambda: len(agent.delivered(session_id)) == len(sent))
    assert agent.delivered(session_id) == sent
    agent_side = (await a.get(f"/api/sessions/{session_id}/ice")).json()["candidates"]
    await peer.accept_answer(answer.json()["sdp"], agent_side)
    await peer.wait_connected()
    assert await peer.echo("in order") == "echo:in order"
    await peer.close()
