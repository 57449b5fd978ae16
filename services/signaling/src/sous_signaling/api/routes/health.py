"""GET /health: the service answers and its Redis does."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import ServicesDep
from ..schemas import Health

router = APIRouter()


@router.get("/health", response_model=Health)
async def health(services: ServicesDep) -> Health:
    await services.redis.ping()  # a RedisError is answered 503 by the app's handler
    return Health(status="ok", router=services.settings.ROUTER)
