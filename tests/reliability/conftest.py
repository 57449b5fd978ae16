"""Fault tests against the real local stack (see docs/reliability.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Test modules import voice_client and stack_fixtures from here (--import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))

from stack_fixtures import own_redis, stack_on

__all__ = ["own_redis", "stack_on"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts whole stacks; minutes, not seconds")
