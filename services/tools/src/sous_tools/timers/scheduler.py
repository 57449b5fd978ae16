"""The background loop that fires due timers; one runs in every tools instance."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sous_tools.timers.store import TimerStore

log = logging.getLogger(__name__)


class TimerScheduler:
    def __init__(
        self, store: TimerStore, poll_seconds: float, batch: int, max_backoff_seconds: float
    ) -> None:
        self.store = store
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.max_backoff_seconds = max_backoff_seconds

    async def run(self) -> None:
        """Poll until cancelled. Errors (Redis down, restarting) back off and retry, never stop."""
        failures = 0
        while True:
            try:
                fired = await self.store.fire_due(time.time(), self.batch)
            except Exception as exc:  # the loop must outlive any single failure
                failures += 1
                delay = min(self.max_backoff_seconds, self.poll_seconds * 2**failures)
                log.warning("timer scheduler: %s; retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                with contextlib.suppress(Exception):
                    await self.store.reset_connections()
                continue
            if failures:
                log.info("timer scheduler: Redis is back after %d failed polls", failures)
                failures = 0
            if fired:
                log.info("timer scheduler: fired %s", ", ".join(fired))
            if len(fired) < self.batch:
                await asyncio.sleep(self.poll_seconds)
