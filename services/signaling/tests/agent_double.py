"""A media-agent double for signaling's tests.

It honours the media agent's `POST /invocations` contract (docs/architecture.md) with a REAL
aiortc RTCPeerConnection per session, and registers and heartbeats in Redis exactly like the real
agent (`sous:agent:{id}` hash with a TTL, id in `sous:agents`). It has no audio pipeline: it
answers, takes candidates, echoes data-channel messages and closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from aiortc import RTCDataChannel, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp
from fastapi import FastAPI, HTTPException, Request

from services.signaling.tests.local_server import LocalServer, start_local_server

MAX_INVOCATION_BYTES = 64 * 1024


@dataclass
class AgentDouble:
    redis_url: str
    capacity: int = 4
    heartbeat_ttl: float = 2.0
    heartbeat_interval: float = 0.25
    ice_servers: list[dict[str, Any]] = field(default_factory=list)
    agent_id: str = field(default_factory=lambda: f"double-{uuid.uuid4().hex[:8]}")
    draining: bool = False
    peers: dict[str, RTCPeerConnection] = field(default_factory=dict)
    invocations: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    remote_candidates: dict[str, list[str]] = field(default_factory=dict)
    # While cleared, candidates wait on arrival (a slow agent); they go on in arrival order.
    candidates_flow: asyncio.Event = field(default_factory=asyncio.Event)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _server: LocalServer | None = None
    _heartbeat: asyncio.Task[None] | None = None
    _redis: aioredis.Redis | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url

    def actions(self, session_id: str) -> list[str]:
        return [action for action, sid, _ in self.invocations if sid == session_id]

    def delivered(self, session_id: str) -> list[str]:
        """The session's candidates applied so far, in order ("" = end-of-candidates)."""
        return self.remote_candidates.get(session_id, [])

    def candidates_arrived(self, session_id: str) -> int:
        return self.actions(session_id).count("ice_candidate")

    async def wait_until(self, condition: Callable[[], bool], within: float = 10.0) -> None:
        """Return once `condition` holds; it is checked as invocations arrive and candidates
        are applied."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(condition)

    async def _note_change(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def start(self) -> AgentDouble:
        self.candidates_flow.set()
        self._redis = aioredis.Redis.from_url(self.redis_url, decode_responses=True)
        self._server = await start_local_server(self._app(), lifespan="off")
        await self._beat()
        self._heartbeat = asyncio.create_task(self._heartbeat_loop())
        return self

    async def kill(self) -> None:
        """Die like a crashed process: no more heartbeats, no server, peers gone, keys left."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
            self._heartbeat = None
        if self._server is not None:
            self._server.server.force_exit = True
            await self._server.stop()
            self._server = None
        for pc in list(self.peers.values()):
            await pc.close()
        self.peers.clear()
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def _beat(self) -> None:
        assert self._redis is not None
        key = f"sous:agent:{self.agent_id}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "id": self.agent_id,
                    "url": self.url,
                    "capacity": self.capacity,
                    "sessions": len(self.peers),
                    "draining": int(self.draining),
                    "updated_at": f"{time.time():.6f}",
                },
            )
            pipe.pexpire(key, int(self.heartbeat_ttl * 1000))
            pipe.sadd("sous:agents", self.agent_id)
            await pipe.execute()

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            await self._beat()

    def _refuse_if_full(self) -> None:
        if self.draining or len(self.peers) >= self.capacity:
            raise HTTPException(503, "agent is at capacity or draining")

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/ping")
        async def ping() -> dict[str, str]:
            return {"status": "HealthyBusy" if self.peers else "Healthy"}

        @app.post("/invocations")
        async def invocations(request: Request) -> dict[str, Any]:
            raw = await request.body()
            if len(raw) > MAX_INVOCATION_BYTES:
                raise HTTPException(400, "invocation body over 64 KiB")
            body = await request.json()
            action, session_id, data = body["action"], body["session_id"], body["data"]
            self.invocations.append((action, session_id, data))
            await self._note_change()
            if action == "ice_servers":
                self._refuse_if_full()
                return {"ice_servers": self.ice_servers}
            if action == "offer":
                return await self._answer(session_id, data)
            if action == "ice_candidate":
                return await self._add_candidate(session_id, data)
            if action == "close":
                pc = self.peers.pop(session_id, None)
                if pc is not None:
                    await pc.close()
                return {"status": "closed"}
            raise HTTPException(400, f"unknown action {action!r}")

        return app

    async def _answer(self, session_id: str, data: dict[str, Any]) -> dict[str, Any]:
        self._refuse_if_full()
        if data.get("type") != "offer" or "m=audio" not in data.get("sdp", ""):
            raise HTTPException(400, "data must be an SDP offer with audio")
        pc = RTCPeerConnection()
        self.peers[session_id] = pc

        @pc.on("datachannel")
        def echo(channel: RTCDataChannel) -> None:
            channel.on("message", lambda message: channel.send(f"echo:{message}"))

        await pc.setRemoteDescription(RTCSessionDescription(data["sdp"], "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return {"sdp": pc.localDescription.sdp, "type": "answer"}

    async def _add_candidate(self, session_id: str, data: dict[str, Any]) -> dict[str, str]:
        pc = self.peers.get(session_id)
        if pc is None:
            raise HTTPException(404, "no such session on this agent")
        await self.candidates_flow.wait()
        text = data.get("candidate", "")
        self.remote_candidates.setdefault(session_id, []).append(text)
        await self._note_change()
        if not text:
            await pc.addIceCandidate(None)  # end-of-candidates
            return {"status": "ok"}
        try:
            candidate = candidate_from_sdp(text.removeprefix("candidate:"))
        except (AssertionError, ValueError) as exc:
            raise HTTPException(400, f"bad candidate: {exc}") from exc
        candidate.sdpMid = data.get("sdpMid")
        candidate.sdpMLineIndex = data.get("sdpMLineIndex")
        await pc.addIceCandidate(candidate)
        return {"status": "ok"}
