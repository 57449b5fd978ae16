"""The FastAPI app factory: routes, error handlers, CORS, body limit and the built frontend."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from .api.deps import Services
from .api.routes import config as config_route
from .api.routes import health, sessions
from .auth import create_authenticator
from .body_limit import BodySizeLimit
from .config import Settings
from .errors import SignalingError
from .ratelimit import ClientSessionSlots, RequestRateLimiter
from .redis_client import connect
from .routing import create_router
from .session_service import SessionService
from .store import SessionStore

log = logging.getLogger(__name__)


def _build_services(settings: Settings) -> Services:
    client = connect(settings.REDIS_URL)
    router = create_router(settings, client)
    store = SessionStore(
        client,
        settings.SESSION_TTL_SECONDS,
        settings.MAX_CANDIDATES_PER_SESSION,
        settings.candidate_delivery_lease_seconds,
    )
    slots = ClientSessionSlots(
        client, settings.MAX_SESSIONS_PER_CLIENT, settings.SESSION_TTL_SECONDS
    )
    return Services(
        settings=settings,
        redis=client,
        router=router,
        sessions=SessionService(store, slots, router, settings.MAX_SDP_BYTES),
        rate_limiter=RequestRateLimiter(
            client, settings.RATE_LIMIT_REQUESTS, settings.RATE_LIMIT_WINDOW_SECONDS
        ),
        authenticator=create_authenticator(settings),
    )


def _validation_message(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        if not where:
            return "The request body must be a JSON object (Content-Type: application/json)."
        problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(problems) + "."


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignalingError)
    async def signaling_error(_: Request, exc: SignalingError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, 400)

    @app.exception_handler(redis.RedisError)
    async def redis_down(_: Request, exc: redis.RedisError) -> JSONResponse:
        log.error("Redis failed: %s", exc)
        return JSONResponse(
            {"detail": "The session store (Redis) is not answering. Try again shortly."}, 503
        )


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = _build_services(settings)
        app.state.services = services
        try:
            yield
        finally:
            await services.sessions.aclose()
            await services.router.aclose()
            await services.redis.aclose()

    app = FastAPI(title="Sous signaling", version="0.1.0", lifespan=lifespan)
    _add_error_handlers(app)
    app.include_router(health.router)
    app.include_router(config_route.router)
    app.include_router(sessions.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.MAX_BODY_BYTES)
    # Added last, so it is outermost: even a 413 carries the CORS headers a browser needs.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.CORS_ORIGINS,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )
    if settings.FRONTEND_DIR.is_dir():
        # Mounted last, so the API routes above take precedence over files.
        app.mount("/", StaticFiles(directory=settings.FRONTEND_DIR, html=True), name="frontend")
    return app
