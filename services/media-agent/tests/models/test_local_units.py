"""Unit words as cooks say them and as Whisper writes them."""

from __future__ import annotations

import pytest

from sous_media_agent.models.local.units import find_units, unit_at


@pytest.mark.parametrize(
    ("said", "names"),
    [
        ("2 cups of flour in grams", ["cup", "g"]),
        ("3 tbsp to tsp", ["tablespoon", "teaspoon"]),
        ("8 fluid ounces in ml", ["fl oz", "ml"]),
        ("350 degrees fahrenheit in celsius", ["fahrenheit", "celsius"]),
        ("gas mark 4 in celsius", ["gas mark", "celsius"]),
        ("2 table spoons in tea spoons", ["tablespoon", "teaspoon"]),
        ("180 c in f", ["celsius", "fahrenheit"]),
        ("a pound of butter in kilos", ["lb", "kg"]),
    ],
)
def test_units_are_found_left_to_right(said: str, names: list[str]) -> None:
    assert [mention.unit.name for mention in find_units(said.split())] == names


def test_single_letters_are_units_only_after_a_number_or_in() -> None:
    assert find_units("vitamin c is good".split()) == []
    assert [m.unit.name for m in find_units("200 c".split())] == ["celsius"]


def test_a_misheard_unit_is_matched_only_where_a_unit_is_expected() -> None:
    tokens = "and in grammes".split()
    assert unit_at(tokens, 2) is not None  # listed spelling
    tokens = "and in gramz".split()
    assert unit_at(tokens, 2) is None
    mention = unit_at(tokens, 2, fuzzy=True)
    assert mention is not None and mention.unit.name == "g"
    assert unit_at("and in butter".split(), 2, fuzzy=True) is None
