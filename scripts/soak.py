"""Soak run: rolling voice sessions against the real local stack, watching for slow leaks.

Starts the whole system (its own Redis on a free port, tools, media agent(s), signaling) on the
offline model and keeps `--clients` cooks busy for `--minutes`: each connects through signaling
with a real aiortc peer, asks spoken questions (piper voice), sometimes sets a short timer and
waits for it to fire, then hangs up. One session in five is abandoned (the peer closes, no
DELETE), so idle-TTL cleanup is exercised too. Every `--sample-seconds` it records each service's
resident memory, open file descriptors and threads, and Redis's key count, to a CSV; at the end
it prints a summary table (first sample after warm-up vs last, and the least-squares trend).

    uv run python scripts/soak.py --minutes 30 --out soak.csv

Traffic stays on this machine; the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import psutil
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from voice_client import SessionRefused, VoiceClient, is_type  # noqa: E402

from stack import Stack, StackConfig, free_port  # noqa: E402

QUESTIONS = [
    "How many grams is two cups of flour?",
    "How many calories are in a banana?",
    "Convert three hundred fifty degrees Fahrenheit to Celsius.",
    "Find me a vegetarian pasta recipe.",
    "How many tablespoons are in a cup?",
]
TIMER_QUESTION = "Set a timer for five seconds for the eggs."
METRICS = ("rss_mb", "fds", "threads")
# Sessions idle this long expire (abandoned ones included), so keys must plateau, not climb.
SOAK_ENV = {"SESSION_TTL_SECONDS": "60", "MAX_SESSIONS_PER_CLIENT": "50", "LOG_LEVEL": "WARNING"}


@dataclass
class Tally:
    sessions: int = 0
    abandoned: int = 0
    turns: int = 0
    timers_fired: int = 0
    failures: list[str] = field(default_factory=list)
    turn_seconds: list[float] = field(default_factory=list)


async def one_session(http: httpx.AsyncClient, rng: random.Random, tally: Tally) -> None:
    client = VoiceClient(http)
    abandon = rng.random() < 0.2
    try:
        await client.connect()
        for question in rng.sample(QUESTIONS, k=rng.randint(1, 2)):
            started = time.monotonic()
            turn = await client.ask(question)
            tally.turn_seconds.append(time.monotonic() - started)
            tally.turns += 1
            if not turn.answer:
                tally.failures.append(f"empty answer to {question!r}")
            await asyncio.sleep(rng.uniform(1, 3))
        if rng.random() < 0.3:
            mark = len(client.events)
            await client.ask(TIMER_QUESTION)
            await client.wait_for(is_type("timer", action="fired"), after=mark, within=30)
            tally.timers_fired += 1
    except (SessionRefused, TimeoutError, httpx.HTTPError) as exc:
        tally.failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        if abandon:
            tally.abandoned += 1
            await client.hang_up()
        else:
            await client.close()
        tally.sessions += 1


async def cook(base_url: str, seed: int, deadline: float, tally: Tally) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        while time.monotonic() < deadline:
            await one_session(http, rng, tally)
            await asyncio.sleep(rng.uniform(0.5, 2))


def process_sample(process: psutil.Process) -> dict[str, float]:
    with process.oneshot():
        return {
            "rss_mb": process.memory_info().rss / 2**20,
            "fds": process.num_fds(),
            "threads": process.num_threads(),
        }


# Key families by prefix; timer hashes are kept an hour after they end (docs/tools.md), so
# they climb for the first hour of a soak by design.
KEY_FAMILIES = {
    "keys_session": "sous:session:",
    "keys_client": "sous:client:",
    "keys_ratelimit": "sous:ratelimit:",
    "keys_agent": "sous:agent",
    "keys_timer": "sous:timer",
}


def key_counts(client: redis.Redis) -> dict[str, float]:
    counts = dict.fromkeys([*KEY_FAMILIES, "redis_keys"], 0.0)
    for key in client.scan_iter("sous:*", count=1000):
        counts["redis_keys"] += 1
        family = next((f for f, prefix in KEY_FAMILIES.items() if key.startswith(prefix)), None)
        if family is not None:
            counts[family] += 1
    return counts


class Sampler:
    def __init__(self, stack: Stack, out: Path) -> None:
        self._processes = {
            s.name: psutil.Process(s.process.pid) for s in stack.services if s.process is not None
        }
        self._redis = redis.Redis.from_url(stack.config.redis_url, decode_responses=True)
        self._started = time.monotonic()
        self.columns = ["minute", "sessions", "turns", *KEY_FAMILIES, "redis_keys"] + [
            f"{name}_{metric}" for name in self._processes for metric in METRICS
        ]
        self.rows: list[dict[str, float]] = []
        self._file = out.open("w", newline="")
        self._writer = csv.DictWriter(self._file, fieldnames=self.columns)
        self._writer.writeheader()

    def sample(self, tally: Tally) -> dict[str, float]:
        row: dict[str, float] = {
            "minute": round((time.monotonic() - self._started) / 60, 2),
            "sessions": tally.sessions,
            "turns": tally.turns,
            **key_counts(self._redis),
        }
        for name, process in self._processes.items():
            for metric, value in process_sample(process).items():
                row[f"{name}_{metric}"] = round(value, 1)
        self.rows.append(row)
        self._writer.writerow(row)
        self._file.flush()
        return row

    def close(self) -> None:
        self._file.close()
        self._redis.close()


def summary(rows: list[dict[str, float]], columns: list[str], warm_up_minutes: float) -> str:
    """Markdown table: each metric after warm-up, at the end, and its trend per hour."""
    steady = [row for row in rows if row["minute"] >= warm_up_minutes] or rows
    lines = [
        f"| metric | at {steady[0]['minute']:.0f} min | at {steady[-1]['minute']:.0f} min "
        "| range after warm-up | trend per hour |",
        "|---|---|---|---|---|",
    ]
    minutes = np.array([row["minute"] for row in steady])
    for column in columns:
        if column in ("minute", "sessions", "turns"):
            continue
        values = np.array([row[column] for row in steady])
        slope = float(np.polyfit(minutes, values, 1)[0]) * 60 if len(steady) > 2 else 0.0
        lines.append(
            f"| {column} | {values[0]:g} | {values[-1]:g} | {values.min():g} to {values.max():g} "
            f"| {slope:+.1f} |"
        )
    return "\n".join(lines)


async def soak(stack: Stack, args: argparse.Namespace) -> tuple[Tally, Sampler]:
    tally = Tally()
    sampler = Sampler(stack, args.out)
    deadline = time.monotonic() + args.minutes * 60
    cooks = [
        asyncio.create_task(cook(stack.url, seed, deadline, tally)) for seed in range(args.clients)
    ]
    try:
        while not all(task.done() for task in cooks):
            row = sampler.sample(tally)
            print(
                f"{row['minute']:6.1f} min  sessions {tally.sessions:4d}  turns {tally.turns:4d}  "
                f"failures {len(tally.failures):3d}  keys {row['redis_keys']:.0f} "
                f"(session {row['keys_session']:.0f}, timer {row['keys_timer']:.0f})  "
                + "  ".join(
                    f"{name} {row[f'{name}_rss_mb']:.0f} MB/{row[f'{name}_fds']:.0f} fd"
                    for name in ("agent", "signaling", "tools")
                    if f"{name}_rss_mb" in row
                ),
                flush=True,
            )
            await asyncio.wait(cooks, timeout=args.sample_seconds)
    finally:
        for task in cooks:
            task.cancel()
        await asyncio.gather(*cooks, return_exceptions=True)
    # Let abandoned sessions reach their idle TTL, then take the last sample.
    await asyncio.sleep(int(SOAK_ENV["SESSION_TTL_SECONDS"]) + 10)
    sampler.sample(tally)
    return tally, sampler


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=2, help="concurrent cooks")
    parser.add_argument("--sample-seconds", type=float, default=30)
    parser.add_argument("--warm-up-minutes", type=float, default=3)
    parser.add_argument("--out", type=Path, default=Path("soak.csv"))
    args = parser.parse_args()

    redis_dir = Path(tempfile.mkdtemp(prefix="sous-soak-redis-"))
    config = StackConfig(
        redis_url=f"redis://127.0.0.1:{free_port()}/0",  # nothing answers: the stack starts one
        model="local",
        signaling_port=free_port(),
        tools_port=free_port(),
        agent_ports=[free_port()],
        extra_env=SOAK_ENV,
        redis_dir=redis_dir,
    )
    errors: list[str] = []

    def keep_errors(name: str, line: str) -> None:
        if "ERROR" in line or "Traceback" in line:
            errors.append(f"{name}: {line}")

    # Background jobs ignore SIGINT: let SIGTERM stop the run the same way (stack stopped).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    stack = Stack(config, keep_errors)
    stack.start()
    try:
        tally, sampler = asyncio.run(soak(stack, args))
    finally:
        stack.stop()
        shutil.rmtree(redis_dir, ignore_errors=True)
    sampler.close()
    latencies = sorted(tally.turn_seconds)
    print(
        f"\n{args.minutes:g} min, {args.clients} concurrent cooks: {tally.sessions} sessions "
        f"({tally.abandoned} abandoned), {tally.turns} spoken turns, "
        f"{tally.timers_fired} timers fired, {len(tally.failures)} failures, "
        f"{len(errors)} error log lines"
    )
    if latencies:
        print(
            f"question → final answer transcript: median {statistics.median(latencies):.1f} s, "
            f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} s"
        )
    print(summary(sampler.rows, sampler.columns, args.warm_up_minutes))
    for failure in tally.failures[:20]:
        print("failure:", failure)
    for line in errors[:20]:
        print("error log:", line)
    return 1 if tally.failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
