"""HTTP API: `GET /ping` (AgentCore health) and `POST /invocations` (signaling and AgentCore)."""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, ValidationError

from .peers import InvalidSignal, parse_candidate
from .sessions import SessionExists, SessionManager, Unavailable, UnknownSession

logger = logging.getLogger(__name__)
router = APIRouter()

ACTIONS = ("offer", "ice_candidate", "close", "ice_servers")


class Invocation(BaseModel):
    action: Literal["offer", "ice_candidate", "close", "ice_servers"]
    session_id: str = Field(min_length=1, max_length=256)
    data: dict[str, Any] = Field(default_factory=dict)


class OfferData(BaseModel):
    sdp: str = Field(min_length=1)
    type: Literal["offer"]


class CandidateData(BaseModel):
    candidate: str
    sdpMid: str | None = None
    sdpMLineIndex: int | None = Field(default=None, ge=0)


class PingResponse(BaseModel):
    status: Literal["Healthy", "HealthyBusy"]


def _manager(request: Request) -> SessionManager:
    manager: SessionManager = request.app.state.sessions
    return manager


def _readable(error: ValidationError, prefix: str) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"The request body is larger than {limit} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"The request body is larger than {limit} bytes.")
    return bytes(body)


def _parse(body: bytes) -> Invocation:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(400, "The body must be a JSON object.") from exc
    if not isinstance(document, dict):
        raise HTTPException(400, "The body must be a JSON object.")
    action = document.get("action")
    if action not in ACTIONS:
        raise HTTPException(
            400, f"Unknown action {action!r}; expected one of: {', '.join(ACTIONS)}."
        )
    try:
        return Invocation.model_validate(document)
    except ValidationError as exc:
        raise HTTPException(400, _readable(exc, "")) from exc


@router.get("/ping", response_model=PingResponse)
async def ping(request: Request) -> PingResponse:
    """`HealthyBusy` while sessions run, so AgentCore keeps this container."""
    return PingResponse(status="HealthyBusy" if _manager(request).count else "Healthy")


@router.post("/invocations")
async def invocations(request: Request) -> dict[str, Any]:
    """One signaling step for a session: ice_servers, offer, ice_candidate or close."""
    invocation = _parse(await _read_body(request, request.app.state.settings.max_invocation_bytes))
    manager = _manager(request)
    try:
        if invocation.action == "ice_servers":
            servers = await manager.ice_servers()
            return {"ice_servers": [s.model_dump(exclude_none=True) for s in servers]}
        if invocation.action == "offer":
            offer = OfferData.model_validate(invocation.data)
            answer = await manager.open(invocation.session_id, offer.sdp)
            return {"sdp": answer, "type": "answer"}
        if invocation.action == "ice_candidate":
            data = CandidateData.model_validate(invocation.data)
            candidate = parse_candidate(data.candidate, data.sdpMid, data.sdpMLineIndex)
            await manager.add_ice_candidate(invocation.session_id, candidate)
            return {"status": "ok"}
        await manager.close(invocation.session_id)
        return {"status": "closed"}
    except ValidationError as exc:
        raise HTTPException(400, _readable(exc, "data")) from exc
    except InvalidSignal as exc:
        raise HTTPException(400, str(exc)) from exc
    except UnknownSession as exc:
        raise HTTPException(404, str(exc)) from exc
    except SessionExists as exc:
        raise HTTPException(409, str(exc)) from exc
    except Unavailable as exc:
        raise HTTPException(503, str(exc)) from exc
