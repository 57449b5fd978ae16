"""The agent's registration in Redis: heartbeat, expiry when it dies, deregistration."""

from __future__ import annotations

import asyncio

import httpx
import redis
import redis.asyncio as aioredis
from fastapi import FastAPI
from media_agent_support import connect, eventually

from sous_media_agent.config import Settings
from sous_media_agent.registry import AgentRegistry


def _registry(client: aioredis.Redis, sessions: list[int], ttl: int = 1) -> AgentRegistry:
    return AgentRegistry(
        client,
        agent_id="agent-1",
        url="http://10.0.0.5:8080",
        capacity=3,
        session_count=lambda: sessions[0],
        interval_seconds=0.2,
        ttl_seconds=ttl,
    )


async def test_registers_with_ttl_and_heartbeats(
    redis_client: aioredis.Redis, redis_sync: redis.Redis
) -> None:
    sessions = [0]
    registry = _registry(redis_client, sessions)
    await registry.start()
    try:
        record = redis_sync.hgetall("sous:agent:agent-1")
        assert record["id"] == "agent-1"
        assert record["url"] == "http://10.0.0.5:8080"
        assert record["capacity"] == "3"
        assert record["sessions"] == "0"
        assert record["draining"] == "0"
        assert float(record["updated_at"]) > 0
        assert 0 < redis_sync.pttl("sous:agent:agent-1") <= 1000
        assert redis_sync.smembers("sous:agents") == {"agent-1"}
        await asyncio.sleep(1.5)  # longer than the TTL: only heartbeats keep it alive
        assert redis_sync.exists("sous:agent:agent-1")
        sessions[0] = 2
        registry.notify()
        assert await eventually(lambda: redis_sync.hget("sous:agent:agent-1", "sessions") == "2", 1)
        await registry.set_draining()
        assert redis_sync.hget("sous:agent:agent-1", "draining") == "1"
    finally:
        await registry.stop()
    assert not redis_sync.exists("sous:agent:agent-1")
    assert redis_sync.smembers("sous:agents") == set()


async def test_a_dead_agent_expires(redis_client: aioredis.Redis, redis_sync: redis.Redis) -> None:
    registry = _registry(redis_client, [0])
    await registry.publish()  # registered once, then never heartbeats again (process died)
    assert redis_sync.exists("sous:agent:agent-1")
    assert await eventually(lambda: not redis_sync.exists("sous:agent:agent-1"), within=3)
    # The index keeps the id; signaling prunes members whose hash expired.
    assert redis_sync.smembers("sous:agents") == {"agent-1"}


async def test_heartbeat_survives_a_redis_outage(redis_sync: redis.Redis) -> None:
    unreachable = aioredis.Redis(port=1, socket_connect_timeout=0.2)
    registry = _registry(unreachable, [0])
    registry._task = asyncio.create_task(registry._heartbeat())
    await asyncio.sleep(0.5)  # several failed beats
    assert not registry._task.done()
    await registry.stop()  # logs, does not raise
    await unreachable.aclose()


async def test_app_registers_counts_sessions_and_deregisters(
    settings: Settings, app: FastAPI, http: httpx.AsyncClient, redis_sync: redis.Redis
) -> None:
    key = f"sous:agent:{settings.agent_id}"
    assert redis_sync.hget(key, "url") == "http://127.0.0.1:8080"
    assert redis_sync.hget(key, "capacity") == "2"
    client = await connect(http, "counted-session")
    try:
        assert await eventually(lambda: redis_sync.hget(key, "sessions") == "1", within=2)
    finally:
        await client.close()
    assert await eventually(lambda: redis_sync.hget(key, "sessions") == "0", within=15)
