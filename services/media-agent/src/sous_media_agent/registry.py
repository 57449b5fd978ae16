"""Registration of this agent in Redis, so the signaling router can send it sessions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from . import keys

logger = logging.getLogger(__name__)


class AgentRegistry:
    """Keeps `sous:agent:{id}` alive with a TTL while the agent runs; removes it on shutdown."""

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        agent_id: str,
        url: str,
        capacity: int,
        session_count: Callable[[], int],
        interval_seconds: float,
        ttl_seconds: int,
    ) -> None:
        self._redis = redis
        self.agent_id = agent_id
        self._url = url
        self._capacity = capacity
        self._session_count = session_count
        self._interval = interval_seconds
        self._ttl = ttl_seconds
        self._draining = False
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def publish(self) -> None:
        """Write the agent's current state and refresh its TTL."""
        key = keys.agent(self.agent_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "id": self.agent_id,
                    "url": self._url,
                    "capacity": self._capacity,
                    "sessions": self._session_count(),
                    "draining": int(self._draining),
                    "updated_at": f"{time.time():.3f}",
                },
            )
            pipe.expire(key, self._ttl)
            pipe.sadd(keys.AGENTS, self.agent_id)
            await pipe.execute()

    async def start(self) -> None:
        """Register now (fails loudly if Redis is unreachable), then heartbeat in the background."""
        await self.publish()
        self._task = asyncio.create_task(self._heartbeat(), name=f"heartbeat-{self.agent_id}")
        logger.info("registered agent %s at %s", self.agent_id, self._url)

    def notify(self) -> None:
        """Publish soon (session count or draining changed) instead of waiting for the interval."""
        self._changed.set()

    async def set_draining(self) -> None:
        """Tell the router to send no new sessions here."""
        self._draining = True
        try:
            await self.publish()
        except RedisError as error:
            logger.warning("could not mark agent as draining: %s", error)

    async def stop(self) -> None:
        """Stop heartbeating and deregister."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(keys.agent(self.agent_id))
                pipe.srem(keys.AGENTS, self.agent_id)
                await pipe.execute()
            logger.info("deregistered agent %s", self.agent_id)
        except RedisError as error:
            logger.warning("could not deregister agent %s: %s", self.agent_id, error)

    async def _heartbeat(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=self._interval)
            self._changed.clear()
            try:
                await self.publish()
            except RedisError as error:
                # Redis restarting: the key expires and the router stops routing here until
                # the next successful heartbeat re-creates it.
                logger.warning("heartbeat failed: %s", error)
