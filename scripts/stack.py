"""Starts and stops the local Sous system: Redis (if none answers), tools, media agents, signaling.

Used by `./sous up` (scripts/run_local.py) and by the cross-service and browser tests, so the
system a developer runs is the system the tests run.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

LineSink = Callable[[str, str], None]
"""Receives (service name, log line) for every line a service prints."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@dataclass
class Service:
    """One running process of the stack, with its health URL."""

    name: str
    command: list[str]
    env: dict[str, str]
    health_url: str | None
    process: subprocess.Popen[str] | None = None
    reader: threading.Thread | None = None

    def start(self, sink: LineSink) -> None:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,  # Ctrl-C reaches the launcher only; it stops us in order
        )
        stdout = self.process.stdout
        assert stdout is not None
        self.reader = threading.Thread(target=_pump, args=(self.name, stdout, sink), daemon=True)
        self.reader.start()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        if self.reader is not None:
            self.reader.join(timeout=2)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


def _pump(name: str, stream: IO[str], sink: LineSink) -> None:
    for line in stream:
        sink(name, line.rstrip("\n"))


@dataclass
class StackConfig:
    redis_url: str = "redis://127.0.0.1:6379/0"
    model: str = "local"
    signaling_port: int = 8000
    tools_port: int = 8001
    agent_ports: list[int] = field(default_factory=lambda: [8080])
    frontend_dir: Path = ROOT / "frontend" / "dist"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    redis_dir: Path = ROOT / ".data" / "redis"


class Stack:
    """The whole local system; `start()` returns once every service answers its health check."""

    def __init__(self, config: StackConfig, sink: LineSink) -> None:
        self.config = config
        self.sink = sink
        self.services: list[Service] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.config.signaling_port}"

    @property
    def tools_url(self) -> str:
        return f"http://127.0.0.1:{self.config.tools_port}"

    def agent_url(self, index: int = 0) -> str:
        return f"http://127.0.0.1:{self.config.agent_ports[index]}"

    def _env(self, **values: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"REDIS_URL": self.config.redis_url, "PYTHONUNBUFFERED": "1"})
        env.update(self.config.extra_env)
        env.update(values)
        return env

    def _redis(self) -> Service | None:
        """A Redis server of our own when none answers at the configured URL."""
        if redis_answers(self.config.redis_url):
            return None
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(f"No Redis at {self.config.redis_url} and no redis-server installed")
        port = self.config.redis_url.rsplit(":", 1)[-1].split("/")[0]
        self.config.redis_dir.mkdir(parents=True, exist_ok=True)
        # Append-only persistence, as in compose, so timers survive a Redis restart.
        command = [
            binary,
            "--port",
            port,
            "--bind",
            "127.0.0.1",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--dir",
            str(self.config.redis_dir),
        ]
        return Service("redis", command, dict(os.environ), None)

    def plan(self) -> list[Service]:
        cfg = self.config
        services: list[Service] = []
        own_redis = self._redis()
        if own_redis is not None:
            services.append(own_redis)
        services.append(
            Service(
                "tools",
                [str(BIN / "sous-tools")],
                self._env(HOST="127.0.0.1", PORT=str(cfg.tools_port)),
                f"{self.tools_url}/health",
            )
        )
        for index, port in enumerate(cfg.agent_ports):
            name = "agent" if len(cfg.agent_ports) == 1 else f"agent{index + 1}"
            services.append(
                Service(
                    name,
                    [str(BIN / "sous-media-agent")],
                    self._env(
                        HOST="127.0.0.1",
                        PORT=str(port),
                        MODEL=cfg.model,
                        TOOLS_URL=self.tools_url,
                        AGENT_ID=f"local-{name}-{port}",
                        PUBLIC_URL=f"http://127.0.0.1:{port}",
                        # The browser runs on this machine: loopback candidates connect at once.
                        ICE_HOST_ADDRESSES='["127.0.0.1"]',
                    ),
                    f"http://127.0.0.1:{port}/ping",
                )
            )
        services.append(
            Service(
                "signaling",
                [str(BIN / "sous-signaling")],
                self._env(
                    HOST="127.0.0.1",
                    PORT=str(cfg.signaling_port),
                    ROUTER="local",
                    FRONTEND_DIR=str(cfg.frontend_dir),
                ),
                f"{self.url}/health",
            )
        )
        return services

    def start(self, timeout: float = 180.0, on_wait: Callable[[str], None] | None = None) -> None:
        self.services = self.plan()
        deadline = time.monotonic() + timeout
        for service in self.services:
            service.start(self.sink)
            if service.name == "redis":
                while not redis_answers(self.config.redis_url):
                    self._check(service, deadline)
                    time.sleep(0.05)
        for service in self.services:
            if service.health_url is None:
                continue
            if on_wait is not None:
                on_wait(service.name)
            while not _healthy(service.health_url):
                self._check(service, deadline)
                time.sleep(0.1)
        self._wait_for_agents(deadline)

    def _wait_for_agents(self, deadline: float) -> None:
        """Signaling routes only to registered agents: wait until every agent has registered."""
        client = redis.Redis.from_url(self.config.redis_url, decode_responses=True)
        expected = len(self.config.agent_ports)
        while (
            len([m for m in client.smembers("sous:agents") if client.exists(f"sous:agent:{m!s}")])
            < expected
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("media agents did not register in Redis in time")
            time.sleep(0.1)
        client.close()

    def _check(self, service: Service, deadline: float) -> None:
        if not service.alive:
            raise RuntimeError(f"{service.name} exited during start-up (see its log above)")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{service.name} did not become healthy in time")

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def stop(self) -> None:
        # Reverse order: signaling stops taking sessions first, Redis goes last.
        for service in reversed(self.services):
            service.stop()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False
