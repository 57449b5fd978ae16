"""Every service refuses oversized bodies with 413 and a JSON reason, declared or streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow

SIGNALING_BODY_LIMIT = 262_144  # MAX_BODY_BYTES
SDP_LIMIT = 65_536  # MAX_SDP_BYTES
TOOLS_BODY_LIMIT = 16 * 1024
AGENT_BODY_LIMIT = 64 * 1024  # MAX_INVOCATION_BYTES


async def streamed(size: int) -> AsyncIterator[bytes]:
    """A chunked body with no Content-Length: the limit must be counted as it arrives."""
    sent = 0
    while sent < size:
        chunk = b" " * min(8192, size - sent)
        sent += len(chunk)
        yield chunk


async def test_oversized_bodies_get_413(local_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = local_stack
    async with httpx.AsyncClient(timeout=30) as http:
        session = (await http.post(f"{stack.url}/api/sessions")).json()["session_id"]
        offer_url = f"{stack.url}/api/sessions/{session}/offer"
        cases = {
            "signaling, declared": http.post(
                offer_url,
                content=b"{" + b" " * SIGNALING_BODY_LIMIT + b"}",
                headers={"Content-Type": "application/json"},
            ),
            "signaling, streamed": http.post(
                offer_url,
                content=streamed(SIGNALING_BODY_LIMIT + 1),
                headers={"Content-Type": "application/json"},
            ),
            "signaling, SDP over its own limit": http.post(
                offer_url, json={"sdp": "v=0\r\n" + "a=x\r\n" * (SDP_LIMIT // 5), "type": "offer"}
            ),
            "tools, declared": http.post(
                f"{stack.tools_url}/convert",
                json={"quantity": 1, "from_unit": "cup", "to_unit": "g", "ingredient": "x" * 20000},
            ),
            "tools, streamed": http.post(
                f"{stack.tools_url}/timers",
                content=streamed(TOOLS_BODY_LIMIT + 1),
                headers={"Content-Type": "application/json"},
            ),
            "agent, declared": http.post(
                f"{stack.agent_url()}/invocations",
                json={"action": "offer", "session_id": session, "data": {"sdp": "x" * 70000}},
            ),
            "agent, streamed": http.post(
                f"{stack.agent_url()}/invocations",
                content=streamed(AGENT_BODY_LIMIT + 1),
                headers={"Content-Type": "application/json"},
            ),
        }
        for case, request in cases.items():
            answer = await request
            assert answer.status_code == 413, (case, answer.text)
            assert "limit" in answer.json()["detail"] or "larger" in answer.json()["detail"], case
        assert (await http.delete(f"{stack.url}/api/sessions/{session}")).status_code == 204
