from __future__ import annotations

import asyncio
import json
import time

import pytest
import redis.asyncio as aioredis

from sous_tools.errors import Conflict, InvalidInput, NotFound
from sous_tools.timers import keys
from sous_tools.timers.models import TimerStatus
from sous_tools.timers.store import TimerLimits, TimerStore

LIMITS = TimerLimits(
    min_seconds=1, max_seconds=3600, label_max_chars=20, max_per_session=3,
    keep_seconds=600, max_paused_seconds=7200, stream_maxlen=1000,
)  # fmt: skip


@pytest.fixture
def store(redis_client: aioredis.Redis) -> TimerStore:
    return TimerStore(redis_client, LIMITS)


async def event_types(redis: aioredis.Redis) -> list[str]:
    return [json.loads(f["event"])["type"] for _, f in await redis.xrange(keys.EVENTS_STREAM)]


async def test_create_keeps_everything_in_redis(
    store: TimerStore, redis_client: aioredis.Redis
) -> None:
    before = time.time()
    timer = await store.create("s1", "  pasta  ", 480)
    assert len(timer.id) == 32 and int(timer.id, 16) >= 0
    assert (timer.label, timer.status, timer.duration_seconds) == ("pasta", "running", 480)
    assert timer.ends_at is not None
    assert before + 480 - 0.001 <= timer.ends_at.timestamp() <= time.time() + 480
    assert 479 < timer.remaining_seconds <= 480
    due = await redis_client.zscore(keys.DUE, timer.id)
    assert due == pytest.approx(timer.ends_at.timestamp(), abs=0.001)
    assert 0 < await redis_client.ttl(keys.timer(timer.id)) <= 480 + LIMITS.keep_seconds
    index_ttl = await redis_client.ttl(keys.session_timers("s1"))
    assert 0 < index_ttl <= LIMITS.session_index_ttl
    assert await event_types(redis_client) == ["timer.set"]


@pytest.mark.parametrize(
    ("session_id", "label", "seconds", "message"),
    [
        ("s1", "pasta", 0, "out of range"), ("s1", "pasta", 3601, "out of range"),
        ("s1", "x" * 21, 60, "keep it to 20"), ("bad id!", "pasta", 60, "session_id"),
        ("", "pasta", 60, "session_id"),
    ],
)  # fmt: skip
async def test_invalid_timers_are_refused(
    store: TimerStore, redis_client: aioredis.Redis, session_id: str, label: str, seconds: int,
    message: str,
) -> None:  # fmt: skip
    with pytest.raises(InvalidInput, match=message):
        await store.create(session_id, label, seconds)
    assert await redis_client.dbsize() == 0


async def test_empty_label_gets_a_name(store: TimerStore) -> None:
    assert (await store.create("s1", "   ", 5)).label == "timer"


async def test_max_timers_per_session_counts_only_live_ones(store: TimerStore) -> None:
    timers = [await store.create("s1", f"t{n}", 60) for n in range(3)]
    with pytest.raises(Conflict, match="already has 3 timers"):
        await store.create("s1", "one too many", 60)
    await store.create("s2", "other session", 60)
    await store.cancel(timers[0].id)
    await store.create("s1", "fits again", 60)


async def test_list_is_per_session_running_first(store: TimerStore) -> None:
    long = await store.create("s1", "stock", 600)
    short = await store.create("s1", "eggs", 60)
    cancelled = await store.create("s1", "rice", 300)
    await store.cancel(cancelled.id)
    await store.create("s2", "not mine", 60)
    listed = await store.list_for_session("s1")
    assert [t.id for t in listed] == [short.id, long.id, cancelled.id]
    assert await store.list_for_session("nobody") == []


async def test_list_forgets_timers_whose_hash_expired(
    store: TimerStore, redis_client: aioredis.Redis
) -> None:
    timer = await store.create("s1", "eggs", 60)
    await redis_client.delete(keys.timer(timer.id))
    assert await store.list_for_session("s1") == []
    assert await redis_client.hlen(keys.session_timers("s1")) == 0


async def test_cancel_is_idempotent_and_publishes_once(
    store: TimerStore, redis_client: aioredis.Redis
) -> None:
    timer = await store.create("s1", "eggs", 60)
    cancelled = await store.cancel(timer.id)
    assert cancelled.status is TimerStatus.CANCELLED and cancelled.remaining_seconds == 0
    assert (await store.cancel(timer.id)).status is TimerStatus.CANCELLED
    assert await event_types(redis_client) == ["timer.set", "timer.cancelled"]
    assert await redis_client.zscore(keys.DUE, timer.id) is None
    assert await redis_client.ttl(keys.timer(timer.id)) <= LIMITS.keep_seconds


async def test_a_fired_timer_cannot_be_cancelled(store: TimerStore) -> None:
    timer = await store.create("s1", "eggs", 1)
    await store.fire_due(time.time() + 1.5, batch=10)
    with pytest.raises(Conflict, match="already gone off"):
        await store.cancel(timer.id)


@pytest.mark.parametrize("timer_id", ["0" * 32, "not-a-timer-id", "../../etc"])
async def test_unknown_timers_are_404(store: TimerStore, timer_id: str) -> None:
    with pytest.raises(NotFound, match="There is no timer"):
        await store.get(timer_id)
    with pytest.raises(NotFound):
        await store.cancel(timer_id)


async def test_pause_freezes_and_resume_reschedules(
    store: TimerStore, redis_client: aioredis.Redis
) -> None:
    timer = await store.create("s1", "bread", 100)
    paused = await store.pause(timer.id)
    assert paused.status is TimerStatus.PAUSED and paused.ends_at is None
    assert await redis_client.zscore(keys.DUE, timer.id) is None
    await asyncio.sleep(0.3)
    still = await store.get(timer.id)
    assert still.remaining_seconds == paused.remaining_seconds
    assert await store.fire_due(time.time() + 1000, batch=10) == []  # paused never fires
    resumed = await store.resume(timer.id)
    assert resumed.status is TimerStatus.RUNNING and resumed.ends_at is not None
    assert resumed.remaining_seconds == pytest.approx(paused.remaining_seconds, abs=0.2)
    assert resumed.ends_at.timestamp() > timer.ends_at.timestamp() + 0.25  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="only a paused timer"):
        await store.resume(timer.id)
    await store.pause(timer.id)
    with pytest.raises(Conflict, match="only a running timer"):
        await store.pause(timer.id)
    assert (await store.cancel(timer.id)).status is TimerStatus.CANCELLED


async def test_fire_due_fires_only_due_running_timers(
    store: TimerStore, redis_client: aioredis.Redis
) -> None:
    soon = await store.create("s1", "soon", 1)
    later = await store.create("s1", "later", 60)
    assert await store.fire_due(time.time(), batch=10) == []
    assert await store.fire_due(time.time() + 1.5, batch=10) == [soon.id]
    fired = await store.get(soon.id)
    assert fired.status is TimerStatus.FIRED and fired.fired_at is not None
    assert (await store.get(later.id)).status is TimerStatus.RUNNING
    assert await redis_client.ttl(keys.timer(soon.id)) <= LIMITS.keep_seconds
    assert await store.fire_due(time.time() + 1.5, batch=10) == []


async def test_racing_claimers_fire_each_timer_once(
    redis_client: aioredis.Redis, redis_url: str
) -> None:
    """Eight stores on their own connections claim the same 40 due timers at once."""
    clients = [aioredis.Redis.from_url(redis_url, decode_responses=True) for _ in range(8)]
    stores = [TimerStore(client, LIMITS) for client in clients]
    created = [await stores[0].create(f"s{n}", f"t{n}", 1) for n in range(40)]
    due = time.time() + 1.5
    results = await asyncio.gather(*(s.fire_due(due, batch=100) for s in stores))
    fired = [timer_id for result in results for timer_id in result]
    assert sorted(fired) == sorted(t.id for t in created)
    events = await event_types(redis_client)
    assert events.count("timer.fired") == 40
    for client in clients:
        await client.aclose()
