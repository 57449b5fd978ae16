"""Redis restarts mid-run: services reconnect by themselves and timers set before still fire."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import httpx
import pytest
from stack_fixtures import RedisServer, StackFactory
from voice_client import VoiceClient, is_final, is_type

pytestmark = pytest.mark.slow

RECONNECT_WITHIN_SECONDS = 10


async def eventually_ok(http: httpx.AsyncClient, url: str) -> float:
    """Seconds until `url` answers 200."""
    started = time.monotonic()
    while True:
        try:
            if (await http.get(url)).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        assert time.monotonic() - started < RECONNECT_WITHIN_SECONDS, f"{url} did not recover"
        await asyncio.sleep(0.2)


async def test_services_reconnect_after_a_redis_restart_and_timers_still_fire(
    stack_on: StackFactory, own_redis: RedisServer
) -> None:
    stack, _ = stack_on()
    agent_id = stack.service("agent").env["AGENT_ID"]
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http)
        await cook.connect()
        await cook.ask("Set a timer for 12 seconds for the eggs.", spoken=False)
        set_event = await cook.wait_for(is_type("timer", action="set"))
        ends_at = datetime.fromisoformat(set_event["timer"]["ends_at"])

        own_redis.stop()
        down = await http.post("/api/sessions")
        assert down.status_code == 503
        assert "Redis" in down.json()["detail"]
        assert (await http.get("/health")).status_code == 503
        assert (await http.get(f"{stack.tools_url}/health")).status_code == 503
        await asyncio.sleep(3)  # long enough for the agent's heartbeat key to lapse in between
        own_redis.start()  # same port, same append-only file

        await eventually_ok(http, f"{stack.url}/health")
        await eventually_ok(http, f"{stack.tools_url}/health")
        deadline = time.monotonic() + RECONNECT_WITHIN_SECONDS
        while not own_redis.client().exists(f"sous:agent:{agent_id}"):
            assert time.monotonic() < deadline, "the agent did not re-register"
            await asyncio.sleep(0.2)

        fired = await cook.wait_for(is_type("timer", action="fired"), within=30)
        assert fired["timer"]["id"] == set_event["timer"]["id"]
        assert abs((datetime.now(UTC) - ends_at).total_seconds()) < 3
        await cook.wait_for(  # and said out loud
            lambda e: is_final("assistant")(e) and "eggs timer is done" in e["text"]
        )
        # The conversation itself never needed Redis: it goes on.
        assert "250" in (await cook.ask("How many grams is two cups of flour?")).answer

        newcomer = VoiceClient(http)
        await newcomer.connect()
        assert "calories" in (await newcomer.ask("How many calories are in a banana?")).answer
        await newcomer.close()
        await cook.close()
