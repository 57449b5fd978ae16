"""create_app(settings): the tools service as a FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from redis.asyncio import Redis

from sous_tools.api.deps import Services
from sous_tools.api.routes import convert, health, nutrition, recipes, timers
from sous_tools.body_limit import BodyLimitMiddleware
from sous_tools.config import Settings
from sous_tools.conversion import Converter
from sous_tools.densities import DensityTable
from sous_tools.errors import install_error_handlers
from sous_tools.nutrition import FoodTable
from sous_tools.recipes.backends import create_recipe_search
from sous_tools.recipes.catalog import RecipeCatalog
from sous_tools.timers.scheduler import TimerScheduler
from sous_tools.timers.store import TimerLimits, TimerStore

DESCRIPTION = """
Kitchen tools for the Sous voice sous-chef, usable on their own: unit conversion, nutrition
facts (USDA FoodData Central), recipe search and kitchen timers that live in Redis.

Errors are JSON `{"detail": "..."}` saying what was wrong and what to send instead.
"""


def _timer_limits(settings: Settings) -> TimerLimits:
    return TimerLimits(
        min_seconds=settings.timer_min_seconds,
        max_seconds=settings.timer_max_seconds,
        label_max_chars=settings.timer_label_max_chars,
        max_per_session=settings.max_timers_per_session,
        keep_seconds=settings.timer_keep_seconds,
        max_paused_seconds=settings.timer_max_paused_seconds,
        stream_maxlen=settings.timer_stream_maxlen,
    )


def connect_redis(settings: Settings) -> Redis:
    """A client (connecting lazily) whose commands fail fast when Redis does not answer."""
    return Redis.from_url(
        settings.redis_url,
        decode_responses=True,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        # Ping connections idle this long before reuse: a restarted Redis is redialled.
        health_check_interval=2,
    )


def build_services(settings: Settings) -> Services:
    """Load the data tables and connect (lazily) to Redis; broken data fails here, at startup."""
    redis = connect_redis(settings)
    catalog = RecipeCatalog.load(settings.data_dir / "recipes.json")
    return Services(
        settings=settings,
        redis=redis,
        converter=Converter(
            DensityTable.load(settings.data_dir / "densities.json"), settings.max_quantity
        ),
        foods=FoodTable.load(settings.data_dir / "foods.json", settings.max_quantity),
        recipes=catalog,
        recipe_search=create_recipe_search(settings, catalog),
        timers=TimerStore(redis, _timer_limits(settings)),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    services = build_services(settings)
    # The scheduler has its own connections: its reconnects never disturb API requests.
    scheduler_redis = connect_redis(settings)
    scheduler = TimerScheduler(
        TimerStore(scheduler_redis, services.timers.limits),
        poll_seconds=settings.timer_poll_interval_seconds,
        batch=settings.timer_claim_batch,
        max_backoff_seconds=settings.redis_retry_max_seconds,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(scheduler.run(), name="timer-scheduler")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await scheduler_redis.aclose()
            await services.redis.aclose()

    app = FastAPI(
        title="Sous tools",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.services = services
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    for module in (health, convert, nutrition, recipes, timers):
        app.include_router(module.router)
    return app
