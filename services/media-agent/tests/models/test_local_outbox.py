"""The model's outgoing events: ordered, never blocking, queued audio droppable."""

from __future__ import annotations

import asyncio

from strands.bidi.types.events import (
    BidiAudioDeltaEvent,
    BidiBargeInEvent,
    BidiTranscriptStopEvent,
)

from sous_media_agent.models.local.outbox import Outbox


def chunk(n: int) -> BidiAudioDeltaEvent:
    return BidiAudioDeltaEvent(str(n), "pcm", 22050, 1, "a1")


async def test_events_come_out_in_order_and_on_sent_runs_when_handed_over() -> None:
    outbox, sent = Outbox(), []
    outbox.put(chunk(1), lambda: sent.append(1))
    outbox.put(chunk(2))

    first = await outbox.get()
    assert first is not None
    assert first[0]["audio"] == "1" and sent == []
    first[1]()  # type: ignore[misc]
    second = await outbox.get()
    assert second is not None and second[0]["audio"] == "2" and sent == [1]


async def test_drop_audio_keeps_everything_else_in_order() -> None:
    outbox = Outbox()
    for n in range(3):
        outbox.put(chunk(n))
    outbox.put(BidiTranscriptStopEvent("assistant", "t1"))
    outbox.put(chunk(9))

    assert outbox.drop_audio() == 4
    outbox.put(BidiBargeInEvent())

    kinds = []
    for _ in range(2):
        item = await outbox.get()
        assert item is not None
        kinds.append(item[0]["type"])
    assert kinds == ["bidi_transcript_stop", "bidi_barge_in"]


async def test_a_waiting_reader_wakes_on_put_and_ends_on_close() -> None:
    outbox = Outbox()
    reader = asyncio.create_task(outbox.get())
    await asyncio.sleep(0)
    outbox.put(chunk(1))
    assert (await reader) is not None

    reader = asyncio.create_task(outbox.get())
    await asyncio.sleep(0)
    outbox.close()
    assert await reader is None
    outbox.put(chunk(2))  # after close: ignored
    assert await outbox.get() is None
