"""Any Strands text model (Bedrock, Ollama, OpenAI-compatible) as the offline model's brain.

It gets the agent's tool specs and system prompt, keeps the conversation, streams its text as it
arrives (so speech can start with the first sentence) and runs tools through the agent's tool
loop like the rules brain does.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from strands.event_loop.streaming import process_stream
from strands.models.model import Model
from strands.types.content import Message, Messages
from strands.types.events import ModelStopReason
from strands.types.streaming import StreamEvent
from strands.types.tools import ToolSpec

from .brain import ToolCall, ToolCaller
from .settings import LocalModelSettings

logger = logging.getLogger(__name__)

MODEL_UNREACHABLE = "Sorry, I can't reach my language model right now."
TOO_MANY_ROUNDS = "Sorry, I couldn't finish that one."


class StrandsTextBrain:
    """Talks to a Strands `Model` turn by turn; one instance per session."""

    def __init__(
        self,
        model: Model,
        *,
        system_prompt: str | None,
        tool_specs: list[ToolSpec],
        max_tool_rounds: int,
    ) -> None:
        self._model = model
        self._system_prompt = system_prompt
        self._tool_specs = tool_specs
        self._max_tool_rounds = max_tool_rounds
        self._messages: Messages = []

    @property
    def messages(self) -> Messages:
        return self._messages

    async def reply(self, text: str, call_tools: ToolCaller) -> AsyncIterator[str]:
        turn_start = len(self._messages)
        self._messages.append({"role": "user", "content": [{"text": text}]})
        said: list[str] = []
        finished = False
        try:
            for _ in range(self._max_tool_rounds):
                stop: ModelStopReason | None = None
                async for piece in self._stream_round():
                    if isinstance(piece, str):
                        said.append(piece)
                        yield piece
                    else:
                        stop = piece
                if stop is None:
                    return
                self._messages.append(stop.message)
                if stop.stop_reason != "tool_use":
                    finished = True
                    return
                await self._run_tools(stop.message, call_tools)
            said.append(TOO_MANY_ROUNDS)
            yield TOO_MANY_ROUNDS
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("the text model failed")
            said.append(MODEL_UNREACHABLE)
            yield MODEL_UNREACHABLE
        finally:
            if not finished:
                # Keep the history valid (user/assistant alternate, every tool use answered)
                # after a barge-in or a failure: the turn is kept as what was actually said.
                del self._messages[turn_start:]
                self._messages.append({"role": "user", "content": [{"text": text}]})
                spoken = "".join(said).strip() or "(interrupted)"
                self._messages.append({"role": "assistant", "content": [{"text": spoken}]})

    async def _stream_round(self) -> AsyncIterator[str | ModelStopReason]:
        """The model's text as it streams, then its stop reason with the whole message."""
        deltas: list[str] = []

        async def tapped(chunks: AsyncIterable[StreamEvent]) -> AsyncIterator[StreamEvent]:
            async for chunk in chunks:
                delta = chunk.get("contentBlockDelta", {}).get("delta", {})
                if "text" in delta:
                    deltas.append(delta["text"])
                yield chunk

        chunks = self._model.stream(self._messages, self._tool_specs, self._system_prompt)
        async for event in process_stream(tapped(chunks)):
            while deltas:
                yield deltas.pop(0)
            if isinstance(event, ModelStopReason):
                yield event

    async def _run_tools(self, message: Message, call_tools: ToolCaller) -> None:
        uses = [block["toolUse"] for block in message["content"] if "toolUse" in block]
        calls = [
            ToolCall(use["name"], _as_dict(use.get("input")), use["toolUseId"]) for use in uses
        ]
        outcomes = await call_tools(calls)
        self._messages.append(
            {
                "role": "user",
                "content": [
                    {
                        "toolResult": {
                            "toolUseId": outcome.tool_use_id,
                            "status": outcome.status,
                            "content": outcome.content,
                        }
                    }
                    for outcome in outcomes
                ],
            }
        )


def build_text_model(settings: LocalModelSettings) -> Model:
    """The Strands text model named by LOCAL_BRAIN_PROVIDER / LOCAL_BRAIN_MODEL_ID."""
    api_key = settings.brain_api_key.get_secret_value() if settings.brain_api_key else None
    try:
        if settings.brain_provider == "ollama":
            from strands.models.ollama import OllamaModel

            host = settings.brain_url or "http://127.0.0.1:11434"
            return OllamaModel(host, model_id=settings.brain_model_id)
        if settings.brain_provider == "openai":
            from strands.models.openai import OpenAIModel

            client_args: dict[str, Any] = {"api_key": api_key or "not-needed"}
            if settings.brain_url:
                client_args["base_url"] = settings.brain_url
            return OpenAIModel(client_args=client_args, model_id=settings.brain_model_id)
        from strands.models.bedrock import BedrockModel

        return BedrockModel(
            model_id=settings.brain_model_id, region_name=settings.brain_region, api_key=api_key
        )
    except ImportError as exc:
        raise RuntimeError(
            f"LOCAL_BRAIN_PROVIDER={settings.brain_provider} needs the {exc.name!r} package; "
            f"install strands-agents[{settings.brain_provider}]"
        ) from exc


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}
