"""Session state in Redis: negotiation steps, the candidate queue, and TTLs on every key."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from sous_signaling.errors import Conflict, SessionNotFound, TooManyRequests
from sous_signaling.sdp import IceCandidate
from sous_signaling.store import SessionState, SessionStore

SID = "s" * 43


def _candidate(n: int) -> IceCandidate:
    return IceCandidate(f"candidate:{n} 1 udp 5 127.0.0.1 {4000 + n} typ host", "0", 0)


@pytest.fixture
async def store(redis_client: aioredis.Redis) -> SessionStore:
    store = SessionStore(redis_client, ttl_seconds=600, max_candidates=50)
    await store.create(SID, "agent-1", "198.51.100.1")
    return store


async def test_a_created_session_reads_back(store: SessionStore) -> None:
    record = await store.get(SID)
    assert (record.agent_id, record.client_ip, record.state) == (
        "agent-1",
        "198.51.100.1",
        SessionState.NEW,
    )
    with pytest.raises(SessionNotFound):
        await store.get("t" * 43)


async def test_candidates_queue_in_order_until_the_answer(store: SessionStore) -> None:
    assert await store.queue_client_candidate(SID, _candidate(1))
    assert await store.queue_client_candidate(SID, _candidate(2))
    await store.begin_offer(SID)
    assert await store.queue_client_candidate(SID, _candidate(3)), "still queued while offering"
    answer = [IceCandidate("candidate:9 1 udp 7 127.0.0.1 5000 typ host", "0", 0)]
    assert await store.complete_offer(SID, answer) == [_candidate(1), _candidate(2), _candidate(3)]
    assert not await store.queue_client_candidate(SID, _candidate(4)), "answered: forward it"
    assert await store.agent_candidates(SID) == answer
    assert (await store.get(SID)).state == SessionState.ANSWERED


async def test_no_candidate_is_lost_when_the_answer_races_the_trickle(store: SessionStore) -> None:
    await store.begin_offer(SID)

    async def trickle(n: int) -> int | None:
        await asyncio.sleep(0.001 * (n % 7))
        queued = await store.queue_client_candidate(SID, _candidate(n))
        return None if queued else n  # not queued: the caller forwards it itself

    async def answer() -> list[IceCandidate]:
        await asyncio.sleep(0.003)
        return await store.complete_offer(SID, [])

    forwarded, drained = await asyncio.gather(
        asyncio.gather(*(trickle(n) for n in range(40))), answer()
    )
    sent_after = [n for n in forwarded if n is not None]
    assert drained and sent_after, "the answer landed mid-trickle"
    delivered = [c.candidate for c in drained] + [_candidate(n).candidate for n in sent_after]
    assert sorted(delivered) == sorted(_candidate(n).candidate for n in range(40))


async def test_one_offer_per_session(store: SessionStore) -> None:
    await store.begin_offer(SID)
    with pytest.raises(Conflict, match="already has an offer"):
        await store.begin_offer(SID)
    await store.abort_offer(SID)
    await store.begin_offer(SID)
    with pytest.raises(SessionNotFound):
        await store.begin_offer("t" * 43)


async def test_the_queue_is_capped(redis_client: aioredis.Redis) -> None:
    store = SessionStore(redis_client, ttl_seconds=600, max_candidates=2)
    await store.create(SID, "agent-1", "198.51.100.1")
    await store.queue_client_candidate(SID, _candidate(1))
    await store.queue_client_candidate(SID, _candidate(2))
    with pytest.raises(TooManyRequests, match="2 queued ICE candidates"):
        await store.queue_client_candidate(SID, _candidate(3))


async def test_every_key_expires_and_touch_renews_them(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    await store.queue_client_candidate(SID, _candidate(1))
    await store.begin_offer(SID)
    await store.complete_offer(SID, [_candidate(2)])
    await store.queue_client_candidate(SID, _candidate(3))  # answered: nothing queued
    keys = [k async for k in redis_client.scan_iter("sous:session:*")]
    assert sorted(keys) == sorted([f"sous:session:{SID}", f"sous:session:{SID}:ice:agent"])
    for key in keys:
        await redis_client.expire(key, 5)
    await store.touch(SID)
    for key in keys:
        assert 590 < await redis_client.ttl(key) <= 600


async def test_completing_a_deleted_session_is_not_found(store: SessionStore) -> None:
    await store.begin_offer(SID)
    await store.delete(SID)
    with pytest.raises(SessionNotFound):
        await store.complete_offer(SID, [])
    with pytest.raises(SessionNotFound):
        await store.queue_client_candidate(SID, _candidate(1))
