"""Request and response bodies of the session API (the frontend's contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SessionCreated(BaseModel):
    session_id: str = Field(description="Opaque id; 43 URL-safe characters")
    ice_servers: list[dict[str, Any]] = Field(description="RTCIceServer dicts for the browser")
    expires_at: datetime = Field(description="When the session expires if left idle")


class SessionDescription(BaseModel):
    sdp: str
    type: str = Field(description="'offer' in requests, 'answer' in responses")


class Candidate(BaseModel):
    """RTCIceCandidateInit; an empty `candidate` means end-of-candidates."""

    model_config = ConfigDict(extra="ignore")  # browsers add usernameFragment

    candidate: str
    sdpMid: str | None = Field(default=None, max_length=64)
    sdpMLineIndex: int | None = Field(default=None, ge=0, le=1023)


class AgentCandidates(BaseModel):
    candidates: list[Candidate]
    complete: bool = Field(description="True once the answer exists: no more candidates follow")


class Health(BaseModel):
    status: str
    router: str
