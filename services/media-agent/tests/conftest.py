"""Fixtures for the media agent's tests: the real app (in-process ASGI) on a real Redis."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sous_media_agent.app import create_app
from sous_media_agent.config import Settings

# Test modules import helpers from media_agent_support (pytest runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))

from media_agent_support import ScriptedModel


@pytest.fixture
def settings(redis_url: str, redis_sync: Any) -> Settings:
    return Settings(
        redis_url=redis_url,
        tools_url="http://127.0.0.1:9",  # nothing listens: tools answer "not answering"
        model="echo",
        agent_id=f"test-{uuid.uuid4().hex[:8]}",
        capacity=2,
        heartbeat_interval_seconds=0.2,
        heartbeat_ttl_seconds=2,
        drain_timeout_seconds=2,
        tool_timeout_seconds=1,
    )


@pytest.fixture
def models() -> list[ScriptedModel]:
    """Every ScriptedModel the app built, in session order."""
    return []


@pytest.fixture
async def app(settings: Settings, models: list[ScriptedModel]) -> AsyncIterator[FastAPI]:
    def make_model(on_turn_metrics: Callable[[dict[str, Any]], None] | None) -> ScriptedModel:
        model = ScriptedModel(on_turn_metrics)
        models.append(model)
        return model

    application = create_app(settings, make_model=make_model)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://agent") as client:
        yield client
