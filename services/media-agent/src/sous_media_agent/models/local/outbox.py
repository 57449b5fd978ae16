"""The model's outgoing events, in order, with queued audio droppable on barge-in.

`put` never waits, so the input side (VAD on incoming audio) is never held up by a slow output.
It holds at most one answer's worth of events: answers are a few sentences long.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from strands.bidi.types.events import BidiAudioDeltaEvent, BidiOutputEvent

OnSent = Callable[[], None]


class Outbox:
    def __init__(self) -> None:
        self._items: deque[tuple[BidiOutputEvent, OnSent | None]] = deque()
        self._ready = asyncio.Event()
        self._closed = False

    def put(self, event: BidiOutputEvent, on_sent: OnSent | None = None) -> None:
        """Queue an event; `on_sent` runs when it is handed to the agent."""
        if self._closed:
            return
        self._items.append((event, on_sent))
        self._ready.set()

    def drop_audio(self) -> int:
        """Forget every queued audio chunk (the user interrupted); returns how many."""
        kept = [item for item in self._items if not isinstance(item[0], BidiAudioDeltaEvent)]
        dropped = len(self._items) - len(kept)
        self._items = deque(kept)
        return dropped

    def close(self) -> None:
        self._closed = True
        self._items.clear()
        self._ready.set()

    async def get(self) -> tuple[BidiOutputEvent, OnSent | None] | None:
        """The next event, or None once closed."""
        while not self._items:
            if self._closed:
                return None
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()
