"""Timer events from the tools service (Redis stream `sous:events:timers`) to the owning session."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Literal, cast

import redis.asyncio as aioredis
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.exceptions import RedisError

from . import keys

logger = logging.getLogger(__name__)

TIMER_EVENT_TYPES = ("timer.set", "timer.cancelled", "timer.fired")
TimerAction = Literal["set", "cancelled", "fired"]
_ACTIONS: dict[str, TimerAction] = {
    "timer.set": "set",
    "timer.cancelled": "cancelled",
    "timer.fired": "fired",
}


class TimerEvent(BaseModel):
    """One stream entry's `event` document (docs/events.md, section 1)."""

    model_config = ConfigDict(extra="ignore")

    v: Literal[1]
    type: Literal["timer.set", "timer.cancelled", "timer.fired"]
    timer_id: str = Field(min_length=1)
    session_id: str = Field(min_length=1)
    label: str
    duration_seconds: int = Field(ge=0)
    ends_at: str
    fired_at: str | None = None

    @property
    def action(self) -> TimerAction:
        return _ACTIONS[self.type]

    def timer_fields(self) -> dict[str, object]:
        """The `timer` object of the data-channel event."""
        return {
            "id": self.timer_id,
            "label": self.label,
            "duration_seconds": self.duration_seconds,
            "ends_at": self.ends_at,
        }


def parse_timer_event(raw: str | bytes) -> TimerEvent | None:
    """The event, or None (logged) for unknown types, unknown versions and malformed entries."""
    try:
        document = json.loads(raw)
    except ValueError:
        logger.warning("dropping a timer event that is not JSON: %.200r", raw)
        return None
    if not isinstance(document, dict):
        logger.warning("dropping a timer event that is not an object: %.200r", raw)
        return None
    if document.get("v") != 1:
        logger.warning("dropping a timer event with unknown version %r", document.get("v"))
        return None
    if document.get("type") not in TIMER_EVENT_TYPES:
        logger.debug("ignoring stream event of type %r", document.get("type"))
        return None
    try:
        return TimerEvent.model_validate(document)
    except ValidationError as exc:
        logger.warning("dropping a malformed timer event: %s", exc.errors()[0]["msg"])
        return None


TimerEventHandler = Callable[[TimerEvent], Awaitable[None]]


class TimerEventConsumer:
    """Reads the stream from `$` (every agent sees every entry) and hands each event on.

    Survives Redis restarts: on a connection error it waits (backing off) and reads on from the
    last entry it saw.
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        handler: TimerEventHandler,
        *,
        block_ms: int = 2000,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self._redis = redis
        self._handler = handler
        self._block_ms = block_ms
        self._max_backoff = max_backoff_seconds
        self._task: asyncio.Task[None] | None = None
        self._last_id = "$"
        self.ready = asyncio.Event()  # set once the first XREAD is waiting (tests, start-up)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="timer-events")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            try:
                if self._last_id == "$":
                    # Pin "$" to a real id now, so nothing is missed between two reads.
                    self._last_id = await self._latest_id()
                self.ready.set()
                reply = await self._redis.xread(
                    {keys.TIMER_EVENTS: self._last_id}, block=self._block_ms, count=100
                )
                backoff = 0.1
            except (RedisError, OSError) as exc:
                logger.warning(
                    "timer event stream unavailable (%s); retrying in %.1fs", exc, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            streams = cast(list[tuple[str, list[tuple[str, dict[str, str]]]]], reply or [])
            for _stream, entries in streams:
                for entry_id, fields in entries:
                    self._last_id = entry_id
                    await self._dispatch(fields)

    async def _latest_id(self) -> str:
        entries = await self._redis.xrevrange(keys.TIMER_EVENTS, count=1)
        return str(entries[0][0]) if entries else "0-0"

    async def _dispatch(self, fields: dict[str, str]) -> None:
        raw = fields.get("event")
        if raw is None:
            logger.warning("dropping a stream entry without an `event` field")
            return
        event = parse_timer_event(raw)
        if event is None:
            return
        try:
            await self._handler(event)
        except Exception:
            logger.exception("handling %s for a session failed", event.type)
