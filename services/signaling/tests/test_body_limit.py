"""Oversized request bodies are refused with 413 before anything parses them."""

from __future__ import annotations

from collections.abc import AsyncIterator

from services.signaling.tests.conftest import AppClientFactory

LIMIT = 4096


async def test_a_declared_oversized_body_is_413(app_client: AppClientFactory) -> None:
    async with app_client(MAX_SDP_BYTES=LIMIT, MAX_BODY_BYTES=LIMIT) as client:
        response = await client.post(
            "/api/sessions/whatever/offer",
            content=b"x" * (LIMIT + 1),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json() == {"detail": f"The request body is larger than the {LIMIT}-byte limit."}


async def test_a_streamed_oversized_body_is_413(app_client: AppClientFactory) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"y" * 1024  # no Content-Length: counted as it arrives

    async with app_client(MAX_SDP_BYTES=LIMIT, MAX_BODY_BYTES=LIMIT) as client:
        response = await client.post("/api/sessions/whatever/ice", content=chunks())
    assert response.status_code == 413
    assert "4096-byte limit" in response.json()["detail"]


async def test_bodies_within_the_limit_reach_the_api(app_client: AppClientFactory) -> None:
    async with app_client(MAX_SDP_BYTES=LIMIT, MAX_BODY_BYTES=LIMIT) as client:
        response = await client.post(
            "/api/sessions/whatever/ice", json={"candidate": "", "sdpMid": "0"}
        )
    assert response.status_code == 404  # got past the limit, to the session lookup
