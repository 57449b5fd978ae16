"""`./sous up` (scripts/run_local.py) starts the whole system; Ctrl-C or SIGTERM stops all of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from stack import free_port

ROOT = Path(__file__).resolve().parent.parent


def ports_answering(ports: list[int]) -> list[int]:
    answering = []
    for port in ports:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            answering.append(port)
        except httpx.TransportError:
            pass
    return answering


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_up_serves_the_app_and_a_signal_stops_every_service(
    redis_url: str, stop_signal: signal.Signals
) -> None:
    signaling, tools, agent = free_port(), free_port(), free_port()
    command = [sys.executable, "scripts/run_local.py", "--model", "echo", "--port", str(signaling)]
    command += ["--tools-port", str(tools), "--agent-port", str(agent)]
    up = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": redis_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert up.stdout is not None
        for line in up.stdout:
            lines.append(line)
            if "ready in" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(120), "".join(lines[-40:])
        assert httpx.get(f"http://127.0.0.1:{signaling}/health").json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{signaling}/").status_code == 200  # the app
        created = httpx.post(f"http://127.0.0.1:{signaling}/api/sessions")
        assert created.status_code == 201, created.text
        time.sleep(1.0)
        # Ctrl-C through `uv run` can arrive more than once (the terminal's, and uv's forwarded
        # copy): a burst must still stop everything. (The handler deadlock this guards against
        # needs a signal inside the handler's lock, a window a test cannot hit every time.)
        for _ in range(20):
            up.send_signal(stop_signal)
        assert up.wait(60) == 0, "".join(lines[-40:])
    finally:
        if up.poll() is None:
            up.kill()
    reader.join(5)
    assert ports_answering([signaling, tools, agent]) == []
    assert any("stopped" in line for line in lines[-5:])
