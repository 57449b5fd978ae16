"""Odd media from a client: silence, no microphone, video, narrowband codecs, odd sample rates,
and a client that never connects at all. None of it breaks the session or the agent."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from aiortc import RTCPeerConnection
from aiortc.mediastreams import VideoStreamTrack
from sdp_strategies import REAL_OFFER
from voice_client import VoiceClient

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow

QUESTION = "How many grams is two cups of flour?"
CONNECT_TIMEOUT_SECONDS = 5  # as set in the fuzz stack (conftest.FUZZ_ENV)


async def test_silence_is_not_taken_for_speech(local_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http)  # a live microphone that only ever sends silence
        await cook.connect()
        await asyncio.sleep(4)
        assert not [e for e in cook.events if e.get("type") == "transcript"]
        assert "250" in (await cook.ask(QUESTION, spoken=False)).answer
        await cook.close()


async def test_a_client_that_never_sends_media_can_still_type(
    local_stack: tuple[Stack, StackLog],
) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http, microphone=False)  # receive-only audio
        await cook.connect()
        turn = await cook.ask(QUESTION, spoken=False)
        assert "250" in turn.answer
        await cook.wait_for_sound(1)  # and hears the answer
        await cook.close()


async def test_a_video_track_is_ignored(local_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http)
        cook.pc.addTrack(VideoStreamTrack())
        await cook.connect()
        assert "250" in (await cook.ask(QUESTION)).answer
        await cook.close()


async def test_an_offer_without_audio_is_refused(local_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = local_stack
    camera_only = RTCPeerConnection()
    camera_only.addTrack(VideoStreamTrack())
    await camera_only.setLocalDescription(await camera_only.createOffer())
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        session_id = (await http.post("/api/sessions")).json()["session_id"]
        refused = await http.post(
            f"/api/sessions/{session_id}/offer",
            json={"sdp": camera_only.localDescription.sdp, "type": "offer"},
        )
        await http.delete(f"/api/sessions/{session_id}")
    await camera_only.close()
    assert refused.status_code == 400
    assert "audio" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("codec", "rate"),
    [("audio/PCMU", 8_000), ("audio/opus", 11_025), ("audio/opus", 96_000)],
    ids=["pcmu-8k", "opus-from-11k-mic", "opus-from-96k-mic"],
)
async def test_narrowband_and_odd_rate_microphones_are_understood(
    local_stack: tuple[Stack, StackLog], codec: str, rate: int
) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        cook = VoiceClient(http, microphone_rate=rate, audio_codec=codec)
        await cook.connect()
        assert codec.split("/")[1] in cook.pc.remoteDescription.sdp
        turn = await cook.ask(QUESTION)
        assert "250" in turn.answer, turn
        await cook.close()


def test_a_client_that_never_connects_frees_the_agent(
    fuzz_stack: tuple[Stack, StackLog],
) -> None:
    """An offer whose peer never answers ICE: the agent gives up after CONNECT_TIMEOUT_SECONDS
    (5 s in this stack) and tells signaling it no longer holds the session."""
    stack, _ = fuzz_stack
    end = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
    with httpx.Client(base_url=stack.url, timeout=30) as http:
        session_id = http.post("/api/sessions").json()["session_id"]
        offer = {"sdp": "\r\n".join(REAL_OFFER) + "\r\n", "type": "offer"}
        assert http.post(f"/api/sessions/{session_id}/offer", json=offer).status_code == 200
        offered_at = time.monotonic()
        assert http.post(f"/api/sessions/{session_id}/ice", json=end).status_code == 204
        while (held := http.post(f"/api/sessions/{session_id}/ice", json=end)).status_code == 204:
            assert time.monotonic() - offered_at < CONNECT_TIMEOUT_SECONDS + 5
            time.sleep(0.25)
    assert time.monotonic() - offered_at >= CONNECT_TIMEOUT_SECONDS - 1
    assert held.status_code == 410, held.text
    assert "no longer holds" in held.json()["detail"]
