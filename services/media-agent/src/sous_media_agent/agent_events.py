"""The BidiOutput role for the browser: strands agent events → `events` data-channel events."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from strands.bidi.types.events import BidiOutputEvent

from . import events
from .turn_metrics import TurnMetrics

if TYPE_CHECKING:
    from strands.bidi.agent.agent import BidiAgent

logger = logging.getLogger(__name__)


def tool_output(result: dict[str, Any]) -> dict[str, Any]:
    """A tool result's payload for the browser: the service's JSON, or `{"message": ...}`."""
    content = result.get("content") or []
    for block in content:
        if "json" in block and isinstance(block["json"], dict):
            return dict(block["json"])
    texts = [str(block["text"]) for block in content if "text" in block]
    return {"message": " ".join(texts)}


class EventsOutput:
    """Translates each agent event synchronously (the agent's queue holds one event: never wait)."""

    def __init__(self, send: Callable[[events.Event], None], metrics: TurnMetrics) -> None:
        self._send = send
        self._metrics = metrics
        self._partial: dict[str, str] = {}
        self._tool_names: dict[str, str] = {}

    async def start(self, agent: BidiAgent) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def __call__(self, event: BidiOutputEvent) -> None:
        kind = event.get("type")
        if kind == "bidi_transcript_delta":
            so_far = self._partial.get(event["content_id"], "") + event["delta"]
            self._partial[event["content_id"]] = so_far
            self._send(events.transcript(event["role"], so_far, final=False))
        elif kind == "bidi_transcript_block":
            self._partial.pop(event["content_id"], None)
            self._send(events.transcript(event["role"], event["transcript"], final=True))
            if event["role"] == "user":
                self._send(events.state("thinking"))
        elif kind == "bidi_tool_use_blocks":
            for tool_use in event["tool_uses"]:
                self._tool_names[tool_use["toolUseId"]] = tool_use["name"]
                self._send(
                    events.tool_call(tool_use["toolUseId"], tool_use["name"], tool_use["input"])
                )
        elif kind == "tool_result":
            result = event["tool_result"]
            name = self._tool_names.pop(result["toolUseId"], "unknown")
            output = tool_output(result)
            if result["status"] == "success":
                self._send(events.tool_result(result["toolUseId"], name, "success", output))
            else:
                self._send(events.tool_result(result["toolUseId"], name, "error", output))
        elif kind == "bidi_response_start":
            self._metrics.on_response_start()
        elif kind == "bidi_barge_in":
            self._metrics.on_barge_in()
            self._send(events.state("listening"))
        elif kind == "bidi_connection_restart":
            logger.info("model connection restarted (%s); the session continues", event["reason"])
