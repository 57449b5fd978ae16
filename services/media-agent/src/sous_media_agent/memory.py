"""Giving a finished session's memory back to the system (glibc's `malloc_trim`).

A session's speech work (Whisper in CTranslate2, piper and the VAD in onnxruntime, aiortc's
codecs) runs on several threads that share glibc's malloc arenas (two: `__main__.py`). What a
session frees stays in those arenas as free pages the process still holds, so RSS climbs in
steps to the highest mark any mix of sessions reached and stays there (docs/reliability.md,
"Soak"). `malloc_trim(0)` hands every arena's free pages back; after a session it takes a few
tens of milliseconds and runs on a worker thread, off the event loop. (Piper's onnxruntime
session runs without its own arena, engines.py, so its buffers reach malloc and are trimmed
too.) Elsewhere (musl, macOS) there is no `malloc_trim` and nothing is done.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
import sys
import time
from collections.abc import Callable
from functools import cache

logger = logging.getLogger(__name__)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process already uses
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def can_trim() -> bool:
    """Whether this process's C library can give free heap memory back (glibc)."""
    return _malloc_trim() is not None


def release_free_memory() -> float | None:
    """Return the allocator's free pages to the system; how long it took (s), None if it can't.

    Blocking (a few ms, more after a large high-water mark): call it from a worker thread.
    """
    trim = _malloc_trim()
    if trim is None:
        return None
    started = time.perf_counter()
    trim(0)
    return time.perf_counter() - started


class MemoryReleaser:
    """After a session ends: collect its reference cycles, then trim the allocator.

    Requests while a release runs are folded into one more release after it.
    """

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.releases = 0
        self.last_seconds: float | None = None

    def request(self) -> None:
        """Release soon (call from the event loop)."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._release())

    async def wait(self) -> None:
        """Until the requested releases have run."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def _release(self) -> None:
        while True:
            self._again = False
            # A closed peer leaves reference cycles (event emitters, transports): collect them
            # first, so their memory is free when the allocator is trimmed. With the start-up
            # heap frozen (app.py) this takes a few milliseconds.
            gc.collect()
            try:
                self.last_seconds = await asyncio.to_thread(release_free_memory)
            except RuntimeError:  # the loop is shutting down: no more worker threads
                return
            self.releases += 1
            if self.last_seconds is not None:
                logger.debug("malloc_trim after a session: %.1f ms", self.last_seconds * 1000)
            if not self._again:
                return
