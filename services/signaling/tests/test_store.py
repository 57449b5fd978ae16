"""Session state in Redis: negotiation steps, the candidate queue and its delivery lease, one-trip
activity renewal, and TTLs on every key."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis.asyncio as aioredis

from sous_signaling.errors import AgentStopped, Conflict, SessionNotFound, TooManyRequests
from sous_signaling.ratelimit import ClientSessionSlots
from sous_signaling.sdp import IceCandidate
from sous_signaling.store import DeliveryLease, SessionState, SessionStore

SID = "s" * 43
CLIENT = "198.51.100.1"
SLOTS = f"sous:client:{CLIENT}:sessions"
AGENT_PREFIX = "sous:agent:"


def _candidate(n: int) -> IceCandidate:
    return IceCandidate(f"candidate:{n} 1 udp 5 127.0.0.1 {4000 + n} typ host", "0", 0)


def _number(candidate: IceCandidate) -> int:
    return int(candidate.candidate.split()[0].removeprefix("candidate:"))


def _store(redis_client: aioredis.Redis, **overrides: float) -> SessionStore:
    options: dict[str, float] = {
        "ttl_seconds": 600,
        "max_candidates": 50,
        "delivery_lease_seconds": 40,
    }
    options.update(overrides)
    return SessionStore(
        redis_client,
        int(options["ttl_seconds"]),
        int(options["max_candidates"]),
        options["delivery_lease_seconds"],
    )


@pytest.fixture
async def store(redis_client: aioredis.Redis) -> SessionStore:
    store = _store(redis_client)
    await store.create(SID, "agent-1", CLIENT)
    return store


async def _answer(store: SessionStore) -> DeliveryLease | None:
    await store.begin_offer(SID)
    return await store.complete_offer(SID, [_candidate(99)])


async def _drain(store: SessionStore, lease: DeliveryLease) -> list[IceCandidate]:
    drained = []
    while (candidate := await store.next_queued(lease)) is not None:
        drained.append(candidate)
    return drained


async def test_a_created_session_reads_back(store: SessionStore) -> None:
    record = await store.get(SID)
    assert (record.agent_id, record.client_ip, record.state) == (
        "agent-1",
        CLIENT,
        SessionState.NEW,
    )
    with pytest.raises(SessionNotFound):
        await store.get("t" * 43)


async def test_activity_renews_the_session_its_lists_and_the_clients_slot(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    await ClientSessionSlots(redis_client, max_sessions=5, ttl_seconds=600).reserve(CLIENT, SID)
    await store.queue_client_candidate(SID, _candidate(1))
    await redis_client.set(f"{AGENT_PREFIX}agent-1", "alive")
    keys = [f"sous:session:{SID}", f"sous:session:{SID}:ice:client", SLOTS]
    for key in keys:
        await redis_client.expire(key, 5)
    await redis_client.zadd(SLOTS, {SID: 5})

    record = await store.activate(SID, AGENT_PREFIX)

    assert (record.agent_id, record.client_ip, record.state) == (
        "agent-1",
        CLIENT,
        SessionState.NEW,
    )
    for key in keys:
        assert 590 < await redis_client.ttl(key) <= 600
    slot_expires = await redis_client.zscore(SLOTS, SID)
    assert slot_expires is not None and slot_expires > time.time() + 590, "the slot renewed"
    with pytest.raises(SessionNotFound):
        await store.activate("t" * 43, AGENT_PREFIX)


async def test_activity_on_a_dead_agents_session_drops_it_and_frees_the_slot(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    await ClientSessionSlots(redis_client, max_sessions=5, ttl_seconds=600).reserve(CLIENT, SID)
    await store.queue_client_candidate(SID, _candidate(1))
    with pytest.raises(AgentStopped, match="heartbeat expired"):
        await store.activate(SID, AGENT_PREFIX)  # no sous:agent:agent-1 key
    assert [key async for key in redis_client.scan_iter(f"sous:session:{SID}*")] == []
    assert await redis_client.zscore(SLOTS, SID) is None
    with pytest.raises(SessionNotFound):
        await store.activate(SID, AGENT_PREFIX)


async def test_without_a_liveness_key_every_agent_counts_as_alive(store: SessionStore) -> None:
    assert (await store.activate(SID, None)).agent_id == "agent-1"


async def test_candidates_queue_in_order_until_the_answer(store: SessionStore) -> None:
    for n in (1, 2):
        assert (await store.queue_client_candidate(SID, _candidate(n))).lease is None
    await store.begin_offer(SID)
    turn = await store.queue_client_candidate(SID, _candidate(3))
    assert (turn.queued, turn.lease) == (True, None), "still queued while offering"
    answer = [IceCandidate("candidate:9 1 udp 7 127.0.0.1 5000 typ host", "0", 0)]
    lease = await store.complete_offer(SID, answer)
    assert lease is not None, "candidates wait: the answering request delivers them"
    assert await _drain(store, lease) == [_candidate(1), _candidate(2), _candidate(3)]
    assert await store.agent_candidates(SID) == answer
    assert (await store.get(SID)).state == SessionState.ANSWERED


async def test_an_answer_with_no_candidates_waiting_takes_no_lease(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    assert await _answer(store) is None
    assert not await redis_client.exists(f"sous:session:{SID}:ice:delivery")


async def test_after_the_answer_a_lone_candidate_is_sent_by_its_own_request(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    await _answer(store)
    turn = await store.queue_client_candidate(SID, _candidate(1))
    assert turn.lease is not None and not turn.queued
    assert await redis_client.llen(f"sous:session:{SID}:ice:client") == 0
    assert await store.next_queued(turn.lease) is None
    assert not await redis_client.exists(f"sous:session:{SID}:ice:delivery"), "lease given up"


async def test_while_a_delivery_runs_later_candidates_queue_behind_it(store: SessionStore) -> None:
    await store.queue_client_candidate(SID, _candidate(1))
    lease = await _answer(store)
    assert lease is not None
    assert await store.next_queued(lease) == _candidate(1)  # on its way to the agent
    for n in (2, 3):
        turn = await store.queue_client_candidate(SID, _candidate(n))
        assert (turn.queued, turn.lease) == (True, None)
    assert await _drain(store, lease) == [_candidate(2), _candidate(3)]
    after = await store.queue_client_candidate(SID, _candidate(4))
    assert not after.queued and after.lease is not None, "the delivery is over: send it now"


async def test_a_lapsed_lease_stops_its_holder_and_the_next_poster_delivers_what_is_left(
    redis_client: aioredis.Redis,
) -> None:
    store = _store(redis_client, delivery_lease_seconds=0.2)
    await store.create(SID, "agent-1", CLIENT)
    for n in (1, 2):
        await store.queue_client_candidate(SID, _candidate(n))
    stalled = await _answer(store)
    assert stalled is not None
    await asyncio.sleep(0.3)  # its holder died (or hung) mid-delivery
    turn = await store.queue_client_candidate(SID, _candidate(3))
    assert turn.queued and turn.lease is not None
    assert await store.next_queued(stalled) is None, "the old holder must not deliver any more"
    assert await _drain(store, turn.lease) == [_candidate(1), _candidate(2), _candidate(3)]


async def test_one_deliverer_at_a_time_under_concurrent_posts(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    await _answer(store)
    other = _store(redis_client)  # a second signaling instance
    turns = await asyncio.gather(
        *((store, other)[n % 2].queue_client_candidate(SID, _candidate(n)) for n in range(20))
    )
    holders = [turn for turn in turns if turn.lease is not None]
    assert len(holders) == 1 and not holders[0].queued
    lease = holders[0].lease
    assert lease is not None
    delivered = [turns.index(holders[0]), *(_number(c) for c in await _drain(store, lease))]
    assert sorted(delivered) == list(range(20)), "each exactly once"


async def test_one_offer_per_session(store: SessionStore) -> None:
    await store.begin_offer(SID)
    with pytest.raises(Conflict, match="already has an offer"):
        await store.begin_offer(SID)
    await store.abort_offer(SID)
    await store.begin_offer(SID)
    with pytest.raises(SessionNotFound):
        await store.begin_offer("t" * 43)


async def test_the_queue_is_capped(redis_client: aioredis.Redis) -> None:
    store = _store(redis_client, max_candidates=2)
    await store.create(SID, "agent-1", CLIENT)
    await store.queue_client_candidate(SID, _candidate(1))
    await store.queue_client_candidate(SID, _candidate(2))
    with pytest.raises(TooManyRequests, match="2 queued ICE candidates"):
        await store.queue_client_candidate(SID, _candidate(3))


async def test_every_key_expires(store: SessionStore, redis_client: aioredis.Redis) -> None:
    await store.queue_client_candidate(SID, _candidate(1))
    lease = await _answer(store)
    assert lease is not None
    await store.next_queued(lease)  # delivery under way: the lease exists
    keys = [key async for key in redis_client.scan_iter("sous:session:*")]
    assert sorted(keys) == sorted(
        [f"sous:session:{SID}", f"sous:session:{SID}:ice:agent", f"sous:session:{SID}:ice:delivery"]
    )
    for key in keys:
        assert await redis_client.ttl(key) > 0


async def test_a_deleted_session_is_gone_with_its_lease(
    store: SessionStore, redis_client: aioredis.Redis
) -> None:
    await store.queue_client_candidate(SID, _candidate(1))
    await store.queue_client_candidate(SID, _candidate(2))
    lease = await _answer(store)
    assert lease is not None
    await store.next_queued(lease)
    await store.delete(SID)
    assert [key async for key in redis_client.scan_iter("sous:session:*")] == []
    assert await store.next_queued(lease) is None
    with pytest.raises(SessionNotFound):
        await store.complete_offer(SID, [])
    with pytest.raises(SessionNotFound):
        await store.queue_client_candidate(SID, _candidate(1))
