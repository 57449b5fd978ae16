"""What the numbers were measured on: cores, CPU model, memory, software versions."""

from __future__ import annotations

import os
import platform
import time
from importlib.metadata import version
from pathlib import Path
from typing import TypedDict

import psutil


class Machine(TypedDict):
    cores: int
    cpu_model: str
    memory_gb: float
    kernel: str
    python: str
    aiortc: str


def cpu_model(cpuinfo: str) -> str:
    """The first `model name` of /proc/cpuinfo text ("unknown" when absent)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return value.strip()
    return "unknown"


def describe() -> Machine:
    cpuinfo = Path("/proc/cpuinfo")
    return Machine(
        cores=os.cpu_count() or 1,
        cpu_model=cpu_model(cpuinfo.read_text() if cpuinfo.exists() else ""),
        memory_gb=round(psutil.virtual_memory().total / 2**30, 1),
        kernel=platform.release(),
        python=platform.python_version(),
        aiortc=version("aiortc"),
    )


def label(machine: Machine) -> str:
    """One line for every table: "2 cores, AMD EPYC (24 GB)"."""
    return f"{machine['cores']} cores, {machine['cpu_model']} ({machine['memory_gb']:g} GB RAM)"


def load_average() -> float:
    """The 1-minute load average: runnable processes competing for the cores right now."""
    return round(os.getloadavg()[0], 2)


def _tree_cpu_seconds() -> float:
    """CPU seconds used by this process and everything it started (alive or waited for)."""
    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended between listing and reading
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _machine_busy_seconds() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


class Contention:
    """How much CPU processes outside the benchmark took while a section ran."""

    def __init__(self) -> None:
        self._started = time.monotonic()
        self._load = load_average()
        self._busy = _machine_busy_seconds()
        self._ours = _tree_cpu_seconds()

    def result(self) -> dict[str, float]:
        """Load average before/after and the others' CPU in % of one core."""
        elapsed = max(time.monotonic() - self._started, 1e-6)
        busy = _machine_busy_seconds() - self._busy
        ours = _tree_cpu_seconds() - self._ours
        return {
            "before": self._load,
            "after": load_average(),
            "others_cpu_percent": round(max(0.0, busy - ours) / elapsed * 100, 0),
        }
