"""The media agent's ASGI app: sessions, registry heartbeat and timer events in one lifespan."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from fastapi import FastAPI

from .api import router
from .config import Settings
from .models import ModelFactory, load_engines, model_factory
from .peers import advertise_host_addresses
from .registry import AgentRegistry
from .sessions import SessionManager
from .telemetry import keep_thread_instrumentation_only_if_traced
from .timer_events import TimerEventConsumer
from .tools import ToolsClient
from .turn import ice_server_source

logger = logging.getLogger(__name__)


def create_app(settings: Settings, *, make_model: ModelFactory | None = None) -> FastAPI:
    """The app; `make_model` replaces the model MODEL names (tests use a scripted model)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        advertise_host_addresses(settings.ice_host_addresses)
        keep_thread_instrumentation_only_if_traced()
        factory = make_model
        if factory is None:
            # Load and warm up before registering, so signaling never routes to a cold agent.
            logger.info("loading the %s voice model", settings.model)
            engines = await asyncio.to_thread(load_engines, settings)
            factory = model_factory(settings, engines)
        redis = aioredis.Redis.from_url(settings.redis_url, decode_responses=True)
        tools_client = ToolsClient(
            settings.tools_url,
            timeout_seconds=settings.tool_timeout_seconds,
            connect_timeout_seconds=settings.tool_connect_timeout_seconds,
        )
        sessions = SessionManager(
            settings,
            model_factory=factory,
            ice_source=ice_server_source(settings),
            tools_client=tools_client,
        )
        registry = AgentRegistry(
            redis,
            agent_id=settings.agent_id,
            url=settings.advertised_url,
            capacity=settings.capacity,
            session_count=lambda: sessions.count,
            interval_seconds=settings.heartbeat_interval_seconds,
            ttl_seconds=settings.heartbeat_ttl_seconds,
        )
        sessions.on_change = registry.notify
        timer_events = TimerEventConsumer(redis, sessions.on_timer_event)
        app.state.settings = settings
        app.state.sessions = sessions
        app.state.registry = registry
        app.state.timer_events = timer_events
        timer_events.start()
        # Keep the start-up heap (models, libraries) out of later collections: the per-session
        # gc.collect() in sessions.py then only scans what sessions allocated.
        gc.collect()
        gc.freeze()
        await registry.start()
        logger.info("media agent %s ready on %s", settings.agent_id, settings.advertised_url)
        try:
            yield
        finally:
            await registry.set_draining()
            await sessions.drain(settings.drain_timeout_seconds)
            await registry.stop()
            await timer_events.stop()
            await tools_client.aclose()
            await redis.aclose()
            logger.info("media agent %s stopped", settings.agent_id)

    app = FastAPI(title="Sous media agent", lifespan=lifespan)
    app.include_router(router)
    return app
