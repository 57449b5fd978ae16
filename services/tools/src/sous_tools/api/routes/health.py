"""Liveness that means something: the service can serve only while Redis answers."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from sous_tools.api.deps import ServicesDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = "ok"


@router.get(
    "/health",
    responses={503: {"description": "Redis is not reachable", "model": None}},
)
async def health(services: ServicesDep) -> Health:
    await services.redis.ping()  # a RedisError becomes a 503 with the reason
    return Health()
