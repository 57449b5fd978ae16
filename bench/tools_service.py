"""Tools service throughput: requests per second and p99 latency per endpoint, with wrk.

Each endpoint gets its own closed-loop run (after a short warm-up) against the real service
(one uvicorn worker, its own Redis); requests cycle through a few realistic bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from . import machine, wrk
from .results import Section, Table
from .settings import BenchSettings
from .system import System
from .wrk import Request

NAME = "tools"
WARM_UP_SECONDS = 1


@dataclass(frozen=True)
class Plan:
    seconds: int
    connections: int
    warm_up: bool


PLANS = {
    "quick": Plan(seconds=1, connections=16, warm_up=False),
    "full": Plan(seconds=6, connections=16, warm_up=True),
}

CONVERSIONS: list[dict[str, Any]] = [
    {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"},
    {"quantity": 350, "from_unit": "degrees fahrenheit", "to_unit": "celsius"},
    {"quantity": 1, "from_unit": "tablespoon", "to_unit": "teaspoon"},
    {"quantity": 200, "from_unit": "g", "to_unit": "oz", "ingredient": "butter"},
]
FOODS: list[dict[str, Any]] = [
    {"food": "egg", "quantity": 2, "unit": "large"},
    {"food": "banana"},
    {"food": "cooked rice", "quantity": 1, "unit": "cup"},
    {"food": "olive oil", "quantity": 1, "unit": "tablespoon"},
]
SEARCHES = ["chicken lemon", "vegetarian pasta under 30 minutes", "vegan curry", "pancakes"]
TIMER_SESSIONS = 5000


def endpoints(recipe_ids: list[str]) -> dict[str, list[Request]]:
    return {
        "GET /health": [Request("GET", "/health")],
        "POST /convert": [Request("POST", "/convert", body) for body in CONVERSIONS],
        "POST /nutrition/lookup": [Request("POST", "/nutrition/lookup", b) for b in FOODS],
        "GET /recipes/search": [
            Request("GET", f"/recipes/search?q={quote(q)}&limit=5") for q in SEARCHES
        ],
        "GET /recipes/{id}": [Request("GET", f"/recipes/{quote(i)}") for i in recipe_ids],
        "POST /timers": [
            Request(
                "POST",
                "/timers",
                {"session_id": f"bench-{i}", "label": "bench", "duration_seconds": 3600},
            )
            for i in range(TIMER_SESSIONS)
        ],
        "GET /timers?session_id=": [
            Request("GET", f"/timers?session_id=bench-{i}") for i in range(200)
        ],
    }


async def run(system: System, settings: BenchSettings, mode: str) -> Section:
    plan = PLANS[mode]
    contention = machine.Contention()
    async with httpx.AsyncClient(base_url=system.tools_url) as http:
        found = (await http.get("/recipes/search", params={"q": "chicken", "limit": 20})).json()
    recipe_ids = [r["id"] for r in found["results"]]
    rows: list[list[str]] = []
    raw: dict[str, object] = {"plan": plan.__dict__}
    for name, requests in endpoints(recipe_ids).items():
        if plan.warm_up:
            await wrk.run(
                system.tools_url, requests, connections=plan.connections, seconds=WARM_UP_SECONDS
            )
        load = await wrk.run(
            system.tools_url, requests, connections=plan.connections, seconds=plan.seconds
        )
        rows.append(
            [
                name,
                f"{load.per_second:.0f}",
                f"{load.p50_ms:.1f}",
                f"{load.p99_ms:.1f}",
                str(load.errors),
            ]
        )
        raw[name] = load.__dict__ | {"per_second": load.per_second}
    return Section(
        name=NAME,
        title="Tools service: throughput and latency per endpoint",
        method=(
            f"wrk, 1 thread, {plan.connections} keep-alive connections, {plan.seconds:.0f} s per "
            f"endpoint{' after a 1 s warm-up' if plan.warm_up else ''}, against one tools "
            "process (one uvicorn worker) with its "
            "own Redis. `POST /timers` spreads over many sessions so the per-session timer limit "
            "is not what is measured. Errors are non-2xx answers and socket errors."
        ),
        tables=[
            Table(
                title="Tools service",
                columns=["endpoint", "requests/s", "p50 ms", "p99 ms", "errors"],
                rows=rows,
            )
        ],
        notes=[],
        load=contention.result(),
        raw=raw,
    )
