"""How the rules brain words numbers, durations and amounts."""

from __future__ import annotations

import pytest

from sous_media_agent.models.local import answers


@pytest.mark.parametrize(
    ("seconds", "spoken"),
    [(480, "8 minutes"), (5400, "1 hour 30 minutes"), (61, "1 minute 1 second"), (0, "0 seconds")],
)
def test_durations(seconds: float, spoken: str) -> None:
    assert answers.duration(seconds) == spoken


@pytest.mark.parametrize(
    ("value", "spoken"), [(71.5, "72"), (6.28, "6.3"), (0.04, "0"), (12.0, "12")]
)
def test_numbers_are_rounded_for_speech(value: float, spoken: str) -> None:
    assert answers.number(value) == spoken


@pytest.mark.parametrize(
    ("quantity", "unit", "food", "said"),
    [
        (2, "tablespoon", "peanut butter", "2 tablespoons of peanut butter"),
        (1, "large", "egg", "1 large egg"),
        (None, None, "banana", "a serving of banana"),
        (100, "g", "rice", "100 grams of rice"),
        (2, None, "eggs", "2 eggs"),
    ],
)
def test_amounts(quantity: float | None, unit: str | None, food: str, said: str) -> None:
    assert answers.amount(quantity, unit, food) == said


def test_a_conversion_without_text_still_gets_a_sentence() -> None:
    assert answers.conversion({"quantity": 236.6, "unit": "ml"}) == "That is about 237 ml."


def test_tool_errors_are_cut_to_two_sentences() -> None:
    message = "Error: ValueError - One. Two! Three?"
    assert answers.tool_error(message) == "One. Two!"
    assert answers.tool_error("") == "Sorry, that didn't work."
