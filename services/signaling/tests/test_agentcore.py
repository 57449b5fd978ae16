"""AgentCore routing: the exact boto3 `invoke_agent_runtime` calls, checked with botocore's
Stubber (the only stand-in: AWS is not reachable from tests)."""

from __future__ import annotations

import io
import json
import secrets
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.response import StreamingBody
from botocore.stub import Stubber

from services.signaling.tests.conftest import AppClientFactory
from sous_signaling.errors import AgentFailed, ServiceUnavailable, SessionGone
from sous_signaling.routing.agentcore import AgentCoreRouter, parse_response_body
from sous_signaling.routing.base import Action

ARN = "arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/sous_media_agent-AbCdEf1234"
SID = "a" * 43
ANSWER_SDP = (
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "a=mid:0\r\na=candidate:1 1 udp 2130706431 198.51.100.20 41000 typ host\r\n"
)


def _client(**config: Any) -> Any:
    return boto3.client(
        "bedrock-agentcore",
        region_name="eu-west-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(**config),
    )


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = _client()
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _payload(session_id: str, action: str, data: dict[str, Any]) -> bytes:
    return json.dumps({"action": action, "session_id": session_id, "data": data}).encode()


def _expect(
    stubber: Stubber,
    session_id: str,
    action: str,
    data: dict[str, Any],
    answer: dict[str, Any],
    qualifier: str | None = None,
) -> None:
    body = json.dumps(answer).encode()
    expected: dict[str, Any] = {
        "agentRuntimeArn": ARN,
        "runtimeSessionId": session_id,
        "payload": _payload(session_id, action, data),
        "contentType": "application/json",
        "accept": "application/json",
    }
    if qualifier:
        expected["qualifier"] = qualifier
    stubber.add_response(
        "invoke_agent_runtime",
        {
            "response": StreamingBody(io.BytesIO(body), len(body)),
            "contentType": "application/json",
            "runtimeSessionId": session_id,
            "statusCode": 200,
        },
        expected,
    )


async def test_place_asks_the_runtime_for_ice_servers(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    turn = {"urls": ["turns:turn.example.org:443"], "username": "u", "credential": "c"}
    _expect(stubber, SID, "ice_servers", {}, {"ice_servers": [turn]}, qualifier="live")
    placement = await AgentCoreRouter(client, ARN, qualifier="live").place(SID)
    assert placement.ice_servers == [turn]


async def test_a_whole_session_through_the_api_makes_exactly_these_calls(
    app_client: AppClientFactory,
    monkeypatch: pytest.MonkeyPatch,
    stubbed: tuple[Any, Stubber],
) -> None:
    client, stubber = stubbed
    made: dict[str, Any] = {}

    def fake_client(service: str, **kwargs: Any) -> Any:
        made.update(kwargs, service=service)
        return client  # the stubbed client stands in for AWS

    monkeypatch.setattr(boto3, "client", fake_client)
    early = {
        "candidate": "candidate:7 1 udp 2122260223 192.0.2.33 50001 typ host",
        "sdpMid": "0",
        "sdpMLineIndex": 0,
    }
    late = {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}
    offer = {"sdp": "v=0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", "type": "offer"}

    sid = secrets.token_urlsafe(32)
    monkeypatch.setattr("sous_signaling.session_service.secrets.token_urlsafe", lambda _: sid)

    settings = {"ROUTER": "agentcore", "AGENTCORE_RUNTIME_ARN": ARN, "AWS_REGION": "eu-west-1"}
    async with app_client(**settings) as api:
        _expect(stubber, sid, "ice_servers", {}, {"ice_servers": []})
        created = await api.post("/api/sessions")
        assert created.status_code == 201, created.text
        assert created.json()["session_id"] == sid

        assert (await api.post(f"/api/sessions/{sid}/ice", json=early)).status_code == 204
        _expect(stubber, sid, "offer", offer, {"sdp": ANSWER_SDP, "type": "answer"})
        _expect(stubber, sid, "ice_candidate", early, {"status": "ok"})
        answered = await api.post(f"/api/sessions/{sid}/offer", json=offer)
        assert answered.json() == {"sdp": ANSWER_SDP, "type": "answer"}
        _expect(stubber, sid, "ice_candidate", late, {"status": "ok"})
        assert (await api.post(f"/api/sessions/{sid}/ice", json=late)).status_code == 204
        listed = await api.get(f"/api/sessions/{sid}/ice")
        assert listed.json()["candidates"] == [
            {
                "candidate": "candidate:1 1 udp 2130706431 198.51.100.20 41000 typ host",
                "sdpMid": "0",
                "sdpMLineIndex": 0,
            }
        ]
        _expect(stubber, sid, "close", {}, {"status": "closed"})
        assert (await api.delete(f"/api/sessions/{sid}")).status_code == 204
    assert made["service"] == "bedrock-agentcore"
    assert made["region_name"] == "eu-west-1"


@pytest.mark.parametrize(
    ("code", "error", "message"),
    [
        ("ThrottlingException", ServiceUnavailable, "AgentCore is busy"),
        ("ServiceQuotaExceededException", ServiceUnavailable, "AgentCore is busy"),
        ("ResourceNotFoundException", AgentFailed, "AgentCore refused the call"),
        ("RuntimeClientError", AgentFailed, "AgentCore refused the call"),
    ],
)
async def test_aws_errors_become_client_errors(
    stubbed: tuple[Any, Stubber], code: str, error: type[Exception], message: str
) -> None:
    client, stubber = stubbed
    stubber.add_client_error("invoke_agent_runtime", service_error_code=code, service_message="no")
    with pytest.raises(error, match=message):
        await AgentCoreRouter(client, ARN).invoke("agentcore", SID, Action.CLOSE, {})


async def test_an_agent_error_status_passes_through(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    body = b'{"detail": "no such session"}'
    stubber.add_response(
        "invoke_agent_runtime",
        {
            "response": StreamingBody(io.BytesIO(body), len(body)),
            "contentType": "application/json",
            "statusCode": 404,
        },
    )
    with pytest.raises(SessionGone, match="no longer holds this session"):
        await AgentCoreRouter(client, ARN).invoke("agentcore", SID, Action.ICE_CANDIDATE, {})


async def test_an_unreachable_endpoint_is_503() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    client = boto3.client(
        "bedrock-agentcore",
        region_name="eu-west-1",
        endpoint_url=closed,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}, connect_timeout=2),
    )
    with pytest.raises(ServiceUnavailable, match="AgentCore is not answering"):
        await AgentCoreRouter(client, ARN).invoke("agentcore", SID, Action.CLOSE, {})


def test_a_streamed_response_yields_its_last_event() -> None:
    body = b'data: {"partial": true}\n\ndata: {"sdp": "v=0", "type": "answer"}\n\n'
    assert parse_response_body(body, "text/event-stream") == {"sdp": "v=0", "type": "answer"}


@pytest.mark.parametrize("body", [b"<html>oops</html>", b"[1, 2]", b""])
def test_a_body_that_is_not_a_json_object_is_502(body: bytes) -> None:
    with pytest.raises(AgentFailed, match="AgentCore returned"):
        parse_response_body(body, "application/json")
