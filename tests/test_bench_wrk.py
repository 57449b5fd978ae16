"""wrk load runs: real wrk against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import shutil
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI, HTTPException, Request

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench import wrk

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Counter[str]]]:
    seen: Counter[str] = Counter()
    app = FastAPI()

    @app.post("/items")
    async def add(request: Request) -> dict[str, str]:
        body = await request.json()
        seen[f"POST {body['name']}"] += 1
        return {"ok": "yes"}

    @app.get("/missing")
    async def missing() -> None:
        seen["GET /missing"] += 1
        raise HTTPException(404, "no such thing")

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    for _ in range(500):  # up to 10 s
        if instance.started:
            break
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}", seen
    instance.should_exit = True
    await task


async def test_wrk_cycles_through_every_request_and_counts_them(
    server: tuple[str, Counter[str]],
) -> None:
    url, seen = server
    requests = [wrk.Request("POST", "/items", {"name": name}) for name in ("a", "b", "c")]
    load = await wrk.run(url, requests, connections=4, seconds=1)
    assert load.errors == 0
    # wrk counts answers that came back within the time; up to one per connection is in flight.
    assert load.requests > 30
    assert load.requests <= sum(seen.values()) <= load.requests + 4
    assert {key for key in seen} == {"POST a", "POST b", "POST c"}
    assert load.per_second == pytest.approx(load.requests / load.seconds)
    assert 0 < load.p50_ms <= load.p99_ms <= load.max_ms


async def test_error_answers_are_counted_as_errors(server: tuple[str, Counter[str]]) -> None:
    url, _ = server
    load = await wrk.run(url, [wrk.Request("GET", "/missing")], connections=2, seconds=1)
    assert load.requests > 0 and load.errors == load.requests


def test_parallel_runs_add_throughput_and_keep_the_worst_latency() -> None:
    a = wrk.Load(requests=1000, seconds=2.0, errors=1, p50_ms=2.0, p99_ms=9.0, max_ms=20.0)
    b = wrk.Load(requests=600, seconds=2.1, errors=0, p50_ms=3.0, p99_ms=7.0, max_ms=30.0)
    both = wrk.combine([a, b])
    assert (both.requests, both.errors, both.p50_ms, both.p99_ms, both.max_ms) == (
        1600,
        1,
        3.0,
        9.0,
        30.0,
    )
