"""Summaries of py-spy's collapsed stacks: where a service spends its CPU."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench.profiling import function_of, summarize

LOOP = "run (asyncio/runners.py:118);_run_once (asyncio/base_events.py:1987)"
COLLAPSED = "\n".join([
    f"{LOOP};recv (aiortc/rtcrtpsender.py:300);encode (aiortc/codecs/opus.py:60) 30",
    f"{LOOP};recv (aiortc/rtcrtpsender.py:310);encode (aiortc/codecs/opus.py:62) 20",
    f"{LOOP};push (sous_media_agent/audio_out.py:80) 50",
    "not a sample line",
])  # fmt: skip


def test_functions_are_counted_by_self_and_total_share() -> None:
    profile = summarize(COLLAPSED)
    assert profile.samples == 100 and profile.gil_busy == 100.0
    assert profile.top_self(2) == [
        ("encode (aiortc/codecs/opus.py)", 50.0),
        ("push (sous_media_agent/audio_out.py)", 50.0),
    ]
    totals = dict(profile.top_total(10))
    assert totals["recv (aiortc/rtcrtpsender.py)"] == 50.0
    # The event loop is on every stack; it says nothing about where the time goes.
    assert not any("asyncio/" in name for name in totals)


def test_line_numbers_are_dropped_so_a_function_is_one_entry() -> None:
    assert function_of(" handle (pkg/mod.py:42)") == "handle (pkg/mod.py)"


def test_shares_are_of_the_whole_recording_so_an_idle_gil_shows() -> None:
    profile = summarize(COLLAPSED, possible=400)  # 4 s at 100 Hz, the GIL held for 1 s
    assert profile.gil_busy == 25.0
    assert profile.top_self(1)[0][1] == 12.5
