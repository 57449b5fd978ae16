"""Converting a kitchen quantity between units, through an ingredient's density when needed."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from sous_tools.densities import Density, DensityTable
from sous_tools.errors import InvalidInput
from sous_tools.units import REGISTRY, Unit, UnitKind, parse_unit

_GAS_MARK_RANGE = (1.0, 10.0)


@dataclass(frozen=True)
class Conversion:
    quantity: float
    unit: str
    text: str
    density: Density | None


def spoken_number(value: float) -> str:
    """A number as it is worth saying: whole above 100, else three significant figures."""
    if abs(value) >= 100:
        return str(round(value))
    return f"{value:.3g}"


def _gas_mark_number(value: float) -> str:
    return spoken_number(round(value * 2) / 2)


def _phrase(amount: float, unit: Unit, *, spoken_unit: bool) -> str:
    if unit.pint_unit == REGISTRY.gas_mark:
        return f"gas mark {_gas_mark_number(amount)}"
    return f"{spoken_number(amount)} {unit.spoken(amount) if spoken_unit else unit.symbol}"


class Converter:
    def __init__(self, densities: DensityTable, max_quantity: float) -> None:
        self.densities = densities
        self.max_quantity = max_quantity

    def _check_amount(self, quantity: float, unit: Unit) -> None:
        if abs(quantity) > self.max_quantity:
            raise InvalidInput(
                f"The quantity {quantity} is too large; send at most {self.max_quantity:g}."
            )
        if unit.kind is not UnitKind.TEMPERATURE and quantity < 0:
            raise InvalidInput(f"The quantity {quantity} is negative; send an amount of 0 or more.")

    def _to_temperature(self, quantity: float, source: Unit, target: Unit) -> float:
        gas_mark = REGISTRY.gas_mark
        low, high = _GAS_MARK_RANGE
        if source.pint_unit == gas_mark and not low <= quantity <= high:
            raise InvalidInput(f"Gas mark {quantity} is off the scale; use a mark from 1 to 10.")
        kelvin = REGISTRY.Quantity(quantity, source.pint_unit).to(REGISTRY.kelvin).magnitude
        if kelvin < 0:
            raise InvalidInput(
                f"{quantity} {source.symbol} is below absolute zero; check the number."
            )
        result = float(REGISTRY.Quantity(kelvin, REGISTRY.kelvin).to(target.pint_unit).magnitude)
        if target.pint_unit == gas_mark and not low - 0.25 <= result <= high + 0.25:
            raise InvalidInput(
                f"{spoken_number(quantity)} {source.symbol} is outside the gas mark scale "
                "(gas mark 1 is 275 °F / 140 °C, gas mark 10 is 500 °F / 260 °C)."
            )
        return result

    def _through_density(
        self, quantity: pint.Quantity, source: Unit, target: Unit, ingredient: str | None
    ) -> tuple[float, Density]:
        if not ingredient or not ingredient.strip():
            raise InvalidInput(
                f"Converting {source.plural} ({source.kind}) to {target.plural} ({target.kind}) "
                "depends on what is measured; add an 'ingredient', e.g. \"flour\"."
            )
        density = self.densities.lookup(ingredient)
        per_cup = REGISTRY.Quantity(density.grams_per_cup, "gram / cup")
        converted: pint.Quantity
        if source.kind is UnitKind.VOLUME:
            converted = (quantity * per_cup).to(target.pint_unit)
        else:
            converted = (quantity / per_cup).to(target.pint_unit)
        return float(converted.magnitude), density

    def convert(
        self, quantity: float, from_unit: str, to_unit: str, ingredient: str | None = None
    ) -> Conversion:
        source, target = parse_unit(from_unit), parse_unit(to_unit)
        self._check_amount(quantity, source)
        density: Density | None = None
        if source.kind is target.kind is UnitKind.TEMPERATURE:
            result = self._to_temperature(quantity, source, target)
        elif UnitKind.TEMPERATURE in (source.kind, target.kind):
            raise InvalidInput(
                f"'{from_unit}' is a {source.kind} and '{to_unit}' is a {target.kind}; "
                "a temperature converts only to another temperature unit."
            )
        elif source.kind is target.kind:
            amount = REGISTRY.Quantity(quantity, source.pint_unit)
            result = float(amount.to(target.pint_unit).magnitude)
        else:
            amount = REGISTRY.Quantity(quantity, source.pint_unit)
            result, density = self._through_density(amount, source, target, ingredient)

        if target.pint_unit == REGISTRY.gas_mark:
            result = round(result * 2) / 2
        rounded = float(f"{result:.4g}") if math.isfinite(result) else result
        exact = density is None and spoken_number(result) == f"{result:g}"
        of_what = ""
        if density is not None and ingredient:
            of_what = f" of {self.densities.spoken_name(ingredient, density)}"
        elif ingredient and ingredient.strip():
            of_what = f" of {ingredient.strip()}"
        text = (
            f"{_phrase(quantity, source, spoken_unit=True)}{of_what} is "
            f"{'' if exact else 'about '}{_phrase(result, target, spoken_unit=False)}"
        )
        return Conversion(quantity=rounded, unit=target.symbol, text=text, density=density)
