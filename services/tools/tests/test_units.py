from __future__ import annotations

import pytest

from sous_tools.errors import InvalidInput
from sous_tools.units import REGISTRY, UnitKind, parse_unit


@pytest.mark.parametrize(
    ("spoken", "pint_name"),
    [
        ("cup", "cup"), ("Cups", "cup"), ("c", "cup"),
        ("tablespoons", "tablespoon"), ("tbsp", "tablespoon"), ("Tbs.", "tablespoon"),
        ("T", "tablespoon"), ("t", "teaspoon"), ("tsp", "teaspoon"), ("teaspoonfuls", "teaspoon"),
        ("fluid ounces", "fluid_ounce"), ("fl. oz", "fluid_ounce"), ("fl oz", "fluid_ounce"),
        ("sticks of butter", "stick"), ("stick", "stick"), ("pinch", "pinch"),
        ("pinches", "pinch"), ("dash", "dash"), ("millilitres", "milliliter"), ("mL", "milliliter"),
        ("liters", "liter"), ("grams", "gram"), ("g", "gram"), ("kilos", "kilogram"),
        ("ounces", "ounce"), ("oz", "ounce"), ("lbs", "pound"), ("pounds", "pound"),
        ("°F", "degree_Fahrenheit"), ("F", "degree_Fahrenheit"),
        ("degrees fahrenheit", "degree_Fahrenheit"), ("celsius", "degree_Celsius"),
        ("°C", "degree_Celsius"), ("gas mark", "gas_mark"), ("microlitres", "microliter"),
    ],
)  # fmt: skip
def test_spoken_unit_names_resolve(spoken: str, pint_name: str) -> None:
    assert parse_unit(spoken).pint_unit == REGISTRY.Unit(pint_name)


def test_units_pint_lacks_have_their_kitchen_sizes() -> None:
    teaspoons = REGISTRY.teaspoon
    assert REGISTRY.Quantity(16, "pinch").to(teaspoons).magnitude == pytest.approx(1)
    assert REGISTRY.Quantity(8, "dash").to(teaspoons).magnitude == pytest.approx(1)
    assert REGISTRY.Quantity(1, "stick").to(REGISTRY.tablespoon).magnitude == pytest.approx(8)
    assert REGISTRY.Quantity(4, "gas_mark").to(REGISTRY.degF).magnitude == pytest.approx(350)
    assert REGISTRY.Quantity(1, "gas_mark").to(REGISTRY.degF).magnitude == pytest.approx(275)


def test_kinds() -> None:
    assert parse_unit("cup").kind is UnitKind.VOLUME
    assert parse_unit("oz").kind is UnitKind.MASS
    assert parse_unit("gas mark").kind is UnitKind.TEMPERATURE


def test_display_names_for_speech() -> None:
    tbsp = parse_unit("T")
    assert (tbsp.spoken(1), tbsp.spoken(2), tbsp.symbol) == ("tablespoon", "tablespoons", "tbsp")


def test_unknown_unit_names_it_and_suggests_close_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_unit("cupz")
    assert "'cupz'" in caught.value.detail
    assert "cup" in caught.value.suggestions
    assert '"cup"' in caught.value.detail


@pytest.mark.parametrize("not_food", ["meters", "minutes", "volts", "", "2"])
def test_units_that_do_not_measure_food_are_refused(not_food: str) -> None:
    with pytest.raises(InvalidInput):
        parse_unit(not_food)
