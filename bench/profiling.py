"""Sampling profiles of a running service with py-spy, summarized per function.

py-spy attaches to the process (no code change, `--nonblocking` so it never pauses it) and
samples, 100 times a second, the stack of the thread holding the GIL: where the Python work
goes. Threads waiting on locks, queues or sockets hold no GIL and are left out; so is native
work that releases the GIL. A function's *self* share is how often it was the frame on top;
its *total* share how often it was anywhere on the stack. Event-loop and thread-pool plumbing
is left out of the totals, since every stack passes through it. Shares are of all samples the
recording could have taken, so the self shares add up to how busy the GIL was.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"
RATE_HZ = 100
_LINE_NUMBER = re.compile(r":\d+\)$")
_PLUMBING = (
    "asyncio/",
    "threading.py",
    "concurrent/futures/",
    "selectors.py",
    "uvicorn/",
    "runners.py",
    "<module>",
    "sous-media-agent",
    "sous-signaling",
    "sous-tools",
)


@dataclass
class Profile:
    samples: int = 0  # taken: the GIL was held
    possible: int = 0  # the recording's length times the rate
    self_counts: Counter[str] = field(default_factory=Counter)
    total_counts: Counter[str] = field(default_factory=Counter)

    @property
    def gil_busy(self) -> float:
        """% of the recording during which some thread held the GIL."""
        return 100 * self.samples / self._of

    @property
    def _of(self) -> int:
        return max(self.samples, self.possible, 1)

    def top_self(self, count: int) -> list[tuple[str, float]]:
        return [(f, 100 * n / self._of) for f, n in self.self_counts.most_common(count)]

    def top_total(self, count: int) -> list[tuple[str, float]]:
        return [(f, 100 * n / self._of) for f, n in self.total_counts.most_common(count)]


@dataclass
class Recording:
    output: Path
    seconds: float = 0.0

    def profile(self) -> Profile:
        text = self.output.read_text() if self.output.exists() else ""
        return summarize(text, possible=round(self.seconds * RATE_HZ))


def function_of(frame: str) -> str:
    """ "handle (pkg/mod.py:42)" → "handle (pkg/mod.py)": one entry per function."""
    return _LINE_NUMBER.sub(")", frame.strip())


def summarize(collapsed: str, possible: int = 0) -> Profile:
    """Aggregate py-spy's raw (collapsed stack) output: "f1;f2;...;fn count" per line."""
    profile = Profile(possible=possible)
    for line in collapsed.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        count = int(number)
        frames = [function_of(f) for f in stack.split(";")]
        profile.samples += count
        profile.self_counts[frames[-1]] += count
        for frame in set(frames):
            if not any(part in frame for part in _PLUMBING):
                profile.total_counts[frame] += count
    return profile


@contextmanager
def recording(pid: int, output: Path) -> Iterator[Recording]:
    """Sample `pid` while the block runs; the collapsed stacks land in `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    record = Recording(output)
    process = subprocess.Popen(
        [
            str(PY_SPY),
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(RATE_HZ),
            "--format",
            "raw",
            "--output",
            str(output),
            "--gil",
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    try:
        yield record
    finally:
        record.seconds = time.monotonic() - started
        process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
