"""A whole session through the real app: aiortc client ↔ agent, scripted voice model."""

from __future__ import annotations

import asyncio
import time

import httpx
from fastapi import FastAPI
from media_agent_support import ClientPeer, ScriptedModel, connect, eventually, invoke

from sous_media_agent.tools import NOT_ANSWERING

SESSION = "s" * 43


async def test_audio_sent_by_the_client_comes_back(
    http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        start = time.monotonic()
        assert await eventually(lambda: client.loud_since(start) >= 25), "no echoed tone came back"
        assert models[0].audio_bytes_in > 16000  # over 0.5 s of 16 kHz PCM16 reached the model
    finally:
        await client.close()


async def test_silence_when_the_model_is_quiet(
    http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        models[0].echo = False
        await asyncio.sleep(0.5)
        since = time.monotonic()
        await asyncio.sleep(0.6)
        received = [level for at, level in client.levels if at >= since]
        assert len(received) >= 20, "frames keep flowing while idle"
        assert max(received) < 50
    finally:
        await client.close()


async def test_typed_question_is_answered_with_events_and_metrics(
    http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        models[0].echo = False
        await client.wait_for_event(lambda e: e == {"v": 1, "type": "state", "value": "listening"})
        client.send({"v": 1, "type": "text", "text": "  how long do eggs boil  "})
        await client.wait_for_event(lambda e: e == {"v": 1, "type": "state", "value": "thinking"})
        final = await client.wait_for_event(
            lambda e: e["type"] == "transcript" and e["role"] == "assistant" and e["final"]
        )
        assert final["text"] == "you said how long do eggs boil"
        user = await client.wait_for_event(
            lambda e: e["type"] == "transcript" and e["role"] == "user"
        )
        assert user["text"] == "how long do eggs boil"
        metrics = await client.wait_for_event(lambda e: e["type"] == "metrics")
        assert metrics["turn"] == 1
        assert 0 < metrics["latency_ms"] < 2000
        assert metrics["stages"] == {"stt_ms": 1.0, "brain_ms": 2.0}
        speaking = await client.wait_for_event(
            lambda e: e["type"] == "state" and e["value"] == "speaking"
        )
        after = client.events.index(speaking)
        await client.wait_for_event(
            lambda e: e["type"] == "state" and e["value"] == "listening", start=after
        )
        assert models[0].texts == ["how long do eggs boil"]
    finally:
        await client.close()


async def test_tool_call_with_tools_service_down_reports_an_error_result(
    http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        models[0].echo = False
        client.send(
            {
                "v": 1,
                "type": "text",
                "text": 'tool:set_timer {"label": "pasta", "duration_seconds": 480}',
            }
        )
        call = await client.wait_for_event(lambda e: e["type"] == "tool_call")
        assert call["name"] == "set_timer"
        assert call["input"] == {"label": "pasta", "duration_seconds": 480}
        result = await client.wait_for_event(lambda e: e["type"] == "tool_result", within=5)
        assert result["id"] == call["id"]
        assert result["status"] == "error"
        assert "not answering" in result["output"]["message"]
        await client.wait_for_event(lambda e: e["type"] == "transcript" and e["text"] == "done")
        assert models[0].tool_results[0].status == "error"
    finally:
        await client.close()


async def test_barge_in_empties_the_answer_at_once(
    app: FastAPI, http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        model = models[0]
        model.echo = False
        model.say("a long answer", seconds=5)
        session = app.state.sessions.get(SESSION)
        track = session.output_track
        await client.wait_for_event(lambda e: e == {"v": 1, "type": "state", "value": "speaking"})
        # The agent hands the answer's chunks over one at a time: wait until seconds of it queue.
        for _ in range(500):
            if track.queued_samples > 48000:
                break
            await asyncio.sleep(0.01)
        assert track.queued_samples > 48000
        seen = len(client.events)
        model.barge_in()
        await client.wait_for_event(
            lambda e: e == {"v": 1, "type": "state", "value": "listening"}, start=seen
        )
        assert track.queued_samples == 0
        await asyncio.sleep(0.3)  # let frames already in flight drain
        since = time.monotonic()
        await asyncio.sleep(0.5)
        assert client.loud_since(since) == 0, "answer audio still playing after barge-in"
    finally:
        await client.close()


async def test_malformed_messages_get_an_error_and_the_session_continues(
    http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        models[0].echo = False
        client.send("{not json")
        client.send({"v": 1, "type": "dance"})
        client.send({"v": 2, "type": "text", "text": "hi"})
        client.send({"v": 1, "type": "text", "text": "   "})
        client.send({"v": 1, "type": "text", "text": "x" * 20000})
        await asyncio.sleep(0.5)
        errors = [e["message"] for e in client.events if e["type"] == "error"]
        assert len(errors) == 5, errors
        assert "JSON" in errors[0]
        assert "'dance'" in errors[1]
        assert '"v": 1' in errors[2]
        assert "empty" in errors[3]
        assert "too large" in errors[4]
        client.send({"v": 1, "type": "text", "text": "still there?"})
        await client.wait_for_event(lambda e: e.get("text") == "you said still there?")
    finally:
        await client.close()


async def test_close_stops_the_model_and_frees_capacity(
    app: FastAPI, http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        assert (await http.get("/ping")).json() == {"status": "HealthyBusy"}
        response = await invoke(http, "close", SESSION)
        assert response.json() == {"status": "closed"}
        assert app.state.sessions.count == 0
        assert models[0].stopped == 1
        assert (await http.get("/ping")).json() == {"status": "Healthy"}
    finally:
        await client.close()


async def test_client_hangup_closes_the_session(
    app: FastAPI, http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    await client.close()
    assert await eventually(lambda: app.state.sessions.count == 0, within=15)
    assert models[0].stopped == 1


async def test_cancel_button_with_tools_service_down_shows_an_error(
    http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = await connect(http, SESSION)
    try:
        models[0].echo = False
        client.send({"v": 1, "type": "cancel_timer", "timer_id": "8f0c2f1e"})
        error = await client.wait_for_event(lambda e: e["type"] == "error")
        assert error["message"] == NOT_ANSWERING
    finally:
        await client.close()


def _trickled(offer: dict[str, str]) -> tuple[dict[str, str], list[dict[str, object]]]:
    """The offer without its candidates (a trickling browser's), and those candidates."""
    lines = offer["sdp"].split("\r\n")
    candidates = [
        {"candidate": line.removeprefix("a="), "sdpMid": "0", "sdpMLineIndex": 0}
        for line in lines
        if line.startswith("a=candidate:")
    ]
    kept = [line for line in lines if not line.startswith(("a=candidate:", "a=end-of-candidates"))]
    return {**offer, "sdp": "\r\n".join(kept)}, candidates


async def test_end_of_candidates_before_any_candidate_does_not_fail_the_session(
    app: FastAPI, http: httpx.AsyncClient, models: list[ScriptedModel]
) -> None:
    client = ClientPeer()
    try:
        offer, candidates = _trickled(await client.offer())
        answer = await invoke(http, "offer", SESSION, offer)
        assert answer.status_code == 200, answer.text
        end = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
        # End-of-candidates overtook the client's candidates on the way here.
        for data in [end, *candidates, end]:
            added = await invoke(http, "ice_candidate", SESSION, data)
            assert added.status_code == 200, added.text
        await client.accept(answer.json())
        await asyncio.wait_for(client.channel_open.wait(), 15)
        assert app.state.sessions.get(SESSION).peer.connectionState == "connected"
    finally:
        await client.close()
