"""Fixtures for signaling's tests: apps on a real Redis, media-agent doubles, loopback-only ICE."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from services.signaling.tests.agent_double import AgentDouble
from sous_signaling.app import create_app
from sous_signaling.config import Settings

AppClientFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
AgentFactory = Callable[..., Awaitable[AgentDouble]]


@pytest.fixture
def make_settings(
    redis_sync: redis.Redis, redis_url: str, tmp_path: Path
) -> Callable[..., Settings]:
    """Settings on the test's Redis database, no frontend, with the given overrides."""

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"REDIS_URL": redis_url, "FRONTEND_DIR": tmp_path / "no-dist"}
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
def app_client(make_settings: Callable[..., Settings]) -> AppClientFactory:
    """`async with app_client(**settings) as client`: an app (lifespan run) over real HTTP
    semantics via httpx's ASGI transport; `client_ip` sets the socket peer address."""

    @asynccontextmanager
    async def open_client(
        client_ip: str = "203.0.113.7", **overrides: Any
    ) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(make_settings(**overrides))
        transport = httpx.ASGITransport(app=app, client=(client_ip, 50000))
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(
                transport=transport, base_url="http://signaling"
            ) as client:
                yield client

    return open_client


@pytest.fixture
async def start_agent(redis_url: str, redis_sync: redis.Redis) -> AsyncIterator[AgentFactory]:
    """Starts media-agent doubles (real HTTP, real aiortc); all are killed after the test."""
    started: list[AgentDouble] = []

    async def start(**options: Any) -> AgentDouble:
        agent = await AgentDouble(redis_url=redis_url, **options).start()
        started.append(agent)
        return agent

    yield start
    for agent in started:
        await agent.kill()
