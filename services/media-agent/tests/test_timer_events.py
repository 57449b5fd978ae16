"""Timer events from the Redis stream reach the owning session; the doc's examples parse."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import httpx
import pytest
import redis
import redis.asyncio as aioredis
from fastapi import FastAPI
from media_agent_support import ScriptedModel, connect, eventually

from sous_media_agent.timer_events import TimerEvent, TimerEventConsumer, parse_timer_event

DOC = Path(__file__).resolve().parents[3] / "docs" / "events.md"


def doc_examples() -> dict[str, str]:
    """The ```json example under each `<!-- example: name -->` marker in docs/events.md."""
    pattern = re.compile(r"<!-- example: ([\w.]+) -->\s*```json\n(.*?)\n```", re.S)
    return dict(pattern.findall(DOC.read_text()))


@pytest.mark.parametrize("name", ["timer.set", "timer.cancelled", "timer.fired"])
def test_doc_examples_parse(name: str) -> None:
    raw = doc_examples()[name]
    event = parse_timer_event(raw)
    assert event is not None
    document = json.loads(raw)
    assert event.type == document["type"]
    assert event.timer_id == document["timer_id"]
    assert event.session_id == document["session_id"]
    assert event.timer_fields() == {
        "id": document["timer_id"],
        "label": document["label"],
        "duration_seconds": document["duration_seconds"],
        "ends_at": document["ends_at"],
    }


def test_data_channel_timer_example_matches_what_the_agent_sends() -> None:
    from sous_media_agent import events

    fired = parse_timer_event(doc_examples()["timer.fired"])
    assert fired is not None
    expected = json.loads(doc_examples()["timer"])
    assert events.timer(fired.action, fired.timer_fields()) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[1]",
        '{"v": 2, "type": "timer.fired"}',
        '{"v": 1, "type": "timer.paused", "timer_id": "x"}',
        '{"v": 1, "type": "timer.fired", "timer_id": "x"}',
    ],
)
def test_unusable_entries_are_dropped(raw: str) -> None:
    assert parse_timer_event(raw) is None


async def test_consumer_reads_new_entries_only(redis_client: aioredis.Redis) -> None:
    await redis_client.xadd("sous:events:timers", {"event": doc_examples()["timer.set"]})
    received: list[TimerEvent] = []

    async def handle(event: TimerEvent) -> None:
        received.append(event)

    consumer = TimerEventConsumer(redis_client, handle, block_ms=200)
    consumer.start()
    try:
        await consumer.ready.wait()
        await redis_client.xadd("sous:events:timers", {"event": "garbage"})
        await redis_client.xadd("sous:events:timers", {"other": "field"})
        await redis_client.xadd("sous:events:timers", {"event": doc_examples()["timer.fired"]})
        assert await eventually(lambda: len(received) == 1, within=5)
        assert received[0].type == "timer.fired"  # the older timer.set was before `$`
    finally:
        await consumer.stop()


async def test_consumer_reconnects_after_redis_restarts(
    redis_url: str, redis_sync: redis.Redis
) -> None:
    received: list[TimerEvent] = []

    async def handle(event: TimerEvent) -> None:
        received.append(event)

    name = f"consumer-{uuid.uuid4().hex[:8]}"
    client = aioredis.Redis.from_url(redis_url, decode_responses=True, client_name=name)
    consumer = TimerEventConsumer(client, handle, block_ms=200, max_backoff_seconds=0.2)
    consumer.start()
    try:
        await consumer.ready.wait()
        await asyncio.sleep(0.1)
        # Drop the consumer's connections, as a Redis restart does.
        killed = [c for c in redis_sync.client_list() if c["name"] == name]
        assert killed
        for connection in killed:
            redis_sync.client_kill_filter(_id=connection["id"])
        redis_sync.xadd("sous:events:timers", {"event": doc_examples()["timer.fired"]})
        assert await eventually(lambda: len(received) == 1, within=5)
    finally:
        await consumer.stop()
        await client.aclose()


async def test_fired_timer_is_shown_and_announced_to_its_session_only(
    app: FastAPI, http: httpx.AsyncClient, models: list[ScriptedModel], redis_sync: redis.Redis
) -> None:
    client = await connect(http, "s1")  # the examples' session id
    try:
        models[0].echo = False
        await app.state.timer_events.ready.wait()
        other = json.loads(doc_examples()["timer.fired"]) | {"session_id": "someone-else"}
        redis_sync.xadd("sous:events:timers", {"event": json.dumps(other)})
        redis_sync.xadd("sous:events:timers", {"event": doc_examples()["timer.set"]})
        redis_sync.xadd("sous:events:timers", {"event": doc_examples()["timer.fired"]})
        fired = await client.wait_for_event(
            lambda e: e["type"] == "timer" and e["action"] == "fired"
        )
        assert fired == json.loads(doc_examples()["timer"])
        assert [e["action"] for e in client.events if e["type"] == "timer"] == ["set", "fired"]
        spoken = await client.wait_for_event(
            lambda e: e["type"] == "transcript" and e["role"] == "assistant" and e["final"]
        )
        assert spoken["text"] == "Your pasta timer is done."
        assert models[0].announcements == ["Your pasta timer is done."]
    finally:
        await client.close()
