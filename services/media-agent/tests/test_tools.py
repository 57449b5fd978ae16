"""The agent's tools over real HTTP: results, the tools service's errors, down and slow."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException, Request
from media_agent_support import ScriptedModel, free_port, serve
from strands.bidi.agent.agent import BidiAgent
from strands.types.tools import AgentTool

from sous_media_agent import tools
from sous_media_agent.tools import NOT_ANSWERING, ToolsClient

SESSION = "session-abc"


def tools_service(requests: list[tuple[str, str, Any]]) -> FastAPI:
    """A tools service speaking the issue's contract, recording what it was asked."""
    app = FastAPI()
    timers = [
        {"id": "t-pasta", "session_id": SESSION, "label": "pasta", "status": "running"},
        {"id": "t-eggs", "session_id": SESSION, "label": "eggs", "status": "running"},
    ]

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Any:
        body = (await request.body()).decode() or None
        requests.append((request.method, str(request.url.path), dict(request.query_params) or body))
        return await call_next(request)

    @app.post("/convert")
    async def convert(body: dict[str, Any]) -> dict[str, Any]:
        if body["from_unit"] == "smidgen":
            raise HTTPException(422, "Unknown unit 'smidgen'; did you mean 'pinch'?")
        return {"quantity": 250.0, "unit": "g", "text": "2 cups of flour is about 250 g"}

    @app.get("/recipes/search")
    async def slow_search(q: str, limit: int) -> dict[str, Any]:
        await asyncio.sleep(3)
        return {"results": []}

    @app.get("/recipes/{recipe_id}")
    async def recipe(recipe_id: str) -> dict[str, Any]:
        raise HTTPException(404, f"No recipe with id {recipe_id!r}.")

    @app.get("/timers")
    async def list_timers(session_id: str) -> dict[str, Any]:
        return {"timers": [t for t in timers if t["session_id"] == session_id]}

    @app.delete("/timers/{timer_id}")
    async def cancel(timer_id: str) -> dict[str, Any]:
        return next(t for t in timers if t["id"] == timer_id) | {"status": "cancelled"}

    @app.post("/timers", status_code=201)
    async def create(body: dict[str, Any]) -> dict[str, Any]:
        return body | {"id": "t-new", "status": "running"}

    @app.post("/nutrition/lookup")
    async def broken(body: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("database exploded")

    return app


@pytest.fixture
def requests() -> list[tuple[str, str, Any]]:
    return []


@pytest.fixture
async def client(requests: list[tuple[str, str, Any]]) -> AsyncIterator[ToolsClient]:
    async with serve(tools_service(requests)) as url:
        tools_client = ToolsClient(url, timeout_seconds=1, connect_timeout_seconds=0.5)
        yield tools_client
        await tools_client.aclose()


async def call(
    tool: AgentTool, tools_client: ToolsClient, session_id: str = SESSION, **tool_input: Any
) -> dict[str, Any]:
    """Run a tool the way the agent does: its stream with the session's invocation state."""
    state = {
        "agent": BidiAgent(model=ScriptedModel(), tools=list(tools.ALL_TOOLS)),
        tools.SESSION_ID: session_id,
        tools.TOOLS_CLIENT: tools_client,
    }
    result: Any = None
    async for event in tool.stream(
        {"toolUseId": "u1", "name": tool.tool_name, "input": tool_input}, state
    ):
        result = event
    return dict(result["tool_result"])


async def test_success_is_the_services_json(
    client: ToolsClient, requests: list[tuple[str, str, Any]]
) -> None:
    result = await call(
        tools.convert_units, client, quantity=2, from_unit="cup", to_unit="g", ingredient="flour"
    )
    assert result["status"] == "success"
    assert result["content"] == [
        {"json": {"quantity": 250.0, "unit": "g", "text": "2 cups of flour is about 250 g"}}
    ]
    assert requests == [
        (
            "POST",
            "/convert",
            '{"quantity":2.0,"from_unit":"cup","to_unit":"g","ingredient":"flour"}',
        )
    ]


async def test_service_4xx_detail_reaches_the_model(client: ToolsClient) -> None:
    result = await call(tools.convert_units, client, quantity=1, from_unit="smidgen", to_unit="g")
    assert result == {
        "toolUseId": "u1",
        "status": "error",
        "content": [{"text": "Unknown unit 'smidgen'; did you mean 'pinch'?"}],
    }
    result = await call(tools.get_recipe, client, recipe_id="no such recipe")
    assert result["content"] == [{"text": "No recipe with id 'no such recipe'."}]


async def test_service_5xx_is_an_error_result(client: ToolsClient) -> None:
    result = await call(tools.lookup_nutrition, client, food="egg")
    assert result["status"] == "error"
    assert "HTTP 500" in result["content"][0]["text"]


async def test_timers_use_the_sessions_id_not_the_models(
    client: ToolsClient, requests: list[tuple[str, str, Any]]
) -> None:
    spec = tools.set_timer.tool_spec["inputSchema"]["json"]
    assert "session_id" not in spec["properties"]
    assert "tool_context" not in spec["properties"]
    result = await call(tools.set_timer, client, label="pasta", duration_seconds=480)
    assert result["content"][0]["json"]["session_id"] == SESSION
    await call(tools.list_timers, client)
    assert requests[-1] == ("GET", "/timers", {"session_id": SESSION})


async def test_cancel_timer_by_label_and_ownership(
    client: ToolsClient, requests: list[tuple[str, str, Any]]
) -> None:
    result = await call(tools.cancel_timer, client, label="Pasta")
    assert result["content"][0]["json"]["status"] == "cancelled"
    assert requests[-1][:2] == ("DELETE", "/timers/t-pasta")
    ambiguous = await call(tools.cancel_timer, client)
    assert ambiguous["content"][0]["text"] == (
        "Several timers are running (pasta, eggs); say which one to cancel."
    )
    # Another session's timer id is not found in this session's list: nothing is deleted.
    requests.clear()
    stranger = await call(tools.cancel_timer, client, session_id="intruder", timer_id="t-pasta")
    assert stranger["content"][0]["text"] == "There is no running timer."
    assert [r[0] for r in requests] == ["GET"]


async def test_tools_service_down_answers_quickly() -> None:
    client = ToolsClient(
        f"http://127.0.0.1:{free_port()}", timeout_seconds=5, connect_timeout_seconds=1
    )
    started = time.monotonic()
    result = await call(tools.search_recipes, client, query="soup")
    assert time.monotonic() - started < 1.0
    assert result["status"] == "error"
    assert result["content"] == [{"text": NOT_ANSWERING}]
    await client.aclose()


async def test_slow_tools_service_times_out(client: ToolsClient) -> None:
    started = time.monotonic()
    result = await call(tools.search_recipes, client, query="soup")
    elapsed = time.monotonic() - started
    assert result["content"] == [{"text": NOT_ANSWERING}]
    assert 0.9 <= elapsed < 2.5  # the 1 s timeout, without a retry of a request that was sent
