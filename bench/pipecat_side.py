"""Side by side with Pipecat: the same client against Pipecat's SmallWebRTC echo bot and Sous.

Pipecat (pinned below) lives in its own venv, `.bench/pipecat-venv`, created on first use with
uv; `bench/pipecat_echo_bot.py` runs there as a subprocess on 127.0.0.1. Measurements
alternate Sous, Pipecat, Sous, Pipecat... so a busy moment on the machine hits both.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

from scripts.stack import free_port

from . import machine, round_trip
from .client import AIORTC_JITTER_PREFETCH, Peer, open_pipecat_session, open_sous_session
from .results import Section, Table, ms
from .settings import ROOT, BenchSettings
from .stats import Summary, ratio, summarize
from .system import LogFile, System
from .transport import sous_opener

NAME = "pipecat"
BOT = ROOT / "bench" / "pipecat_echo_bot.py"


@dataclass(frozen=True)
class Plan:
    connects: int
    sessions: int
    bursts: int
    period: float


PLANS = {"quick": Plan(connects=4, sessions=1, bursts=6, period=0.4), "full": Plan(30, 2, 30, 0.4)}


# Prints the installed version, failing when the transport or the web server is missing.
_CHECK = (
    "import importlib.metadata as m, fastapi, pipecat.transports.smallwebrtc.transport; "
    "print(m.version('pipecat-ai'))"
)


def ensure_venv(settings: BenchSettings) -> tuple[Path, str]:
    """The venv's python and Pipecat version, creating the venv and installing when missing."""
    python = settings.pipecat_venv / "bin" / "python"
    if not python.exists():
        subprocess.run(
            ["uv", "venv", "-p", "3.12", str(settings.pipecat_venv)], check=True, cwd=ROOT
        )
    check = subprocess.run([str(python), "-c", _CHECK], capture_output=True, text=True)
    if check.returncode != 0:
        subprocess.run(
            ["uv", "pip", "install", "--python", str(python), settings.pipecat_requirement],
            check=True,
            cwd=ROOT,
        )
        check = subprocess.run([str(python), "-c", _CHECK], capture_output=True, text=True)
        check.check_returncode()
    return python, check.stdout.strip()


@contextmanager
def echo_bot(python: Path, timeout: float = 60.0) -> Iterator[tuple[str, int]]:
    """Start the Pipecat echo bot; yields (base URL, pid)."""
    port = free_port()
    log = LogFile(ROOT / ".bench" / "logs" / "pipecat.log")
    process = subprocess.Popen(
        [str(python), str(BOT), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(f"{url}/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"the Pipecat echo bot did not start:\n{output[-2000:]}")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        for line in (output or "").splitlines():
            log("pipecat", line)
        log.close()


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


class CpuMeter:
    """CPU seconds a process spent between start() and stop()."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self._start = 0.0

    def _used(self) -> float:
        times = self._process.cpu_times()
        return float(times.user + times.system)

    def start(self) -> None:
        self._start = self._used()

    def stop(self) -> float:
        return self._used() - self._start


@dataclass
class Side:
    """What one system got: connection totals, round trips, CPU per session-second."""

    label: str
    connect_ms: list[float]
    offer_connect_ms: list[float]
    round_trips: list[float]
    lost: int = 0
    cpu_seconds: float = 0.0
    session_seconds: float = 0.0


async def _sous_connect(
    http: httpx.AsyncClient, url: str, side: Side, connect_timeout: float
) -> None:
    session = await open_sous_session(http, url, connect_timeout=connect_timeout)
    await session.close()
    times = session.peer.times
    assert times.ice_connected_ms is not None and times.session_created_ms is not None
    side.connect_ms.append(times.ice_connected_ms)
    side.offer_connect_ms.append(times.ice_connected_ms - times.session_created_ms)


async def _pipecat_connect(
    http: httpx.AsyncClient, url: str, side: Side, connect_timeout: float
) -> None:
    peer = await open_pipecat_session(http, f"{url}/api/offer", connect_timeout=connect_timeout)
    await peer.close()
    assert peer.times.ice_connected_ms is not None
    side.connect_ms.append(peer.times.ice_connected_ms)
    side.offer_connect_ms.append(peer.times.ice_connected_ms)


async def _round_trips(opener: round_trip.Opener, side: Side, meter: CpuMeter, plan: Plan) -> None:
    peer, close = await opener(AIORTC_JITTER_PREFETCH)
    try:
        meter.start()
        started = time.monotonic()
        trips = await round_trip.measure(peer, bursts=plan.bursts, period=plan.period)
        side.session_seconds += time.monotonic() - started
        side.cpu_seconds += meter.stop()
    finally:
        await close()
    side.round_trips += trips
    side.lost += plan.bursts - len(trips)


async def run(system: System, settings: BenchSettings, mode: str) -> Section:
    plan = PLANS[mode]
    python, version = ensure_venv(settings)
    contention = machine.Contention()
    timeout = settings.connect_timeout_seconds
    sous = Side("Sous (signaling + media agent, echo model)", [], [], [])
    pipecat = Side(f"Pipecat {version} SmallWebRTC echo bot", [], [], [])
    with echo_bot(python) as (bot_url, bot_pid):
        async with httpx.AsyncClient(timeout=30) as http:
            open_sous = sous_opener(http, system.signaling_url, settings)

            async def open_pipecat(prefetch: int) -> tuple[Peer, round_trip.Closer]:
                peer = await open_pipecat_session(
                    http, f"{bot_url}/api/offer", connect_timeout=timeout, jitter_prefetch=prefetch
                )
                return peer, peer.close

            warm_up = Side("warm-up", [], [], [])
            await _sous_connect(http, system.signaling_url, warm_up, timeout)
            await _pipecat_connect(http, bot_url, warm_up, timeout)
            for _ in range(plan.connects):
                await _sous_connect(http, system.signaling_url, sous, timeout)
                await _pipecat_connect(http, bot_url, pipecat, timeout)
            sous_meter, pipecat_meter = CpuMeter(system.pid("agent")), CpuMeter(bot_pid)
            for _ in range(plan.sessions):
                await _round_trips(open_sous, sous, sous_meter, plan)
                await _round_trips(open_pipecat, pipecat, pipecat_meter, plan)
    return _section(plan, sous, pipecat, version, contention)


def _cpu_percent(side: Side) -> float | None:
    if not side.session_seconds:
        return None
    return round(100 * side.cpu_seconds / side.session_seconds, 1)


def _section(
    plan: Plan, sous: Side, pipecat: Side, version: str, contention: machine.Contention
) -> Section:
    summaries: dict[str, dict[str, Summary]] = {}
    for side in (sous, pipecat):
        summaries[side.label] = {
            "connect": summarize(side.connect_ms),
            "offer_connect": summarize(side.offer_connect_ms),
            "round_trip": summarize(side.round_trips),
        }
    s, p = summaries[sous.label], summaries[pipecat.label]
    rows = [
        [
            side.label,
            ms(summaries[side.label]["connect"]["p50"]),
            ms(summaries[side.label]["connect"]["p95"]),
            ms(summaries[side.label]["offer_connect"]["p50"]),
            ms(summaries[side.label]["round_trip"]["p50"]),
            ms(summaries[side.label]["round_trip"]["p95"]),
            str(side.lost),
            "-" if _cpu_percent(side) is None else f"{_cpu_percent(side)} %",
        ]
        for side in (sous, pipecat)
    ]
    ratios: dict[str, Any] = {
        "connect_p50": ratio(s["connect"]["p50"], p["connect"]["p50"]),
        "connect_p95": ratio(s["connect"]["p95"], p["connect"]["p95"]),
        "offer_connect_p50": ratio(s["offer_connect"]["p50"], p["offer_connect"]["p50"]),
        "round_trip_p50": ratio(s["round_trip"]["p50"], p["round_trip"]["p50"]),
        "round_trip_p95": ratio(s["round_trip"]["p95"], p["round_trip"]["p95"]),
    }
    ratio_rows = [
        [
            "connection setup, first request → ICE connected",
            str(ratios["connect_p50"]),
            str(ratios["connect_p95"]),
        ],
        [
            "connection setup, offer → ICE connected (Sous without session create)",
            str(ratios["offer_connect_p50"]),
            "-",
        ],
        ["audio round trip", str(ratios["round_trip_p50"]), str(ratios["round_trip_p95"])],
    ]
    return Section(
        name=NAME,
        title="Side by side with Pipecat (same client, same machine, same run)",
        method=(
            f"Pipecat {version} (`pipecat-ai[webrtc,runner]`, own venv) runs "
            "`bench/pipecat_echo_bot.py`: Pipecat's FastAPI offer endpoint and "
            "SmallWebRTC transport with an echo processor, 16 kHz in and out, default transport "
            f"parameters. The same aiortc client alternates between the two: {plan.connects} "
            f"connections each (after a warm-up), then {plan.sessions} session(s) each of "
            f"{plan.bursts} tone bursts. For Sous the client goes through signaling "
            "(`POST /api/sessions`, offer, trickled candidates); for Pipecat it posts the offer "
            "with its candidates inline. CPU is the server process's CPU time per second of a "
            "running echo session (Sous: the media agent)."
        ),
        tables=[
            Table(
                title="Both systems (ms)",
                columns=[
                    "system",
                    "connect p50",
                    "connect p95",
                    "offer → ICE p50",
                    "round trip p50",
                    "round trip p95",
                    "bursts lost",
                    "server CPU per session",
                ],
                rows=rows,
            ),
            Table(
                title="Sous / Pipecat (below 1.0: Sous is faster)",
                columns=["measure", "ratio of p50", "ratio of p95"],
                rows=ratio_rows,
            ),
        ],
        notes=[],
        load=contention.result(),
        raw={
            "plan": plan.__dict__,
            "pipecat_version": version,
            "summaries": summaries,
            "ratios": ratios,
            "sides": {side.label: side.__dict__ for side in (sous, pipecat)},
        },
    )
