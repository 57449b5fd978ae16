"""The agent's tools: Strands `@tool` functions that call the tools service over HTTP.

The session's id and the shared HTTP client reach the tools through the agent's invocation
state, never through the model: a model cannot read or cancel another session's timers.
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict
from urllib.parse import quote

import httpx
from strands import tool
from strands.types.tools import AgentTool, ToolContext

logger = logging.getLogger(__name__)

NOT_ANSWERING = "The tools service is not answering, so I can't look that up right now."
SESSION_ID = "session_id"
TOOLS_CLIENT = "tools_client"


class ToolOutput(TypedDict):
    status: str
    content: list[dict[str, Any]]


class ToolsServiceError(Exception):
    """The tools service could not give an answer; str() is a sentence for the user."""


class ToolsClient:
    """One shared `httpx.AsyncClient` for the process, with timeouts and one connect retry."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_seconds: float,
        connect_timeout_seconds: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout_seconds, connect=connect_timeout_seconds),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        """The JSON answer, or ToolsServiceError with a sentence the model can repeat."""
        response: httpx.Response | None = None
        for attempt in (1, 2):
            try:
                response = await self._http.request(method, path, json=json, params=params)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing reached the service, so a retry cannot repeat a side effect.
                logger.warning("tools service connect failed (attempt %d): %s", attempt, exc)
            except httpx.HTTPError as exc:
                logger.warning("tools service %s %s failed: %r", method, path, exc)
                raise ToolsServiceError(NOT_ANSWERING) from exc
        if response is None:
            raise ToolsServiceError(NOT_ANSWERING)
        if response.status_code >= 500:
            raise ToolsServiceError(
                f"The tools service had a problem (HTTP {response.status_code}); try again shortly."
            )
        if response.status_code >= 400:
            raise ToolsServiceError(_detail(response))
        if response.status_code == 204 or not response.content:
            return {}
        return response.json()


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, list):  # FastAPI validation errors
        detail = "; ".join(str(item.get("msg", item)) for item in detail if isinstance(item, dict))
    return (
        str(detail)
        if detail
        else f"The tools service refused the request ({response.status_code})."
    )


def _success(data: Any) -> ToolOutput:
    return {"status": "success", "content": [{"json": data}]}


def _error(message: str) -> ToolOutput:
    return {"status": "error", "content": [{"text": message}]}


async def _call(context: ToolContext, method: str, path: str, **kwargs: Any) -> ToolOutput:
    client: ToolsClient = context.invocation_state[TOOLS_CLIENT]
    try:
        return _success(await client.request(method, path, **kwargs))
    except ToolsServiceError as exc:
        return _error(str(exc))


def _session(context: ToolContext) -> str:
    return str(context.invocation_state[SESSION_ID])


@tool(context=True)
async def search_recipes(query: str, tool_context: ToolContext, limit: int = 3) -> ToolOutput:
    """Find recipes matching what the cook asks for (dish, ingredients, diet, time).

    Args:
        query: What to look for, e.g. "vegetarian pasta under 30 minutes".
        limit: How many recipes to return (1-10).
    """
    return await _call(
        tool_context, "GET", "/recipes/search", params={"q": query, "limit": max(1, min(limit, 10))}
    )


@tool(context=True)
async def get_recipe(recipe_id: str, tool_context: ToolContext) -> ToolOutput:
    """Get one recipe with its ingredients and steps.

    Args:
        recipe_id: The id of a recipe from search_recipes.
    """
    return await _call(tool_context, "GET", f"/recipes/{quote(recipe_id, safe='')}")


@tool(context=True)
async def convert_units(
    quantity: float,
    from_unit: str,
    to_unit: str,
    tool_context: ToolContext,
    ingredient: str | None = None,
) -> ToolOutput:
    """Convert a kitchen quantity between units (volume, weight, temperature).

    Args:
        quantity: The amount, e.g. 2.5.
        from_unit: The unit the cook has, e.g. "cup", "tbsp", "F".
        to_unit: The unit wanted, e.g. "g", "ml", "C".
        ingredient: Needed between volume and weight, e.g. "flour".
    """
    body: dict[str, Any] = {"quantity": quantity, "from_unit": from_unit, "to_unit": to_unit}
    if ingredient:
        body["ingredient"] = ingredient
    return await _call(tool_context, "POST", "/convert", json=body)


@tool(context=True)
async def lookup_nutrition(
    food: str,
    tool_context: ToolContext,
    quantity: float | None = None,
    unit: str | None = None,
) -> ToolOutput:
    """Nutrition facts (calories, protein, fat, carbs, ...) for an amount of a food.

    Args:
        food: The food, e.g. "egg" or "banana".
        quantity: How many or how much; the food's usual portion when omitted.
        unit: The portion or unit, e.g. "large", "cup", "g".
    """
    body: dict[str, Any] = {"food": food}
    if quantity is not None:
        body["quantity"] = quantity
    if unit:
        body["unit"] = unit
    return await _call(tool_context, "POST", "/nutrition/lookup", json=body)


@tool(context=True)
async def set_timer(label: str, duration_seconds: int, tool_context: ToolContext) -> ToolOutput:
    """Start a kitchen timer; the cook is told out loud when it is done.

    Args:
        label: What the timer is for, e.g. "pasta".
        duration_seconds: How long, in seconds.
    """
    body = {
        "session_id": _session(tool_context),
        "label": label,
        "duration_seconds": duration_seconds,
    }
    return await _call(tool_context, "POST", "/timers", json=body)


@tool(context=True)
async def list_timers(tool_context: ToolContext) -> ToolOutput:
    """List this cook's timers with the time left on each."""
    return await _call(
        tool_context, "GET", "/timers", params={"session_id": _session(tool_context)}
    )


@tool(context=True)
async def cancel_timer(
    tool_context: ToolContext, timer_id: str | None = None, label: str | None = None
) -> ToolOutput:
    """Cancel one of this cook's timers, by id or by label (or the only one running).

    Args:
        timer_id: The timer's id, when known.
        label: The timer's label, e.g. "pasta".
    """
    client: ToolsClient = tool_context.invocation_state[TOOLS_CLIENT]
    try:
        timer = await find_timer(client, _session(tool_context), timer_id=timer_id, label=label)
        cancelled = await client.request("DELETE", f"/timers/{quote(timer['id'], safe='')}")
    except ToolsServiceError as exc:
        return _error(str(exc))
    return _success(cancelled or {**timer, "status": "cancelled"})


async def find_timer(
    client: ToolsClient, session_id: str, *, timer_id: str | None, label: str | None
) -> dict[str, Any]:
    """This session's running timer with that id or label; ToolsServiceError if none fits."""
    listing = await client.request("GET", "/timers", params={"session_id": session_id})
    timers: list[dict[str, Any]] = listing.get("timers", [])
    running = [t for t in timers if t.get("status", "running") == "running"]
    if timer_id:
        matches = [t for t in running if t.get("id") == timer_id]
    elif label:
        wanted = label.strip().lower()
        matches = [t for t in running if str(t.get("label", "")).lower() == wanted]
    else:
        matches = running
    if len(matches) == 1:
        return matches[0]
    if not matches:
        what = f" called {label}" if label and not timer_id else ""
        raise ToolsServiceError(f"There is no running timer{what}.")
    labels = ", ".join(str(t.get("label")) for t in matches)
    raise ToolsServiceError(f"Several timers are running ({labels}); say which one to cancel.")


ALL_TOOLS: list[AgentTool] = [
    search_recipes,
    get_recipe,
    convert_units,
    lookup_nutrition,
    set_timer,
    list_timers,
    cancel_timer,
]
