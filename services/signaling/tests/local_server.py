"""Runs an ASGI app under a real uvicorn server on 127.0.0.1 inside the test's event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

import uvicorn
from starlette.types import ASGIApp


@dataclass
class LocalServer:
    server: uvicorn.Server
    task: asyncio.Task[None]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        self.server.should_exit = True
        await self.task


async def start_local_server(
    app: ASGIApp, lifespan: Literal["auto", "on", "off"] = "on"
) -> LocalServer:
    """Serve `app` on a free loopback port; returns once it accepts connections."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan=lifespan,
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            if task.done():
                task.result()  # surfaces the startup error
            await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LocalServer(server, task, int(port))
