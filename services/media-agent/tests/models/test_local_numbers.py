"""Spoken and written numbers → digits, as the brain reads quantities and durations."""

from __future__ import annotations

import pytest

from sous_media_agent.models.local.numbers import format_number, ordinal, spoken_numbers_to_digits


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("two and a half cups of flour", "2.5 cups of flour"),
        ("a cup and a half of milk", "1.5 cup of milk"),
        ("two cups and a half", "2.5 cups"),
        ("three quarters of a cup", "0.75 cup"),
        ("a quarter of a cup of sugar", "0.25 cup of sugar"),
        ("a third of a cup", "0.333 cup"),
        ("half a cup", "0.5 cup"),
        ("a half cup", "0.5 cup"),
        ("half an hour", "0.5 hour"),
        ("an hour and a half", "1.5 hour"),
        ("one and a half", "1.5"),
        ("three hundred fifty degrees", "350 degrees"),
        ("three hundred and fifty", "350"),
        ("one thousand two hundred grams", "1200 grams"),
        ("twenty five minutes", "25 minutes"),
        ("ninety nine", "99"),
        ("two point five", "2.5"),
        ("2 1/2 cups", "2.5 cups"),
        ("1/2 cup", "0.5 cup"),
        ("1 and 1/2 cups", "1.5 cups"),
        ("a dozen eggs", "12 eggs"),
        ("two dozen", "24"),
        ("a couple of minutes", "2 minutes"),
        ("1 hour and 30 minutes", "1 hour and 30 minutes"),
    ],
)
def test_quantities_become_digits(said: str, read: str) -> None:
    assert spoken_numbers_to_digits(said) == read


@pytest.mark.parametrize(
    "said",
    ["the second one", "which one", "the third step", "and in grams", "five six", "a cup of tea"],
)
def test_words_that_are_not_quantities_stay_words(said: str) -> None:
    assert spoken_numbers_to_digits(said) == said.replace("five six", "5 6")


def test_a_zero_denominator_is_not_a_number() -> None:
    assert spoken_numbers_to_digits("1/0 cup") == "1/0 cup"


@pytest.mark.parametrize(
    ("word", "number"), [("first", 1), ("second", 2), ("3rd", 3), ("tenth", 10), ("cup", None)]
)
def test_ordinals(word: str, number: int | None) -> None:
    assert ordinal(word) == number


@pytest.mark.parametrize(
    ("value", "text"), [(2.0, "2"), (2.5, "2.5"), (1 / 3, "0.333"), (0.1, "0.1")]
)
def test_numbers_are_written_shortest(value: float, text: str) -> None:
    assert format_number(value) == text
