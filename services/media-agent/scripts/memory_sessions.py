"""Memory across sequential sessions: does the media agent keep what its sessions took?

Starts the real agent (`sous_media_agent.__main__.main`, in a subprocess that answers SIGUSR1
with a tracemalloc snapshot and SIGUSR2 with glibc's `malloc_trim(0)`) and runs N sessions one
after another with a real aiortc client straight at /invocations: connect, speak a question into
the microphone (piper voice; the local model hears it, transcribes it, answers and speaks; the
echo model sends it back), wait for the answer, close. Python allocations are traced from the
end of the warm-up sessions on. At the end it prints:

- RSS every 10 sessions (from /proc), and with `--trim-every` what is left after a trim;
- the Python objects allocated after the warm-up and still alive after the last session, by
  allocation site: a leak in Python code grows here with every session;
- RSS before and after `malloc_trim(0)`: what the allocator held free (high-water marks), not
  memory any object still uses.

    uv run python services/media-agent/scripts/memory_sessions.py [--sessions 100] [--model local]
        [--trim-every 50]

Needs Redis at REDIS_URL (default redis://127.0.0.1:6379/0). Without the tools service the local
model answers questions that need a tool with "the tools service is not answering".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "services" / "media-agent" / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from media_agent_support import ClientPeer, eventually  # noqa: E402
from voice_client import Microphone, speech  # noqa: E402

QUESTIONS = [
    "How many grams is two cups of flour?",
    "Thank you.",
    "Set a timer for eight minutes for the pasta.",
    "What can you do?",
]
WARM_UP_SESSIONS = 5

# The agent, plus the two signal handlers the measurement needs (run with `python -c`).
AGENT = """
import ctypes, gc, os, signal, time, tracemalloc
from sous_media_agent.__main__ import main

def snapshot(signum, frame):
    gc.collect()
    if not tracemalloc.is_tracing():
        tracemalloc.start(12)
    path = os.environ["SNAPSHOT_PATH"]
    tracemalloc.take_snapshot().dump(path + ".tmp")
    os.replace(path + ".tmp", path)

def trim(signum, frame):
    started = time.perf_counter()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open(os.environ["SNAPSHOT_PATH"] + ".trimmed", "w") as done:
        done.write(str(time.perf_counter() - started))

signal.signal(signal.SIGUSR1, snapshot)
signal.signal(signal.SIGUSR2, trim)
main()
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_for_file(path: Path, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not await asyncio.to_thread(path.exists):
        if time.monotonic() > deadline:
            raise SystemExit(f"the agent did not write {path.name}")
        await asyncio.sleep(0.1)


class Agent:
    """The agent subprocess and its two measurement signals."""

    def __init__(self, model: str, workdir: Path) -> None:
        self.port = free_port()
        self.snapshot_path = workdir / "heap.snapshot"
        env = os.environ | {
            "PORT": str(self.port),
            "MODEL": model,
            "LOG_LEVEL": "ERROR",  # without the tools service each tool call warns
            "SNAPSHOT_PATH": str(self.snapshot_path),
        }
        self.process = subprocess.Popen([sys.executable, "-c", AGENT], env=env)

    @property
    def rss_mb(self) -> float:
        return rss_mb(self.process.pid)

    async def snapshot(self) -> tracemalloc.Snapshot:
        """The agent's traced Python heap (tracing starts at the first call)."""
        await asyncio.to_thread(self.snapshot_path.unlink, missing_ok=True)
        self.process.send_signal(signal.SIGUSR1)
        await wait_for_file(self.snapshot_path)
        return tracemalloc.Snapshot.load(str(self.snapshot_path))

    async def trim(self) -> float:
        """Have glibc give free memory back to the system; how long that took (s)."""
        done = Path(f"{self.snapshot_path}.trimmed")
        await asyncio.to_thread(done.unlink, missing_ok=True)
        self.process.send_signal(signal.SIGUSR2)
        await wait_for_file(done)
        return float(await asyncio.to_thread(done.read_text))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


async def one_session(
    http: httpx.AsyncClient, session_id: str, question: bytes, model: str
) -> bool:
    """One conversation turn; whether the agent answered (or echoed) within 30 s."""
    client = ClientPeer()
    microphone = Microphone()
    client.pc.getSenders()[0].replaceTrack(microphone)
    try:
        response = await http.post(
            "/invocations",
            json={"action": "offer", "session_id": session_id, "data": await client.offer()},
        )
        response.raise_for_status()
        await client.accept(response.json())
        await asyncio.wait_for(client.channel_open.wait(), 15)
        started, said_at = len(client.events), time.monotonic()
        microphone.say(question + bytes(microphone.rate))  # then 0.5 s of silence

        def answered() -> bool:
            if model == "echo":
                return client.loud_since(said_at) >= 10
            return any(is_answer(event) for event in client.events[started:])

        return await eventually(answered, within=30)
    finally:
        await http.post(
            "/invocations", json={"action": "close", "session_id": session_id, "data": {}}
        )
        microphone.stop()
        await client.close()


def is_answer(event: dict[str, object]) -> bool:
    return (
        event.get("type") == "transcript"
        and event.get("role") == "assistant"
        and bool(event.get("final"))
    )


async def measure(agent: Agent, sessions: int, model: str, trim_every: int) -> None:
    questions = [speech(text) for text in QUESTIONS]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{agent.port}", timeout=30) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/ping")).status_code == 200
            except httpx.TransportError:
                return False

        deadline = time.monotonic() + 180
        while not await ready():
            if time.monotonic() > deadline or agent.process.poll() is not None:
                raise SystemExit("the agent did not start")
            await asyncio.sleep(0.5)
        started_mb = agent.rss_mb
        unanswered = 0
        for n in range(1, WARM_UP_SESSIONS + 1):
            question = questions[n % len(questions)]
            unanswered += not await one_session(http, f"warm-up-{n}", question, model)
        await asyncio.sleep(1)
        await agent.snapshot()  # starts tracing
        warm_mb = agent.rss_mb
        for n in range(1, sessions + 1):
            question = questions[n % len(questions)]
            unanswered += not await one_session(http, f"memory-{n}", question, model)
            if n % 10 == 0:
                line = f"after {n:4d} sessions: RSS {agent.rss_mb:7.1f} MB"
                if trim_every and n % trim_every == 0:
                    trim_ms = await agent.trim() * 1000
                    line += f", {agent.rss_mb:7.1f} MB after malloc_trim ({trim_ms:.0f} ms)"
                print(line, flush=True)
        await asyncio.sleep(2)
        heap = await agent.snapshot()
        before_trim_mb = agent.rss_mb
        trim_seconds = await agent.trim()
        after_trim_mb = agent.rss_mb

    kept = heap.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    stats = kept.statistics("lineno")
    kept_kb = sum(stat.size for stat in stats) / 1024
    print(f"\nmodel={model} sessions={sessions} (+{WARM_UP_SESSIONS} warm-up)")
    print(f"unanswered sessions: {unanswered}")
    print(f"RSS at start:                    {started_mb:7.1f} MB")
    print(f"RSS after the warm-up:           {warm_mb:7.1f} MB")
    print(f"RSS after {sessions:4d} more sessions:   {before_trim_mb:7.1f} MB")
    trim_ms = trim_seconds * 1000
    print(f"RSS after malloc_trim(0):        {after_trim_mb:7.1f} MB (trim took {trim_ms:.0f} ms)")
    growth_kb = (before_trim_mb - warm_mb) * 1024 / sessions
    print(f"RSS growth per session after the warm-up: {growth_kb:.0f} KB")
    print(f"Python objects allocated after the warm-up, still alive: {kept_kb:.0f} KB")
    print(f"  = {kept_kb / sessions:.1f} KB per session; largest allocation sites:")
    for stat in stats[:12]:
        frame = stat.traceback[0]
        print(
            f"  {stat.size / 1024:8.1f} KB {stat.count:7d} blocks  {frame.filename}:{frame.lineno}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--model", default="local", choices=["echo", "local"])
    parser.add_argument(
        "--trim-every", type=int, default=0, help="also trim every N sessions (a multiple of 10)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sous-memory-") as workdir:
        agent = Agent(args.model, Path(workdir))
        try:
            asyncio.run(measure(agent, args.sessions, args.model, args.trim_every))
        finally:
            agent.stop()


if __name__ == "__main__":
    main()
