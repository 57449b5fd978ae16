"""HTTP load with `wrk` (Debian's package): a closed loop of N connections for a fixed time.

wrk is C and uses one core thread, so on this 2-core machine it leaves more CPU to the service
than a Python load generator would. Its latencies are measured per request in the closed loop
(a slow response delays the next request on that connection: coordinated omission), so p99 is
a lower bound of what an open-loop client would see at the same rate.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("wrk_requests.lua")


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: dict[str, Any] | None = None

    def line(self) -> str:
        body = "" if self.body is None else " " + json.dumps(self.body, separators=(",", ":"))
        return f"{self.method} {self.path}{body}"


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse(output: str) -> Load:
    """wrk's stdout with the JSON line our script prints last."""
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    data = json.loads(line)
    errors = sum(data["errors"].values())
    latency = data["latency_us"]
    return Load(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        errors=int(errors),
        p50_ms=latency["p50"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
    )


def combine(loads: list[Load]) -> Load:
    """Several wrk runs at once: summed throughput, the worst p50/p99 (no merged histogram)."""
    return Load(
        requests=sum(x.requests for x in loads),
        seconds=max(x.seconds for x in loads),
        errors=sum(x.errors for x in loads),
        p50_ms=max(x.p50_ms for x in loads),
        p99_ms=max(x.p99_ms for x in loads),
        max_ms=max(x.max_ms for x in loads),
    )


async def run(base_url: str, requests: list[Request], *, connections: int, seconds: int) -> Load:
    """Load `base_url` cycling through `requests` for `seconds` with `connections` connections."""
    binary = shutil.which("wrk")
    if binary is None:
        raise WrkMissing("wrk is not installed: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(r.line() for r in requests) + "\n")
    try:
        process = await asyncio.create_subprocess_exec(
            binary,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(SCRIPT),
            base_url,
            "--",
            listing.name,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=seconds + 60)
    finally:
        await asyncio.to_thread(Path(listing.name).unlink, missing_ok=True)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed: {stderr.decode()[-500:]}")
    return parse(stdout.decode())


async def run_many(
    base_urls: list[str], requests: list[Request], *, connections: int, seconds: int
) -> Load:
    """Split `connections` over one wrk per URL, all at once."""
    share = max(1, connections // len(base_urls))
    loads = await asyncio.gather(
        *(run(url, requests, connections=share, seconds=seconds) for url in base_urls)
    )
    return combine(list(loads))
