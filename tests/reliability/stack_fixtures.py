"""Fixtures for fault and security tests: a private Redis and whole local stacks on it.

Each test that breaks things gets its own `redis-server` (free port, append-only file like
compose), so killing or restarting parts never disturbs the shared Redis or other stacks.
The stacks themselves come from the lead's `start_stack` (tests/conftest.py).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from stack import Stack, free_port
from tests.conftest import StackLog, start_stack

StackFactory = Callable[..., tuple[Stack, StackLog]]


class RedisServer:
    """A redis-server of the test's own, persisted like compose's (AOF, fsync every second)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = Path(tempfile.mkdtemp(prefix="sous-test-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--appendonly", "yes",
             "--appendfsync", "everysec", "--save", "", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start within 10 s")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.3).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """A clean shutdown (SIGTERM: Redis writes its AOF out and exits)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def stack_on(own_redis: RedisServer) -> Iterator[StackFactory]:
    """Starts stacks on the test's own Redis; stops them (and shows their log on failure)."""
    started: list[tuple[Stack, StackLog]] = []

    def make(
        *, model: str = "local", agents: int = 1, env: dict[str, str] | None = None
    ) -> tuple[Stack, StackLog]:
        stack, log = start_stack(own_redis.url, model=model, agents=agents, extra_env=env)
        started.append((stack, log))
        return stack, log

    yield make
    for stack, log in started:
        stack.stop()
        print(log.tail(80))
