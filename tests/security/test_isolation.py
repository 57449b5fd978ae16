"""Sessions are isolated: unguessable ids, and one cook never sees or touches another's
transcripts, events or timers (two concurrent cooks on the same agent)."""

from __future__ import annotations

import asyncio
import base64
import re
import secrets

import httpx
import pytest
from voice_client import VoiceClient, is_type

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow


async def test_session_ids_carry_256_random_bits_and_guesses_get_404(
    local_stack: tuple[Stack, StackLog],
) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        ids = []
        for _ in range(2):  # each counts against the agent's capacity until its next heartbeat
            created = await http.post("/api/sessions")
            assert created.status_code == 201, created.text
            ids.append(created.json()["session_id"])
        for session_id in ids:
            assert re.fullmatch(r"[A-Za-z0-9_-]{43}", session_id)
            assert len(base64.urlsafe_b64decode(session_id + "=")) * 8 == 256
        assert len(set(ids)) == len(ids)
        # A well-formed guess (or a near miss of a real id) reaches nothing.
        for guess in (secrets.token_urlsafe(32), ids[0][:-1] + ("A" if ids[0][-1] != "A" else "B")):
            for response in (
                await http.get(f"/api/sessions/{guess}/ice"),
                await http.post(f"/api/sessions/{guess}/ice", json={"candidate": ""}),
                await http.post(
                    f"/api/sessions/{guess}/offer", json={"sdp": "v=0", "type": "offer"}
                ),
            ):
                assert response.status_code in (400, 404), response.text
        for session_id in ids:
            assert (await http.delete(f"/api/sessions/{session_id}")).status_code == 204


async def test_two_cooks_never_see_or_touch_each_others_conversation(
    local_stack: tuple[Stack, StackLog],
) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        ana, ben = VoiceClient(http), VoiceClient(http)
        await asyncio.gather(ana.connect(), ben.connect())
        await asyncio.gather(
            ana.ask("Set a timer for 8 minutes for the pasta.", spoken=False),
            ben.ask("Set a timer for 5 minutes for the rice.", spoken=False),
        )
        pasta = (await ana.wait_for(is_type("timer", action="set")))["timer"]
        rice = (await ben.wait_for(is_type("timer", action="set")))["timer"]

        # Ana asks about her timers, then tries to cancel Ben's by label and by id.
        listed = await ana.ask("What timers do I have?", spoken=False)
        assert "pasta" in listed.answer and "rice" not in listed.answer
        refused = await ana.ask("Cancel the rice timer.", spoken=False)
        assert "no running timer" in refused.answer.lower()
        mark = len(ana.events)
        ana.send({"v": 1, "type": "cancel_timer", "timer_id": rice["id"]})
        assert "no running timer" in (await ana.wait_for(is_type("error"), after=mark))["message"]

        timers = await http.get(f"{stack.tools_url}/timers/{rice['id']}")
        assert timers.json()["status"] == "running"
        # Each saw only their own words and timers.
        assert rice["id"] not in str(ana.events) and pasta["id"] not in str(ben.events)
        assert {e["timer"]["label"] for e in ana.events if e["type"] == "timer"} == {"pasta"}
        assert {e["timer"]["label"] for e in ben.events if e["type"] == "timer"} == {"rice"}
        assert not [e for e in ana.events if "rice timer is set" in str(e.get("text", ""))]
        assert not [e for e in ben.events if "pasta" in str(e.get("text", ""))]
        # Ben can still cancel his own.
        ben.send({"v": 1, "type": "cancel_timer", "timer_id": rice["id"]})
        await ben.wait_for(is_type("timer", action="cancelled"))
        await asyncio.gather(ana.close(), ben.close())
