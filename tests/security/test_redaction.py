"""TURN credentials and bearer tokens never appear in any service's log, even at DEBUG."""

from __future__ import annotations

import json
import secrets

import httpx
import pytest
from stack_fixtures import StackFactory
from voice_client import VoiceClient

from stack import free_port

pytestmark = pytest.mark.slow


async def test_turn_credentials_and_tokens_stay_out_of_the_logs(stack_on: StackFactory) -> None:
    token = f"tok-{secrets.token_hex(16)}"
    turn_user = f"user-{secrets.token_hex(8)}"
    turn_password = f"pw-{secrets.token_hex(16)}"
    # A TURN server address where nothing listens: the agent tries it, and no relay is needed.
    turn_url = f"turn:127.0.0.1:{free_port()}?transport=udp"
    stack, log = stack_on(
        model="echo",
        env={
            "AUTH_MODE": "token",
            "AUTH_TOKEN": token,
            "ICE_SERVERS": json.dumps(
                [{"urls": [turn_url], "username": turn_user, "credential": turn_password}]
            ),
            "LOG_LEVEL": "DEBUG",
        },
    )
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=stack.url, headers=headers, timeout=60) as http:
        cook = VoiceClient(http)
        created = await http.post("/api/sessions")
        assert created.status_code == 201, created.text
        # The browser does get the credentials: that is what they are for.
        assert created.json()["ice_servers"][0]["credential"] == turn_password
        cook.session_id = created.json()["session_id"]
        await cook.connect()
        await cook.close()
        wrong = await http.post("/api/sessions", headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401
    logged = log.tail(100_000)
    assert "DEBUG" in logged  # the agent really logged at its most verbose
    for secret in (token, turn_user, turn_password):
        assert secret not in logged
