"""Runs the benchmarks and writes docs/benchmarks.md: `python -m bench [--quick] [--only NAME]`.

Benchmarks on the echo model share one local stack; those on the offline model share another.
A failing benchmark is reported and the others still run (exit status 1).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import (
    capacity,
    chromium,
    connect,
    pipecat_side,
    profiles,
    report,
    signaling,
    system,
    tools_service,
    transport,
    voice_latency,
)
from .client import keep_ice_on_loopback
from .results import Section
from .settings import BenchSettings
from .system import System

Runner = Callable[[System, BenchSettings, str], Section]

# In run order; signaling goes last on the echo stack because it leaves thousands of sessions.
ECHO: dict[str, Runner] = {
    "connect": lambda s, c, m: asyncio.run(connect.run(s, c, m)),
    "transport": lambda s, c, m: asyncio.run(transport.run(s, c, m)),
    "pipecat": lambda s, c, m: asyncio.run(pipecat_side.run(s, c, m)),
    "capacity": lambda s, c, m: capacity.run(s, c, m, "echo"),
    "tools": lambda s, c, m: asyncio.run(tools_service.run(s, c, m)),
    "profile": lambda s, c, m: asyncio.run(profiles.run_echo(s, c, m)),
    "signaling": lambda s, c, m: asyncio.run(signaling.run(s, c, m)),
}
LOCAL: dict[str, Runner] = {
    "voice": lambda s, c, m: asyncio.run(voice_latency.run(s, c, m)),
    "capacity": lambda s, c, m: capacity.run(s, c, m, "voice"),
}
NAMES = sorted(set(ECHO) | set(LOCAL))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short plans, under 3 minutes")
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(NAMES)}",
    )
    return parser.parse_args(argv)


def print_section(section: Section) -> None:
    print(f"\n## {section['title']}")
    for table in section["tables"]:
        print(f"\n{table['title']}")
        print(" | ".join(table["columns"]))
        for row in table["rows"]:
            print(" | ".join(str(cell) for cell in row))
    sys.stdout.flush()


def run_group(
    name: str,
    model: str,
    runners: dict[str, Runner],
    selected: list[str],
    settings: BenchSettings,
    mode: str,
    frontend_dir: Path | None = None,
) -> list[str]:
    """Run the chosen benchmarks on one stack, storing each result as it comes; the failures."""
    chosen = [n for n in runners if n in selected]
    if not chosen:
        return []
    failed: list[str] = []
    print(f"[bench] starting the local stack with MODEL={model}", flush=True)
    try:
        with system.running(name, model, settings, frontend_dir=frontend_dir) as running:
            for benchmark in chosen:
                print(f"[bench] {benchmark} ({model}) ...", flush=True)
                started = time.monotonic()
                try:
                    section = runners[benchmark](running, settings, mode)
                except Exception:
                    traceback.print_exc()
                    failed.append(f"{benchmark} ({model})")
                    continue
                print_section(section)
                page = report.write(settings.docs_dir, [section], mode)
                print(
                    f"[bench] {benchmark} took {time.monotonic() - started:.0f} s; {page} updated"
                )
    except RuntimeError:  # the stack did not start: its log says why
        traceback.print_exc()
        print(f"[bench] see .bench/logs/{name}.log", file=sys.stderr)
        return [f"{benchmark} ({model})" for benchmark in chosen if benchmark not in failed]
    return failed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    keep_ice_on_loopback()
    mode = "quick" if args.quick else "full"
    everything = [n for n in NAMES if not (args.quick and n == "profile")]
    selected: list[str] = args.only or everything
    settings = BenchSettings()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sous-bench-page-") as page_dir:
        chromium.write_page(Path(page_dir))
        failed = run_group("echo", "echo", ECHO, selected, settings, mode, Path(page_dir))
    failed += run_group("local", "local", LOCAL, selected, settings, mode)
    print(f"\n[bench] done in {time.monotonic() - started:.0f} s")
    if failed:
        print(f"[bench] failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
