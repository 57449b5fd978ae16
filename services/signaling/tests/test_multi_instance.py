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
    assert agent.remote_candidates[negotiated.session_id][-1] == ""
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
