"""The published page: goals judged from the stored results, tables, the plot."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` is not installed

from bench import report
from bench.results import Section, Table
from bench.stats import ratio, summarize


def section(name: str, raw: dict[str, Any]) -> Section:
    return Section(
        name=name, title=f"{name} title", method="how", tables=[
            Table(title="numbers", columns=["a", "b"], rows=[["x|y", 1]])],
        notes=["a note"], load={"before": 1.0, "after": 2.0}, raw=raw,
    )  # fmt: skip


def test_goals_are_met_or_missed_from_the_measurements(tmp_path: Path) -> None:
    sections = [
        section("voice", {"client": {"p50": 550.0, "p95": 950.0}}),
        section("pipecat", {"ratios": {"connect_p50": 0.8, "round_trip_p50": 0.9}}),
        section("capacity-echo", {"capacity": 60, "levels": []}),
    ]
    stored = report.merge(tmp_path, sections, "full")
    rows = {row[0]: row for row in report.goals(stored["sections"])}
    assert rows["voice-to-voice, offline model, 2 cores"][3] == "missed"  # p95 over 900
    assert rows["ahead of Pipecat (Sous/Pipecat p50 < 1)"][3] == "**met**"
    assert rows["offline-model conversations on 2 cores, one agent"][3] == "not measured"
    cores = stored["sections"]["capacity-echo"]["machine"]["cores"]
    assert rows["echo sessions per core, one agent"][3] == (
        "**met**" if 60 / cores >= 50 else "missed"
    )


def test_a_partial_run_replaces_only_its_own_sections(tmp_path: Path) -> None:
    report.write(tmp_path, [section("tools", {"n": 1}), section("signaling", {"n": 1})], "full")
    page = report.write(tmp_path, [section("tools", {"n": 2})], "quick")
    stored = json.loads((tmp_path / report.RESULTS).read_text())
    assert stored["sections"]["tools"]["raw"] == {"n": 2}
    assert stored["sections"]["tools"]["mode"] == "quick"
    assert stored["sections"]["signaling"]["raw"] == {"n": 1}
    text = page.read_text()
    assert "## tools title" in text and "## signaling title" in text
    assert "| x\\|y | 1 |" in text  # a pipe inside a cell does not break the table
    assert "load average 1.0 → 2.0" in text


def test_findings_are_included_and_the_plot_is_drawn(tmp_path: Path) -> None:
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / report.FINDINGS).write_text(
        "## Findings\n\nThe jitter buffer costs 80 ms; capacity {echo_capacity}, voice {voice_p50}."
    )
    levels = [{"sessions": n, "latency": {"p50": 100.0 + n, "p95": 120.0 + n},
               "agent_cpu_percent": 5.0 * n} for n in (1, 10)]  # fmt: skip
    page = report.write(tmp_path, [section("capacity-echo", {"capacity": 10, "levels": levels})],
                        "full")  # fmt: skip
    # Headline figures come from the results; unmeasured ones say so.
    assert "The jitter buffer costs 80 ms; capacity 10, voice ?." in page.read_text()
    assert (tmp_path / report.PLOT).stat().st_size > 10_000


def test_summaries_and_ratios() -> None:
    summary = summarize([float(x) for x in range(1, 101)])
    assert (summary["n"], summary["p50"], summary["min"], summary["max"]) == (100, 50.5, 1, 100)
    assert summary["p95"] == 95.05
    assert summarize([])["p50"] is None
    assert ratio(50.0, 200.0) == 0.25 and ratio(None, 2.0) is None and ratio(1.0, 0.0) is None
