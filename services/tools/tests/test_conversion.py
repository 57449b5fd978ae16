from __future__ import annotations

import pytest

from sous_tools.conversion import Converter, spoken_number
from sous_tools.densities import DensityTable
from sous_tools.errors import InvalidInput


@pytest.fixture(scope="module")
def converter(densities: DensityTable) -> Converter:
    return Converter(densities, max_quantity=1_000_000)


@pytest.mark.parametrize(
    ("quantity", "from_unit", "to_unit", "expected"),
    [
        (1, "cup", "tablespoons", 16), (1, "T", "t", 3), (2, "cups", "ml", 473.2),
        (8, "fl oz", "cup", 1), (1, "quart", "cups", 4), (1, "lb", "oz", 16),
        (1, "lb", "g", 453.6), (500, "g", "kg", 0.5), (16, "pinches", "tsp", 1),
        (2, "sticks", "tbsp", 16), (350, "°F", "°C", 176.7), (180, "celsius", "F", 356),
        (-40, "C", "F", -40), (4, "gas mark", "°F", 350), (180, "C", "gas mark", 4),
        (220, "°C", "gas mark", 7),
    ],
)  # fmt: skip
def test_same_kind_conversions(
    converter: Converter, quantity: float, from_unit: str, to_unit: str, expected: float
) -> None:
    assert converter.convert(quantity, from_unit, to_unit).quantity == pytest.approx(
        expected, rel=1e-3
    )


def test_volume_to_weight_uses_the_ingredients_density(
    converter: Converter, densities: DensityTable
) -> None:
    sugar = densities.lookup("sugar")
    result = converter.convert(2, "cup", "g", "sugar")
    assert result.quantity == pytest.approx(2 * sugar.grams_per_cup, rel=1e-3)
    assert result.unit == "g"
    assert result.text == f"2 cups of sugar is about {spoken_number(2 * sugar.grams_per_cup)} g"
    assert result.density is sugar


def test_weight_to_volume_and_butter_sticks(converter: Converter, densities: DensityTable) -> None:
    flour = densities.lookup("flour")
    assert converter.convert(flour.grams_per_cup, "grams", "cups", "flour").quantity == (
        pytest.approx(1, rel=1e-3)
    )
    butter = densities.lookup("butter")
    result = converter.convert(1, "stick of butter", "g", "butter")
    assert result.quantity == pytest.approx(butter.grams_per_cup / 2, rel=1e-3)
    assert result.text.startswith("1 stick of butter is about")


def test_exact_results_are_not_called_approximate(converter: Converter) -> None:
    assert converter.convert(1, "T", "t").text == "1 tablespoon is 3 tsp"
    assert converter.convert(350, "F", "gas mark").text == "350 degrees Fahrenheit is gas mark 4"
    assert converter.convert(2, "cups", "ml").text == "2 cups is about 473 ml"


def test_volume_to_weight_without_ingredient_asks_for_one(converter: Converter) -> None:
    with pytest.raises(InvalidInput, match="add an 'ingredient'"):
        converter.convert(2, "cups", "g")


def test_unknown_ingredient_is_named_with_suggestions(converter: Converter) -> None:
    with pytest.raises(InvalidInput) as caught:
        converter.convert(1, "cup", "g", "moon dust flour")
    assert "'moon dust flour'" in caught.value.detail
    assert caught.value.suggestions


def test_unknown_unit_is_named(converter: Converter) -> None:
    with pytest.raises(InvalidInput, match="'smoots'"):
        converter.convert(1, "smoots", "g", "flour")


@pytest.mark.parametrize(
    ("quantity", "from_unit", "to_unit", "message"),
    [
        (-1, "cup", "ml", "negative"),
        (2e9, "cup", "ml", "too large"),
        (-500, "C", "F", "absolute zero"),
        (2, "cup", "°F", "temperature converts only"),
        (100, "F", "gas mark", "outside the gas mark scale"),
        (12, "gas mark", "C", "off the scale"),
    ],
)
def test_impossible_requests_explain_themselves(
    converter: Converter, quantity: float, from_unit: str, to_unit: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        converter.convert(quantity, from_unit, to_unit, "flour")


@pytest.mark.parametrize(
    ("value", "spoken"), [(396.44, "396"), (47.318, "47.3"), (0.0625, "0.0625"), (3.0, "3")]
)
def test_spoken_number(value: float, spoken: str) -> None:
    assert spoken_number(value) == spoken
