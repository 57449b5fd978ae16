"""Typed questions (data channel) and announcements for text-driven models, as agent input."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from strands.bidi.agent.agent import BidiAgent


class TextInput:
    """The BidiInput role for text: each queued string becomes one user message."""

    def __init__(self, max_items: int = 16) -> None:
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=max_items)

    def offer(self, text: str) -> bool:
        """Queue a text for the model; False when too many are already waiting."""
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            return False
        return True

    async def start(self, agent: BidiAgent) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def __call__(self) -> str:
        return await self._queue.get()
