"""The real process: `python -m sous_media_agent` registers, echoes audio, drains on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import redis
from media_agent_support import ClientPeer, connect, eventually, free_port

DRAIN_SECONDS = 4


@dataclass
class AgentProcess:
    process: subprocess.Popen[bytes]
    url: str
    agent_id: str


@pytest.fixture
async def agent(redis_url: str, redis_sync: redis.Redis) -> AsyncIterator[AgentProcess]:
    port = free_port()
    agent_id = f"proc-{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "REDIS_URL": redis_url,
        "PORT": str(port),
        "MODEL": "echo",
        "AGENT_ID": agent_id,
        "DRAIN_TIMEOUT_SECONDS": str(DRAIN_SECONDS),
        "HEARTBEAT_INTERVAL_SECONDS": "0.5",
        "HEARTBEAT_TTL_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "sous_media_agent"], env=env)  # noqa: ASYNC220
    url = f"http://127.0.0.1:{port}"

    def registered() -> bool:
        return bool(redis_sync.exists(f"sous:agent:{agent_id}"))

    try:
        assert await eventually(registered, within=60), "the agent never registered"
        yield AgentProcess(process, url, agent_id)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


async def test_registers_only_when_ready_and_echoes_audio(
    agent: AgentProcess, redis_sync: redis.Redis
) -> None:
    async with httpx.AsyncClient(base_url=agent.url) as http:
        assert (await http.get("/ping")).json() == {"status": "Healthy"}
        assert redis_sync.hget(f"sous:agent:{agent.agent_id}", "url") == agent.url
        client = await connect(http, "echo-session")
        try:
            since = time.monotonic()
            assert await eventually(lambda: client.loud_since(since) >= 25), "no audio came back"
            assert (await http.get("/ping")).json() == {"status": "HealthyBusy"}
        finally:
            await client.close()


async def test_sigterm_drains_sessions_then_deregisters(
    agent: AgentProcess, redis_sync: redis.Redis
) -> None:
    key = f"sous:agent:{agent.agent_id}"
    async with httpx.AsyncClient(base_url=agent.url) as http:
        staying = await connect(http, "staying")
    try:
        agent.process.send_signal(signal.SIGTERM)
        assert await eventually(lambda: redis_sync.hget(key, "draining") == "1", within=5)
        event = await staying.wait_for_event(lambda e: e["type"] == "session", within=5)
        assert event == {
            "v": 1,
            "type": "session",
            "value": "reconnect",
            "reason": "agent is shutting down",
        }
        signalled = time.monotonic()
        # The browser stays: the agent waits for it up to DRAIN_TIMEOUT_SECONDS, then closes.
        code = await asyncio.to_thread(agent.process.wait, DRAIN_SECONDS + 10)
        waited = time.monotonic() - signalled
        assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after shutdown
        assert DRAIN_SECONDS - 1.5 <= waited <= DRAIN_SECONDS + 5
        assert not redis_sync.exists(key)
        assert agent.agent_id not in redis_sync.smembers("sous:agents")
    finally:
        await staying.close()


async def test_sigterm_exits_early_once_browsers_have_left(
    agent: AgentProcess, redis_sync: redis.Redis
) -> None:
    async with httpx.AsyncClient(base_url=agent.url) as http:
        client = await connect(http, "leaving")
    agent.process.send_signal(signal.SIGTERM)
    await client.wait_for_event(lambda e: e["type"] == "session", within=5)
    signalled = time.monotonic()
    await client.close()  # the browser starts a new session elsewhere
    code = await asyncio.to_thread(agent.process.wait, DRAIN_SECONDS + 10)
    assert code in (0, -signal.SIGTERM)
    assert time.monotonic() - signalled < DRAIN_SECONDS - 1
    assert not redis_sync.exists(f"sous:agent:{agent.agent_id}")


async def test_new_sessions_are_refused_while_draining(agent: AgentProcess) -> None:
    async with httpx.AsyncClient(base_url=agent.url) as http:
        staying = await connect(http, "staying")
        agent.process.send_signal(signal.SIGTERM)
        await staying.wait_for_event(lambda e: e["type"] == "session", within=5)
        other = ClientPeer()
        try:
            response = await http.post(
                "/invocations",
                json={"action": "offer", "session_id": "late", "data": await other.offer()},
            )
            # Uvicorn stops accepting requests on SIGTERM; a request that gets through is 503.
            assert response.status_code == 503
        except httpx.TransportError:
            pass
        finally:
            await other.close()
            await staying.close()
