"""Semantic end of turn: whole requests end the turn sooner, unfinished ones wait."""

from __future__ import annotations

import pytest

from sous_media_agent.models.local.turn_end import is_complete_request


@pytest.mark.parametrize(
    "text",
    [
        "How many grams is two cups of flour?",
        "How many teaspoons are in a tablespoon?",
        "What is 350 degrees Fahrenheit in Celsius?",
        "How many calories are in a banana?",
        "Set a timer for eight minutes for the pasta.",
        "How long is left?",
        "Cancel it.",
        "Find me a recipe for pancakes.",
        "What's the next step?",
        "What about butter?",
        "Thank you.",
    ],
)
def test_whole_requests_are_complete(text: str) -> None:
    assert is_complete_request(text)


@pytest.mark.parametrize(
    "text",
    [
        "Set a timer.",  # … for how long?
        "Set a timer for",
        "How many grams is two cups?",  # … of what? volume to mass needs the ingredient
        "How many calories are in a",
        "Find me a recipe.",  # … for what?
        "What can I make with...",  # trailing off
        "How much",
        "Um.",
        "",
    ],
)
def test_unfinished_or_unclear_requests_are_not(text: str) -> None:
    assert not is_complete_request(text)
