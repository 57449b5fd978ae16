"""Per-client limits kept in Redis, so every signaling instance enforces the same numbers.

- RequestRateLimiter: at most N API requests per client per fixed window.
- ClientSessionSlots: at most N concurrent sessions per client; a slot lives as long as its
  session (every request of the session renews it, in store.SessionStore.activate, and it is
  dropped when the session ends or expires).
"""

from __future__ import annotations

import time

import redis.asyncio as aioredis

from . import keys
from .errors import TooManyRequests

# Drops expired slots, then adds the session if the client is under its cap. Atomic, so two
# instances creating sessions for one client at once cannot both take the last slot.
_RESERVE_SLOT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class RequestRateLimiter:
    def __init__(self, redis: aioredis.Redis, limit: int, window_seconds: int) -> None:
        self._redis = redis
        self._limit = limit
        self._window = window_seconds

    async def hit(self, client_ip: str) -> None:
        """Count one request; raise TooManyRequests when the client is over its limit."""
        now = time.time()
        window = int(now // self._window)
        key = keys.request_count(client_ip, window)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self._window + 1)
            count, _ = await pipe.execute()
        if int(count) > self._limit:
            retry_after = max(1, int((window + 1) * self._window - now))
            raise TooManyRequests(
                f"Too many requests: the limit is {self._limit} per {self._window} s. "
                f"Try again in {retry_after} s.",
                retry_after_seconds=retry_after,
            )


class ClientSessionSlots:
    def __init__(self, redis: aioredis.Redis, max_sessions: int, ttl_seconds: int) -> None:
        self._redis = redis
        self._max = max_sessions
        self._ttl = ttl_seconds
        self._reserve = redis.register_script(_RESERVE_SLOT)

    async def reserve(self, client_ip: str, session_id: str) -> None:
        """Take a slot for a new session; raise TooManyRequests when the client has none left."""
        now = time.time()
        taken = await self._reserve(
            keys=[keys.client_sessions(client_ip)],
            args=[now, now + self._ttl, self._max, session_id, self._ttl],
        )
        if not int(taken):
            raise TooManyRequests(
                f"This client already has {self._max} open sessions, the limit. Close one "
                "(DELETE /api/sessions/{id}) or wait for it to expire.",
                retry_after_seconds=self._ttl,
            )

    async def release(self, client_ip: str, session_id: str) -> None:
        await self._redis.zrem(keys.client_sessions(client_ip), session_id)
