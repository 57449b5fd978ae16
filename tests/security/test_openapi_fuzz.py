"""Schemathesis against the signaling and tools OpenAPI schemas: no 5xx and no hang, whatever
a client sends.

Every operation of each schema is fuzzed with its hypothesis strategy (schemathesis's pytest
loader does not run on pytest 9, so the operations are walked here).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import CheckFunction, max_response_time, not_a_server_error
from schemathesis.core.result import Err

from stack import Stack
from tests.conftest import StackLog

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 100
CHECKS: list[CheckFunction] = [not_a_server_error, max_response_time]


def fuzz(schema_url: str) -> list[str]:
    """Fuzz every operation; returns the operations fuzzed (a failure raises)."""
    schema = schemathesis.openapi.from_url(schema_url)
    fuzzed = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Case[Any]) -> None:
            case.call_and_validate(checks=CHECKS, timeout=10)

        call()
        fuzzed.append(operation.label)
    return fuzzed


def test_signaling_never_answers_5xx(fuzz_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = fuzz_stack
    fuzzed = fuzz(f"{stack.url}/openapi.json")
    assert "POST /api/sessions/{session_id}/offer" in fuzzed


def test_tools_never_answer_5xx(fuzz_stack: tuple[Stack, StackLog]) -> None:
    stack, _ = fuzz_stack
    fuzzed = fuzz(f"{stack.tools_url}/openapi.json")
    assert "POST /timers" in fuzzed
