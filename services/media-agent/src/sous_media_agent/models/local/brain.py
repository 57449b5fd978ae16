"""The brain: turns what the cook said into tool calls and a short spoken answer.

Two kinds, chosen by `make_brain`: the offline `rules_brain.RulesBrain` (the default) and any
Strands text model (`strands_brain.StrandsTextBrain`). Both call tools the same way: through
a `ToolCaller` that hands them to the agent's tool loop and returns the results.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from strands.types.tools import ToolResultContent, ToolSpec

from .settings import LocalModelSettings


@dataclass(frozen=True)
class ToolCall:
    name: str
    input: dict[str, Any]
    tool_use_id: str | None = None  # the caller picks one when None


@dataclass(frozen=True)
class ToolOutcome:
    """A tool's result as the agent sent it back."""

    tool_use_id: str
    status: Literal["success", "error"]
    content: list[ToolResultContent]

    @property
    def data(self) -> Any:
        """The JSON the tool returned (also when a tool returned it as JSON text)."""
        for item in self.content:
            if "json" in item:
                return item["json"]
        for item in self.content:
            if "text" in item:
                try:
                    return json.loads(item["text"])
                except ValueError:
                    continue
        return None

    @property
    def message(self) -> str:
        return " ".join(item["text"] for item in self.content if "text" in item).strip()


ToolCaller = Callable[[Sequence[ToolCall]], Awaitable[list[ToolOutcome]]]


class Brain(Protocol):
    def reply(self, text: str, call_tools: ToolCaller) -> AsyncIterator[str]:
        """The answer to one user turn, in pieces as they are ready (sentences or deltas)."""
        ...


def make_brain(
    settings: LocalModelSettings, system_prompt: str | None, tool_specs: list[ToolSpec]
) -> Brain:
    """The brain the settings ask for (one per session: it holds the conversation)."""
    if settings.brain == "strands":
        from .strands_brain import StrandsTextBrain, build_text_model

        return StrandsTextBrain(
            build_text_model(settings),
            system_prompt=system_prompt,
            tool_specs=tool_specs,
            max_tool_rounds=settings.brain_max_tool_rounds,
        )
    from .rules_brain import RulesBrain

    return RulesBrain()
