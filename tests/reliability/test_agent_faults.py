"""A media agent dies (SIGKILL) or is stopped (SIGTERM) while a cook is talking to it."""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest
from stack_fixtures import RedisServer, StackFactory
from voice_client import VoiceClient, is_type

from stack import Service, Stack

pytestmark = pytest.mark.slow

HEARTBEAT_TTL_SECONDS = 6  # the agent's default HEARTBEAT_TTL_SECONDS
END_OF_CANDIDATES = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
# Uvicorn re-raises SIGTERM once its shutdown (and so the drain) is complete.
CLEAN_EXIT = (0, -signal.SIGTERM)
# Keys the architecture lets live without a TTL (indexes pruned by their owners).
PERMANENT_KEYS = {"sous:agents", "sous:timers", "sous:events:timers"}


def agent_of(stack: Stack, agent_id: str) -> Service:
    return next(s for s in stack.services if s.env.get("AGENT_ID") == agent_id)


def agent_holding(own_redis: RedisServer, session_id: str) -> str:
    agent_id = own_redis.client().hget(f"sous:session:{session_id}", "agent_id")
    assert isinstance(agent_id, str), "the session is not placed on an agent"
    return agent_id


def keys_without_ttl(own_redis: RedisServer) -> list[str]:
    client = own_redis.client()
    return [
        key
        for key in client.scan_iter("sous:*")
        if key not in PERMANENT_KEYS and client.ttl(key) == -1
    ]


async def test_killed_agent_answers_410_within_its_ttl_and_a_retry_lands_on_a_live_agent(
    stack_on: StackFactory, own_redis: RedisServer
) -> None:
    stack, _ = stack_on(agents=2)
    redis = own_redis.client()
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http)
        await cook.connect()
        assert "250" in (await cook.ask("How many grams is two cups of flour?")).answer
        session_keys = f"sous:session:{cook.session_id}*"
        dead_id = agent_holding(own_redis, cook.session_id)

        agent_of(stack, dead_id).kill()
        killed_at = time.monotonic()
        # Even if the cook never comes back, every key of the session expires on its own.
        assert redis.keys(session_keys)
        assert keys_without_ttl(own_redis) == []

        while True:
            answer = await http.post(f"/api/sessions/{cook.session_id}/ice", json=END_OF_CANDIDATES)
            if answer.status_code == 410:
                break
            # Until the heartbeat expires: "not answering, start a new session".
            assert answer.status_code == 503, answer.text
            assert "Start a new session" in answer.json()["detail"]
            assert time.monotonic() - killed_at < HEARTBEAT_TTL_SECONDS + 1
            await asyncio.sleep(0.25)
        assert time.monotonic() - killed_at <= HEARTBEAT_TTL_SECONDS + 1
        assert "has stopped" in answer.json()["detail"]
        assert "Start a new session" in answer.json()["detail"]
        assert redis.keys(session_keys) == []
        assert redis.zscore("sous:client:127.0.0.1:sessions", cook.session_id) is None
        await cook.hang_up()

        retry = VoiceClient(http)
        await retry.connect()
        assert agent_holding(own_redis, retry.session_id) != dead_id
        assert "calories" in (await retry.ask("How many calories are in a banana?")).answer
        assert not redis.exists(f"sous:agent:{dead_id}")
        assert dead_id not in redis.smembers("sous:agents")  # pruned by the placement
        await retry.close()


async def test_sigterm_drains_live_sessions_and_new_sessions_go_elsewhere(
    stack_on: StackFactory, own_redis: RedisServer
) -> None:
    stack, _ = stack_on(model="echo", agents=2, env={"DRAIN_TIMEOUT_SECONDS": "8"})
    redis = own_redis.client()
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http)
        await cook.connect()
        draining_id = agent_holding(own_redis, cook.session_id)
        draining = agent_of(stack, draining_id)
        assert draining.process is not None
        draining.process.send_signal(signal.SIGTERM)

        told = await cook.wait_for(is_type("session", value="reconnect"), within=5)
        assert told["reason"]
        assert redis.hget(f"sous:agent:{draining_id}", "draining") == "1"
        for _ in range(3):  # while it drains, every new session lands on the other agent
            newcomer = VoiceClient(http)
            await newcomer.create()
            assert agent_holding(own_redis, newcomer.session_id) != draining_id
            await newcomer.close()

        # The cook does what the event asks: leaves and starts over; the agent then exits
        # without waiting for its drain timeout.
        left_at = time.monotonic()
        assert (await cook.close()) is not None
        await asyncio.to_thread(draining.process.wait, 8)
        assert time.monotonic() - left_at < 6
        assert draining.process.returncode in CLEAN_EXIT
        assert not redis.exists(f"sous:agent:{draining_id}")  # deregistered, not just expired

        again = VoiceClient(http)  # the cook's new session, on the agent that stays
        await again.connect()
        again.say("Hello, is anybody there?")
        await again.wait_for_sound(10)  # the echo model sends the cook's voice back
        await again.close()


async def test_sigterm_closes_sessions_that_do_not_leave_after_the_drain_timeout(
    stack_on: StackFactory, own_redis: RedisServer
) -> None:
    stack, _ = stack_on(model="echo", env={"DRAIN_TIMEOUT_SECONDS": "2"})
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        stubborn = VoiceClient(http)
        await stubborn.connect()
        agent = stack.service("agent")
        assert agent.process is not None
        agent.process.send_signal(signal.SIGTERM)
        await stubborn.wait_for(is_type("session", value="reconnect"), within=5)
        await asyncio.to_thread(agent.process.wait, 15)
        assert agent.process.returncode in CLEAN_EXIT
        answer = await http.post(f"/api/sessions/{stubborn.session_id}/ice", json=END_OF_CANDIDATES)
        assert answer.status_code == 410, answer.text
        await stubborn.hang_up()
