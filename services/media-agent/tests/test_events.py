"""Data-channel events: what the agent sends matches docs/events.md; browser messages parse."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sous_media_agent import events

DOC = Path(__file__).resolve().parents[3] / "docs" / "events.md"
EXAMPLES = dict(
    re.findall(r"<!-- example: ([\w.]+) -->\s*```json\n(.*?)\n```", DOC.read_text(), re.S)
)


def example(name: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(EXAMPLES[name])
    return document


def test_builders_produce_the_documented_examples() -> None:
    assert events.transcript("user", "how many grams is two cups of flour", final=True) == example(
        "transcript"
    )
    assert events.state("thinking") == example("state")
    assert events.tool_call(
        "tooluse_1",
        "convert_units",
        {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "flour"},
    ) == example("tool_call")
    assert events.tool_result(
        "tooluse_1",
        "convert_units",
        "success",
        {"quantity": 250.0, "unit": "g", "text": "2 cups of flour is about 250 g"},
    ) == example("tool_result")
    assert events.metrics(
        3, 612.4, {"vad_ms": 240.0, "stt_ms": 180.2, "brain_ms": 95.1, "tts_first_chunk_ms": 71.3}
    ) == example("metrics")
    assert events.error(
        "The tools service is not answering, so I can't look that up right now."
    ) == example("error")
    assert events.session_reconnect("agent is shutting down") == example("session")


def test_documented_tool_names_are_the_agents_tools() -> None:
    from sous_media_agent.tools import ALL_TOOLS

    assert {t.tool_name for t in ALL_TOOLS} == set(events.TOOL_NAMES)


@pytest.mark.parametrize("name", ["client.text", "client.cancel_timer"])
def test_documented_client_messages_parse(name: str) -> None:
    message = events.parse_client_message(EXAMPLES[name], max_bytes=16384, max_text_chars=2000)
    assert message.model_dump() == example(name)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "JSON object"),
        ("42", "JSON object"),
        ('{"type": "text", "text": "hi"}', "version None"),
        ('{"v": 1, "type": "shout"}', "Unknown message type 'shout'"),
        ('{"v": 1, "type": "text"}', "Invalid text: Field required"),
        ('{"v": 1, "type": "text", "text": 5}', "Invalid text"),
        ('{"v": 1, "type": "cancel_timer"}', "Invalid timer_id"),
        ('{"v": 1, "type": "text", "text": "' + "a" * 3000 + '"}', "under 2000 characters"),
        ('{"v": 1, "type": "text", "text": "' + "a" * 20000 + '"}', "too large"),
    ],
)
def test_bad_client_messages_say_what_is_wrong(raw: str | bytes, reason: str) -> None:
    with pytest.raises(events.BadClientMessage, match=re.escape(reason)):
        events.parse_client_message(raw, max_bytes=16384, max_text_chars=2000)


def test_oversized_recipe_results_are_trimmed_to_the_limit() -> None:
    recipe = {"id": "r", "title": "Soup", "ingredients": ["water"], "steps": ["stir " * 1500]}
    event = events.tool_result("t1", "search_recipes", "success", {"results": [recipe] * 3})
    encoded = events.fit(event, 16384)
    assert len(encoded.encode()) <= 16384
    trimmed = json.loads(encoded)
    assert trimmed["output"]["results"][0] == {"id": "r", "title": "Soup", "ingredients": ["water"]}


def test_hopelessly_large_results_are_replaced_by_a_message() -> None:
    event = events.tool_result("t1", "get_recipe", "success", {"steps": ["x" * 40000]})
    trimmed = json.loads(events.fit(event, 16384))
    assert trimmed["output"] == {"message": "The result is too large to show here."}
    assert trimmed["id"] == "t1"
