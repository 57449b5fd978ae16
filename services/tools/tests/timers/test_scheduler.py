"""Timers fire on time from a background loop, once, across restarts of the service and Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI

from sous_tools.timers import keys
from sous_tools.timers.scheduler import TimerScheduler
from sous_tools.timers.store import TimerLimits, TimerStore


def _seconds(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


async def fired_events(redis: aioredis.Redis) -> list[dict[str, Any]]:
    events = [json.loads(f["event"]) for _, f in await redis.xrange(keys.EVENTS_STREAM)]
    return [event for event in events if event["type"] == "timer.fired"]


async def wait_for_fired(redis: aioredis.Redis, count: int, within: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        events = await fired_events(redis)
        if len(events) >= count:
            return events
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {len(await fired_events(redis))} of {count} timers fired")


@pytest.fixture
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan (and so its scheduler) running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tools") as http:
            yield http


async def test_a_timer_fires_within_a_second_of_its_end(
    running_app: httpx.AsyncClient, redis_client: aioredis.Redis
) -> None:
    created = await running_app.post(
        "/timers", json={"session_id": "s1", "label": "eggs", "duration_seconds": 1}
    )
    timer = created.json()
    (event,) = await wait_for_fired(redis_client, 1, within=5)
    assert event["timer_id"] == timer["id"]
    lateness = _seconds(event["fired_at"]) - _seconds(event["ends_at"])
    assert 0 <= lateness < 1.0
    shown = (await running_app.get(f"/timers/{timer['id']}")).json()
    assert shown["status"] == "fired" and shown["remaining_seconds"] == 0


async def test_timers_set_through_one_server_fire_after_it_restarts(
    start_server: Callable[..., Any], redis_client: aioredis.Redis
) -> None:
    first = start_server()
    body = {"session_id": "s1", "label": "pasta", "duration_seconds": 4}
    async with httpx.AsyncClient() as http:
        timer = (await http.post(f"{first.url}/timers", json=body)).json()
    first.stop()
    second = start_server()  # a new process: nothing but Redis remembers the timer
    ready = time.time()
    (event,) = await wait_for_fired(redis_client, 1, within=10)
    assert event["timer_id"] == timer["id"]
    fired_at, ends_at = _seconds(event["fired_at"]), _seconds(event["ends_at"])
    assert ends_at <= fired_at < max(ends_at, ready) + 1.0
    async with httpx.AsyncClient() as http:
        shown = (await http.get(f"{second.url}/timers", params={"session_id": "s1"})).json()
    assert [t["status"] for t in shown["timers"]] == ["fired"]


async def test_two_servers_racing_fire_each_timer_once(
    start_server: Callable[..., Any], redis_client: aioredis.Redis
) -> None:
    servers = [start_server(), start_server()]
    ids = []
    async with httpx.AsyncClient() as http:
        for n in range(12):
            body = {"session_id": f"s{n}", "label": f"t{n}", "duration_seconds": 2}
            created = await http.post(f"{servers[n % 2].url}/timers", json=body)
            ids.append(created.json()["id"])
    events = await wait_for_fired(redis_client, 12, within=10)
    await asyncio.sleep(1)  # a duplicate would show up within a few polls
    events = await fired_events(redis_client)
    assert sorted(event["timer_id"] for event in events) == sorted(ids)
    for event in events:
        assert _seconds(event["fired_at"]) - _seconds(event["ends_at"]) < 1.0


@contextlib.contextmanager
def redis_server(port: int) -> Iterator[str]:
    """A throwaway redis-server of our own, so the test can stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    workdir = tempfile.mkdtemp(prefix="sous-tools-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


async def wait_for_redis(url: str) -> None:
    client = aioredis.Redis.from_url(url)
    try:
        for _ in range(100):
            with contextlib.suppress(aioredis.RedisError):
                if await client.ping():
                    return
            await asyncio.sleep(0.05)
        raise AssertionError("redis-server did not start")
    finally:
        await client.aclose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_the_scheduler_survives_a_redis_restart() -> None:
    port = free_port()
    limits = TimerLimits(1, 3600, 80, 10, 600, 3600, 1000)
    with redis_server(port) as url:
        await wait_for_redis(url)
        client = aioredis.Redis.from_url(url, decode_responses=True)
        store = TimerStore(client, limits)
        scheduler_client = aioredis.Redis.from_url(url, decode_responses=True, socket_timeout=1)
        scheduler = TimerScheduler(
            TimerStore(scheduler_client, limits),
            poll_seconds=0.05, batch=10, max_backoff_seconds=0.5,
        )  # fmt: skip
        task = asyncio.create_task(scheduler.run())
        await store.create("s1", "before", 1)
        await wait_for_fired(client, 1, within=5)
    await asyncio.sleep(1.0)  # Redis is down: the loop keeps failing and backing off
    assert not task.done()
    with redis_server(port) as url:
        await wait_for_redis(url)
        await store.reset_connections()  # this test's own client: only the scheduler is tested
        timer = await store.create("s1", "after", 1)
        (event,) = await wait_for_fired(client, 1, within=5)
        assert event["timer_id"] == timer.id
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await client.aclose()
        await scheduler_client.aclose()
