"""The `events` data channel: agent → browser events and browser → agent messages.

The wire format is docs/events.md; every event carries `"v": 1`.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from typing import Annotated, Any, Literal

from aiortc import RTCDataChannel
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

logger = logging.getLogger(__name__)

VERSION = 1
LABEL = "events"
Event = dict[str, Any]

TOOL_NAMES = (
    "search_recipes",
    "get_recipe",
    "convert_units",
    "lookup_nutrition",
    "set_timer",
    "list_timers",
    "cancel_timer",
)


def transcript(role: Literal["user", "assistant"], text: str, *, final: bool) -> Event:
    return {"v": VERSION, "type": "transcript", "role": role, "text": text, "final": final}


def state(value: Literal["listening", "thinking", "speaking"]) -> Event:
    return {"v": VERSION, "type": "state", "value": value}


def tool_call(tool_use_id: str, name: str, tool_input: dict[str, Any]) -> Event:
    return {"v": VERSION, "type": "tool_call", "id": tool_use_id, "name": name, "input": tool_input}


def tool_result(
    tool_use_id: str, name: str, status: Literal["success", "error"], output: dict[str, Any]
) -> Event:
    return {
        "v": VERSION,
        "type": "tool_result",
        "id": tool_use_id,
        "name": name,
        "status": status,
        "output": output,
    }


def timer(action: Literal["set", "cancelled", "fired"], timer_fields: dict[str, Any]) -> Event:
    return {"v": VERSION, "type": "timer", "action": action, "timer": timer_fields}


def metrics(turn: int, latency_ms: float, stages: dict[str, float]) -> Event:
    return {
        "v": VERSION,
        "type": "metrics",
        "turn": turn,
        "latency_ms": round(latency_ms, 1),
        "stages": stages,
    }


def error(message: str) -> Event:
    return {"v": VERSION, "type": "error", "message": message}


def session_reconnect(reason: str) -> Event:
    return {"v": VERSION, "type": "session", "value": "reconnect", "reason": reason}


class _ClientMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    v: Literal[1]


class TextMessage(_ClientMessage):
    """A typed question."""

    type: Literal["text"]
    text: str = Field(min_length=1)


class CancelTimerMessage(_ClientMessage):
    """The browser's cancel button on a timer card."""

    type: Literal["cancel_timer"]
    timer_id: str = Field(min_length=1, max_length=100)


ClientMessage = Annotated[TextMessage | CancelTimerMessage, Field(discriminator="type")]
_client_message = TypeAdapter[ClientMessage](ClientMessage)


class BadClientMessage(ValueError):
    """A data-channel message the agent can't use; the message is sent back as an `error`."""


def parse_client_message(raw: str | bytes, *, max_bytes: int, max_text_chars: int) -> ClientMessage:
    """Validate one browser message or raise BadClientMessage with a readable reason."""
    if len(raw) > max_bytes:
        raise BadClientMessage(f"Message too large ({len(raw)} bytes); the limit is {max_bytes}.")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: absurdly nested JSON ("[[[[...") fits in the size limit.
        raise BadClientMessage("Messages must be one JSON object (UTF-8 text).") from exc
    if not isinstance(document, dict):
        raise BadClientMessage("Messages must be one JSON object (UTF-8 text).")
    if document.get("v") != VERSION:
        raise BadClientMessage(f'Unsupported message version {document.get("v")!r}; send "v": 1.')
    if document.get("type") not in ("text", "cancel_timer"):
        raise BadClientMessage(
            f'Unknown message type {document.get("type")!r}; expected "text" or "cancel_timer".'
        )
    try:
        message = _client_message.validate_python(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"][1:]) or "message"
        raise BadClientMessage(f"Invalid {field}: {first['msg']}.") from exc
    if isinstance(message, TextMessage):
        message.text = message.text.strip()
        if not message.text:
            raise BadClientMessage("The text is empty; type a question.")
        if len(message.text) > max_text_chars:
            raise BadClientMessage(
                f"The text is too long; keep it under {max_text_chars} characters."
            )
    return message


def fit(event: Event, max_bytes: int) -> str:
    """Serialise an event within the size limit, trimming bulky tool output if needed."""
    encoded = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    if len(encoded.encode()) <= max_bytes or event.get("type") != "tool_result":
        return encoded
    output = event["output"]
    results = output.get("results") if isinstance(output, dict) else None
    if isinstance(results, list):
        # Recipe cards show title, time and ingredients; the steps can be fetched later.
        slim = [
            {k: v for k, v in r.items() if k != "steps"} for r in results if isinstance(r, dict)
        ]
        encoded = json.dumps({**event, "output": {**output, "results": slim}}, ensure_ascii=False)
        if len(encoded.encode()) <= max_bytes:
            return encoded
    trimmed = {**event, "output": {"message": "The result is too large to show here."}}
    return json.dumps(trimmed, ensure_ascii=False)


class EventChannel:
    """Sends events on the browser's `events` channel; never blocks, never raises.

    Events produced before the channel opens wait in a short buffer.
    """

    def __init__(self, *, max_bytes: int, pending_limit: int = 64) -> None:
        self._channel: RTCDataChannel | None = None
        self._pending: deque[str] = deque(maxlen=pending_limit)
        self._max_bytes = max_bytes

    def attach(self, channel: RTCDataChannel) -> None:
        self._channel = channel
        if channel.readyState == "open":
            self._flush()
        else:
            channel.on("open", self._flush)

    def send(self, event: Event) -> None:
        message = fit(event, self._max_bytes)
        channel = self._channel
        if channel is None or channel.readyState != "open":
            self._pending.append(message)
            return
        try:
            channel.send(message)
        except Exception as exc:  # a closing SCTP transport must not take the session down
            logger.debug("dropped an event on a closing channel: %s", exc)

    def _flush(self) -> None:
        while self._pending and self._channel is not None:
            try:
                self._channel.send(self._pending.popleft())
            except Exception as exc:  # closed before the backlog went out
                logger.debug("dropped queued events on a closing channel: %s", exc)
                return
