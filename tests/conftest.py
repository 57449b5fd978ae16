"""Fixtures for cross-service and browser tests: the real local stack on free ports."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from stack import Stack, StackConfig, free_port


class StackLog:
    """Collects every service's log lines so a failing test can show them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, name: str, line: str) -> None:
        with self._lock:
            self.lines.append(f"{name:>10} | {line}")

    def tail(self, count: int = 200) -> str:
        with self._lock:
            return "\n".join(self.lines[-count:])


def start_stack(
    redis_url: str,
    *,
    model: str = "local",
    agents: int = 1,
    extra_env: dict[str, str] | None = None,
) -> tuple[Stack, StackLog]:
    log = StackLog()
    config = StackConfig(
        redis_url=redis_url,
        model=model,
        signaling_port=free_port(),
        tools_port=free_port(),
        agent_ports=[free_port() for _ in range(agents)],
        extra_env=extra_env or {},
    )
    stack = Stack(config, log)
    try:
        stack.start(timeout=240)
    except RuntimeError as exc:
        stack.stop()
        pytest.fail(f"stack did not start: {exc}\n{log.tail()}")
    return stack, log


@pytest.fixture(scope="session")
def local_stack(redis_url: str) -> Iterator[tuple[Stack, StackLog]]:
    """The whole system on the offline model, shared by the tests that only talk to it."""
    stack, log = start_stack(redis_url)
    yield stack, log
    stack.stop()
