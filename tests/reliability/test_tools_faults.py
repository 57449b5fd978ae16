"""The tools service hangs or dies mid-conversation: the agent says so in time, the call goes on."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest
from stack_fixtures import StackFactory
from voice_client import VoiceClient, is_type

pytestmark = pytest.mark.slow

TOOL_TIMEOUT_SECONDS = 5  # the agent's default TOOL_TIMEOUT_SECONDS
UNAVAILABLE = "not answering"
FLOUR = "How many grams is two cups of flour?"
BANANA = "How many calories are in a banana?"


async def test_agent_says_tools_are_unavailable_in_time_and_the_call_goes_on(
    stack_on: StackFactory,
) -> None:
    stack, log = stack_on()
    tools = stack.service("tools")
    assert tools.process is not None
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http)
        await cook.connect()
        assert "250" in (await cook.ask(FLOUR)).answer

        # Hung (SIGSTOP: the kernel still accepts connections, nothing ever answers): the
        # answer comes once the agent's tool timeout has passed, not later.
        tools.process.send_signal(signal.SIGSTOP)
        try:
            mark = len(cook.events)
            turn = await cook.ask(BANANA)
            assert UNAVAILABLE in turn.answer
            assert turn.answer_after_seconds is not None
            assert turn.answer_after_seconds < TOOL_TIMEOUT_SECONDS + 3
            result = await cook.wait_for(is_type("tool_result", status="error"), after=mark)
            assert UNAVAILABLE in result["output"]["message"]
        finally:
            tools.process.send_signal(signal.SIGCONT)
        # Same session, no reconnect: the next question gets its answer.
        assert "calories" in (await cook.ask(BANANA)).answer

        # Down (refused connections): said at once, no timeout to wait for.
        tools.kill()
        turn = await cook.ask(FLOUR)
        assert UNAVAILABLE in turn.answer
        assert turn.answer_after_seconds is not None
        assert turn.answer_after_seconds < 3
        tools.start(log)
        while True:
            try:
                if (await http.get(f"{stack.tools_url}/health")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.2)
        assert "250" in (await cook.ask(FLOUR)).answer
        await cook.close()
