"""One spoken turn, measured at the client the way LiveKit documents it.

The question is played into the microphone track; the user's speech ends at its last loud
sample, and the latency runs from the moment that sample left the client to the first loud
sample of the answer that arrived. The agent's own `metrics` event for the turn (its
per-stage breakdown) and what it understood and called come from the `events` channel.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from . import onset
from .client import Peer
from .speech import SPEECH_THRESHOLD, SPEECH_WINDOW, Question

# After the answer starts, wait this long without "speaking" before the next question, so the
# next question never interrupts (barges in on) the answer.
_QUIET_BEFORE_NEXT_SECONDS = 0.4


@dataclass
class Turn:
    question: str
    expected_tool: str
    latency_ms: float | None = None  # end of speech → first answer audio, at the client
    agent_metrics: dict[str, Any] | None = None
    heard: str | None = None  # the agent's final user transcript
    tools: list[str] = field(default_factory=list)
    answer: str | None = None  # the agent's final assistant transcript

    @property
    def answered(self) -> bool:
        return self.latency_ms is not None


async def ask(peer: Peer, question: Question, *, answer_timeout: float) -> Turn:
    """Say `question`, wait for the whole answer, measure the turn."""
    turn = Turn(question.text, question.tool)
    asked_at = time.monotonic()
    start = peer.mic.play(question.audio)
    end_index = start + question.speech_end
    deadline = asked_at + len(question.audio) / 48_000 + answer_timeout
    ended_at = await peer.mic.sent(end_index)
    metrics = await _wait_for(peer, "metrics", ended_at, deadline)
    if metrics is not None:
        turn.agent_metrics = metrics
        await _wait_until_quiet(peer, deadline)
        first = peer.speaker.index_at(ended_at)
        found = onset.first_loud(peer.speaker.samples(first), SPEECH_THRESHOLD, SPEECH_WINDOW)
        if found is not None:
            turn.latency_ms = (peer.speaker.time_of(first + found) - ended_at) * 1000
    heard = [e for e in peer.events_of("transcript", asked_at) if e.get("role") == "user"]
    turn.heard = next((e["text"] for e in reversed(heard) if e.get("final")), None)
    said = [e for e in peer.events_of("transcript", asked_at) if e.get("role") == "assistant"]
    turn.answer = next((e["text"] for e in reversed(said) if e.get("final")), None)
    turn.tools = [str(e.get("name")) for e in peer.events_of("tool_call", asked_at)]
    return turn


async def _wait_for(peer: Peer, kind: str, since: float, deadline: float) -> dict[str, Any] | None:
    while time.monotonic() < deadline:
        found = peer.events_of(kind, since)
        if found:
            return found[0]
        await asyncio.sleep(0.02)
    return None


async def _wait_until_quiet(peer: Peer, deadline: float) -> None:
    """Until the agent's last state is `listening` and has been for a moment."""
    while time.monotonic() < deadline:
        states = peer.events_of("state")
        last = states[-1]["value"] if states else "listening"
        if (
            last == "listening"
            and peer.events
            and (time.monotonic() - peer.events[-1][0] > _QUIET_BEFORE_NEXT_SECONDS)
        ):
            return
        await asyncio.sleep(0.05)
