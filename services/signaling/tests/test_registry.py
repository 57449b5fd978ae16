"""Local routing: placement over the Redis agent registry, and HTTP to the agents' /invocations."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
import redis
import redis.asyncio as aioredis
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from services.signaling.tests.conftest import AgentFactory
from services.signaling.tests.local_server import start_local_server
from sous_signaling.errors import AgentFailed, BadRequest, ServiceUnavailable, SessionGone
from sous_signaling.routing.base import Action
from sous_signaling.routing.registry import RegistryRouter

SID = "r" * 43
QUIET = {"heartbeat_interval": 30.0, "heartbeat_ttl": 60.0}  # no heartbeat mid-test


@pytest.fixture
async def router(redis_client: aioredis.Redis) -> AsyncIterator[RegistryRouter]:
    router = RegistryRouter(redis_client, httpx.AsyncClient(timeout=10), attempts=3)
    yield router
    await router.aclose()


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _register(redis_sync: redis.Redis, agent_id: str, url: str, capacity: int = 100) -> None:
    redis_sync.hset(
        f"sous:agent:{agent_id}",
        mapping={
            "id": agent_id,
            "url": url,
            "capacity": capacity,
            "sessions": 0,
            "draining": 0,
            "updated_at": "1",
        },
    )
    redis_sync.expire(f"sous:agent:{agent_id}", 60)
    redis_sync.sadd("sous:agents", agent_id)


async def test_sessions_fill_agents_by_free_capacity(
    router: RegistryRouter, start_agent: AgentFactory
) -> None:
    small, large = await start_agent(capacity=2, **QUIET), await start_agent(capacity=3, **QUIET)
    placed = Counter([(await router.place(f"{SID}{n}")).agent_id for n in range(5)])
    assert placed == {small.agent_id: 2, large.agent_id: 3}
    with pytest.raises(ServiceUnavailable, match="No media agent is available"):
        await router.place(SID)


async def test_the_agent_reported_sessions_count_against_capacity(
    router: RegistryRouter, start_agent: AgentFactory, redis_sync: redis.Redis
) -> None:
    busy, idle = await start_agent(capacity=4, **QUIET), await start_agent(capacity=2, **QUIET)
    redis_sync.hset(f"sous:agent:{busy.agent_id}", mapping={"sessions": 3, "updated_at": "2"})
    assert (await router.place(SID)).agent_id == idle.agent_id


async def test_draining_agents_get_no_sessions(
    router: RegistryRouter, start_agent: AgentFactory
) -> None:
    await start_agent(capacity=50, draining=True)
    open_agent = await start_agent(capacity=1)
    assert (await router.place(SID)).agent_id == open_agent.agent_id


async def test_ids_of_expired_agents_are_pruned(
    router: RegistryRouter, start_agent: AgentFactory, redis_sync: redis.Redis
) -> None:
    agent = await start_agent()
    redis_sync.sadd("sous:agents", "ghost")  # its hash expired long ago
    assert (await router.place(SID)).agent_id == agent.agent_id
    assert redis_sync.smembers("sous:agents") == {agent.agent_id}


async def test_an_unreachable_agent_is_skipped(
    router: RegistryRouter, start_agent: AgentFactory, redis_sync: redis.Redis
) -> None:
    agent = await start_agent(capacity=1)
    _register(redis_sync, "crashed", _closed_port_url(), capacity=1000)
    placement = await router.place(SID)
    assert placement.agent_id == agent.agent_id
    assert agent.actions(SID) == ["ice_servers"]


async def test_placement_gives_up_after_its_attempts(
    redis_client: aioredis.Redis, redis_sync: redis.Redis
) -> None:
    for n in range(3):
        _register(redis_sync, f"crashed-{n}", _closed_port_url())
    router = RegistryRouter(redis_client, httpx.AsyncClient(timeout=10), attempts=2)
    with pytest.raises(
        ServiceUnavailable, match=r"No media agent could take the session \(2 tried\)"
    ):
        await router.place(SID)
    await router.aclose()


async def test_a_dead_agents_session_is_gone(router: RegistryRouter) -> None:
    with pytest.raises(SessionGone, match="heartbeat expired") as gone:
        await router.invoke("long-dead", SID, Action.CLOSE, {})
    assert gone.value.status_code == 410
    assert "Start a new session" in gone.value.detail


async def test_a_registered_but_silent_agent_is_503(
    router: RegistryRouter, redis_sync: redis.Redis
) -> None:
    _register(redis_sync, "hung", _closed_port_url())
    with pytest.raises(ServiceUnavailable, match="not answering"):
        await router.invoke("hung", SID, Action.CLOSE, {})


async def test_agent_errors_map_to_client_errors(
    router: RegistryRouter, start_agent: AgentFactory
) -> None:
    agent = await start_agent(capacity=1)
    placement = await router.place(SID)
    with pytest.raises(BadRequest, match="data must be an SDP offer with audio"):
        await router.invoke(agent.agent_id, SID, Action.OFFER, {"sdp": "v=0", "type": "offer"})
    with pytest.raises(SessionGone, match="no longer holds this session"):
        await router.invoke(placement.agent_id, SID, Action.ICE_CANDIDATE, {"candidate": ""})
    agent.draining = True
    with pytest.raises(ServiceUnavailable, match="at capacity or shutting down"):
        await router.invoke(placement.agent_id, SID, Action.ICE_SERVERS, {})


@pytest.fixture
async def broken_agent_url() -> AsyncIterator[str]:
    """An "agent" that answers every invocation with a plain-text 500."""
    broken = FastAPI()

    @broken.post("/invocations")
    async def crash() -> PlainTextResponse:
        return PlainTextResponse("Internal Server Error", status_code=500)

    server = await start_local_server(broken, lifespan="off")
    yield server.url
    await server.stop()


async def test_an_agent_breaking_the_contract_is_502(
    router: RegistryRouter, redis_sync: redis.Redis, broken_agent_url: str
) -> None:
    _register(redis_sync, "broken", broken_agent_url)
    with pytest.raises(AgentFailed, match="answered HTTP 500: Internal Server Error") as failed:
        await router.invoke("broken", SID, Action.CLOSE, {})
    assert failed.value.status_code == 502


async def test_a_broken_agent_is_skipped_when_placing(
    router: RegistryRouter,
    start_agent: AgentFactory,
    redis_sync: redis.Redis,
    broken_agent_url: str,
) -> None:
    _register(redis_sync, "broken", broken_agent_url, capacity=1000)
    agent = await start_agent(capacity=1)
    assert (await router.place(SID)).agent_id == agent.agent_id
