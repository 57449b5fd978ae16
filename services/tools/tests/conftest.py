"""Fixtures for the tools service: settings on the test Redis, the app, HTTP clients, servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import suppress

import httpx
import pytest
import redis.asyncio as aioredis
from fastapi import FastAPI

from sous_tools.app import create_app
from sous_tools.config import Settings
from sous_tools.densities import DensityTable
from sous_tools.nutrition import FoodTable
from sous_tools.recipes.catalog import RecipeCatalog


@pytest.fixture
def settings(redis_client: aioredis.Redis, redis_url: str) -> Settings:
    """Settings on this run's (flushed) Redis database, polling fast so tests stay short."""
    return Settings(redis_url=redis_url, timer_poll_interval_seconds=0.05)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    yield application
    await application.state.services.redis.aclose()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP against the real ASGI app (no lifespan: no scheduler)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tools") as http:
        yield http


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ToolsServer:
    """A real `sous-tools` process (uvicorn) on 127.0.0.1."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sous_tools"],
            env={**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            with suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"sous-tools did not start: {self.errors()}")
            time.sleep(0.1)

    def errors(self) -> str:
        return self.process.stderr.read().decode() if self.process.stderr else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def start_server(redis_sync: object, redis_url: str) -> Iterator[Callable[..., ToolsServer]]:
    """Start real tools servers on the test Redis; all are stopped after the test."""
    servers: list[ToolsServer] = []

    def start(**env: str) -> ToolsServer:
        server = ToolsServer({"REDIS_URL": redis_url, "TIMER_POLL_INTERVAL_SECONDS": "0.05", **env})
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def data_settings() -> Settings:
    """Settings for the tests that only read the shipped data tables."""
    return Settings()


@pytest.fixture(scope="session")
def densities(data_settings: Settings) -> DensityTable:
    return DensityTable.load(data_settings.data_dir / "densities.json")


@pytest.fixture(scope="session")
def foods(data_settings: Settings) -> FoodTable:
    return FoodTable.load(data_settings.data_dir / "foods.json", data_settings.max_quantity)


@pytest.fixture(scope="session")
def catalog(data_settings: Settings) -> RecipeCatalog:
    return RecipeCatalog.load(data_settings.data_dir / "recipes.json")
