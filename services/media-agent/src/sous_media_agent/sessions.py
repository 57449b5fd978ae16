"""The sessions this agent holds: capacity, lookup, drain on shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiortc import RTCIceCandidate

from .config import IceServer, Settings
from .memory import MemoryReleaser
from .models import ModelFactory
from .session import Session
from .timer_events import TimerEvent
from .tools import ToolsClient
from .turn import IceServerSource, IceServersUnavailable

logger = logging.getLogger(__name__)


class Unavailable(Exception):
    """No new sessions here (full or draining); signaling should start the session elsewhere."""


class SessionExists(Exception):
    """An offer for a session that already has a peer connection."""


class UnknownSession(Exception):
    """A candidate for a session this agent does not hold."""


class SessionManager:
    def __init__(
        self,
        settings: Settings,
        *,
        model_factory: ModelFactory,
        ice_source: IceServerSource,
        tools_client: ToolsClient,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self._settings = settings
        self._model_factory = model_factory
        self._ice_source = ice_source
        self._tools_client = tools_client
        self.on_change = on_change
        self._sessions: dict[str, Session] = {}
        self._opening: set[str] = set()
        self.draining = False
        self.memory = MemoryReleaser()

    @property
    def count(self) -> int:
        return len(self._sessions) + len(self._opening)

    def get(self, session_id: str) -> Session | None:
        return self._sessions.get(session_id)

    def _check_available(self) -> None:
        if self.draining:
            raise Unavailable("This agent is shutting down; start a new session.")
        if self.count >= self._settings.capacity:
            raise Unavailable(
                f"This agent is at capacity ({self._settings.capacity} sessions); "
                "start a new session."
            )

    async def ice_servers(self) -> list[IceServer]:
        self._check_available()
        return await self._session_ice_servers()

    async def _session_ice_servers(self) -> list[IceServer]:
        try:
            return await self._ice_source.ice_servers()
        except IceServersUnavailable as exc:
            raise Unavailable(f"{exc} Try again in a moment.") from exc

    async def open(self, session_id: str, offer_sdp: str) -> str:
        """Create the session's peer and agent from the offer; return the answer SDP."""
        if session_id in self._sessions or session_id in self._opening:
            raise SessionExists(
                "This session already has a peer connection; start a new session to reconnect."
            )
        self._check_available()
        self._opening.add(session_id)
        try:
            session = Session(
                session_id,
                settings=self._settings,
                model_factory=self._model_factory,
                tools_client=self._tools_client,
                ice_servers=await self._session_ice_servers(),
                on_closed=self._forget,
            )
            try:
                answer = await session.answer(offer_sdp)
            except BaseException:
                await session.close("offer failed")
                raise
            self._sessions[session_id] = session
        finally:
            self._opening.discard(session_id)
        logger.info(
            "session %s opened (%d/%d)", session_id[:8], self.count, self._settings.capacity
        )
        self.on_change()
        return answer

    async def add_ice_candidate(self, session_id: str, candidate: RTCIceCandidate | None) -> None:
        session = self._sessions.get(session_id)
        if session is None:
            raise UnknownSession(
                "This agent does not hold that session (it ended or never started); "
                "start a new session."
            )
        await session.add_ice_candidate(candidate)

    async def close(self, session_id: str) -> None:
        session = self._sessions.get(session_id)
        if session is not None:
            await session.close("closed by signaling")

    def _forget(self, session: Session) -> None:
        if self._sessions.get(session.session_id) is session:
            del self._sessions[session.session_id]
            self.on_change()
            # Collect the closed peer's reference cycles and give the freed memory back to the
            # system (memory.py), rather than let RSS climb to the highest mark sessions reach.
            self.memory.request()

    async def drain(self, timeout_seconds: float, reason: str = "agent is shutting down") -> None:
        """Take no new sessions, ask browsers to reconnect, wait for them, then close the rest."""
        self.draining = True
        sessions = list(self._sessions.values())
        logger.info("draining %d sessions (up to %.0f s)", len(sessions), timeout_seconds)
        for session in sessions:
            session.ask_to_reconnect(reason)
        if sessions:
            waits = [asyncio.create_task(session.closed.wait()) for session in sessions]
            _done, pending = await asyncio.wait(waits, timeout=timeout_seconds)
            for task in pending:
                task.cancel()
        await self.close_all(reason)

    async def close_all(self, reason: str) -> None:
        await asyncio.gather(
            *(session.close(reason) for session in list(self._sessions.values())),
            return_exceptions=True,
        )

    async def on_timer_event(self, event: TimerEvent) -> None:
        """Route a timer event to the session that owns it (other agents' sessions are ignored)."""
        session = self._sessions.get(event.session_id)
        if session is not None:
            await session.on_timer_event(event)
