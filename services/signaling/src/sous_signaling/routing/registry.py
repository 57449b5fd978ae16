"""Local/compose routing: media agents register in Redis, signaling calls them over HTTP.

Each agent heartbeats a hash `sous:agent:{id}` (url, capacity, sessions, draining, updated_at)
with a TTL and adds its id to `sous:agents`. An agent whose hash expired is dead: it gets no new
sessions, and its sessions answer 410.

Placement picks the live, non-draining agent with the most free capacity. An agent's own
`sessions` count is only as fresh as its last heartbeat, so the sessions signaling assigned it
since then are counted too (a counter keyed by the heartbeat's updated_at): a burst of creates
spreads over the agents instead of piling onto the one that looked emptiest.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import redis.asyncio as aioredis

from .. import keys
from ..errors import (
    START_NEW_SESSION,
    AgentFailed,
    AgentStopped,
    ServiceUnavailable,
    SignalingError,
)
from ..redis_client import text
from .base import Action, JsonObject, Placement, agent_error, ice_servers_of, invocation

log = logging.getLogger(__name__)

_ASSIGNED_TTL_SECONDS = 60  # far longer than a heartbeat period; the counter is dead after one

# KEYS[1] = the agent index set. ARGV[1] = agent key prefix, ARGV[2] = assigned-counter TTL,
# ARGV[3..] = agent ids to skip. Prunes dead ids, picks the agent with the most free capacity,
# counts the assignment, and returns {id, url} (or nil when no agent has room).
_PICK_AGENT = """
local skip = {}
for i = 3, #ARGV do skip[ARGV[i]] = true end
local best_id, best_url, best_counter, best_free
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. id
  local f = redis.call('HMGET', key, 'url', 'capacity', 'sessions', 'draining', 'updated_at')
  if not f[1] then
    redis.call('SREM', KEYS[1], id)
  elseif not skip[id] and f[4] ~= '1' then
    local counter = key .. ':assigned:' .. (f[5] or '')
    local assigned = tonumber(redis.call('GET', counter) or '0') or 0
    local free = (tonumber(f[2]) or 0) - (tonumber(f[3]) or 0) - assigned
    if free > 0 and (best_free == nil or free > best_free) then
      best_id, best_url, best_counter, best_free = id, f[1], counter, free
    end
  end
end
if not best_id then return nil end
redis.call('INCR', best_counter)
redis.call('EXPIRE', best_counter, ARGV[2])
return {best_id, best_url}
"""


class RegistryRouter:
    def __init__(self, redis: aioredis.Redis, http: httpx.AsyncClient, attempts: int) -> None:
        self._redis = redis
        self._http = http
        self._attempts = attempts
        self._pick = redis.register_script(_PICK_AGENT)

    async def _pick_agent(self, skip: list[str]) -> tuple[str, str] | None:
        picked: list[str] | None = await self._pick(
            keys=[keys.AGENTS], args=[keys.AGENT_PREFIX, _ASSIGNED_TTL_SECONDS, *skip]
        )
        return (picked[0], picked[1]) if picked else None

    async def place(self, session_id: str) -> Placement:
        tried: list[str] = []
        while len(tried) < self._attempts:
            picked = await self._pick_agent(tried)
            if picked is None:
                break
            agent_id, url = picked
            try:
                response = await self._post(url, session_id, Action.ICE_SERVERS, {})
            except SignalingError as exc:
                # Unreachable, full or broken: the client did nothing wrong, try the next agent.
                log.warning("agent %s could not take a session: %s", agent_id, exc.detail)
                tried.append(agent_id)
                continue
            return Placement(agent_id, ice_servers_of(response))
        if tried:
            raise ServiceUnavailable(
                f"No media agent could take the session ({len(tried)} tried). Try again shortly."
            )
        raise ServiceUnavailable(
            "No media agent is available (none is running, or all are full or draining). "
            "Try again shortly."
        )

    async def invoke(
        self, agent_id: str, session_id: str, action: Action, data: JsonObject
    ) -> JsonObject:
        url = await self._redis.hget(keys.agent(agent_id), "url")
        if url is None:
            raise AgentStopped()
        return await self._post(text(url), session_id, action, data)

    @property
    def liveness_prefix(self) -> str:
        return keys.AGENT_PREFIX  # the agent's hash expires when its heartbeats stop

    async def _post(
        self, url: str, session_id: str, action: Action, data: JsonObject
    ) -> JsonObject:
        try:
            response = await self._http.post(
                f"{url.rstrip('/')}/invocations", json=invocation(session_id, action, data)
            )
        except httpx.TransportError as exc:
            raise ServiceUnavailable(
                f"The media agent is not answering ({type(exc).__name__}). {START_NEW_SESSION}"
            ) from exc
        body = _json_object(response)
        if response.status_code != 200:
            detail = body.get("detail") if body else None
            raise agent_error(response.status_code, str(detail or response.text[:200]))
        if body is None:
            raise AgentFailed(f"The media agent's answer to {action.value!r} is not a JSON object.")
        return body

    async def aclose(self) -> None:
        await self._http.aclose()


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
