"""Session state in Redis: which agent holds a session, how far its negotiation is, and the ICE
candidates in flight. Nothing lives in process memory, so any instance can serve any request.

A session moves new → offering → answered. The client's candidates must reach the agent in the
order it posted them, whichever instances the posts land on. So every candidate goes through one
queue, delivered by one request at a time: the holder of the session's delivery lease (a Redis
key with an expiry). Before the answer every candidate queues; the request that stores the answer
takes the lease when the queue is not empty. After the answer, a candidate that finds no lease
and an empty queue takes the lease and is sent by its own request; otherwise it queues behind
the others. The holder pops candidates one by one and gives the lease up in the same atomic step
that finds the queue empty, so a candidate is never left behind in a queue nobody drains.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import redis.asyncio as aioredis

from . import keys
from .errors import AgentStopped, Conflict, SessionNotFound, TooManyRequests
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


@dataclass(frozen=True)
class DeliveryLease:
    """The right to deliver a session's queued client candidates; one holder at a time."""

    session_id: str
    token: str


@dataclass(frozen=True)
class CandidateTurn:
    """What the request that posted a candidate does next."""

    queued: bool  # the candidate waits in the queue; False: send it now, before the queue
    lease: DeliveryLease | None  # set when this request must then deliver the queue


# KEYS: session, client candidates, agent candidates, delivery lease. ARGV: TTL, slot expiry
# score, agent liveness key prefix ('' = not tracked), client slot key prefix and suffix, session
# id. Returns the session's fields and renews its TTLs and the client's slot (ratelimit.py's
# ClientSessionSlots); 0 when its agent has stopped (the session and its slot are dropped);
# false when there is no such session.
_ACTIVATE = """
local f = redis.call('HMGET', KEYS[1], 'agent_id', 'client_ip', 'state')
if not f[1] then return false end
local slots = ARGV[4] .. f[2] .. ARGV[5]
local session_id = ARGV[6]
if ARGV[3] ~= '' and redis.call('EXISTS', ARGV[3] .. f[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
  redis.call('ZREM', slots, session_id)
  return 0
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[1]) end
redis.call('ZADD', slots, 'XX', ARGV[2], session_id)
redis.call('EXPIRE', slots, ARGV[1])
return f
"""

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

# KEYS: session, client candidates, delivery lease. ARGV: candidate, queue cap, TTL, token,
# lease ms. Returns -1 no session, -2 queue full, 0 queued, 1 lease taken: send it now,
# 2 queued and lease taken: deliver the queue.
_QUEUE_CANDIDATE = """
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return -1 end
local waiting = redis.call('LLEN', KEYS[2])
local answered = state == 'answered'
if answered and waiting == 0 and redis.call('SET', KEYS[3], ARGV[4], 'NX', 'PX', ARGV[5]) then
  return 1
end
if waiting >= tonumber(ARGV[2]) then return -2 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
if answered and redis.call('SET', KEYS[3], ARGV[4], 'NX', 'PX', ARGV[5]) then return 2 end
return 0
"""

# KEYS: session, client candidates, agent candidates, delivery lease. ARGV: TTL, token, lease ms,
# agent candidates... Marks the session answered and stores the agent's candidates; takes the
# lease when client candidates wait (returns 1), else 0; -1 when the session is gone.
_COMPLETE_OFFER = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'state', 'answered')
redis.call('DEL', KEYS[3])
for i = 4, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
redis.call('EXPIRE', KEYS[3], ARGV[1])
if redis.call('LLEN', KEYS[2]) == 0 then return 0 end
redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[3])
return 1
"""

# KEYS: client candidates, delivery lease. ARGV: token, lease ms. The next queued candidate
# (the lease renewed), or false with the lease given up: the queue is empty or the lease lost.
_NEXT_QUEUED = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return false end
local item = redis.call('LPOP', KEYS[1])
if item then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return item
end
redis.call('DEL', KEYS[2])
return false
"""


def _encode(candidate: IceCandidate) -> str:
    return json.dumps(candidate.as_dict())


def _decode(raw: str) -> IceCandidate:
    data = json.loads(raw)
    return IceCandidate(data["candidate"], data["sdpMid"], data["sdpMLineIndex"])


class SessionStore:
    def __init__(
        self,
        redis: aioredis.Redis,
        ttl_seconds: int,
        max_candidates: int,
        delivery_lease_seconds: float,
    ) -> None:
        self._redis = redis
        self._ttl = ttl_seconds
        self._max_candidates = max_candidates
        self._lease_ms = int(delivery_lease_seconds * 1000)
        self._activate = redis.register_script(_ACTIVATE)
        self._begin_offer = redis.register_script(_BEGIN_OFFER)
        self._abort_offer = redis.register_script(_ABORT_OFFER)
        self._queue_candidate = redis.register_script(_QUEUE_CANDIDATE)
        self._complete_offer = redis.register_script(_COMPLETE_OFFER)
        self._next_queued = redis.register_script(_NEXT_QUEUED)

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

    async def activate(self, session_id: str, liveness_prefix: str | None) -> SessionRecord:
        """The session, its idle TTL and its client's slot renewed by this request, in one round
        trip. SessionNotFound when there is none; AgentStopped (the session dropped) when Redis
        no longer holds `liveness_prefix + agent_id`."""
        prefix, suffix = keys.CLIENT_SESSIONS_AFFIXES
        found = await self._activate(
            keys=self._session_keys(session_id),
            args=[
                self._ttl,
                time.time() + self._ttl,
                liveness_prefix or "",
                prefix,
                suffix,
                session_id,
            ],
        )
        if found is None:
            raise SessionNotFound()
        if found == 0:
            raise AgentStopped()
        agent_id, client_ip, state = (text(value) for value in found)
        return SessionRecord(session_id, agent_id, client_ip, SessionState(state))

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

    async def queue_client_candidate(
        self, session_id: str, candidate: IceCandidate
    ) -> CandidateTurn:
        """Queue a candidate behind those not yet delivered, or hand its request the lease."""
        token = secrets.token_urlsafe(12)
        result = int(
            await self._queue_candidate(
                keys=[
                    keys.session(session_id),
                    keys.client_candidates(session_id),
                    keys.candidate_delivery(session_id),
                ],
                args=[_encode(candidate), self._max_candidates, self._ttl, token, self._lease_ms],
            )
        )
        if result == -1:
            raise SessionNotFound()
        if result == -2:
            raise TooManyRequests(
                f"This session already has {self._max_candidates} queued ICE candidates; "
                "send the offer first, or wait while the media agent takes them.",
                retry_after_seconds=1,
            )
        lease = DeliveryLease(session_id, token) if result > 0 else None
        return CandidateTurn(queued=result != 1, lease=lease)

    async def complete_offer(
        self, session_id: str, agent_candidates: list[IceCandidate]
    ) -> DeliveryLease | None:
        """Mark the session answered; the lease to deliver the queued client candidates, if any
        wait."""
        token = secrets.token_urlsafe(12)
        result = int(
            await self._complete_offer(
                keys=self._session_keys(session_id),
                args=[
                    self._ttl,
                    token,
                    self._lease_ms,
                    *(_encode(candidate) for candidate in agent_candidates),
                ],
            )
        )
        if result == -1:
            raise SessionNotFound()
        return DeliveryLease(session_id, token) if result == 1 else None

    async def next_queued(self, lease: DeliveryLease) -> IceCandidate | None:
        """The next candidate to deliver; None when the queue is empty (the lease is then given
        up) or the lease was lost (it expired, or the session was deleted)."""
        raw = await self._next_queued(
            keys=[
                keys.client_candidates(lease.session_id),
                keys.candidate_delivery(lease.session_id),
            ],
            args=[lease.token, self._lease_ms],
        )
        return None if raw is None else _decode(text(raw))

    async def agent_candidates(self, session_id: str) -> list[IceCandidate]:
        raw = await self._redis.lrange(keys.agent_candidates(session_id), 0, -1)
        return [_decode(text(item)) for item in raw]

    async def delete(self, session_id: str) -> None:
        await self._redis.delete(*self._session_keys(session_id))

    @staticmethod
    def _session_keys(session_id: str) -> list[str]:
        return [
            keys.session(session_id),
            keys.client_candidates(session_id),
            keys.agent_candidates(session_id),
            keys.candidate_delivery(session_id),
        ]
