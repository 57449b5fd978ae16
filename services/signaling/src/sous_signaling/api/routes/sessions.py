"""The session API: /api/sessions (create), /offer, /ice (both directions), DELETE (close)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from ...sdp import IceCandidate
from ..deps import AdmittedClientDep, ServicesDep
from ..schemas import AgentCandidates, Candidate, SessionCreated, SessionDescription

router = APIRouter(prefix="/api/sessions", tags=["sessions"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed body, SDP or candidate"},
    401: {"description": "Missing or invalid bearer token"},
    404: {"description": "Unknown or expired session"},
    410: {"description": "The session's media agent is gone: start a new session"},
    429: {"description": "Too many requests or sessions from this client"},
    503: {"description": "No media agent available, or it is not answering"},
}


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=SessionCreated, responses=_ERRORS
)
async def create_session(services: ServicesDep, client: AdmittedClientDep) -> SessionCreated:
    """Place a new session on a media agent and return the ICE servers to use."""
    created = await services.sessions.create(client)
    return SessionCreated(
        session_id=created.session_id,
        ice_servers=created.ice_servers,
        expires_at=created.expires_at,
    )


@router.post(
    "/{session_id}/offer",
    response_model=SessionDescription,
    responses={
        **_ERRORS,
        409: {"description": "The session already has an offer"},
        413: {"description": "SDP too large"},
    },
)
async def post_offer(
    session_id: str, offer: SessionDescription, services: ServicesDep, _: AdmittedClientDep
) -> SessionDescription:
    """Send the browser's SDP offer to the session's agent; returns the agent's answer."""
    answer = await services.sessions.offer(session_id, offer.sdp, offer.type)
    return SessionDescription(sdp=answer.sdp, type=answer.type)


@router.post("/{session_id}/ice", status_code=status.HTTP_204_NO_CONTENT, responses=_ERRORS)
async def post_candidate(
    session_id: str, candidate: Candidate, services: ServicesDep, _: AdmittedClientDep
) -> Response:
    """Trickle one browser candidate (queued until the answer exists, then forwarded)."""
    await services.sessions.add_candidate(
        session_id, IceCandidate(candidate.candidate, candidate.sdpMid, candidate.sdpMLineIndex)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{session_id}/ice", response_model=AgentCandidates, responses=_ERRORS)
async def get_candidates(
    session_id: str, services: ServicesDep, _: AdmittedClientDep
) -> AgentCandidates:
    """The agent's candidates; `complete` once the answer exists (all are known then)."""
    found = await services.sessions.agent_candidates(session_id)
    return AgentCandidates(
        candidates=[Candidate(**candidate.as_dict()) for candidate in found.candidates],
        complete=found.complete,
    )


@router.delete("/{session_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_ERRORS)
async def delete_session(session_id: str, services: ServicesDep, _: AdmittedClientDep) -> Response:
    """End the session: the agent closes its peer connection."""
    await services.sessions.close(session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
