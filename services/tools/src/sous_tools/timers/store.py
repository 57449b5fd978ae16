"""Timers kept in Redis: create, read, cancel, pause, resume, and fire the ones that are due."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from sous_tools.errors import Conflict, InvalidInput, NotFound
from sous_tools.timers import keys, scripts
from sous_tools.timers.models import Timer, TimerStatus, iso_utc

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
TIMER_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class TimerLimits:
    min_seconds: int
    max_seconds: int
    label_max_chars: int
    max_per_session: int
    keep_seconds: int
    max_paused_seconds: int
    stream_maxlen: int

    @property
    def session_index_ttl(self) -> int:
        return max(self.max_seconds, self.max_paused_seconds) + self.keep_seconds


def check_session_id(session_id: str) -> str:
    if not SESSION_ID.match(session_id):
        raise InvalidInput(
            f"'session_id' {session_id[:60]!r} is not valid; use 1-128 letters, digits, "
            "'-' or '_' (the id signaling gave the session)."
        )
    return session_id


class TimerStore:
    def __init__(self, redis: Redis, limits: TimerLimits) -> None:
        self.redis = redis
        self.limits = limits
        self._create = redis.register_script(scripts.CREATE)
        self._cancel = redis.register_script(scripts.CANCEL)
        self._pause = redis.register_script(scripts.PAUSE)
        self._resume = redis.register_script(scripts.RESUME)
        self._fire = redis.register_script(scripts.FIRE)

    @staticmethod
    def _keys(timer_id: str, session_id: str) -> list[str]:
        """The keys the Lua scripts touch, in their KEYS order."""
        return [
            keys.DUE,
            keys.timer(timer_id),
            keys.session_timers(session_id),
            keys.EVENTS_STREAM,
        ]

    async def _fields(self, timer_id: str) -> dict[str, str]:
        fields = await self.redis.hgetall(keys.timer(timer_id))
        return cast(dict[str, str], fields)

    def _check_new(self, label: str, duration_seconds: int) -> str:
        limits = self.limits
        if not limits.min_seconds <= duration_seconds <= limits.max_seconds:
            raise InvalidInput(
                f"'duration_seconds' {duration_seconds} is out of range; set a timer from "
                f"{limits.min_seconds} to {limits.max_seconds} seconds."
            )
        label = " ".join(label.split())
        if len(label) > limits.label_max_chars:
            raise InvalidInput(
                f"The label '{label[:40]}...' is {len(label)} characters long; keep it to "
                f'{limits.label_max_chars} (e.g. "pasta").'
            )
        return label or "timer"

    async def create(self, session_id: str, label: str, duration_seconds: int) -> Timer:
        check_session_id(session_id)
        label = self._check_new(label, duration_seconds)
        timer_id = uuid.uuid4().hex
        now = time.time()
        ends = now + duration_seconds
        created = await self._create(
            keys=self._keys(timer_id, session_id),
            args=[
                timer_id, session_id, label, duration_seconds, iso_utc(now), iso_utc(ends),
                repr(ends), duration_seconds + self.limits.keep_seconds,
                self.limits.session_index_ttl, self.limits.max_per_session,
                self.limits.stream_maxlen,
            ],
        )  # fmt: skip
        if not created:
            raise Conflict(
                f"Session '{session_id}' already has {self.limits.max_per_session} timers "
                "running or paused; cancel one before setting another."
            )
        return await self.get(timer_id)

    async def get(self, timer_id: str) -> Timer:
        fields: dict[str, str] = {}
        if TIMER_ID.match(timer_id):
            fields = await self._fields(timer_id)
        if not fields:
            raise NotFound(
                f"There is no timer '{timer_id[:40]}'; it may have ended over "
                f"{self.limits.keep_seconds} s ago. List timers with GET /timers?session_id=..."
            )
        return Timer.from_hash(fields, time.time())

    async def list_for_session(self, session_id: str) -> list[Timer]:
        check_session_id(session_id)
        index = keys.session_timers(session_id)
        timer_ids = cast(list[str], await self.redis.hkeys(index))
        rows = [await self._fields(timer_id) for timer_id in timer_ids]
        now = time.time()
        gone = [timer_id for timer_id, row in zip(timer_ids, rows, strict=True) if not row]
        if gone:
            await self.redis.hdel(index, *gone)
        timers = [Timer.from_hash(row, now) for row in rows if row]
        return sorted(
            timers, key=lambda t: (t.status is not TimerStatus.RUNNING, t.remaining_seconds)
        )

    async def _session_of(self, timer_id: str) -> str:
        return (await self.get(timer_id)).session_id

    async def cancel(self, timer_id: str) -> Timer:
        session_id = await self._session_of(timer_id)
        before = await self._cancel(
            keys=self._keys(timer_id, session_id),
            args=[
                timer_id,
                iso_utc(time.time()),
                self.limits.keep_seconds,
                self.limits.stream_maxlen,
            ],
        )
        if before == TimerStatus.FIRED:
            raise Conflict(f"Timer '{timer_id}' has already gone off; there is nothing to cancel.")
        return await self.get(timer_id)

    async def pause(self, timer_id: str) -> Timer:
        session_id = await self._session_of(timer_id)
        before = await self._pause(
            keys=self._keys(timer_id, session_id)[:3],
            args=[timer_id, repr(time.time()), self.limits.max_paused_seconds],
        )
        if before != TimerStatus.RUNNING:
            state = "is going off right now" if before == "due" else f"is {before}"
            raise Conflict(f"Timer '{timer_id}' {state}; only a running timer can be paused.")
        return await self.get(timer_id)

    async def resume(self, timer_id: str) -> Timer:
        session_id = await self._session_of(timer_id)
        while True:
            remaining = (await self._fields(timer_id)).get("remaining_seconds")
            ends = time.time() + float(remaining or 0)
            before = await self._resume(
                keys=self._keys(timer_id, session_id)[:3],
                args=[
                    timer_id, remaining or "", iso_utc(ends), repr(ends),
                    int(float(remaining or 0)) + 1 + self.limits.keep_seconds,
                ],
            )  # fmt: skip
            if before != "changed":  # another client paused/resumed in between: read again
                break
        if before != TimerStatus.PAUSED:
            raise Conflict(
                f"Timer '{timer_id}' is {before or 'gone'}; only a paused timer can be resumed."
            )
        return await self.get(timer_id)

    async def reset_connections(self) -> None:
        """Drop pooled connections, so the next command dials a (restarted) Redis afresh."""
        await self.redis.connection_pool.disconnect()

    async def fire_due(self, now: float, batch: int) -> list[str]:
        """Fire the running timers due by ``now``; returns the ids this call fired."""
        due = cast(
            list[str], await self.redis.zrangebyscore(keys.DUE, "-inf", now, start=0, num=batch)
        )
        fired: list[str] = []
        for timer_id in due:
            session_id = (await self._fields(timer_id)).get("session_id")
            if session_id is None:  # its hash expired long ago: nothing left to announce
                await self.redis.zrem(keys.DUE, timer_id)
                continue
            won = await self._fire(
                keys=self._keys(timer_id, session_id),
                args=[
                    timer_id, repr(now), iso_utc(time.time()), self.limits.keep_seconds,
                    self.limits.stream_maxlen,
                ],
            )  # fmt: skip
            if won:
                fired.append(timer_id)
        return fired
