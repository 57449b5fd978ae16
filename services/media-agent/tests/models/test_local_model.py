"""The offline voice model inside a real BidiAgent, hearing real (piper-spoken) questions.

The agent runs simple local `@tool` functions answering with the tools service's JSON shapes;
the microphone plays 16 kHz speech in real time, so "audio time" is the conversation's clock.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from strands import tool
from strands.bidi import BidiAgent
from voice_support import Microphone, Recorder, is_type, silence

from sous_media_agent.models.local import audio, stt
from sous_media_agent.models.local.engines import LocalEngines
from sous_media_agent.models.local.model import LocalVoiceModel
from sous_media_agent.models.local.phrases import normalize
from sous_media_agent.models.local.settings import LocalModelSettings
from sous_media_agent.models.local.vad import Pause, SpeechDetector, Utterance

NOT_ANSWERING = "The tools service is not answering, so I can't look that up right now."
LONG_ANNOUNCEMENT = (
    "Here is a long story about bread. First you mix the flour, the water and the salt. "
    "Then you knead the dough for ten minutes until it is smooth. Then it rests for an hour."
)


@dataclass
class Kitchen:
    """The agent's tools, answering like the tools service; `calls` records what ran."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    convert_seconds: float = 0.0  # how long a conversion takes

    def tools(self) -> list[Any]:
        calls = self.calls
        convert_seconds = self.convert_seconds

        @tool
        def set_timer(label: str, duration_seconds: int) -> dict[str, Any]:
            """Start a kitchen timer."""
            calls.append(("set_timer", {"label": label, "duration_seconds": duration_seconds}))
            return _success(_timer(label, duration_seconds))

        @tool
        def list_timers() -> dict[str, Any]:
            """List this session's timers."""
            calls.append(("list_timers", {}))
            return _success({"timers": [_timer("pasta", 480)]})

        @tool
        async def convert_units(
            quantity: float, from_unit: str, to_unit: str, ingredient: str | None = None
        ) -> dict[str, Any]:
            """Convert a kitchen quantity."""
            inputs = {"quantity": quantity, "from_unit": from_unit, "to_unit": to_unit}
            calls.append(("convert_units", {**inputs, "ingredient": ingredient}))
            await asyncio.sleep(convert_seconds)
            text = f"{quantity:g} cups of {ingredient} is about 250 g"
            return _success({"quantity": 250.0, "unit": to_unit, "text": text})

        @tool
        def lookup_nutrition(
            food: str, quantity: float | None = None, unit: str | None = None
        ) -> dict[str, Any]:
            """Nutrition facts for a food (the tools service is down in these tests)."""
            calls.append(("lookup_nutrition", {"food": food}))
            return {"status": "error", "content": [{"text": NOT_ANSWERING}]}

        return [set_timer, list_timers, convert_units, lookup_nutrition]


def _success(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "content": [{"json": data}]}


def _timer(label: str, seconds: int) -> dict[str, Any]:
    return {
        "id": "8f0c2f1e6b0a4a0f9f4c1f5e2d3c4b5a",
        "session_id": "s1",
        "label": label,
        "duration_seconds": seconds,
        "ends_at": "2026-11-25T12:08:00Z",
        "status": "running",
        "remaining_seconds": seconds,
    }


@dataclass
class Conversation:
    model: LocalVoiceModel
    agent: BidiAgent
    microphone: Microphone
    heard: Recorder
    kitchen: Kitchen
    metrics: list[dict[str, Any]]


@asynccontextmanager
async def conversation(
    engines: LocalEngines, settings: LocalModelSettings, kitchen: Kitchen | None = None
) -> AsyncIterator[Conversation]:
    metrics: list[dict[str, Any]] = []
    model = LocalVoiceModel(engines, settings, on_turn_metrics=metrics.append)
    kitchen = kitchen or Kitchen()
    agent = BidiAgent(model=model, tools=kitchen.tools())
    microphone = Microphone()
    heard = Recorder(microphone)
    running = asyncio.create_task(agent.run(inputs=[microphone], outputs=[heard]))
    try:
        await heard.wait_for(is_type("bidi_connection_start"))
        yield Conversation(model, agent, microphone, heard, kitchen, metrics)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


def is_assistant_block(event: Any) -> bool:
    return bool(event.get("type") == "bidi_transcript_block" and event["role"] == "assistant")


def onset_seconds(pcm: bytes) -> float:
    """Where speech in 16 kHz `pcm` becomes audible (first 10 ms above -45 dBFS)."""
    step = 320
    for start in range(0, len(pcm), step):
        if audio.rms_dbfs(pcm[start : start + step]) > -45:
            return start / 32000
    raise AssertionError("no speech in the audio")


async def test_a_spoken_question_gets_a_tool_call_and_a_spoken_answer(
    engines: LocalEngines, local_settings: LocalModelSettings, speak: Callable[[str], bytes]
) -> None:
    async with conversation(engines, local_settings) as talk:
        talk.microphone.say(silence(0.3) + speak("Set a timer for eight minutes for the pasta."))

        await talk.heard.wait_for(is_type("bidi_response_stop"), within=30)

    heard = talk.heard
    assert [normalize(text) for text in heard.transcripts("user")] == [
        "set a timer for 8 minutes for the pasta"
    ]
    uses = heard.tool_uses()
    assert [(use["name"], use["input"]) for use in uses] == [
        ("set_timer", {"label": "pasta", "duration_seconds": 480})
    ]
    assert talk.kitchen.calls == [("set_timer", {"label": "pasta", "duration_seconds": 480})]
    assert heard.transcripts("assistant") == ["OK, your pasta timer is set for 8 minutes."]

    chunks = heard.of_type("bidi_audio_delta")
    assert {chunk["sample_rate"] for chunk in chunks} == {engines.sample_rate}
    sizes = [len(base64.b64decode(chunk["audio"])) for chunk in chunks]
    assert max(sizes) <= engines.sample_rate // 10 * 2  # 100 ms of PCM16
    answer = heard.audio()
    assert audio.duration_seconds(answer, engines.sample_rate) > 1.5
    assert audio.rms_dbfs(answer) > -35

    kinds = [item.event.get("type") for item in heard.heard]
    assert kinds.index("bidi_transcript_block") < kinds.index("bidi_response_start")
    assert kinds.index("bidi_tool_use_blocks") < kinds.index("bidi_audio_delta")

    assert len(talk.metrics) == 1
    report = talk.metrics[0]
    assert report["turn"] == 1
    stages = report["stages"]
    assert set(stages) == {"vad_ms", "stt_ms", "brain_ms", "tts_first_chunk_ms"}
    # A complete request: the turn ends once its early transcript is in, before the full silence.
    assert stages["vad_ms"] < local_settings.end_of_turn_silence_ms + 100
    assert stages["brain_ms"] > 0 and stages["tts_first_chunk_ms"] > 0
    assert stages["stt_ms"] >= 0  # partly or wholly hidden in the end-of-turn wait


async def test_barge_in_while_speaking_comes_within_200_ms_of_speech_onset(
    engines: LocalEngines, local_settings: LocalModelSettings, speak: Callable[[str], bytes]
) -> None:
    question = speak("How long is left?")
    async with conversation(engines, local_settings) as talk:
        announcing = asyncio.create_task(talk.model.announce(LONG_ANNOUNCEMENT))
        first = await talk.heard.wait_for(is_type("bidi_audio_delta"), within=30)
        await asyncio.sleep(1.0)  # the assistant's answer is playing
        onset = talk.microphone.say(question) + onset_seconds(question)

        barge_in = await talk.heard.wait_for(is_type("bidi_barge_in"), within=10)
        await talk.heard.wait_for(
            lambda event: is_assistant_block(event) and "left" in str(event["transcript"]),
            within=30,
        )
        await announcing

    assert barge_in.at_audio_time - onset < 0.2
    after = talk.heard.heard[talk.heard.heard.index(barge_in) :]
    interrupted = first.event["content_id"]
    assert not [
        item for item in after if item.event.get("type") == "bidi_audio_delta"
        and item.event["content_id"] == interrupted
    ]  # fmt: skip
    assert [normalize(text) for text in talk.heard.transcripts("user")] == ["how long is left"]
    assert talk.kitchen.calls == [("list_timers", {})]
    assert talk.heard.transcripts("assistant")[-1] == "Your pasta timer has 8 minutes left."


async def test_barge_in_while_thinking_abandons_that_answer(
    engines: LocalEngines, local_settings: LocalModelSettings, speak: Callable[[str], bytes]
) -> None:
    question = speak("How long is left?")
    kitchen = Kitchen(convert_seconds=3.0)
    async with conversation(engines, local_settings, kitchen) as talk:
        await talk.agent.send("How many grams is two cups of flour?")
        await talk.heard.wait_for(is_type("bidi_tool_use_blocks"), within=10)
        onset = talk.microphone.say(question) + onset_seconds(question)

        barge_in = await talk.heard.wait_for(is_type("bidi_barge_in"), within=10)
        await talk.heard.wait_for(is_assistant_block, within=30)
        await asyncio.sleep(3.0)  # the slow conversion result comes back meanwhile

    assert barge_in.at_audio_time - onset < 0.2
    assert [name for name, _ in talk.kitchen.calls] == ["convert_units", "list_timers"]
    assert talk.heard.transcripts("assistant") == ["Your pasta timer has 8 minutes left."]
    assert len(talk.heard.of_type("bidi_response_stop")) == 2  # the abandoned one is closed


async def test_announce_speaks_exactly_the_text_unasked(
    engines: LocalEngines, local_settings: LocalModelSettings
) -> None:
    async with conversation(engines, local_settings) as talk:
        await talk.model.announce("Your pasta timer is done.")
        await talk.heard.wait_for(is_type("bidi_response_stop"), within=30)

    assert talk.heard.transcripts("assistant") == ["Your pasta timer is done."]
    assert talk.heard.tool_uses() == [] and talk.metrics == []
    spoken = talk.heard.audio()
    assert audio.rms_dbfs(spoken) > -35
    heard_back = stt.transcribe(
        engines.whisper, audio.resample(spoken, engines.sample_rate, 16000), local_settings
    )
    assert normalize(heard_back) == "your pasta timer is done"


async def test_a_typed_question_is_answered_and_a_down_tools_service_is_explained(
    engines: LocalEngines, local_settings: LocalModelSettings
) -> None:
    async with conversation(engines, local_settings) as talk:
        await talk.agent.send("How many calories are in a banana?")
        await talk.heard.wait_for(is_type("bidi_response_stop"), within=30)

    assert talk.kitchen.calls == [("lookup_nutrition", {"food": "banana"})]
    assert talk.heard.transcripts("assistant") == [NOT_ANSWERING]
    assert audio.rms_dbfs(talk.heard.audio()) > -35
    assert talk.metrics[0]["stages"]["stt_ms"] == 0


async def test_a_pause_mid_question_is_heard_as_one_question(
    engines: LocalEngines, local_settings: LocalModelSettings, speak: Callable[[str], bytes]
) -> None:
    said = silence(0.3) + speak("Set a timer") + silence(0.1) + speak("for eight minutes.")
    # The pause is long enough for an early transcript ("Set a timer.", not a complete
    # request) and shorter than the end-of-turn silence.
    detector = SpeechDetector(engines.vad, local_settings)
    events = [type(event) for event in detector.feed(said + silence(1.0))]
    assert events.count(Pause) == 2 and events.count(Utterance) == 1

    async with conversation(engines, local_settings) as talk:
        talk.microphone.say(said)
        await talk.heard.wait_for(is_assistant_block, within=40)

    assert [normalize(text) for text in talk.heard.transcripts("user")] == [
        "set a timer for 8 minutes"
    ]
    assert talk.kitchen.calls == [("set_timer", {"label": "8 minute", "duration_seconds": 480})]


async def test_a_complete_request_is_answered_without_the_full_end_of_turn_silence(
    engines: LocalEngines, speak: Callable[[str], bytes]
) -> None:
    settings = LocalModelSettings(
        stt_early_start_ms=160, end_of_turn_complete_ms=250, end_of_turn_silence_ms=1500
    )
    async with conversation(engines, settings) as talk:
        talk.microphone.say(silence(0.3) + speak("How long is left?"))
        await talk.heard.wait_for(is_assistant_block, within=30)
        talk.microphone.say(silence(0.5) + speak("Set a timer"))  # unfinished: waits it out
        await talk.heard.wait_for(lambda event: len(talk.heard.transcripts("assistant")) == 2)

    complete, unfinished = (report["stages"]["vad_ms"] for report in talk.metrics)
    assert 250 - 100 < complete < 1000
    assert 1500 - 100 < unfinished < 1500 + 200
    assert talk.heard.transcripts("assistant") == [
        "Your pasta timer has 8 minutes left.",
        "How long should the timer be?",
    ]
