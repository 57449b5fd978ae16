"""The life of a session: create → offer/answer → trickle ICE → close, over any router.

Every step reads and writes Redis only (see store.py), so consecutive requests of one session can
land on different signaling instances.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import AgentFailed, ServiceUnavailable, SessionGone, SessionNotFound, SignalingError
from .ratelimit import ClientSessionSlots
from .routing.base import Action, AgentRouter, JsonObject
from .sdp import IceCandidate, answer_candidates, validate_candidate, validate_offer
from .store import DeliveryLease, SessionRecord, SessionState, SessionStore

log = logging.getLogger(__name__)

# What secrets.token_urlsafe makes; anything else cannot be a session id (AgentCore needs ≥ 33).
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{33,128}")
SESSION_ID_BYTES = 32


@dataclass(frozen=True)
class NewSession:
    session_id: str
    ice_servers: list[JsonObject]
    expires_at: datetime


@dataclass(frozen=True)
class Answer:
    sdp: str
    type: str = "answer"


@dataclass(frozen=True)
class AgentCandidates:
    candidates: list[IceCandidate]
    complete: bool


class SessionService:
    def __init__(
        self,
        store: SessionStore,
        slots: ClientSessionSlots,
        router: AgentRouter,
        max_sdp_bytes: int,
    ) -> None:
        self._store = store
        self._slots = slots
        self._router = router
        self._max_sdp_bytes = max_sdp_bytes
        self._deliveries: set[asyncio.Task[None]] = set()

    async def create(self, client_ip: str) -> NewSession:
        session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
        await self._slots.reserve(client_ip, session_id)
        try:
            placement = await self._router.place(session_id)
            await self._store.create(session_id, placement.agent_id, client_ip)
        except BaseException:
            await self._slots.release(client_ip, session_id)
            raise
        return NewSession(session_id, placement.ice_servers, self._store.expires_at())

    async def offer(self, session_id: str, sdp: str, sdp_type: str) -> Answer:
        validate_offer(sdp, sdp_type, self._max_sdp_bytes)
        record = await self._active(session_id)
        await self._store.begin_offer(session_id)
        try:
            response = await self._invoke(record, Action.OFFER, {"sdp": sdp, "type": "offer"})
            answer_sdp = response.get("sdp")
            if not isinstance(answer_sdp, str) or response.get("type") != "answer":
                raise AgentFailed("The media agent's reply to the offer is not an SDP answer.")
        except BaseException:
            await self._store.abort_offer(session_id)
            raise
        lease = await self._store.complete_offer(session_id, answer_candidates(answer_sdp))
        if lease is not None:
            # Each queued candidate is an agent round trip: the answer does not wait for them.
            self._in_background(self._deliver_queue(record, lease))
        return Answer(answer_sdp)

    async def add_candidate(self, session_id: str, candidate: IceCandidate) -> None:
        validate_candidate(candidate.candidate, candidate.sdpMid, candidate.sdpMLineIndex)
        record = await self._active(session_id)
        turn = await self._store.queue_client_candidate(session_id, candidate)
        if turn.lease is None:
            return  # queued: the request holding the delivery lease sends it, in order
        try:
            if not turn.queued:
                await self._invoke(record, Action.ICE_CANDIDATE, candidate.as_dict())
        finally:
            await self._deliver_queue(record, turn.lease)

    async def agent_candidates(self, session_id: str) -> AgentCandidates:
        record = await self._active(session_id)
        if record.state != SessionState.ANSWERED:
            return AgentCandidates([], complete=False)
        return AgentCandidates(await self._store.agent_candidates(session_id), complete=True)

    async def close(self, session_id: str) -> None:
        record = await self._get(session_id)
        try:
            await self._router.invoke(record.agent_id, session_id, Action.CLOSE, {})
        except (SessionGone, ServiceUnavailable, AgentFailed) as exc:
            # The agent is gone or broken; the session ends here all the same.
            log.info("session %s… closed without its agent: %s", session_id[:8], exc.detail)
        await self._forget(record)

    async def aclose(self) -> None:
        """Let candidate deliveries still running finish (each agent call has a timeout)."""
        await asyncio.gather(*self._deliveries, return_exceptions=True)

    async def _get(self, session_id: str) -> SessionRecord:
        _check_format(session_id)
        return await self._store.get(session_id)

    async def _active(self, session_id: str) -> SessionRecord:
        """The session, its agent still alive, its idle TTL renewed by this request."""
        _check_format(session_id)
        return await self._store.activate(session_id, self._router.liveness_prefix)

    async def _invoke(self, record: SessionRecord, action: Action, data: JsonObject) -> JsonObject:
        try:
            return await self._router.invoke(record.agent_id, record.session_id, action, data)
        except SessionGone:
            await self._forget(record)  # no agent holds it: free the client's slot now
            raise

    async def _deliver_queue(self, record: SessionRecord, lease: DeliveryLease) -> None:
        """Send the queued candidates in order until the queue is empty (the lease ends there)."""
        while (candidate := await self._store.next_queued(lease)) is not None:
            try:
                await self._invoke(record, Action.ICE_CANDIDATE, candidate.as_dict())
            except SignalingError as exc:
                # Its poster already had its 204; one refused candidate must not stop the rest.
                # (A session the agent no longer holds is deleted, which ends the lease.)
                log.warning(
                    "queued candidate of session %s… refused: %s", record.session_id[:8], exc.detail
                )

    def _in_background(self, delivery: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(delivery)
        self._deliveries.add(task)
        task.add_done_callback(self._delivery_done)

    def _delivery_done(self, task: asyncio.Task[None]) -> None:
        self._deliveries.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # Redis failed mid-way: the lease expires and the next candidate posted resumes.
            log.error("delivering queued candidates failed: %r", error)

    async def _forget(self, record: SessionRecord) -> None:
        await self._store.delete(record.session_id)
        await self._slots.release(record.client_ip, record.session_id)


def _check_format(session_id: str) -> None:
    if not _SESSION_ID.fullmatch(session_id):
        raise SessionNotFound()
