"""Security and bad-input tests against the real services (see docs/reliability.md)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The voice client and stack fixtures live with the fault tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reliability"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack_fixtures import RedisServer, own_redis, stack_on

from stack import Stack
from tests.conftest import StackLog, start_stack

__all__ = ["fuzz_stack", "own_redis", "stack_on"]

# Fuzzing sends thousands of requests from one address: lift the per-client limits (they are
# tested on their own) so every request reaches the code under test.
FUZZ_ENV = {
    "RATE_LIMIT_REQUESTS": "1000000",
    "MAX_SESSIONS_PER_CLIENT": "1000",
    "CAPACITY": "50",
    "CONNECT_TIMEOUT_SECONDS": "5",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts whole stacks; minutes, not seconds")


@pytest.fixture(scope="session")
def fuzz_stack() -> Iterator[tuple[Stack, StackLog]]:
    """Signaling, tools and an echo-model agent on a Redis of their own, shared by fuzz tests."""
    server = RedisServer()
    server.start()
    stack, log = start_stack(server.url, model="echo", extra_env=FUZZ_ENV)
    yield stack, log
    stack.stop()
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)
