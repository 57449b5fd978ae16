from __future__ import annotations

import pytest

from sous_tools.matching import NameIndex, name_forms, normalise, singular_word


@pytest.mark.parametrize(
    ("word", "singular"),
    [("eggs", "egg"), ("berries", "berry"), ("tomatoes", "tomato"), ("peaches", "peach"),
     ("glasses", "glass"), ("oats", "oat"), ("hummus", "hummus"), ("egg", "egg")],
)  # fmt: skip
def test_singular_word(word: str, singular: str) -> None:
    assert singular_word(word) == singular


def test_normalise_drops_case_punctuation_and_articles() -> None:
    assert normalise("  The All-Purpose   Flour! ") == "all purpose flour"
    assert name_forms("Chicken Breasts") == ["chicken breasts", "chicken breast"]


INDEX = NameIndex(
    [
        ("ap", "all-purpose flour", ["flour", "plain flour"]),
        ("almond", "almond flour", ["almond meal"]),
        ("sugar", "granulated sugar", ["sugar", "white sugar"]),
        ("molasses", "molasses", []),
    ]
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Flour", "ap"), ("plain flours", "ap"), ("ALMOND MEAL", "almond"), ("suger", "sugar"),
     ("granulated sugars", "sugar"), ("Molasses", "molasses"), ("cement", None), ("ice", None)],
)  # fmt: skip
def test_find_by_name_alias_plural_and_typo(query: str, expected: str | None) -> None:
    assert INDEX.find(query) == expected


def test_find_does_not_confuse_a_different_food_with_a_shorter_name() -> None:
    assert INDEX.find("coconut flour") is None


def test_suggest_returns_canonical_names_best_first_without_repeats() -> None:
    suggestions = INDEX.suggest("almond flor")
    assert suggestions[0] == "almond flour"
    assert len(suggestions) == len(set(suggestions))
    assert INDEX.suggest("zzzzqqq") == []
