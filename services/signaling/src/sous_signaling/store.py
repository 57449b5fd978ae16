"""Session state in Redis: which agent holds a session, how far its negotiation is, and the ICE
candidates in flight. Nothing lives in process memory, so any instance can serve any request.

A session moves new → offering → answered. Client candidates that arrive before "answered" are
queued; the instance that stores the answer drains the queue in the same atomic step, so a
candidate is either queued before the drain or sees "answered" and is forwarded: never lost.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import redis.asyncio as aioredis

from . import keys
from .errors import Conflict, SessionNotFound, TooManyRequests
from .redis_client import text
from .sdp import IceCandidate


class SessionState(StrEnum):
    NEW = "new"
    OFFERING = "offering"
    ANSWERED = "answered"


@dataclass(frozen=True)
class SessionRecord:
    session_id: str
    agent_id: str
    client_ip: str
    state: SessionState


_BEGIN_OFFER = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state ~= 'new' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'offering')
return 1
"""

_ABORT_OFFER = """
if redis.call('HGET', KEYS[1], 'state') == 'offering' then
  redis.call('HSET', KEYS[1], 'state', 'new')
end
return 1
"""

# Returns 1 queued, 0 already answered (forward it now), -1 no session, -2 queue full.
_QUEUE_CANDIDATE = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
if state == 'answered' then return 0 end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[2]) then return -2 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
"""

# Marks the session answered, stores the agent's candidates, and hands back (and clears) the
# client candidates queued so far. Returns false when the session is gone.
_COMPLETE_OFFER = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'state', 'answered')
redis.call('DEL', KEYS[3])
for i = 2, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
redis.call('EXPIRE', KEYS[3], ARGV[1])
local queued = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
return queued
"""


def _encode(candidate: IceCandidate) -> str:
    return json.dumps(candidate.as_dict())


def _decode(raw: str) -> IceCandidate:
    data = json.loads(raw)
    return IceCandidate(data["candidate"], data["sdpMid"], data["sdpMLineIndex"])


class SessionStore:
    def __init__(self, redis: aioredis.Redis, ttl_seconds: int, max_candidates: int) -> None:
        self._redis = redis
        self._ttl = ttl_seconds
        self._max_candidates = max_candidates
        self._begin_offer = redis.register_script(_BEGIN_OFFER)
        self._abort_offer = redis.register_script(_ABORT_OFFER)
        self._queue_candidate = redis.register_script(_QUEUE_CANDIDATE)
        self._complete_offer = redis.register_script(_COMPLETE_OFFER)

    def expires_at(self) -> datetime:
        """When a session touched now expires if nothing else happens."""
        return datetime.fromtimestamp(time.time() + self._ttl, tz=UTC)

    async def create(self, session_id: str, agent_id: str, client_ip: str) -> None:
        key = keys.session(session_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "agent_id": agent_id,
                    "client_ip": client_ip,
                    "state": SessionState.NEW.value,
                    "created_at": datetime.now(UTC).isoformat(),
                },
            )
            pipe.expire(key, self._ttl)
            await pipe.execute()

    async def get(self, session_id: str) -> SessionRecord:
        """The session, or SessionNotFound when it never existed or expired."""
        raw = await self._redis.hgetall(keys.session(session_id))
        fields = {text(name): text(value) for name, value in raw.items()}
        if "agent_id" not in fields:
            raise SessionNotFound()
        return SessionRecord(
            session_id=session_id,
            agent_id=fields["agent_id"],
            client_ip=fields["client_ip"],
            state=SessionState(fields["state"]),
        )

    async def touch(self, session_id: str) -> None:
        """Renew the idle TTL of the session and its candidate lists (activity keeps it alive)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in (
                keys.session(session_id),
                keys.client_candidates(session_id),
                keys.agent_candidates(session_id),
            ):
                pipe.expire(key, self._ttl)
            await pipe.execute()

    async def begin_offer(self, session_id: str) -> None:
        """Claim the session's one offer; Conflict if another offer was already made."""
        result = int(await self._begin_offer(keys=[keys.session(session_id)]))
        if result == -1:
            raise SessionNotFound()
        if result == 0:
            raise Conflict(
                "This session already has an offer; renegotiation is not supported. "
                "Start a new session (POST /api/sessions) for a new connection."
            )

    async def abort_offer(self, session_id: str) -> None:
        """Let the client offer again after the agent refused its offer."""
        await self._abort_offer(keys=[keys.session(session_id)])

    async def queue_client_candidate(self, session_id: str, candidate: IceCandidate) -> bool:
        """Queue a candidate until the answer exists; False means answered: forward it now."""
        result = int(
            await self._queue_candidate(
                keys=[keys.session(session_id), keys.client_candidates(session_id)],
                args=[_encode(candidate), self._max_candidates, self._ttl],
            )
        )
        if result == -1:
            raise SessionNotFound()
        if result == -2:
            raise TooManyRequests(
                f"This session already has {self._max_candidates} queued ICE candidates; "
                "send the offer first.",
                retry_after_seconds=1,
            )
        return result == 1

    async def complete_offer(
        self, session_id: str, agent_candidates: list[IceCandidate]
    ) -> list[IceCandidate]:
        """Mark the session answered and return the client candidates queued before that."""
        queued = await self._complete_offer(
            keys=[
                keys.session(session_id),
                keys.client_candidates(session_id),
                keys.agent_candidates(session_id),
            ],
            args=[self._ttl, *(_encode(candidate) for candidate in agent_candidates)],
        )
        if queued is None:
            raise SessionNotFound()
        return [_decode(raw) for raw in queued]

    async def agent_candidates(self, session_id: str) -> list[IceCandidate]:
        raw = await self._redis.lrange(keys.agent_candidates(session_id), 0, -1)
        return [_decode(text(item)) for item in raw]

    async def delete(self, session_id: str) -> None:
        await self._redis.delete(
            keys.session(session_id),
            keys.client_candidates(session_id),
            keys.agent_candidates(session_id),
        )
