"""A Strands text model as the brain: its stream mapped to speech pieces and tool calls.

The model is a scripted Strands `Model` (no network): it plays back the stream events a real
provider sends, and records what it was asked.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from typing import Any

import pytest
from strands.models.bedrock import BedrockModel
from strands.models.model import Model
from strands.types.content import Messages
from strands.types.streaming import StreamEvent
from strands.types.tools import ToolSpec

from sous_media_agent.models.local.brain import ToolCall, ToolOutcome, make_brain
from sous_media_agent.models.local.settings import LocalModelSettings
from sous_media_agent.models.local.strands_brain import (
    MODEL_UNREACHABLE,
    TOO_MANY_ROUNDS,
    StrandsTextBrain,
    build_text_model,
)

CONVERT_SPEC: ToolSpec = {
    "name": "convert_units",
    "description": "Convert a kitchen quantity.",
    "inputSchema": {"json": {"type": "object", "properties": {}}},
}


def text_round(*pieces: str) -> list[StreamEvent]:
    deltas: list[StreamEvent] = [{"contentBlockDelta": {"delta": {"text": p}}} for p in pieces]
    return [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockStart": {"start": {}}},
        *deltas,
        {"contentBlockStop": {}},
        {"messageStop": {"stopReason": "end_turn"}},
    ]


def tool_round(tool_use_id: str, name: str, *input_json: str, said: str = "") -> list[StreamEvent]:
    events: list[StreamEvent] = [{"messageStart": {"role": "assistant"}}]
    if said:
        events += [
            {"contentBlockStart": {"start": {}}},
            {"contentBlockDelta": {"delta": {"text": said}}},
            {"contentBlockStop": {}},
        ]
    inputs: list[StreamEvent] = [
        {"contentBlockDelta": {"delta": {"toolUse": {"input": part}}}} for part in input_json
    ]
    events += [
        {"contentBlockStart": {"start": {"toolUse": {"toolUseId": tool_use_id, "name": name}}}},
        *inputs,
        {"contentBlockStop": {}},
        {"messageStop": {"stopReason": "tool_use"}},
    ]
    return events


class ScriptedTextModel(Model):
    """Plays one scripted round of stream events per call; records every request."""

    def __init__(self, rounds: list[list[StreamEvent]], fail: bool = False) -> None:
        self.rounds = rounds
        self.fail = fail
        self.requests: list[tuple[Messages, list[ToolSpec] | None, str | None]] = []

    def update_config(self, **model_config: Any) -> None:
        return None

    def get_config(self) -> dict[str, Any]:
        return {"model_id": "scripted"}

    def structured_output(self, *args: Any, **kwargs: Any) -> AsyncGenerator[Any, None]:
        raise NotImplementedError

    async def stream(
        self,
        messages: Messages,
        tool_specs: list[ToolSpec] | None = None,
        system_prompt: str | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[StreamEvent]:
        self.requests.append((copy.deepcopy(messages), tool_specs, system_prompt))
        if self.fail:
            raise ConnectionError("model endpoint unreachable")
        for event in self.rounds.pop(0):
            yield event


class Tools:
    def __init__(self, block: bool = False) -> None:
        self.calls: list[ToolCall] = []
        self.block = block

    async def __call__(self, calls: Sequence[ToolCall]) -> list[ToolOutcome]:
        self.calls.extend(calls)
        if self.block:
            await asyncio.Event().wait()
        data = {"quantity": 250.0, "unit": "g", "text": "2 cups of flour is about 250 g"}
        return [ToolOutcome(call.tool_use_id or "", "success", [{"json": data}]) for call in calls]


def brain_for(model: Model, max_tool_rounds: int = 4) -> StrandsTextBrain:
    return StrandsTextBrain(
        model, system_prompt="You are Sous.", tool_specs=[CONVERT_SPEC],
        max_tool_rounds=max_tool_rounds,
    )  # fmt: skip


async def test_text_streams_out_and_tool_uses_go_through_the_agents_tools() -> None:
    model = ScriptedTextModel([
        tool_round("tooluse-7", "convert_units", '{"quantity": 2, "from_unit": "cup", ',
                   '"to_unit": "g", "ingredient": "flour"}', said="Let me check. "),
        text_round("Two cups of flour ", "is about 250 grams. ", "Anything else?"),
    ])  # fmt: skip
    tools = Tools()
    brain = brain_for(model)

    pieces = [piece async for piece in brain.reply("How many grams is 2 cups of flour?", tools)]

    assert "".join(pieces) == "Let me check. Two cups of flour is about 250 grams. Anything else?"
    assert len(pieces) == 4  # streamed as the model sent it
    assert tools.calls == [
        ToolCall("convert_units",
                 {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"},
                 "tooluse-7"),
    ]  # fmt: skip
    first_request, second_request = model.requests
    assert first_request[1] == [CONVERT_SPEC] and first_request[2] == "You are Sous."
    tool_result = second_request[0][-1]["content"][0]["toolResult"]
    assert tool_result["toolUseId"] == "tooluse-7" and tool_result["status"] == "success"
    assert tool_result["content"][0]["json"]["quantity"] == 250.0
    assert [message["role"] for message in brain.messages] == [
        "user", "assistant", "user", "assistant",
    ]  # fmt: skip


async def test_the_next_turn_carries_the_conversation() -> None:
    model = ScriptedTextModel([text_round("Hi there."), text_round("Sure.")])
    brain = brain_for(model)

    _ = [piece async for piece in brain.reply("Hello", Tools())]
    _ = [piece async for piece in brain.reply("Can you help?", Tools())]

    texts = [block["text"] for message in model.requests[1][0] for block in message["content"]]
    assert texts == ["Hello", "Hi there.", "Can you help?"]


async def test_an_unreachable_model_is_said_in_one_sentence_and_history_stays_valid() -> None:
    brain = brain_for(ScriptedTextModel([], fail=True))

    pieces = [piece async for piece in brain.reply("Hello", Tools())]

    assert pieces == [MODEL_UNREACHABLE]
    assert brain.messages == [
        {"role": "user", "content": [{"text": "Hello"}]},
        {"role": "assistant", "content": [{"text": MODEL_UNREACHABLE}]},
    ]


async def test_an_interrupted_turn_keeps_what_was_said_and_drops_the_open_tool_use() -> None:
    model = ScriptedTextModel([tool_round("t1", "convert_units", "{}", said="Let me check.")])
    brain = brain_for(model)

    async def listen() -> None:
        async for _ in brain.reply("Convert it", Tools(block=True)):
            pass

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    assert brain.messages == [
        {"role": "user", "content": [{"text": "Convert it"}]},
        {"role": "assistant", "content": [{"text": "Let me check."}]},
    ]


async def test_a_model_that_keeps_calling_tools_is_stopped() -> None:
    model = ScriptedTextModel([tool_round(f"t{i}", "convert_units", "{}") for i in range(2)])

    pieces = [piece async for piece in brain_for(model, max_tool_rounds=2).reply("Go", Tools())]

    assert pieces == [TOO_MANY_ROUNDS]


def test_settings_choose_the_strands_brain_with_a_bedrock_model() -> None:
    settings = LocalModelSettings(brain="strands", brain_region="us-east-1")

    brain = make_brain(settings, "You are Sous.", [CONVERT_SPEC])

    assert isinstance(brain, StrandsTextBrain)
    model = build_text_model(settings)
    assert isinstance(model, BedrockModel)
    assert model.get_config()["model_id"] == settings.brain_model_id


@pytest.mark.parametrize("provider", ["ollama", "openai"])
def test_other_providers_need_their_package(provider: str) -> None:
    settings = LocalModelSettings(brain="strands", brain_provider=provider)
    if importlib.util.find_spec(provider) is None:
        with pytest.raises(RuntimeError, match=rf"strands-agents\[{provider}\]"):
            build_text_model(settings)
    else:
        assert build_text_model(settings).get_config()["model_id"] == settings.brain_model_id
