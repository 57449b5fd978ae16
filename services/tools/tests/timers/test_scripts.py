"""The events the Lua scripts publish match the examples in docs/events.md."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from sous_tools.timers import keys
from sous_tools.timers.store import TimerLimits, TimerStore

EVENTS_DOC = Path(__file__).resolve().parents[4] / "docs" / "events.md"


def documented_example(name: str) -> dict[str, Any]:
    match = re.search(
        rf"<!-- example: {re.escape(name)} -->\s*```json\n(.*?)\n```", EVENTS_DOC.read_text(), re.S
    )
    assert match, f"docs/events.md has no example {name}"
    example: dict[str, Any] = json.loads(match.group(1))
    return example


def shape(event: dict[str, Any]) -> dict[str, type]:
    return {key: type(value) for key, value in event.items()}


LIMITS = TimerLimits(
    min_seconds=1, max_seconds=86400, label_max_chars=80, max_per_session=5,
    keep_seconds=3600, max_paused_seconds=86400, stream_maxlen=1000,
)  # fmt: skip


async def stream_events(redis: aioredis.Redis) -> list[dict[str, Any]]:
    entries = await redis.xrange(keys.EVENTS_STREAM)
    return [json.loads(fields["event"]) for _, fields in entries]


@pytest.mark.parametrize("kind", ["timer.set", "timer.cancelled", "timer.fired"])
async def test_published_events_have_the_documented_shape(
    redis_client: aioredis.Redis, kind: str
) -> None:
    store = TimerStore(redis_client, LIMITS)
    timer = await store.create("s1", "pasta", 1)
    if kind == "timer.cancelled":
        await store.cancel(timer.id)
    if kind == "timer.fired":
        assert await store.fire_due(time.time() + 2, batch=10) == [timer.id]
    published = [e for e in await stream_events(redis_client) if e["type"] == kind]
    assert len(published) == 1
    event = published[0]
    assert shape(event) == shape(documented_example(kind))
    assert event["v"] == 1
    assert (event["timer_id"], event["session_id"], event["label"]) == (timer.id, "s1", "pasta")
    assert event["duration_seconds"] == 1
    assert event["ends_at"].endswith("Z")


async def test_labels_with_quotes_and_unicode_survive_the_json(
    redis_client: aioredis.Redis,
) -> None:
    store = TimerStore(redis_client, LIMITS)
    await store.create("s1", 'crème "brûlée" / 2', 60)
    (event,) = await stream_events(redis_client)
    assert event["label"] == 'crème "brûlée" / 2'
