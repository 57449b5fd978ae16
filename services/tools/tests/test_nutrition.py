from __future__ import annotations

import pytest

from sous_tools.errors import InvalidInput, NotFound
from sous_tools.nutrition import FoodTable


def test_table_has_three_hundred_usda_foods(foods: FoodTable) -> None:
    assert len(foods.foods) >= 300
    assert len({food.fdc_id for food in foods.foods}) == len(foods.foods)
    for food in foods.foods:
        assert food.dataset in {"SR Legacy", "Foundation", "Survey (FNDDS)"}, food.name
        assert food.per_100g.calories_kcal <= 902, food.name  # pure fat is ~900 kcal/100 g
        assert all(0 < grams <= 10_000 for grams in food.portions.values()), food.name


def test_two_large_eggs(foods: FoodTable) -> None:
    egg = foods.find("egg")
    facts = foods.lookup("eggs", 2, "large")
    assert facts.food is egg
    assert facts.grams == pytest.approx(2 * egg.portions["large"])
    expected_kcal = egg.per_100g.calories_kcal * facts.grams / 100
    assert facts.nutrients.calories_kcal == pytest.approx(expected_kcal, abs=0.06)
    assert facts.portion == "2 large"
    assert facts.text.startswith(f"{egg.name}, 2 large ({facts.grams:g} g): about ")
    assert str(egg.fdc_id) in egg.source


@pytest.mark.parametrize("spoken", ["bananas", "Banana", "chicken breast", "eggs"])
def test_spoken_names_are_found(foods: FoodTable, spoken: str) -> None:
    first_word = spoken.split()[0].lower().rstrip("s")
    assert first_word in foods.find(spoken).name.lower()


def test_default_portion_when_nothing_is_said(foods: FoodTable) -> None:
    banana = foods.find("banana")
    assert banana.default_portion is not None
    facts = foods.lookup("banana", None, None)
    assert facts.grams == pytest.approx(banana.portions[banana.default_portion])
    three = foods.lookup("bananas", 3, None)
    assert three.grams == pytest.approx(3 * facts.grams, abs=0.1)


def test_weights_and_volumes(foods: FoodTable) -> None:
    egg = foods.find("egg")
    assert foods.lookup("egg", 150, "g").grams == pytest.approx(150)
    ounce = foods.lookup("egg", 1, "oz")
    assert ounce.grams == pytest.approx(28.3, abs=0.1)
    assert ounce.nutrients.protein_g == pytest.approx(egg.per_100g.protein_g * 0.2835, abs=0.06)
    with_cup = next(food for food in foods.foods if "cup" in food.portions)
    half_cup = foods.lookup(with_cup.name, 8, "tablespoons")
    assert half_cup.grams == pytest.approx(with_cup.portions["cup"] / 2, abs=0.1)


def test_unknown_food_is_404_with_closest_names(foods: FoodTable) -> None:
    with pytest.raises(NotFound) as caught:
        foods.lookup("bananna bread loaf", None, None)
    assert "'bananna bread loaf'" in caught.value.detail
    assert caught.value.suggestions


def test_unit_the_food_has_no_portion_for(foods: FoodTable) -> None:
    with pytest.raises(InvalidInput, match="use one of its portions"):
        foods.lookup("egg", 1, "slice of moon")


def test_quantity_over_the_limit(foods: FoodTable) -> None:
    with pytest.raises(InvalidInput, match="too large"):
        foods.lookup("egg", 10_000_000, None)
