"""Writes docs/benchmarks.md, docs/benchmarks/results.json and docs/benchmarks/latency.png.

Sections from a partial run (`--only`) replace the sections of the same name in the stored
results; the page is always rebuilt from everything stored, so it stays complete. The
hand-written analysis lives in docs/benchmarks/findings.md; its {placeholders} get the
headline figures of the stored results.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

from . import machine
from .results import Section, ms
from .stats import summarize
from .voice_latency import STAGE_LABELS

RESULTS = "benchmarks/results.json"
PLOT = "benchmarks/latency.png"
FINDINGS = "benchmarks/findings.md"
ORDER = [
    "voice",
    "transport",
    "connect",
    "capacity-echo",
    "capacity-voice",
    "signaling",
    "tools",
    "pipecat",
    "profile-echo",
]


def merge(docs: Path, sections: list[Section], mode: str) -> dict[str, Any]:
    """Stored results with these sections replacing their namesakes."""
    path = docs / RESULTS
    stored: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {"sections": {}}
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    described = machine.describe()
    for section in sections:
        stored["sections"][section["name"]] = {
            **section,
            "measured_at": now,
            "mode": mode,
            "machine": described,
        }
    stored["updated_at"] = now
    return stored


def _md_table(columns: list[str], rows: list[list[Any]]) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _get(sections: dict[str, Any], name: str, *keys: str) -> Any:
    value: Any = sections.get(name, {}).get("raw")
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def goals(sections: dict[str, Any]) -> list[list[str]]:
    """Each goal of issue 7 with what was measured and whether it is met."""

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else "**met**" if ok else "missed"

    def at_most(value: float | None, limit: float) -> bool | None:
        return None if value is None else value <= limit

    rows: list[list[str]] = []
    voice = _get(sections, "voice", "client") or {}
    p50, p95 = voice.get("p50"), voice.get("p95")
    rows.append(
        [
            "voice-to-voice, offline model, 2 cores",
            "p50 ≤ 600 ms, p95 ≤ 900 ms",
            f"p50 {ms(p50)} ms, p95 {ms(p95)} ms",
            verdict(None if p50 is None else bool(at_most(p50, 600) and at_most(p95, 900))),
        ]
    )
    transport = sections.get("transport", {}).get("raw", {})
    trips = {
        k: v["summary"]["p50"]
        for k, v in transport.items()
        if isinstance(v, dict) and "summary" in v and not v.get("reference")
    }
    best = min((v for v in trips.values() if v is not None), default=None)
    rows.append(
        [
            "transport round trip on loopback (echo)",
            "p50 ≤ 60 ms",
            "; ".join(f"{k}: {ms(v)} ms" for k, v in trips.items()) or "-",
            verdict(at_most(best, 60)),
        ]
    )
    connect = _get(sections, "connect", "aiortc client through the stack") or []
    median = summarize([r["ice_connected_ms"] for r in connect if r.get("ice_connected_ms")])["p50"]
    rows.append(
        [
            "connection setup, aiortc client, whole stack",
            "p50 ≤ 100 ms",
            "-" if median is None else f"p50 {ms(median)} ms (→ ICE connected)",
            verdict(at_most(median, 100)),
        ]
    )
    cores = (sections.get("capacity-echo", {}).get("machine") or machine.describe())["cores"]
    echo = _get(sections, "capacity-echo", "capacity")
    rows.append(
        [
            "echo sessions per core, one agent",
            "≥ 50 per core",
            "-"
            if echo is None
            else f"{echo} sessions on {cores} cores = {echo / cores:.1f} per core",
            verdict(None if echo is None else echo / cores >= 50),
        ]
    )
    voices = _get(sections, "capacity-voice", "capacity")
    rows.append(
        [
            "offline-model conversations on 2 cores, one agent",
            "≥ 6",
            "-" if voices is None else str(voices),
            verdict(None if voices is None else voices >= 6),
        ]
    )
    ratios = _get(sections, "pipecat", "ratios") or {}
    connect_ratio, trip_ratio = ratios.get("connect_p50"), ratios.get("round_trip_p50")
    ahead = (
        None
        if connect_ratio is None or trip_ratio is None
        else (connect_ratio < 1 and trip_ratio < 1)
    )
    rows.append(
        [
            "ahead of Pipecat (Sous/Pipecat p50 < 1)",
            "both ratios < 1",
            f"connection setup {connect_ratio}, round trip {trip_ratio}",
            verdict(ahead),
        ]
    )
    return rows


def figures(sections: dict[str, Any]) -> dict[str, str]:
    """Headline numbers that docs/benchmarks/findings.md quotes as {name} placeholders."""
    voice = _get(sections, "voice", "client") or {}
    transport = sections.get("transport", {}).get("raw", {})
    wire = transport.get("aiortc client, 1-packet receive buffer", {}).get("summary", {})
    connect = _get(sections, "connect", "aiortc client through the stack") or []
    ice = summarize([r["ice_connected_ms"] for r in connect if r.get("ice_connected_ms")])
    ratios = _get(sections, "pipecat", "ratios") or {}
    milliseconds = {
        "voice_p50": voice.get("p50"),
        "voice_p95": voice.get("p95"),
        "rt_p50": wire.get("p50"),
        "connect_p50": ice["p50"],
    }
    counts = {
        "connect_ratio": ratios.get("connect_p50"),
        "rt_ratio": ratios.get("round_trip_p50"),
        "echo_capacity": _get(sections, "capacity-echo", "capacity"),
        "voice_capacity": _get(sections, "capacity-voice", "capacity"),
    }
    values = {k: None if v is None else ms(v) for k, v in milliseconds.items()}
    values |= {k: None if v is None else str(v) for k, v in counts.items()}
    return {key: "?" if value is None else value for key, value in values.items()}


def plot(sections: dict[str, Any], path: Path) -> bool:
    """The latency figure; False when there is nothing to draw."""
    panels = [name for name in ("voice", "transport", "capacity-echo") if name in sections]
    if not panels:
        return False
    figure, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 6.0), squeeze=False)
    for axis, name in zip(axes[0], panels, strict=True):
        raw = sections[name]["raw"]
        if name == "voice":
            _plot_voice(axis, raw)
        elif name == "transport":
            _plot_transport(axis, raw, sections.get("pipecat", {}).get("raw"))
        else:
            _plot_capacity(axis, raw)
    label = machine.label(sections[panels[0]]["machine"])
    figure.suptitle(f"Sous latency — {label}", fontsize=11)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def _plot_voice(axis: Any, raw: dict[str, Any]) -> None:
    turns = [t for t in raw["turns"] if t["breakdown"]]
    bottoms = [0.0] * len(turns)
    xs = list(range(1, len(turns) + 1))
    for key, label in STAGE_LABELS.items():
        heights = [max(0.0, t["breakdown"][key]) for t in turns]
        axis.bar(xs, heights, bottom=bottoms, label=label, width=0.8)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    axis.scatter(
        xs,
        [t["latency_ms"] for t in turns],
        color="black",
        s=12,
        zorder=3,
        label="measured at the client",
    )
    axis.axhline(600, color="green", linestyle="--", linewidth=1, label="goal p50 600 ms")
    axis.axhline(900, color="red", linestyle="--", linewidth=1, label="goal p95 900 ms")
    axis.set_title("Voice-to-voice per turn (offline model)")
    axis.set_xlabel("turn")
    axis.set_ylabel("ms")
    axis.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)


def _plot_transport(axis: Any, raw: dict[str, Any], pipecat: dict[str, Any] | None) -> None:
    series = {
        k: v["round_trips_ms"]
        for k, v in raw.items()
        if isinstance(v, dict) and "round_trips_ms" in v
    }
    if pipecat:
        for label, side in pipecat.get("sides", {}).items():
            series[f"{label} (side by side)"] = side["round_trips"]
    labels = [_wrap(k) for k in series]
    axis.boxplot(list(series.values()), vert=False, showfliers=True)
    axis.set_yticks(range(1, len(labels) + 1), labels, fontsize=7)
    axis.axvline(60, color="green", linestyle="--", linewidth=1, label="goal p50 60 ms")
    axis.set_title("Audio round trip through an echo agent")
    axis.set_xlabel("ms")
    axis.legend(fontsize=7)


def _plot_capacity(axis: Any, raw: dict[str, Any]) -> None:
    levels = raw["levels"]
    sessions = [level["sessions"] for level in levels]
    axis.plot(
        sessions,
        [level["latency"]["p95"] for level in levels],
        marker="o",
        label="p95 round trip (ms)",
    )
    axis.plot(
        sessions,
        [level["latency"]["p50"] for level in levels],
        marker=".",
        label="p50 round trip (ms)",
    )
    axis.set_xlabel("concurrent echo sessions on one agent")
    axis.set_ylabel("ms")
    twin = axis.twinx()
    twin.plot(
        sessions,
        [level["agent_cpu_percent"] for level in levels],
        color="grey",
        linestyle=":",
        marker="x",
        label="agent CPU (% of a core)",
    )
    twin.set_ylabel("% of a core")
    axis.set_title("Echo capacity ramp")
    lines = axis.get_legend_handles_labels()
    twin_lines = twin.get_legend_handles_labels()
    axis.legend(lines[0] + twin_lines[0], lines[1] + twin_lines[1], fontsize=7)


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def render(stored: dict[str, Any], findings: str, has_plot: bool) -> str:
    sections: dict[str, Any] = stored["sections"]
    names = [n for n in ORDER if n in sections] + [n for n in sections if n not in ORDER]
    first = sections[names[0]] if names else None
    parts = [
        "# Sous benchmarks",
        "",
        "Generated by `./sous bench` (`uv run python -m bench [--quick] [--only NAME]`, code in "
        "`bench/`); raw numbers in [benchmarks/results.json](benchmarks/results.json). Every "
        "figure is a median (p50) or p95 of repeated runs on the machine named with it. All "
        "network traffic stays on loopback: the aiortc peers (media agent, benchmark "
        "clients, the Pipecat bot) offer only 127.0.0.1 candidates, and Chromium reaches the "
        "agent's. The machine is shared with other work, so each "
        "section also gives the 1-minute load average before → after it ran and how much CPU "
        "processes outside the benchmark (and the system it started) used meanwhile.",
        "",
    ]
    if first is not None:
        parts += [
            f"**Machine:** {machine.label(first['machine'])}, Linux "
            f"{first['machine']['kernel']}, Python {first['machine']['python']}, aiortc "
            f"{first['machine']['aiortc']}. Last updated {stored['updated_at']}.",
            "",
        ]
    parts += [
        "## Goals (issue 7)",
        "",
        _md_table(["goal", "target", "measured", "verdict"], goals(sections)),
        "",
    ]
    if has_plot:
        parts += [f"![latency]({PLOT})", ""]
    if findings.strip():
        parts += [findings.strip().format_map(figures(sections)), ""]
    for name in names:
        section = sections[name]
        load = section.get("load", {})
        used = load.get("others_cpu_percent")
        others = "?" if used is None else f"{used:.0f} % of a core"
        parts += [
            f"## {section['title']}",
            "",
            section["method"],
            "",
            f"*{machine.label(section['machine'])}; {section['mode']} run, "
            f"{section['measured_at']}; load average {load.get('before')} → "
            f"{load.get('after')}; other processes used {others} meanwhile.*",
            "",
        ]
        for table in section["tables"]:
            parts += [f"**{table['title']}**", "", _md_table(table["columns"], table["rows"]), ""]
        parts += [f"- {note}" for note in section.get("notes", [])]
        if section.get("notes"):
            parts.append("")
    return "\n".join(parts)


def write(docs: Path, sections: list[Section], mode: str) -> Path:
    """Store the sections and rebuild the page; returns the page's path."""
    stored = merge(docs, sections, mode)
    (docs / RESULTS).parent.mkdir(parents=True, exist_ok=True)
    (docs / RESULTS).write_text(json.dumps(stored, indent=1, default=str) + "\n")
    has_plot = plot(stored["sections"], docs / PLOT)
    findings_path = docs / FINDINGS
    findings = findings_path.read_text() if findings_path.exists() else ""
    page = docs / "benchmarks.md"
    page.write_text(render(stored, findings, has_plot))
    return page
