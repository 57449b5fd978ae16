"""The system under test: the local stack (scripts/stack.py) on free ports with a Redis of its own.

A private redis-server keeps other people's agents and keys out of the measurements. The
per-client limits of signaling are raised because every benchmark client comes from 127.0.0.1,
and the agent's capacity is raised so the capacity benchmark finds the real limit, not the
configured one. Service logs go to `.bench/logs/<name>.log`.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from scripts.stack import BIN, ROOT, Service, Stack, StackConfig, free_port

from .settings import BenchSettings


def bench_env(settings: BenchSettings) -> dict[str, str]:
    """Settings of the services for benchmarking (everything else stays at its default)."""
    return {
        "CAPACITY": str(settings.agent_capacity),
        "MAX_SESSIONS_PER_CLIENT": str(settings.signaling_sessions_per_client),
        "RATE_LIMIT_REQUESTS": str(settings.signaling_rate_limit),
    }


class LogFile:
    """A thread-safe sink for the stack's service output."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("w", encoding="utf-8")  # one run per file
        self._lock = threading.Lock()

    def __call__(self, service: str, line: str) -> None:
        with self._lock:
            self._file.write(f"{service}: {line}\n")
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()


@dataclass
class System:
    stack: Stack
    env: dict[str, str]
    extra_signaling: list[Service] = field(default_factory=list)

    @property
    def signaling_url(self) -> str:
        return self.stack.url

    @property
    def signaling_urls(self) -> list[str]:
        extra = [f"http://127.0.0.1:{_port(s)}" for s in self.extra_signaling]
        return [self.stack.url, *extra]

    @property
    def tools_url(self) -> str:
        return self.stack.tools_url

    @property
    def redis_url(self) -> str:
        return self.stack.config.redis_url

    def pid(self, service: str) -> int:
        process = self.stack.service(service).process
        assert process is not None
        return process.pid

    def add_signaling(self, sink: LogFile, timeout: float = 30.0) -> str:
        """Start one more signaling instance on the same Redis; returns its URL."""
        port = free_port()
        env = dict(os.environ)
        env.update(self.env)
        env.update(
            HOST="127.0.0.1",
            PORT=str(port),
            ROUTER="local",
            REDIS_URL=self.redis_url,
            PYTHONUNBUFFERED="1",
            FRONTEND_DIR=str(self.stack.config.frontend_dir),
        )
        url = f"http://127.0.0.1:{port}"
        service = Service(
            f"signaling{len(self.extra_signaling) + 2}",
            [str(BIN / "sous-signaling")],
            env,
            f"{url}/health",
        )
        service.start(sink)
        self.extra_signaling.append(service)
        deadline = time.monotonic() + timeout
        while not _healthy(f"{url}/health"):
            if not service.alive or time.monotonic() > deadline:
                raise RuntimeError(f"{service.name} did not start (see .bench/logs)")
            time.sleep(0.1)
        return url


def _port(service: Service) -> str:
    return service.env["PORT"]


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def running(
    name: str, model: str, settings: BenchSettings, *, frontend_dir: Path | None = None
) -> Iterator[System]:
    """Start the whole stack with `model` (echo or local); stop it afterwards."""
    sink = LogFile(ROOT / ".bench" / "logs" / f"{name}.log")
    env = bench_env(settings)
    with tempfile.TemporaryDirectory(prefix="sous-bench-redis-") as redis_dir:
        config = StackConfig(
            redis_url=f"redis://127.0.0.1:{free_port()}/0",
            model=model,
            signaling_port=free_port(),
            tools_port=free_port(),
            agent_ports=[free_port()],
            frontend_dir=frontend_dir or Path(redis_dir) / "no-frontend",
            extra_env=env,
            redis_dir=Path(redis_dir),
        )
        stack = Stack(config, sink)
        system = System(stack, env)
        try:
            stack.start(timeout=settings.stack_start_timeout_seconds)
            yield system
        finally:
            for service in reversed(system.extra_signaling):
                service.stop()
            stack.stop()
            sink.close()
