"""Malformed `events` data-channel messages: each gets an `error` event back, none ends the session.

docs/events.md: "Malformed or unknown messages get an error event back; they never close the
session."
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from voice_client import VoiceClient, is_type

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow

T = TypeVar("T")
MALFORMED: list[str | bytes] = [
    b"\x00\xff\xfe binary",
    "not json",
    "[]",
    "{}",
    "null",
    '{"v": 2, "type": "text", "text": "hi"}',
    '{"v": "1", "type": "text", "text": "hi"}',
    '{"v": 1, "type": "shout", "text": "hi"}',
    '{"v": 1, "type": "text"}',
    '{"v": 1, "type": "text", "text": ""}',
    '{"v": 1, "type": "text", "text": "   "}',
    '{"v": 1, "type": "text", "text": 42}',
    '{"v": 1, "type": "text", "text": ' + json.dumps("x" * 3000) + "}",
    '{"v": 1, "type": "cancel_timer"}',
    '{"v": 1, "type": "cancel_timer", "timer_id": "../../etc/passwd"}',
    '{"v": 1, "type": "cancel_timer", "timer_id": ' + json.dumps("x" * 500) + "}",
    "x" * 20_000,  # over the 16 KiB message limit
    '{"v": 1, "type": "text", "text": "\\ud800"}',  # a lone surrogate
]
DEEPLY_NESTED = "[" * 5000  # under the size limit, deeper than Python's json recursion limit


class ConnectedCook:
    """A connected VoiceClient on an event loop of its own thread, for synchronous hypothesis."""

    def __init__(self, base_url: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._http = httpx.AsyncClient(base_url=base_url, timeout=30)
        self.client = self.run(self._connect())

    async def _connect(self) -> VoiceClient:
        client = VoiceClient(self._http, microphone=False)
        await client.connect()
        return client

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=60)

    def error_after(self, message: str | bytes) -> dict[str, Any]:
        """Send one message; the `error` event it gets back."""

        async def send_and_wait() -> dict[str, Any]:
            mark = len(self.client.events)
            self.client.send(message)
            return await self.client.wait_for(is_type("error"), after=mark, within=5)

        return self.run(send_and_wait())

    def close(self) -> None:
        self.run(self.client.close())
        self.run(self._http.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


def still_answers(cook: ConnectedCook) -> bool:
    turn = cook.run(
        cook.client.ask("How many grams is two cups of flour?", spoken=False, within=10)
    )
    return "250" in turn.answer


@pytest.fixture
def cook(local_stack: tuple[Stack, StackLog]) -> Iterator[ConnectedCook]:
    stack, _ = local_stack
    connected = ConnectedCook(stack.url)
    yield connected
    try:
        assert still_answers(connected)  # whatever it was sent, the session goes on
    finally:
        connected.close()


def test_each_malformed_message_gets_an_error_and_the_session_goes_on(cook: ConnectedCook) -> None:
    for message in MALFORMED:
        error = cook.error_after(message)
        assert error["message"], message


def test_deeply_nested_json_gets_an_error(local_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = local_stack
    cook = ConnectedCook(stack.url)
    try:
        assert cook.error_after(DEEPLY_NESTED)["message"]
        assert still_answers(cook)
    finally:
        cook.close()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
MESSAGES = st.fixed_dictionaries(
    {},
    optional={
        "v": st.one_of(st.just(1), JSON_VALUES),
        "type": st.one_of(st.sampled_from(["text", "cancel_timer"]), JSON_VALUES),
        "text": JSON_VALUES,
        "timer_id": JSON_VALUES,
    },
)


def is_valid_question(document: object) -> bool:
    return (
        isinstance(document, dict)
        and document.get("v") == 1
        and document.get("type") == "text"
        and isinstance(document.get("text"), str)
        and bool(document["text"].strip())
    )


@given(
    payload=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200),
        MESSAGES.map(json.dumps),
        JSON_VALUES.map(json.dumps),
    )
)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_messages_each_get_an_error(cook: ConnectedCook, payload: str | bytes) -> None:
    try:
        document = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        document = None
    assume(not is_valid_question(document))
    assert cook.error_after(payload)["message"]
