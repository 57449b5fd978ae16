"""The assembled app: health, the built frontend at /, CORS, OpenAPI, and Redis outages."""

from __future__ import annotations

import socket
from pathlib import Path

from services.signaling.tests.conftest import AppClientFactory


async def test_health_reports_the_router(app_client: AppClientFactory) -> None:
    async with app_client() as client:
        response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "router": "local"}


async def test_a_redis_outage_is_503_with_a_message(app_client: AppClientFactory) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_redis = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    async with app_client(REDIS_URL=dead_redis) as client:
        health = await client.get("/health")
        create = await client.post("/api/sessions")
    for response in (health, create):
        assert response.status_code == 503
        assert response.json() == {
            "detail": "The session store (Redis) is not answering. Try again shortly."
        }


async def test_the_built_frontend_is_served_at_the_root(
    app_client: AppClientFactory, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Sous</title>")
    (dist / "assets" / "app.js").write_text("console.log('sous')")
    async with app_client(FRONTEND_DIR=dist) as client:
        page = await client.get("/")
        script = await client.get("/assets/app.js")
        api = await client.get("/health")
    assert page.status_code == 200
    assert "<title>Sous</title>" in page.text
    assert script.text == "console.log('sous')"
    assert api.json()["status"] == "ok", "API routes win over files"


async def test_without_a_build_the_root_is_404(app_client: AppClientFactory) -> None:
    async with app_client() as client:
        response = await client.get("/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_cors_admits_configured_origins_only(app_client: AppClientFactory) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    async with app_client(CORS_ORIGINS="https://sous.example") as client:
        allowed = await client.options(
            "/api/sessions", headers={"Origin": "https://sous.example", **preflight}
        )
        refused = await client.options(
            "/api/sessions", headers={"Origin": "https://evil.example", **preflight}
        )
        simple = await client.get("/health", headers={"Origin": "https://evil.example"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://sous.example"
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in simple.headers


async def test_the_api_is_published_as_openapi(app_client: AppClientFactory) -> None:
    async with app_client() as client:
        spec = (await client.get("/openapi.json")).json()
    assert set(spec["paths"]) == {
        "/health",
        "/api/config",
        "/api/sessions",
        "/api/sessions/{session_id}/offer",
        "/api/sessions/{session_id}/ice",
        "/api/sessions/{session_id}",
    }
    assert "410" in spec["paths"]["/api/sessions/{session_id}/offer"]["post"]["responses"]
