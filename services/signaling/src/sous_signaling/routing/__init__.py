"""Routers that deliver a session's actions to the media agent holding it."""

from __future__ import annotations

import httpx
import redis.asyncio as aioredis

from ..config import Settings
from .base import AgentRouter
from .registry import RegistryRouter


def create_router(settings: Settings, redis: aioredis.Redis) -> AgentRouter:
    """The router that settings.ROUTER names."""
    if settings.ROUTER == "agentcore":
        # Imported here: boto3 takes about a second to import, and local mode never needs it.
        import boto3
        from botocore.config import Config

        from .agentcore import AgentCoreRouter

        client = boto3.client(
            "bedrock-agentcore",
            region_name=settings.AWS_REGION,
            config=Config(
                read_timeout=settings.AGENT_TIMEOUT_SECONDS,
                connect_timeout=settings.AGENT_TIMEOUT_SECONDS,
            ),
        )
        return AgentCoreRouter(client, settings.AGENTCORE_RUNTIME_ARN, settings.AGENTCORE_QUALIFIER)
    http = httpx.AsyncClient(timeout=settings.AGENT_TIMEOUT_SECONDS)
    return RegistryRouter(redis, http, settings.ROUTE_ATTEMPTS)
