"""Print an AgentCore runtime's status, and why it failed when a create or update did not work.

AgentCore reports a failed deployment (an image that does not start, a missing permission, a
subnet outside the supported zones) only in the runtime's `failureReason`, which neither
`terraform apply` nor the console puts in front of you. This script does.

Usage: uv run python scripts/agentcore_status.py RUNTIME [--wait] [--region REGION]
  RUNTIME is the runtime id or ARN (`terraform -chdir=infra output -raw agent_runtime_id`).
Exit status: 0 READY, 1 failed (the reason is printed), 2 bad input or AWS error,
3 still creating/updating/deleting (after --timeout with --wait).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from mypy_boto3_bedrock_agentcore_control import BedrockAgentCoreControlClient
    from mypy_boto3_bedrock_agentcore_control.type_defs import GetAgentRuntimeResponseTypeDef

READY = "READY"
FAILED = frozenset({"CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED"})
EXIT_READY, EXIT_FAILED, EXIT_ERROR, EXIT_IN_PROGRESS = 0, 1, 2, 3

_RUNTIME_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9_]{0,99}-[a-zA-Z0-9]{10}")
_RUNTIME_ARN = re.compile(
    r"arn:aws[a-z-]*:bedrock-agentcore:(?P<region>[a-z0-9-]+):\d{12}:runtime/(?P<id>[^/]+)"
)


class UsageError(ValueError):
    """Input the script cannot use; the message says what to give instead."""


def parse_runtime(value: str) -> tuple[str, str | None]:
    """(runtime id, region or None) from a runtime id or ARN."""
    arn = _RUNTIME_ARN.fullmatch(value)
    runtime_id, region = (arn.group("id"), arn.group("region")) if arn else (value, None)
    if not _RUNTIME_ID.fullmatch(runtime_id):
        raise UsageError(
            f"{value!r} is not an AgentCore runtime id (name-XXXXXXXXXX) or runtime ARN; "
            "get it with: terraform -chdir=infra output -raw agent_runtime_id"
        )
    return runtime_id, region


def describe(runtime: GetAgentRuntimeResponseTypeDef) -> str:
    """The lines a person needs: which runtime and version, its status, and any failure."""
    lines = [
        f"runtime  {runtime['agentRuntimeName']} ({runtime['agentRuntimeId']}), "
        f"version {runtime['agentRuntimeVersion']}",
        f"status   {runtime['status']}",
        f"updated  {runtime['lastUpdatedAt'].isoformat()}",
    ]
    container = runtime.get("agentRuntimeArtifact", {}).get("containerConfiguration")
    if container:
        lines.append(f"image    {container['containerUri']}")
    if runtime["status"] in FAILED:
        reason = runtime.get("failureReason") or "(AgentCore gave no reason)"
        lines.append(f"failure  {reason}")
    return "\n".join(lines)


def fetch(
    client: BedrockAgentCoreControlClient, runtime_id: str, version: str | None
) -> GetAgentRuntimeResponseTypeDef:
    if version is None:
        return client.get_agent_runtime(agentRuntimeId=runtime_id)
    return client.get_agent_runtime(agentRuntimeId=runtime_id, agentRuntimeVersion=version)


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(
        description="Print an AgentCore runtime's status and, when it failed, its failureReason."
    )
    arguments.add_argument("runtime", help="runtime id or ARN (terraform output agent_runtime_id)")
    arguments.add_argument("--region", help="AWS region (default: from the ARN, else your config)")
    arguments.add_argument("--version", help="a runtime version (default: the latest)")
    arguments.add_argument(
        "--wait", action="store_true", help="poll until the runtime is READY or failed"
    )
    arguments.add_argument(
        "--timeout", type=float, default=900, help="seconds --wait waits at most (default 900)"
    )
    arguments.add_argument(
        "--interval", type=float, default=10, help="seconds between polls (default 10)"
    )
    return arguments


def main(
    argv: Sequence[str] | None = None,
    *,
    client: BedrockAgentCoreControlClient | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    args = parser().parse_args(argv)
    try:
        runtime_id, arn_region = parse_runtime(args.runtime)
        if args.timeout < 0 or args.interval <= 0:
            raise UsageError("--timeout must be at least 0 and --interval more than 0 seconds")
    except UsageError as error:
        print(f"error: {error}", file=err)
        return EXIT_ERROR
    try:
        if client is None:
            client = boto3.client(
                "bedrock-agentcore-control", region_name=args.region or arn_region
            )
        deadline = clock() + args.timeout
        runtime = fetch(client, runtime_id, args.version)
        while args.wait and runtime["status"] != READY and runtime["status"] not in FAILED:
            if clock() >= deadline:
                break
            print(f"... {runtime['status']}, next look in {args.interval:g} s", file=out)
            sleep(args.interval)
            runtime = fetch(client, runtime_id, args.version)
    except ClientError as error:
        details = error.response.get("Error", {})
        print(
            f"error: AgentCore answered {details.get('Code', 'an error')} for runtime "
            f"{runtime_id}: {details.get('Message', error)}",
            file=err,
        )
        return EXIT_ERROR
    except BotoCoreError as error:
        print(f"error: could not ask AgentCore about {runtime_id}: {error}", file=err)
        return EXIT_ERROR
    print(describe(runtime), file=out)
    if runtime["status"] == READY:
        return EXIT_READY
    if runtime["status"] in FAILED:
        return EXIT_FAILED
    if args.wait:
        print(f"still {runtime['status']} after {args.timeout:g} s", file=err)
    return EXIT_IN_PROGRESS


if __name__ == "__main__":
    sys.exit(main())
