"""Nova Sonic offline: construction, tool wiring, event mapping, surviving its 8-minute limit."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from media_agent_support import ScriptedModel, connect, eventually
from strands.bidi.agent.agent import BidiAgent
from strands.bidi.models import ConnectionTimeoutError
from strands.bidi.models.bedrock import BedrockNovaSonicModel
from strands.bidi.models.bedrock import _ResponseState as NovaResponseState

from sous_media_agent import events, tools
from sous_media_agent.agent_events import EventsOutput
from sous_media_agent.app import create_app
from sous_media_agent.config import Settings
from sous_media_agent.models import build_model
from sous_media_agent.models.nova_sonic import announcement_prompt
from sous_media_agent.turn_metrics import TurnMetrics


def nova_settings(**overrides: Any) -> Settings:
    return Settings(
        model="nova-sonic", aws_region="eu-north-1", nova_sonic_voice="tiffany", **overrides
    )


def test_built_from_settings_with_16khz_audio() -> None:
    model = build_model(nova_settings())
    assert isinstance(model, BedrockNovaSonicModel)
    assert model.model_id == "amazon.nova-2-sonic-v1:0"
    assert model.region == "eu-north-1"
    assert model.get_connection_config() == {"restart_after_s": 420}
    audio = model.get_audio_config()
    assert audio["input"]["sample_rate"] == audio["output"]["sample_rate"] == 16000
    assert audio["input"]["channels"] == audio["output"]["channels"] == 1


def test_restart_deadline_is_a_setting_below_the_8_minute_limit() -> None:
    model = build_model(nova_settings(nova_sonic_restart_after_seconds=300))
    assert model.get_connection_config()["restart_after_s"] == 300
    with pytest.raises(ValueError):
        nova_settings(nova_sonic_restart_after_seconds=480)


def test_prompt_start_carries_the_voice_and_every_tool() -> None:
    model = build_model(nova_settings())
    assert isinstance(model, BedrockNovaSonicModel)
    agent = BidiAgent(model=model, tools=list(tools.ALL_TOOLS))
    model._connection_id = "connection-1"
    prompt = json.loads(model._get_prompt_start_event(agent.tool_registry.get_all_tool_specs()))
    start = prompt["event"]["promptStart"]
    assert start["audioOutputConfiguration"]["voiceId"] == "tiffany"
    assert start["audioOutputConfiguration"]["sampleRateHertz"] == 16000
    specs = {t["toolSpec"]["name"]: t["toolSpec"] for t in start["toolConfiguration"]["tools"]}
    assert set(specs) == set(events.TOOL_NAMES)
    set_timer = json.loads(specs["set_timer"]["inputSchema"]["json"])
    assert set(set_timer["properties"]) == {"label", "duration_seconds"}  # no session_id


async def test_nova_tool_use_becomes_a_tool_call_event() -> None:
    model = build_model(nova_settings())
    assert isinstance(model, BedrockNovaSonicModel)
    nova_event = {
        "toolUse": {
            "toolUseId": "tooluse_1",
            "toolName": "convert_units",
            "content": json.dumps({"quantity": 2, "from_unit": "cup", "to_unit": "g"}),
        }
    }
    sent: list[events.Event] = []
    output = EventsOutput(sent.append, TurnMetrics("s", sent.append))
    for event in model._convert_nova_event(nova_event, NovaResponseState(connection_id="c")):
        await output(event)
    assert sent == [
        events.tool_call(
            "tooluse_1", "convert_units", {"quantity": 2, "from_unit": "cup", "to_unit": "g"}
        )
    ]


def test_announcements_are_asked_for_as_text() -> None:
    prompt = announcement_prompt("Your pasta timer is done.")
    assert prompt.endswith("Tell the cook exactly this: Your pasta timer is done.")


async def test_a_connection_timeout_restarts_the_model_and_the_session_goes_on(
    app: FastAPI, http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, "long-session")
    try:
        model = models[0]
        model.echo = False
        client.send({"v": 1, "type": "text", "text": "before"})
        await client.wait_for_event(lambda e: e.get("text") == "you said before")
        # What Nova Sonic raises when its connection hits the 8-minute limit.
        model.emit(ConnectionTimeoutError("connection limit reached"))
        client.send({"v": 1, "type": "text", "text": "after"})
        await client.wait_for_event(lambda e: e.get("text") == "you said after")
        assert (model.started, model.stopped) == (2, 1)
        assert app.state.sessions.get("long-session") is not None
        assert not [e for e in client.events if e["type"] == "error"]
    finally:
        await client.close()


class ScheduledRestartModel(ScriptedModel):
    """Declares a connection limit, like Nova Sonic's `restart_after_s`."""

    def get_config(self) -> Any:
        return {"model_id": "scripted", "connection": {"restart_after_s": 1}}


async def test_a_scheduled_restart_keeps_the_session(settings: Settings) -> None:
    built: list[ScheduledRestartModel] = []

    def make_model(on_turn_metrics: Any) -> ScheduledRestartModel:
        built.append(ScheduledRestartModel(on_turn_metrics))
        return built[-1]

    application = create_app(settings, make_model=make_model)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://agent") as http:
            client = await connect(http, "scheduled")
            try:
                built[0].echo = False
                assert await eventually(lambda: built[0].started >= 2, within=5)
                client.send({"v": 1, "type": "text", "text": "still here"})
                await client.wait_for_event(lambda e: e.get("text") == "you said still here")
                assert application.state.sessions.count == 1
            finally:
                await client.close()
