"""Memory a session freed goes back to the system (glibc's malloc_trim), on the real allocator."""

from __future__ import annotations

import ctypes
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from media_agent_support import connect, eventually, invoke

from sous_media_agent.memory import MemoryReleaser, can_trim, release_free_memory

pytestmark = pytest.mark.skipif(not can_trim(), reason="needs glibc's malloc_trim")

SESSION = "m" * 43
BLOCK = 64 * 1024  # below glibc's mmap threshold: served from the heap, like model buffers
BLOCKS = 1600  # 100 MB


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def test_trim_gives_freed_heap_memory_back_to_the_system() -> None:
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    release_free_memory()
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
    for block in blocks:
        ctypes.memset(block, 1, BLOCK)  # make the pages resident
    # Free nine blocks in ten: the ones kept pin the heap, as a session's survivors do, so
    # free() alone cannot shrink it.
    kept = blocks[9::10]
    for index, block in enumerate(blocks):
        if index % 10 != 9:
            libc.free(block)
    freed_mb = BLOCKS * 0.9 * BLOCK / 2**20
    try:
        before = rss_mb()
        seconds = release_free_memory()
        after = rss_mb()
    finally:
        for block in kept:
            libc.free(block)
    assert seconds is not None and seconds < 1
    assert before - after > 0.8 * freed_mb, f"RSS {before:.0f} → {after:.0f} MB"


async def test_closing_a_session_trims_the_allocator(app: FastAPI, http: httpx.AsyncClient) -> None:
    memory: MemoryReleaser = app.state.sessions.memory
    client = await connect(http, SESSION)
    try:
        assert memory.releases == 0
        assert (await invoke(http, "close", SESSION)).json() == {"status": "closed"}
        assert await eventually(lambda: memory.releases == 1)
        assert memory.last_seconds is not None
    finally:
        await client.close()


async def test_sessions_ending_together_share_one_trim() -> None:
    memory = MemoryReleaser()
    for _ in range(3):
        memory.request()
    await memory.wait()
    assert memory.releases == 1
    memory.request()
    await memory.wait()
    assert memory.releases == 2
