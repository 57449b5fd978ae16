"""Memory across sequential sessions: does the media agent give back what a session took?

Starts the real agent (`python -m sous_media_agent`) as a subprocess, runs N sessions one after
another with a real aiortc client (connect, 2 s of microphone audio, a typed question, close),
and prints the agent's resident memory (RSS, from /proc) after the first session and after all.

    uv run python services/media-agent/scripts/memory_sessions.py [--sessions 50] [--model echo]

Needs Redis at REDIS_URL (default redis://127.0.0.1:6379/0). MODEL=local also needs the tools
service for answers; without it the agent says the tools service is not answering.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from media_agent_support import ClientPeer


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def one_session(http: httpx.AsyncClient, session_id: str) -> None:
    client = ClientPeer()
    try:
        response = await http.post(
            "/invocations",
            json={"action": "offer", "session_id": session_id, "data": await client.offer()},
        )
        response.raise_for_status()
        await client.accept(response.json())
        await asyncio.wait_for(client.channel_open.wait(), 15)
        await asyncio.sleep(2)
        client.send(
            json.dumps({"v": 1, "type": "text", "text": "how many grams in a cup of flour"})
        )
        await asyncio.sleep(0.5)
        await http.post(
            "/invocations", json={"action": "close", "session_id": session_id, "data": {}}
        )
    finally:
        await client.close()


async def measure(agent: subprocess.Popen[bytes], port: int, sessions: int) -> list[float]:
    """RSS at start, after the first session, and after all sessions."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:

        async def ready() -> bool:
            try:
                return (await http.get("/ping")).status_code == 200
            except httpx.TransportError:
                return False

        deadline = time.monotonic() + 180
        while not await ready():
            if time.monotonic() > deadline or agent.poll() is not None:
                raise SystemExit("the agent did not start")
            await asyncio.sleep(0.5)
        started_mb = rss_mb(agent.pid)
        await one_session(http, "memory-warm-up")
        await asyncio.sleep(1)
        first_mb = rss_mb(agent.pid)
        for n in range(2, sessions + 1):
            await one_session(http, f"memory-{n}")
            if n % 10 == 0:
                print(f"after {n:3d} sessions: {rss_mb(agent.pid):7.1f} MB", flush=True)
        await asyncio.sleep(2)
        return [started_mb, first_mb, rss_mb(agent.pid)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--model", default="echo", choices=["echo", "local"])
    args = parser.parse_args()

    port = free_port()
    env = os.environ | {"PORT": str(port), "MODEL": args.model, "LOG_LEVEL": "WARNING"}
    agent = subprocess.Popen([sys.executable, "-m", "sous_media_agent"], env=env)
    try:
        started_mb, first_mb, last_mb = asyncio.run(measure(agent, port, args.sessions))
    finally:
        agent.terminate()
        agent.wait(timeout=30)
    growth_kb = (last_mb - first_mb) * 1024 / max(args.sessions - 1, 1)
    print(f"model={args.model} sessions={args.sessions}")
    print(f"RSS at start:              {started_mb:7.1f} MB")
    print(f"RSS after first session:   {first_mb:7.1f} MB")
    print(f"RSS after {args.sessions} sessions:      {last_mb:7.1f} MB")
    print(f"growth per session after the first: {growth_kb:.0f} KB")


if __name__ == "__main__":
    main()
