"""Per-client limits, shared by every instance through Redis: request rate and open sessions."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from services.signaling.tests.conftest import AgentFactory, AppClientFactory
from sous_signaling.errors import TooManyRequests
from sous_signaling.ratelimit import ClientSessionSlots, RequestRateLimiter


async def test_requests_over_the_rate_are_refused_per_client(redis_client: aioredis.Redis) -> None:
    limiter = RequestRateLimiter(redis_client, limit=3, window_seconds=60)
    for _ in range(3):
        await limiter.hit("198.51.100.1")
    with pytest.raises(TooManyRequests) as refused:
        await limiter.hit("198.51.100.1")
    assert "the limit is 3 per 60 s" in refused.value.detail
    assert refused.value.headers is not None
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
    await limiter.hit("198.51.100.2")  # another client has its own budget


async def test_the_rate_limit_is_shared_by_all_instances(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    await start_agent()
    async with (
        app_client(RATE_LIMIT_REQUESTS=3) as first,
        app_client(RATE_LIMIT_REQUESTS=3) as second,
    ):
        for client in (first, second, first):
            assert (await client.post("/api/sessions")).status_code == 201
        refused = await second.post("/api/sessions")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many requests")
    assert int(refused.headers["Retry-After"]) >= 1


async def test_concurrent_creates_never_exceed_the_session_cap(
    redis_client: aioredis.Redis,
) -> None:
    slots = ClientSessionSlots(redis_client, max_sessions=3, ttl_seconds=60)
    results = await asyncio.gather(
        *(slots.reserve("198.51.100.1", f"s{i}") for i in range(10)), return_exceptions=True
    )
    assert sum(result is None for result in results) == 3
    assert all(isinstance(r, TooManyRequests) for r in results if r is not None)


async def test_expired_sessions_free_their_slot(redis_client: aioredis.Redis) -> None:
    slots = ClientSessionSlots(redis_client, max_sessions=1, ttl_seconds=1)
    await slots.reserve("198.51.100.1", "old")
    with pytest.raises(TooManyRequests):
        await slots.reserve("198.51.100.1", "new")
    await asyncio.sleep(1.1)
    await slots.reserve("198.51.100.1", "new")


async def test_the_session_cap_is_429_until_a_session_is_closed(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    await start_agent(capacity=10)
    async with app_client(MAX_SESSIONS_PER_CLIENT=2) as client:
        first = (await client.post("/api/sessions")).json()["session_id"]
        assert (await client.post("/api/sessions")).status_code == 201
        refused = await client.post("/api/sessions")
        assert refused.status_code == 429
        assert "already has 2 open sessions" in refused.json()["detail"]
        assert (await client.delete(f"/api/sessions/{first}")).status_code == 204
        assert (await client.post("/api/sessions")).status_code == 201
    async with app_client(client_ip="198.51.100.99", MAX_SESSIONS_PER_CLIENT=2) as other:
        assert (await other.post("/api/sessions")).status_code == 201


async def test_behind_a_trusted_proxy_the_cap_applies_to_each_forwarded_client(
    app_client: AppClientFactory, start_agent: AgentFactory
) -> None:
    await start_agent(capacity=10)
    settings = {"MAX_SESSIONS_PER_CLIENT": 1, "TRUSTED_PROXIES": "10.0.0.0/8"}
    async with app_client(client_ip="10.0.0.5", **settings) as proxy:
        for client in ("203.0.113.1", "203.0.113.2"):
            created = await proxy.post("/api/sessions", headers={"X-Forwarded-For": client})
            assert created.status_code == 201
        again = await proxy.post("/api/sessions", headers={"X-Forwarded-For": "203.0.113.1"})
        assert again.status_code == 429
    async with app_client(client_ip="198.51.100.7", **settings) as direct:
        assert (
            await direct.post("/api/sessions", headers={"X-Forwarded-For": "1.2.3.4"})
        ).status_code == 201
        spoofed = await direct.post("/api/sessions", headers={"X-Forwarded-For": "5.6.7.8"})
    assert spoofed.status_code == 429, "an untrusted peer cannot dodge its cap with a header"
