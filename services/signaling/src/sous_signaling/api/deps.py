"""Per-request dependencies: the app's services, the client's address, the auth and rate checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import redis.asyncio as aioredis
from fastapi import Depends, Header, Request

from ..auth import Authenticator
from ..client_ip import client_ip
from ..config import Settings
from ..ratelimit import RequestRateLimiter
from ..routing.base import AgentRouter
from ..session_service import SessionService


@dataclass(frozen=True)
class Services:
    """What the app builds at startup and closes at shutdown (see app.py)."""

    settings: Settings
    redis: aioredis.Redis
    router: AgentRouter
    sessions: SessionService
    rate_limiter: RequestRateLimiter
    authenticator: Authenticator


async def get_services(request: Request) -> Services:
    # async: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request.
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_client_ip(request: Request, services: ServicesDep) -> str:
    peer = request.client.host if request.client else None
    forwarded_for = request.headers.get("x-forwarded-for")
    return client_ip(peer, forwarded_for, services.settings.TRUSTED_PROXIES)


ClientIpDep = Annotated[str, Depends(get_client_ip)]


async def admitted_client(
    services: ServicesDep,
    client: ClientIpDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """The client's address, once it is under its rate limit and authenticated."""
    await services.rate_limiter.hit(client)
    await services.authenticator.check(authorization)
    return client


AdmittedClientDep = Annotated[str, Depends(admitted_client)]
