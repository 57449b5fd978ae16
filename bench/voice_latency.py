"""Voice-to-voice latency with the offline model, measured at the client (LiveKit's method).

An aiortc client connects through signaling and speaks questions synthesized with the piper
voice, covering the four tool families; after each it waits for the whole answer. Latency =
end of the user's speech → first non-silent answer audio, both on the client's clock. The
agent's `metrics` event of each turn gives the stages it can see; what remains is transport
(both directions, including both receive buffers) and the client.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from . import conversation, machine, speech
from .client import open_sous_session
from .conversation import Turn
from .results import Section, Table, ms
from .settings import BenchSettings
from .stats import summarize
from .system import System

NAME = "voice"
STAGES = ["vad_ms", "stt_ms", "brain_ms", "tts_first_chunk_ms"]
STAGE_LABELS = {
    "vad_ms": "VAD end-of-turn wait",
    "stt_ms": "speech to text",
    "brain_ms": "brain + tool call",
    "tts_first_chunk_ms": "TTS first chunk",
    "agent_other_ms": "agent, rest (queues, resampling, pacing)",
    "transport_ms": "transport + client (both ways, both receive buffers)",
}


@dataclass(frozen=True)
class Plan:
    turns: int
    turn_timeout: float = 20.0


PLANS = {"quick": Plan(turns=4), "full": Plan(turns=24)}


def breakdown(turn: Turn) -> dict[str, float] | None:
    """Stage durations of one answered turn, with the two remainders computed."""
    if turn.latency_ms is None or turn.agent_metrics is None:
        return None
    stages = turn.agent_metrics.get("stages", {})
    parts = {key: float(stages.get(key, 0.0)) for key in STAGES}
    agent_ms = float(turn.agent_metrics.get("latency_ms", 0.0))
    parts["agent_other_ms"] = agent_ms - sum(parts.values())
    parts["transport_ms"] = turn.latency_ms - agent_ms
    return parts


async def converse(base_url: str, plan: Plan, settings: BenchSettings) -> list[Turn]:
    questions = await asyncio.to_thread(speech.synthesize, plan.turns)
    async with httpx.AsyncClient(timeout=30) as http:
        session = await open_sous_session(
            http, base_url, connect_timeout=settings.connect_timeout_seconds
        )
        try:
            await asyncio.sleep(1.0)  # let the agent's model start listening
            return [
                await conversation.ask(session.peer, q, answer_timeout=plan.turn_timeout)
                for q in questions
            ]
        finally:
            await session.close()


def _turn_row(index: int, turn: Turn) -> list[str]:
    parts = breakdown(turn) or {}
    tool_ok = "✓" if turn.expected_tool in turn.tools else f"✗ ({', '.join(turn.tools) or '-'})"
    agent = turn.agent_metrics.get("latency_ms") if turn.agent_metrics else None
    return [
        str(index),
        turn.question,
        turn.heard or "-",
        f"{turn.expected_tool} {tool_ok}",
        ms(turn.latency_ms),
        ms(agent),
        *(ms(parts.get(k)) for k in STAGES),
        ms(parts.get("transport_ms")),
    ]


async def run(system: System, settings: BenchSettings, mode: str) -> Section:
    plan = PLANS[mode]
    contention = machine.Contention()
    turns = await converse(system.signaling_url, plan, settings)
    answered = [t for t in turns if t.latency_ms is not None]
    client = summarize([t.latency_ms for t in answered if t.latency_ms is not None])
    agent = summarize(
        [float(t.agent_metrics["latency_ms"]) for t in answered if t.agent_metrics is not None]
    )
    parts = [p for p in (breakdown(t) for t in turns) if p is not None]
    stage_rows = [
        [label, ms(s["p50"]), ms(s["p95"])]
        for key, label in STAGE_LABELS.items()
        for s in [summarize([p[key] for p in parts])]
    ]
    tools_right = sum(1 for t in turns if t.expected_tool in t.tools)
    summary_rows = [
        [
            "voice-to-voice at the client (end of speech → first answer audio)",
            ms(client["p50"]),
            ms(client["p95"]),
            str(client["n"]),
        ],
        [
            "agent's own view (its speech end → first frame sent)",
            ms(agent["p50"]),
            ms(agent["p95"]),
            str(agent["n"]),
        ],
    ]
    return Section(
        name=NAME,
        title="Voice-to-voice latency with the offline model",
        method=(
            f"{plan.turns} spoken questions in one session (piper voice `en_US-joe-medium`, "
            "sent at 48 kHz), six per tool family in rotation: unit conversion, nutrition, "
            "timers, recipes. The agent runs `MODEL=local` with its default settings (silero "
            "VAD, Whisper tiny.en int8, rules brain, piper). End of speech = the last 10 ms "
            "window above -40 dBFS of the question as sent; first answer audio = the first "
            "such window received after it. Each answer is heard to the end before the next "
            f"question. {len(answered)} of {len(turns)} turns answered; the expected tool was "
            f"called in {tools_right}."
        ),
        tables=[
            Table(
                title="Latency (ms)", columns=["measure", "p50", "p95", "turns"], rows=summary_rows
            ),
            Table(
                title="Where the time goes (ms, per stage)",
                columns=["stage", "p50", "p95"],
                rows=stage_rows,
            ),
            Table(
                title="Every turn (ms)",
                columns=[
                    "#",
                    "question",
                    "heard",
                    "tool",
                    "client",
                    "agent",
                    *(STAGE_LABELS[k] for k in STAGES),
                    "transport + client",
                ],
                rows=[_turn_row(i + 1, t) for i, t in enumerate(turns)],
            ),
        ],
        notes=[],
        load=contention.result(),
        raw={
            "plan": asdict(plan),
            "client": client,
            "agent": agent,
            "turns": [asdict(t) | {"breakdown": breakdown(t)} for t in turns],
        },
    )


def stage_medians(raw: dict[str, Any]) -> dict[str, float]:
    """p50 of every stage from a voice section's raw data (for the plot)."""
    parts = [t["breakdown"] for t in raw["turns"] if t["breakdown"]]
    return {k: float(summarize([p[k] for p in parts])["p50"] or 0.0) for k in STAGE_LABELS}
