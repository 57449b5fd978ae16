"""The service's Redis connection: strings in, strings out."""

from __future__ import annotations

import redis.asyncio as aioredis


def connect(url: str) -> aioredis.Redis:
    """A client that decodes replies to str (connections are opened lazily, on first use)."""
    return aioredis.Redis.from_url(url, decode_responses=True)


def text(value: bytes | str) -> str:
    """A reply as str: redis-py types replies as bytes | str whatever decode_responses says."""
    return value.decode("utf-8") if isinstance(value, bytes) else value
