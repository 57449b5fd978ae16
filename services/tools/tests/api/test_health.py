from __future__ import annotations

import httpx

from sous_tools.app import create_app
from sous_tools.config import Settings


async def test_healthy_when_redis_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_503_naming_the_cause_when_redis_is_down(settings: Settings) -> None:
    down = settings.model_copy(
        update={"redis_url": "redis://127.0.0.1:1/0", "redis_timeout_seconds": 0.5}
    )
    app = create_app(down)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tools") as http:
        response = await http.get("/health")
        timers = await http.get("/timers", params={"session_id": "s1"})
    assert response.status_code == 503
    assert "Redis" in response.json()["detail"]
    assert timers.status_code == 503
