"""AgentCore routing: every action is an `invoke_agent_runtime` call on Bedrock AgentCore Runtime.

`runtimeSessionId` is the signaling session id, which is what pins a session to one AgentCore
container; the payload is the media agent's `/invocations` body. The browser never holds AWS
credentials: signaling signs the calls. boto3 is blocking, so each call runs in a thread.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from ..errors import START_NEW_SESSION, AgentFailed, ServiceUnavailable
from .base import Action, JsonObject, Placement, agent_error, ice_servers_of, invocation

if TYPE_CHECKING:
    from mypy_boto3_bedrock_agentcore import BedrockAgentCoreClient
    from mypy_boto3_bedrock_agentcore.type_defs import InvokeAgentRuntimeRequestTypeDef

# AgentCore errors that mean "busy right now", worth a retry by the client later.
_BUSY_ERRORS = {
    "ThrottlingException",
    "ServiceQuotaExceededException",
    "RetryableConflictException",
}
AGENTCORE_AGENT_ID = "agentcore"  # every session's "agent" is the runtime itself


def parse_response_body(body: bytes, content_type: str) -> JsonObject:
    """The agent's JSON answer, from a plain JSON body or the last event of an SSE stream."""
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/event-stream"):
        events = [
            line.removeprefix("data:").strip()
            for line in text.splitlines()
            if line.startswith("data:")
        ]
        text = events[-1] if events else ""
    try:
        parsed: Any = json.loads(text)
    except ValueError as exc:
        raise AgentFailed(
            f"AgentCore returned a body that is not JSON ({content_type}): {text[:200]!r}"
        ) from exc
    if not isinstance(parsed, dict):
        raise AgentFailed(f"AgentCore returned JSON that is not an object: {text[:200]!r}")
    return parsed


class AgentCoreRouter:
    def __init__(
        self, client: BedrockAgentCoreClient, runtime_arn: str, qualifier: str = ""
    ) -> None:
        self._client = client
        self._runtime_arn = runtime_arn
        self._qualifier = qualifier

    def request(
        self, session_id: str, action: Action, data: JsonObject
    ) -> InvokeAgentRuntimeRequestTypeDef:
        """The exact `invoke_agent_runtime` parameters for one action."""
        params: InvokeAgentRuntimeRequestTypeDef = {
            "agentRuntimeArn": self._runtime_arn,
            "runtimeSessionId": session_id,
            "payload": json.dumps(invocation(session_id, action, data)).encode("utf-8"),
            "contentType": "application/json",
            "accept": "application/json",
        }
        if self._qualifier:
            params["qualifier"] = self._qualifier
        return params

    async def place(self, session_id: str) -> Placement:
        response = await self.invoke(AGENTCORE_AGENT_ID, session_id, Action.ICE_SERVERS, {})
        return Placement(AGENTCORE_AGENT_ID, ice_servers_of(response))

    async def invoke(
        self, agent_id: str, session_id: str, action: Action, data: JsonObject
    ) -> JsonObject:
        return await asyncio.to_thread(
            self._invoke_blocking, self.request(session_id, action, data)
        )

    @property
    def liveness_prefix(self) -> None:
        return None  # AgentCore starts or resumes the session's container on every call

    def _invoke_blocking(self, params: InvokeAgentRuntimeRequestTypeDef) -> JsonObject:
        try:
            response = self._client.invoke_agent_runtime(**params)
            body = response["response"].read()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code, message = error.get("Code", "Unknown"), error.get("Message", str(exc))
            if code in _BUSY_ERRORS:
                raise ServiceUnavailable(
                    f"AgentCore is busy ({code}: {message}). Try again shortly."
                ) from exc
            raise AgentFailed(f"AgentCore refused the call ({code}: {message}).") from exc
        except BotoCoreError as exc:
            raise ServiceUnavailable(
                f"AgentCore is not answering ({type(exc).__name__}). {START_NEW_SESSION}"
            ) from exc
        parsed = parse_response_body(body, response.get("contentType", "application/json"))
        status = response.get("statusCode", 200)
        if status != 200:
            raise agent_error(status, str(parsed.get("detail", parsed)))
        return parsed

    async def aclose(self) -> None:
        self._client.close()
