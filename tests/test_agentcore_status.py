"""scripts/agentcore_status.py against a stubbed AgentCore control plane (botocore Stubber): a
failed deployment's reason reaches the person running it, with an exit status scripts can use."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "agentcore_status.py"
RUNTIME_ID = "sous_media_agent-AbCdEf1234"
RUNTIME_ARN = f"arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/{RUNTIME_ID}"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sous/media-agent:4f2c9e1"
REASON = "Container failed health check: GET /ping did not answer on port 8080 within 120 s"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("agentcore_status", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


status_script = load_script()


def runtime(status: str, version: str = "3", **extra: Any) -> dict[str, Any]:
    """A GetAgentRuntime response as AgentCore sends it (Stubber checks it against the model)."""
    return {
        "agentRuntimeArn": RUNTIME_ARN,
        "agentRuntimeName": "sous_media_agent",
        "agentRuntimeId": RUNTIME_ID,
        "agentRuntimeVersion": version,
        "createdAt": datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        "lastUpdatedAt": datetime(2026, 11, 25, 12, 30, tzinfo=UTC),
        "roleArn": "arn:aws:iam::123456789012:role/sous-agentcore-runtime",
        "status": status,
        "lifecycleConfiguration": {"idleRuntimeSessionTimeout": 900, "maxLifetime": 28800},
        "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": IMAGE}},
        **extra,
    }


class Run:
    """One run of the script: its exit status and what it printed."""

    def __init__(self, code: int, out: str, err: str, sleeps: list[float]) -> None:
        self.code, self.out, self.err, self.sleeps = code, out, err, sleeps


@pytest.fixture
def control() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "bedrock-agentcore-control",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def run(client: Any, *argv: str) -> Run:
    out, err, sleeps = io.StringIO(), io.StringIO(), []
    now = [0.0]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    code = status_script.main(
        list(argv), client=client, sleep=sleep, clock=lambda: now[0], out=out, err=err
    )
    return Run(code, out.getvalue(), err.getvalue(), sleeps)


def test_a_ready_runtime_shows_its_version_and_image(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    stubber.add_response("get_agent_runtime", runtime("READY"), {"agentRuntimeId": RUNTIME_ID})
    result = run(client, RUNTIME_ARN)
    assert result.code == 0
    assert "status   READY" in result.out
    assert f"({RUNTIME_ID}), version 3" in result.out
    assert IMAGE in result.out
    assert "failure" not in result.out


def test_a_failed_update_prints_the_failure_reason(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    stubber.add_response(
        "get_agent_runtime",
        runtime("UPDATE_FAILED", failureReason=REASON),
        {"agentRuntimeId": RUNTIME_ID},
    )
    result = run(client, RUNTIME_ID)
    assert result.code == 1
    assert "status   UPDATE_FAILED" in result.out
    assert f"failure  {REASON}" in result.out


def test_a_failure_without_a_reason_says_so(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    stubber.add_response(
        "get_agent_runtime", runtime("CREATE_FAILED"), {"agentRuntimeId": RUNTIME_ID}
    )
    result = run(client, RUNTIME_ID)
    assert result.code == 1
    assert "failure  (AgentCore gave no reason)" in result.out


def test_wait_polls_until_the_update_fails(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    expected = {"agentRuntimeId": RUNTIME_ID}
    stubber.add_response("get_agent_runtime", runtime("UPDATING", "4"), expected)
    stubber.add_response("get_agent_runtime", runtime("UPDATING", "4"), expected)
    stubber.add_response(
        "get_agent_runtime", runtime("UPDATE_FAILED", "4", failureReason=REASON), expected
    )
    result = run(client, RUNTIME_ID, "--wait", "--interval", "5")
    assert result.code == 1
    assert result.sleeps == [5, 5]
    assert result.out.count("... UPDATING, next look in 5 s") == 2
    assert f"failure  {REASON}" in result.out


def test_wait_gives_up_after_the_timeout(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    for _ in range(3):
        stubber.add_response(
            "get_agent_runtime", runtime("CREATING", "1"), {"agentRuntimeId": RUNTIME_ID}
        )
    result = run(client, RUNTIME_ID, "--wait", "--interval", "10", "--timeout", "20")
    assert result.code == 3
    assert result.sleeps == [10, 10]
    assert "status   CREATING" in result.out
    assert "still CREATING after 20 s" in result.err


def test_without_wait_an_update_in_progress_is_reported_at_once(
    control: tuple[Any, Stubber],
) -> None:
    client, stubber = control
    stubber.add_response("get_agent_runtime", runtime("UPDATING"), {"agentRuntimeId": RUNTIME_ID})
    result = run(client, RUNTIME_ID)
    assert (result.code, result.sleeps) == (3, [])
    assert "status   UPDATING" in result.out


def test_a_version_is_asked_for_by_number(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    stubber.add_response(
        "get_agent_runtime",
        runtime("READY", "2"),
        {"agentRuntimeId": RUNTIME_ID, "agentRuntimeVersion": "2"},
    )
    assert run(client, RUNTIME_ID, "--version", "2").code == 0


def test_an_unknown_runtime_is_an_error_naming_it(control: tuple[Any, Stubber]) -> None:
    client, stubber = control
    stubber.add_client_error(
        "get_agent_runtime",
        service_error_code="ResourceNotFoundException",
        service_message=f"Runtime {RUNTIME_ID} not found",
        http_status_code=404,
        expected_params={"agentRuntimeId": RUNTIME_ID},
    )
    result = run(client, RUNTIME_ID)
    assert result.code == 2
    assert f"ResourceNotFoundException for runtime {RUNTIME_ID}" in result.err
    assert result.out == ""


def test_a_malformed_runtime_is_refused_before_any_call(control: tuple[Any, Stubber]) -> None:
    client, _ = control  # no response queued: a call would fail the test
    result = run(client, "us-east-1a")
    assert result.code == 2
    assert "is not an AgentCore runtime id" in result.err
    assert "terraform -chdir=infra output -raw agent_runtime_id" in result.err
