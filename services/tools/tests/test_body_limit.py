from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

BIG = 16 * 1024 + 1


async def test_declared_oversized_body_is_413_before_parsing(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/convert", content=b"{" + b" " * BIG, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "16384 bytes" in response.json()["detail"]


async def test_streamed_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(BIG // 1024 + 1):
            yield b" " * 1024

    response = await client.post(
        "/timers", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_bodies_under_the_limit_pass(client: httpx.AsyncClient) -> None:
    padded = b'{"quantity": 1, "from_unit": "cup", "to_unit": "ml"}' + b" " * 15000
    response = await client.post(
        "/convert", content=padded, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
