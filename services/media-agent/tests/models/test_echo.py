"""The echo model: audio chunks come straight back, for transport benchmarks."""

from __future__ import annotations

import asyncio
import base64

from strands.bidi import BidiAgent
from strands.bidi.types.media import AudioDelta
from voice_support import Microphone, Recorder, is_type

from sous_media_agent.models.echo import EchoModel


async def test_every_chunk_sent_comes_back_unchanged_at_16_khz() -> None:
    microphone = Microphone()
    heard = Recorder(microphone)
    agent = BidiAgent(model=EchoModel())
    spoken = bytes(range(256)) * 25  # 200 ms of made-up PCM16
    microphone.say(spoken)
    running = asyncio.create_task(agent.run(inputs=[microphone], outputs=[heard]))
    try:
        await heard.wait_for(lambda _: len(heard.of_type("bidi_audio_delta")) >= 10, within=5)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

    chunks = heard.of_type("bidi_audio_delta")
    assert b"".join(base64.b64decode(chunk["audio"]) for chunk in chunks[:10]) == spoken
    assert {(chunk["sample_rate"], chunk["channels"]) for chunk in chunks} == {(16000, 1)}
    assert heard.of_type("bidi_connection_start")


async def test_a_consumer_that_falls_behind_loses_the_oldest_chunks_not_memory() -> None:
    model = EchoModel(max_queued_chunks=5)
    await model.start()
    for n in range(8):
        await model.send(AudioDelta(format="pcm", source={"bytes": bytes([n]) * 640}))
    await model.stop()

    received = [event async for event in model.receive()]

    chunks = [event for event in received if is_type("bidi_audio_delta")(event)]
    audio = [base64.b64decode(event["audio"])[0] for event in chunks]
    assert model.dropped_chunks == 3
    assert audio == [3, 4, 5, 6, 7]
